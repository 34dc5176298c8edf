package server_test

// The OpenAPI document read generically, for the table tests that walk
// every documented operation (authz_test.go, hostile_test.go) on the
// fixtures of apiworld_test.go: a new route is covered by them without a
// new line of test.

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"osallistu/server"
)

// The actors that x-allowed names. A participant is one of the workshop
// the route acts on; a respondent an anonymous client with its token; a
// member an account (a citizen) that is a member of the organisation the
// route acts on.
const (
	actorAnonymous   = "anonymous"
	actorRespondent  = "respondent"
	actorParticipant = "participant"
	actorCitizen     = "citizen"
	actorOfficial    = "official"
	actorAdmin       = "admin"
	actorMember      = "member"
)

// allActors are the actors an operation anyone may call lists, and
// accountActors those that sign in. A member is named only where being
// one is what admits: every citizen route admits members too (allows).
var (
	allActors     = []string{actorAnonymous, actorRespondent, actorParticipant, actorCitizen, actorOfficial, actorAdmin}
	accountActors = []string{actorCitizen, actorOfficial, actorAdmin, actorMember}
	knownActors   = append(slices.Clone(allActors), actorMember)
)

// apiDoc is the served OpenAPI document.
type apiDoc struct {
	raw map[string]any
}

// apiOp is one documented operation.
type apiOp struct {
	Method  string // upper case
	Path    string // as documented: /api/v1/ideas/{id}
	ID      string // operationId
	Allowed []string
	// AuthorOnly (x-author-only) marks a route for the author of the thing
	// alone: an account or a respondent token may be that author, but in the
	// table tests the fixture's author is the official.
	AuthorOnly   bool
	Security     []map[string]any
	Params       []map[string]any // resolved parameter objects
	Body         map[string]any   // the JSON request body's schema, nil without one
	BodyRequired bool
	Responses    map[string]any
}

func (o apiOp) String() string { return o.Method + " " + o.Path }

// allows reports whether x-allowed names actor; a member is a citizen too.
func (o apiOp) allows(actor string) bool {
	return slices.Contains(o.Allowed, actor) || actor == actorMember && slices.Contains(o.Allowed, actorCitizen)
}

// params returns the operation's parameters that are in where ("path", "query").
func (o apiOp) params(where string) []map[string]any {
	var ps []map[string]any
	for _, p := range o.Params {
		if p["in"] == where {
			ps = append(ps, p)
		}
	}
	return ps
}

// loadAPIDoc reads the document the server serves and its operations,
// sorted by path and method so that runs are repeatable.
func loadAPIDoc(t *testing.T, ts *testServer) (*apiDoc, []apiOp) {
	t.Helper()
	d := &apiDoc{}
	if err := json.Unmarshal(ts.do("GET", "/api/v1/openapi.json", nil, "").want(t, 200).body, &d.raw); err != nil {
		t.Fatal(err)
	}
	var ops []apiOp
	paths, _ := d.raw["paths"].(map[string]any)
	for path, item := range paths {
		for method, v := range item.(map[string]any) {
			o, ok := v.(map[string]any)
			if !ok || method == "parameters" {
				continue
			}
			op := apiOp{Method: strings.ToUpper(method), Path: path}
			op.ID, _ = o["operationId"].(string)
			op.AuthorOnly, _ = o["x-author-only"].(bool)
			for _, a := range asList(o["x-allowed"]) {
				s, _ := a.(string)
				op.Allowed = append(op.Allowed, s)
			}
			if sec, ok := o["security"].([]any); ok {
				op.Security = []map[string]any{}
				for _, s := range sec {
					m, _ := s.(map[string]any)
					op.Security = append(op.Security, m)
				}
			}
			for _, p := range asList(o["parameters"]) {
				op.Params = append(op.Params, d.resolve(p.(map[string]any)))
			}
			if rb, ok := o["requestBody"].(map[string]any); ok {
				rb = d.resolve(rb)
				op.BodyRequired, _ = rb["required"].(bool)
				if s, ok := dig(rb, "content", "application/json", "schema").(map[string]any); ok {
					op.Body = d.resolve(s)
				}
			}
			op.Responses, _ = o["responses"].(map[string]any)
			ops = append(ops, op)
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	return d, ops
}

// resolve follows $ref (repeatedly) within the document.
func (d *apiDoc) resolve(m map[string]any) map[string]any {
	for i := 0; i < 10; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		var cur any = d.raw
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = dig(cur, strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~"))
		}
		next, ok := cur.(map[string]any)
		if !ok {
			panic("unresolved $ref " + ref)
		}
		m = next
	}
	return m
}

// schema resolves s and folds a single-element allOf (how a nullable
// reference is written in OpenAPI 3.0) into one schema.
func (d *apiDoc) schema(s map[string]any) map[string]any {
	s = d.resolve(s)
	if all := asList(s["allOf"]); len(all) == 1 {
		merged := map[string]any{}
		for k, v := range d.schema(all[0].(map[string]any)) {
			merged[k] = v
		}
		for k, v := range s {
			if k != "allOf" {
				merged[k] = v
			}
		}
		return merged
	}
	return s
}

// responseSchema returns the JSON schema of the operation's response with
// status, or nil.
func (d *apiDoc) responseSchema(op apiOp, status int) map[string]any {
	r, ok := op.Responses[strconv.Itoa(status)].(map[string]any)
	if !ok {
		return nil
	}
	s, _ := dig(d.resolve(r), "content", "application/json", "schema").(map[string]any)
	return s
}

// checkResponse reports where a response body differs from its schema: a
// field it carries that the schema does not describe, or a required field
// it lacks. Fields the document leaves out are fields clients cannot know.
func (d *apiDoc) checkResponse(s map[string]any, v any, at string) []string {
	s = d.schema(s)
	if v == nil {
		if nullable, _ := s["nullable"].(bool); nullable || len(s) == 0 {
			return nil
		}
		return []string{at + " is null, which the schema does not allow"}
	}
	var problems []string
	switch x := v.(type) {
	case map[string]any:
		props, hasProps := s["properties"].(map[string]any)
		if !hasProps {
			return nil
		}
		for _, r := range asList(s["required"]) {
			if _, ok := x[r.(string)]; !ok {
				problems = append(problems, at+"."+r.(string)+" is required but missing")
			}
		}
		_, open := s["additionalProperties"]
		for k, fv := range x {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if !open {
					problems = append(problems, at+"."+k+" is not documented")
				}
				continue
			}
			problems = append(problems, d.checkResponse(ps, fv, at+"."+k)...)
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, it := range x {
				problems = append(problems, d.checkResponse(items, it, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return problems
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// dig walks maps by keys, returning nil where a key is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// newTableServer is a test server whose rate limits stay out of the way
// of a table test's thousands of requests from one address.
func newTableServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServer(t, func(c *server.Config) {
		c.WriteLimit, c.AddressWriteLimit, c.LoginAddressLimit, c.JoinLimit = 1<<30, 1<<30, 1<<30, 1<<30
		c.PasswordResetAddressLimit = 1 << 30
	})
}

// errorShape reports what is wrong with an API error body, or "".
func errorShape(body []byte) string {
	var e struct {
		Error *struct {
			Code    *string `json:"code"`
			Message *string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return "the body is not JSON: " + err.Error()
	}
	if e.Error == nil || e.Error.Code == nil || e.Error.Message == nil || *e.Error.Code == "" {
		return "the body is not {\"error\": {\"code\", \"message\"}}"
	}
	return ""
}
