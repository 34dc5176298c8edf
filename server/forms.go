package server

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// Reading the pages' forms, and answering a form with its errors. One
// policy throughout: values are copied out of fiber's request memory and
// trimmed, and a value that cannot be what the field asks for is the
// field's error, never silently dropped.

// formValues copies the named form fields (fiber reuses request memory).
func formValues(c *fiber.Ctx, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = strings.TrimSpace(copyString(c.FormValue(n)))
	}
	return m
}

// formList copies a repeated field (checkboxes): of the query on GET, else
// of the posted form, multipart or not. No values is nil.
func formList(c *fiber.Ctx, name string) []string {
	var raw [][]byte
	if c.Method() == fiber.MethodGet {
		raw = c.Context().QueryArgs().PeekMulti(name)
	} else if form, err := c.MultipartForm(); err == nil {
		return slices.Clone(form.Value[name])
	} else {
		raw = c.Request().PostArgs().PeekMulti(name)
	}
	if len(raw) == 0 {
		return nil
	}
	list := make([]string, len(raw))
	for i, v := range raw {
		list[i] = string(v)
	}
	return list
}

// formIDs reads a repeated field of ids (checkboxes). A value that is not
// an id is the field's error (RuleChoice), and then there are no ids.
func formIDs(c *fiber.Ctx, name string) ([]int64, participation.FieldErrors) {
	raw := formList(c, name)
	ids := make([]int64, 0, len(raw))
	for _, v := range raw {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id < 1 {
			errs := participation.FieldErrors{}
			errs.Add(name, participation.RuleChoice, 0)
			return nil, errs
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// optional returns nil for an empty form value.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// selectOption is one choice of a <select>; Lang, when set, is the
// language of its label where it may differ from the page's.
type selectOption struct {
	Value string
	Label string
	Lang  string
}

// pageFieldErrors renames err's field errors from the API's words to a
// form's: field names by names and rules by rules (the rest keep theirs),
// translations by the forms' names (translationErrorName), a poll option's
// translation as the option translations' field of its language, and a
// milestone row's errors become one error of the milestones, naming the
// row. Any other error is passed on as it is.
func pageFieldErrors(err error, names, rules map[string]string) error {
	var de *participation.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	fields := participation.FieldErrors{}
	for name, fe := range de.Fields {
		if rest, ok := strings.CutPrefix(name, participation.FieldMilestones+"["); ok {
			row, _ := strconv.Atoi(rest[:strings.IndexByte(rest, ']')])
			rule := "milestone_row"
			if strings.Contains(rest, "].translations.") || strings.HasSuffix(rest, "].language") {
				rule = "milestone_translation_row"
			}
			fields.Add(participation.FieldMilestones, rule, row+1)
			continue
		}
		if rest, ok := strings.CutPrefix(name, "options["); ok {
			if _, tr, ok := strings.Cut(rest, "]."); ok && translationErrorName(tr) != "" {
				lang, _, _ := strings.Cut(strings.TrimPrefix(tr, "translations."), ".")
				name = trName(lang, "options")
			}
		}
		if to := translationErrorName(name); to != "" {
			name = to
		}
		if to, ok := names[name]; ok {
			name = to
		}
		if to, ok := rules[fe.Rule]; ok {
			fe.Rule = to
		}
		fields.Add(name, fe.Rule, fe.Limit)
	}
	return &participation.Error{Code: de.Code, Message: de.Message, Fields: fields}
}

// tooManyRules are the commitment and milestone forms' words for a list's
// limit: "too many, at most N", where a choice's "choose at most N" would
// not read right.
var tooManyRules = map[string]string{participation.RuleMaxChoices: "too_many"}

// formError re-renders a form page with the field errors of err (status
// 422, or 409 for a conflict), or passes any other error on.
func (s *Server) formError(c *fiber.Ctx, page string, data any, form map[string]string, err error) error {
	var de *participation.Error
	if !errors.As(err, &de) {
		return err
	}
	errs := de.Fields
	if len(errs) == 0 {
		switch de.Code {
		case participation.EUNAUTHENTICATED, participation.ERATELIMITED, participation.ECLOSED, participation.ECONFLICT:
			// A form-level error, shown above the form.
			errs = participation.FieldErrors{"_form": {Rule: "error." + de.Code}}
		default:
			return err
		}
	}
	return s.render(c, statusOf[de.Code], page, data, form, errs)
}

// contributionFormError is formError for the forms of ideas and comments,
// where "unauthenticated" means that the round asks people to sign in (not
// that a password was wrong, as on the sign-in form).
func (s *Server) contributionFormError(c *fiber.Ctx, page string, data any, form map[string]string, err error) error {
	if participation.ErrorCode(err) == participation.EUNAUTHENTICATED {
		errs := participation.FieldErrors{"_form": {Rule: "error.sign_in_required"}}
		return s.render(c, fiber.StatusUnauthorized, page, data, form, errs)
	}
	return s.formError(c, page, data, form, err)
}
