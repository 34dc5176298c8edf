package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// maxHeaderBytes is the most a request's line and headers may take in
// all (API.md: 8 KiB). fasthttp reads them into a buffer of this size and
// refuses a request that does not fit with a "small buffer" error, which
// fiber makes a 431.
const maxHeaderBytes = 8 << 10

// maxJSONBody is the largest JSON body the API reads: far above the
// longest texts its fields take (a commitment's are about 100 000
// characters), so that a bigger body is refused as too large before it is
// parsed. Attachments come as multipart forms, up to Config.BodyLimit.
const maxJSONBody = 1 << 20

// errBadText refuses text that no field can hold: PostgreSQL's text cannot
// store NUL, and bytes that are not UTF-8 are no characters at all.
func errBadText() error {
	return participation.Errorf(participation.EMALFORMED, "The request holds a NUL character or bytes that are not UTF-8.")
}

// checkInput refuses, before any handler or SQL, a request whose path,
// query string, form values or JSON body hold a NUL character or bytes
// that are not UTF-8 (400 invalid: the API's JSON error, the pages' error
// page). Without it such text reaches the handlers, where JSON decoding
// quietly replaces bad bytes and PostgreSQL fails on NUL with a 500.
func (s *Server) checkInput(c *fiber.Ctx) error {
	uri := c.Request().URI()
	raw, err := url.PathUnescape(string(uri.PathOriginal()))
	if err != nil || !cleanText([]byte(raw)) || !cleanText(uri.Path()) {
		return errBadText()
	}
	if !cleanArgs(uri.QueryArgs()) {
		return errBadText()
	}
	body := c.Body()
	if len(body) == 0 {
		return c.Next()
	}
	ctype, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	switch ctype {
	case fiber.MIMEApplicationForm:
		if !cleanArgs(c.Request().PostArgs()) {
			return errBadText()
		}
	case fiber.MIMEMultipartForm:
		// Attachments are bytes of their own type; the form's fields are text.
		if form, err := c.MultipartForm(); err == nil {
			for k, vs := range form.Value {
				for _, v := range vs {
					if !cleanText([]byte(k)) || !cleanText([]byte(v)) {
						return errBadText()
					}
				}
			}
		}
	default:
		if !isAPI(c) {
			break
		}
		if len(body) > maxJSONBody {
			return participation.Errorf(participation.ETOOLARGE, "The request's body is too large: at most 1 MiB of JSON.")
		}
		if !cleanJSON(body) {
			return errBadText()
		}
	}
	return c.Next()
}

// cleanText reports whether b is UTF-8 without NUL.
func cleanText(b []byte) bool {
	return utf8.Valid(b) && bytes.IndexByte(b, 0) < 0
}

// cleanArgs reports whether every key and value of a query string or a
// form is clean text.
func cleanArgs(args interface {
	VisitAll(func(key, value []byte))
}) bool {
	ok := true
	args.VisitAll(func(k, v []byte) {
		ok = ok && cleanText(k) && cleanText(v)
	})
	return ok
}

// cleanJSON reports whether a JSON body is clean text and none of its
// strings escapes a NUL (\u0000). Outside strings JSON has no backslashes,
// so every backslash starts an escape, and skipping the character after it
// keeps an escaped backslash from starting another.
func cleanJSON(b []byte) bool {
	if !cleanText(b) {
		return false
	}
	for i := bytes.IndexByte(b, '\\'); i >= 0 && i+1 < len(b); {
		if b[i+1] == 'u' && bytes.HasPrefix(b[i+2:], []byte("0000")) {
			return false
		}
		next := bytes.IndexByte(b[i+2:], '\\')
		if next < 0 {
			break
		}
		i += 2 + next
	}
	return true
}

// handleRequestError is the app's error handler: fasthttp's refusal of
// headers over maxHeaderBytes is a 431 with the JSON error too_large, like
// every other refusal by size on the API (the request line is not read
// then, so the path is unknown: pages get the same); everything else goes
// to handleError.
func (s *Server) handleRequestError(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if !errors.As(err, &fe) || fe.Code != fiber.StatusRequestHeaderFieldsTooLarge {
		return s.handleError(c, err)
	}
	return c.Status(fe.Code).JSON(fiber.Map{"error": fiber.Map{
		"code": participation.ETOOLARGE, "message": "The request's headers are too large: at most 8 KiB in all.",
	}})
}

// bodyRule is what the OpenAPI document says of an operation's JSON body:
// its required fields, and which of them may be null.
type bodyRule struct {
	required []string
	nullable map[string]bool
}

// bodyRules are the operations' body rules by method and fiber route
// ("PUT /api/v1/ideas/:id/theme"), read once from the document the server
// serves, so that the rule is written once.
var bodyRules = sync.OnceValue(func() map[string]bodyRule {
	rules := map[string]bodyRule{}
	b, err := buildOpenAPI()
	if err != nil {
		return rules // New has failed on the same error
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]openapiSchema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return rules
	}
	param := regexp.MustCompile(`\{([a-z_]+)\}`)
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			var op struct {
				RequestBody struct {
					Content map[string]struct {
						Schema openapiSchema `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			}
			if json.Unmarshal(raw, &op) != nil {
				continue
			}
			s, ok := op.RequestBody.Content[fiber.MIMEApplicationJSON]
			if !ok {
				continue
			}
			schema := s.Schema
			if name, ok := strings.CutPrefix(schema.Ref, "#/components/schemas/"); ok {
				schema = doc.Components.Schemas[name]
			}
			r := bodyRule{required: schema.Required, nullable: map[string]bool{}}
			for k, p := range schema.Properties {
				r.nullable[k] = p.Nullable
			}
			rules[strings.ToUpper(method)+" "+param.ReplaceAllString(path, ":$1")] = r
		}
	}
	return rules
})

// openapiSchema is as much of a schema as bodyRules reads.
type openapiSchema struct {
	Ref        string                   `json:"$ref"`
	Required   []string                 `json:"required"`
	Properties map[string]openapiSchema `json:"properties"`
	Nullable   bool                     `json:"nullable"`
}

// checkRequired refuses a JSON body that leaves out a field the route's
// body requires, or sends it as null where it may not be (API.md: leaving
// a field out is 422; null clears only a nullable one). decodeJSON calls
// it with the decoded value once the handler has checked who asks, so that
// who and state still come before content. The refusal names every bad
// field: the value's own Validate, where it has one, adds the others.
func checkRequired(c *fiber.Ctx, body []byte, v any) error {
	rule, ok := bodyRules()[c.Route().Method+" "+c.Route().Path]
	if !ok || len(rule.required) == 0 {
		return nil
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return nil // not an object: decoding has said so already
	}
	f := participation.FieldErrors{}
	for _, k := range rule.required {
		if raw, ok := fields[k]; !ok || (string(raw) == "null" && !rule.nullable[k]) {
			f.Add(k, participation.RuleRequired, 0)
		}
	}
	if len(f) == 0 {
		return nil
	}
	if val, ok := v.(interface{ Validate() error }); ok {
		var de *participation.Error
		if errors.As(val.Validate(), &de) {
			for k, fe := range de.Fields {
				f[k] = fe
			}
		}
	}
	return f.Err()
}
