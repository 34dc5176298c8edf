package server_test

// The OpenAPI document read generically, and a world of fixtures made
// through the API, for the table tests that walk every documented operation
// (authz_test.go, hostile_test.go): a new route is covered by them without
// a new line of test.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"osallistu/server"
)

// The actors that x-allowed names. A participant is one of the workshop
// the route acts on; a respondent an anonymous client with its token.
const (
	actorAnonymous   = "anonymous"
	actorRespondent  = "respondent"
	actorParticipant = "participant"
	actorCitizen     = "citizen"
	actorOfficial    = "official"
	actorAdmin       = "admin"
)

// allActors are x-allowed's names, and accountActors those that sign in.
var (
	allActors     = []string{actorAnonymous, actorRespondent, actorParticipant, actorCitizen, actorOfficial, actorAdmin}
	accountActors = []string{actorCitizen, actorOfficial, actorAdmin}
)

// apiDoc is the served OpenAPI document.
type apiDoc struct {
	raw map[string]any
}

// apiOp is one documented operation.
type apiOp struct {
	Method       string // upper case
	Path         string // as documented: /api/v1/ideas/{id}
	ID           string // operationId
	Allowed      []string
	Security     []map[string]any
	Params       []map[string]any // resolved parameter objects
	Body         map[string]any   // the JSON request body's schema, nil without one
	BodyRequired bool
	Responses    map[string]any
}

func (o apiOp) String() string { return o.Method + " " + o.Path }

// allows reports whether x-allowed names actor.
func (o apiOp) allows(actor string) bool { return slices.Contains(o.Allowed, actor) }

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

// processFixtures are one process's things, made through the API.
type processFixtures struct {
	slug     string
	ids      map[string]int64 // by the path segment that names them: "ideas", "polls", ...
	options  []int64          // the poll's option ids
	joinCode string
	merge    int64  // a second draft commitment, to merge into
	joined   string // X-Participant-Token of a participant of its workshop
}

// apiWorld is what the table tests act on: the actors' accounts, and a
// foreign process with one of each thing. Each operation gets a process of
// its own (process), so that what one operation changes (hiding an idea,
// merging a commitment) does not decide another's answers.
type apiWorld struct {
	ts         *testServer
	tokens     map[string]string // bearer tokens of citizen, official and admin
	respondent string            // an X-Respondent-Token
	foreign    *processFixtures
	seq        atomic.Int64
	target     int64 // an account whose roles are changed
}

// sessionEmail and sessionPassword are an account that exists in every
// world, the one the document's example of POST /api/v1/session names.
const (
	sessionEmail    = "maija@example.fi"
	sessionPassword = "correct horse battery"
)

// newAPIWorld makes the fixtures through the API, as an official.
func newAPIWorld(t *testing.T, ts *testServer) *apiWorld {
	t.Helper()
	w := &apiWorld{ts: ts, tokens: map[string]string{}}
	w.tokens[actorCitizen], _ = ts.signUp("citizen@example.fi")
	w.tokens[actorOfficial], _ = ts.signUp("official@example.fi", "official")
	w.tokens[actorAdmin], _ = ts.signUp("admin@example.fi", "admin")
	ts.signUp(sessionEmail)
	_, target := ts.signUp("target@example.fi")
	w.target = target.ID
	w.foreign = w.process(t)
	w.respondent = w.respondentToken(t)
	return w
}

