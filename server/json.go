package server

import (
	"encoding/json"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The API's requests and answers: JSON bodies, ids in the path, paged
// lists.

// Paging limits of every list (API.md: default 50, max 500).
const (
	defaultLimit = 50
	maxLimit     = 500
)

// decodeJSON reads the request's JSON body into v: malformed JSON or a
// wrong type is EMALFORMED (400).
func decodeJSON(c *fiber.Ctx, v any) error {
	body := c.Body()
	if len(body) == 0 {
		return participation.Errorf(participation.EMALFORMED, "The request needs a JSON body.")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if ok := asTypeError(err, &te); ok && te.Field != "" {
			f := participation.FieldErrors{}
			f.Add(te.Field, participation.RuleFormat, 0)
			return &participation.Error{Code: participation.EMALFORMED, Message: "A field has the wrong type.", Fields: f}
		}
		return participation.Errorf(participation.EMALFORMED, "The body is not valid JSON.")
	}
	return checkRequired(c, body, v)
}

func asTypeError(err error, target **json.UnmarshalTypeError) bool {
	te, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*target = te
	}
	return ok
}

// decodeAsOfficial reads an officials-only request's JSON body: who may ask
// is checked before what they send, so a citizen gets 403, not 400 or 422.
func decodeAsOfficial(c *fiber.Ctx, v any) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	return decodeJSON(c, v)
}

// paging reads ?limit= and ?offset=.
func paging(c *fiber.Ctx) (limit, offset int, err error) {
	limit, offset = defaultLimit, 0
	f := participation.FieldErrors{}
	if s := c.Query("limit"); s != "" {
		if n, perr := strconv.Atoi(s); perr != nil || n < 1 {
			f.Add("limit", participation.RuleFormat, 0)
		} else {
			limit = min(n, maxLimit)
		}
	}
	if s := c.Query("offset"); s != "" {
		if n, perr := strconv.Atoi(s); perr != nil || n < 0 {
			f.Add("offset", participation.RuleFormat, 0)
		} else {
			offset = n
		}
	}
	if err := f.Err(); err != nil {
		return 0, 0, &participation.Error{Code: participation.EMALFORMED, Message: "Bad paging parameters.", Fields: f}
	}
	return limit, offset, nil
}

// list is the response of every route that returns several things.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func sendList[T any](c *fiber.Ctx, items []T, total int) error {
	if items == nil {
		items = []T{}
	}
	return c.JSON(list[T]{Items: items, Total: total})
}

// idParam reads a positive integer route parameter; anything else is not found.
func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id < 1 {
		return 0, participation.Errorf(participation.ENOTFOUND, "Not found.")
	}
	return id, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Pager is a page of a long list, for the pages' previous and next links.
type Pager struct {
	Total  int
	Limit  int
	Offset int
}

// NextOffset returns the next page's offset, or -1 on the last page.
func (p Pager) NextOffset() int {
	if p.Offset+p.Limit < p.Total {
		return p.Offset + p.Limit
	}
	return -1
}

// PrevOffset returns the previous page's offset, or -1 on the first page.
func (p Pager) PrevOffset() int {
	if p.Offset == 0 {
		return -1
	}
	return max(0, p.Offset-p.Limit)
}