// process makes a process with an open idea round (anonymous ideas
// allowed), an idea with a comment, a theme, a workshop with an open poll,
// and a commitment with a milestone (and a second one to merge into).
func (w *apiWorld) process(t *testing.T) *processFixtures {
	t.Helper()
	ts, tok := w.ts, w.tokens[actorOfficial]
	name := strconv.FormatInt(w.seq.Add(1), 10)
	p := &processFixtures{slug: "table-" + name, ids: map[string]int64{"accounts": w.target}}
	post := func(path string, body map[string]any) map[string]any {
		t.Helper()
		r := ts.do("POST", path, body, tok)
		if r.status != 201 && r.status != 200 {
			t.Fatalf("fixture POST %s: %d %s", path, r.status, r.body)
		}
		return r.json(t)
	}
	id := func(m map[string]any) int64 { return int64(m["id"].(float64)) }
	post("/api/v1/processes", map[string]any{"slug": p.slug, "title": "Process " + name, "description": "Fixtures of the table tests."})
	round := post("/api/v1/processes/"+p.slug+"/idea-rounds", map[string]any{
		"title": "Round " + name, "description": "", "allow_anonymous": true,
		"opens_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), "closes_at": time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339),
	})
	p.ids["idea-rounds"] = id(round)
	rounds := "/api/v1/idea-rounds/" + itoa10(id(round))
	p.ids["ideas"] = id(post(rounds+"/ideas", map[string]any{"title": "Idea " + name, "body": "An idea to act on."}))
	p.ids["comments"] = id(post("/api/v1/ideas/"+itoa10(p.ids["ideas"])+"/comments", map[string]any{"body": "A comment to act on."}))
	p.ids["themes"] = id(post(rounds+"/themes", map[string]any{"title": "Theme " + name, "description": ""}))
	ws := post("/api/v1/processes/"+p.slug+"/workshops", map[string]any{"title": "Workshop " + name, "starts_at": time.Now().UTC().Format(time.RFC3339)})
	p.ids["workshops"], p.joinCode = id(ws), ws["join_code"].(string)
	poll := post("/api/v1/workshops/"+itoa10(p.ids["workshops"])+"/polls", map[string]any{
		"question": "Which first?", "max_choices": 2, "options": []map[string]any{{"label": "One"}, {"label": "Two"}, {"label": "Three"}},
	})
	p.ids["polls"] = id(poll)
	for _, o := range poll["options"].([]any) {
		p.options = append(p.options, id(o.(map[string]any)))
	}
	post("/api/v1/polls/"+itoa10(p.ids["polls"])+"/open", nil)
	cm := post("/api/v1/processes/"+p.slug+"/commitments", map[string]any{
		"title": "Commitment " + name, "source_idea_ids": []int64{p.ids["ideas"]}, "source_theme_ids": []int64{p.ids["themes"]},
		"milestones": []map[string]any{{"title": "First milestone", "due": "2030-06-30"}},
	})
	p.ids["commitments"] = id(cm)
	p.ids["milestones"] = id(cm["milestones"].([]any)[0].(map[string]any))
	p.merge = id(post("/api/v1/processes/"+p.slug+"/commitments", map[string]any{"title": "Target " + name}))
	p.joined = w.join(t, p.joinCode)
	return p
}

func (w *apiWorld) join(t *testing.T, code string) string {
	t.Helper()
	r := w.ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": code}, "")
	if r.status != 201 {
		t.Fatalf("join: %d %s", r.status, r.body)
	}
	return r.json(t)["participant_token"].(string)
}

// respondentToken gets a respondent token from the server where it issues
// them (POST /api/v1/respondents), else makes one as clients did before.
func (w *apiWorld) respondentToken(t *testing.T) string {
	t.Helper()
	if r := w.ts.do("POST", "/api/v1/respondents", nil, ""); r.status == 201 {
		if tok, ok := r.json(t)["respondent_token"].(string); ok {
			return tok
		}
	}
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// credentials returns the bearer token and extra headers an actor sends
// to act on p; a participant is one of p's workshop, the other participant
// one of the foreign process's.
func (w *apiWorld) credentials(actor string, p *processFixtures) (bearer string, headers []string) {
	switch actor {
	case actorRespondent:
		return "", []string{"X-Respondent-Token", w.respondent}
	case actorParticipant:
		return "", []string{"X-Participant-Token", p.joined}
	case actorOtherParticipant:
		return "", []string{"X-Participant-Token", w.foreign.joined}
	}
	return w.tokens[actor], nil
}

// actorOtherParticipant is the matrix's participant of another workshop.
const actorOtherParticipant = "participant of another workshop"

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// fillPath puts the fixtures' ids into a documented path: a parameter
// stands for the thing the segment before it names.
func (w *apiWorld) fillPath(t *testing.T, path string, p *processFixtures) string {
	t.Helper()
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !pathParam.MatchString(s) {
			continue
		}
		coll := segs[i-1]
		if coll == "processes" {
			segs[i] = p.slug
			continue
		}
		id, ok := p.ids[coll]
		if !ok {
			t.Fatalf("%s: no fixture for {%s} after /%s/: add one to apiWorld.process", path, s, coll)
		}
		segs[i] = itoa10(id)
	}
	return strings.Join(segs, "/")
}

// idFields name the body fields that refer to another thing, and which.
// The hostile table swaps them for the foreign process's.
var idFields = map[string]func(p *processFixtures) any{
	"theme_id":                func(p *processFixtures) any { return p.ids["themes"] },
	"source_theme_ids":        func(p *processFixtures) any { return []int64{p.ids["themes"]} },
	"source_idea_ids":         func(p *processFixtures) any { return []int64{p.ids["ideas"]} },
	"into_id":                 func(p *processFixtures) any { return p.merge },
	"option_ids":              func(p *processFixtures) any { return p.options[:1] },
	"options_from_idea_round": func(p *processFixtures) any { return p.ids["idea-rounds"] },
	"parent_id":               func(p *processFixtures) any { return p.ids["comments"] },
	"code":                    func(p *processFixtures) any { return p.joinCode },
}

// body builds a valid body from a schema: its example, or its required
// properties, with the fixtures' ids and fresh unique values where they
// must be unique.
func (w *apiWorld) body(d *apiDoc, s map[string]any, p *processFixtures) any {
	return w.value(d, s, "", p)
}

func (w *apiWorld) value(d *apiDoc, s map[string]any, name string, p *processFixtures) any {
	s = d.schema(s)
	if f, ok := idFields[name]; ok {
		return f(p)
	}
	if ex, ok := s["example"]; ok {
		return fromExample(ex, p)
	}
	n := w.seq.Add(1)
	switch s["type"] {
	case "object":
		m := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if ps, ok := props[r.(string)].(map[string]any); ok {
				m[r.(string)] = w.value(d, ps, r.(string), p)
			}
		}
		return m
	case "array":
		items, _ := s["items"].(map[string]any)
		count := 1
		if mi, ok := s["minItems"].(float64); ok && int(mi) > count {
			count = int(mi)
		}
		l := []any{}
		for i := 0; i < count; i++ {
			l = append(l, w.value(d, items, "", p))
		}
		return l
	case "integer", "number":
		if m, ok := s["minimum"].(float64); ok {
			return m
		}
		return 1
	case "boolean":
		return true
	case "string":
		if e := asList(s["enum"]); len(e) > 0 {
			return e[0]
		}
		switch s["format"] {
		case "date-time":
			return time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
		case "date":
			return "2030-06-30"
		case "email":
			return fmt.Sprintf("person%d@example.fi", n)
		case "uri":
			return "https://example.fi/evidence"
		}
		if _, ok := s["pattern"]; ok {
			return fmt.Sprintf("made-%d", n) // fits the one pattern in use, a slug's
		}
		text := "Example text " + strconv.FormatInt(n, 10)
		if mx, ok := s["maxLength"].(float64); ok && len(text) > int(mx) {
			text = text[:int(mx)]
		}
		for mn, _ := s["minLength"].(float64); len(text) < int(mn); {
			text += " and more"
		}
		return text
	}
	return nil
}

// fromExample copies an example, putting the fixtures' ids where it refers
// to things.
func fromExample(ex any, p *processFixtures) any {
	m, ok := ex.(map[string]any)
	if !ok {
		return ex
	}
	out := map[string]any{}
	for k, v := range m {
		if f, ok := idFields[k]; ok {
			v = f(p)
		}
		out[k] = v
	}
	return out
}

func itoa10(n int64) string { return strconv.FormatInt(n, 10) }

// newTableServer is a test server whose rate limits stay out of the way
// of a table test's thousands of requests from one address.
func newTableServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServer(t, func(c *server.Config) {
		c.WriteLimit, c.AddressWriteLimit, c.LoginAddressLimit, c.JoinLimit = 1<<30, 1<<30, 1<<30, 1<<30
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
