package server_test

// The fixtures the table tests act on, made through the API, and valid
// bodies built from the OpenAPI document's schemas.

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

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
	w.tokens[actorMember], _ = ts.signUp("member@example.fi")
	ts.signUp(sessionEmail)
	_, target := ts.signUp("target@example.fi")
	w.target = target.ID
	w.respondent = w.respondentToken(t)
	w.foreign = w.process(t)
	return w
}

// process makes a process with an open idea round (anonymous ideas
// allowed), an idea with a comment, a theme, a workshop with an open poll,
// a commitment with a milestone (and a second one to merge into), and the
// member's organisation invited to an open statement request about the
// commitment, with an attachment and the organisation's statement.
func (w *apiWorld) process(t *testing.T) *processFixtures {
	t.Helper()
	ts, tok := w.ts, w.tokens[actorOfficial]
	name := strconv.FormatInt(w.seq.Add(1), 10)
	// "officials": an account that is not one of the process's officials (the removal is 404).
	p := &processFixtures{slug: "table-" + name, ids: map[string]int64{"accounts": w.target, "officials": w.target}}
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
	// The idea and comment are the official's, who alone may act as their
	// author (edit, delete, ask for removal). An idea of nobody's is
	// supported, as authors may not.
	asAuthor := func(path string, body map[string]any) map[string]any {
		t.Helper()
		r := ts.do("POST", path, body, tok)
		if r.status != 201 {
			t.Fatalf("fixture POST %s: %d %s", path, r.status, r.body)
		}
		return r.json(t)
	}
	p.ids["ideas"] = id(asAuthor(rounds+"/ideas", map[string]any{"title": "Idea " + name, "body": "An idea to act on."}))
	p.ids["comments"] = id(asAuthor("/api/v1/ideas/"+itoa10(p.ids["ideas"])+"/comments", map[string]any{"body": "A comment to act on."}))
	if r := ts.do("POST", rounds+"/ideas", map[string]any{"title": "Anonymous idea " + name, "body": "An idea to support."}, ""); r.status == 201 {
		p.ids["ideas/supports"] = id(r.json(t))
	} else {
		t.Fatalf("fixture anonymous idea: %d %s", r.status, r.body)
	}
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
	p.ids["collections"] = id(post("/api/v1/workshops/"+itoa10(p.ids["workshops"])+"/collections", map[string]any{"theme_id": p.ids["themes"]}))
	if r := ts.do("POST", "/api/v1/collections/"+itoa10(p.ids["collections"])+"/proposals", map[string]any{"body": "A proposal to act on."}, "", "X-Participant-Token", p.joined); r.status == 201 {
		p.ids["proposals"] = id(r.json(t))
	} else {
		t.Fatalf("fixture proposal: %d %s", r.status, r.body)
	}
	w.statementFixtures(t, p, name)
	w.surveys(t, p, post)
	w.events(t, p, post)
	return p
}

// events adds to p an event a week ahead with a question, and the
// official's registration for it (so that the official is its registrant,
// who alone may confirm or cancel it).
func (w *apiWorld) events(t *testing.T, p *processFixtures, post func(string, map[string]any) map[string]any) {
	t.Helper()
	start := time.Now().Add(7 * 24 * time.Hour).UTC()
	ev := post("/api/v1/processes/"+p.slug+"/events", map[string]any{
		"title": "Event", "description": "", "location": "Mariankatu 9", "capacity": 50,
		"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(3 * time.Hour).Format(time.RFC3339),
		"questions": []map[string]any{{"prompt": "Dietary needs, for the catering", "required": false}},
	})
	p.ids["events"] = int64(ev["id"].(float64))
	reg := post("/api/v1/events/"+itoa10(p.ids["events"])+"/registrations", map[string]any{})
	p.ids["registrations"] = int64(reg["id"].(float64))
}

// statementFixtures adds to p an organisation the member registered and
// a published statement request inviting it, about p's commitment, with an
// attachment and the organisation's submitted statement.
func (w *apiWorld) statementFixtures(t *testing.T, p *processFixtures, name string) {
	t.Helper()
	ts, official, member := w.ts, w.tokens[actorOfficial], w.tokens[actorMember]
	do := func(method, path string, body any, token string, headers ...string) map[string]any {
		t.Helper()
		r := ts.do(method, path, body, token, headers...)
		if r.status != 201 && r.status != 200 {
			t.Fatalf("fixture %s %s: %d %s", method, path, r.status, r.body)
		}
		return r.json(t)
	}
	id := func(m map[string]any) int64 { return int64(m["id"].(float64)) }
	p.ids["organisations"] = id(do("POST", "/api/v1/organisations", map[string]any{"name": "Organisation " + name, "kind": "association"}, member))
	req := do("POST", "/api/v1/processes/"+p.slug+"/statement-requests", map[string]any{
		"title": "Statement request " + name, "background": "Fixtures of the table tests.", "contact_person": "Maija, 029 123",
		"deadline":                 time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339),
		"questions":                []map[string]any{{"prompt": "What do you think?", "commitment_id": p.ids["commitments"]}},
		"invited_organisation_ids": []int64{p.ids["organisations"]}, "commitment_ids": []int64{p.ids["commitments"]},
	}, official)
	path := "/api/v1/statement-requests/" + itoa10(id(req))
	p.ids["statement-requests"] = id(req)
	p.ids["questions"] = id(req["questions"].([]any)[0].(map[string]any))
	body, ctype := multipartFile(t, "file", "draft.pdf", []byte("%PDF-1.7 the draft"))
	p.ids["attachments"] = id(do("POST", path+"/attachments", body, official, "Content-Type", ctype))
	do("POST", path+"/publish", nil, official)
	p.ids["statements"] = id(do("PUT", path+"/statements/mine", map[string]any{
		"organisation_id": p.ids["organisations"], "summary": "We support it.", "language": "en", "submit": true,
		"answers": []map[string]any{{"question_id": p.ids["questions"], "position": "support", "text": "Good."}},
	}, member))
}

// multipartFile is a multipart form with one file in field, and its
// Content-Type.
func multipartFile(t testing.TB, field, filename string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

// surveys makes two anonymous surveys of every kind of question: an open
// one ("surveys"), and a closed one that the official answered, for the
// results ("surveys/results", "surveys/results.csv").
func (w *apiWorld) surveys(t *testing.T, p *processFixtures, post func(string, map[string]any) map[string]any) {
	t.Helper()
	questions := []map[string]any{
		{"kind": "single", "prompt": "Which first?", "required": true, "options": []map[string]any{{"label": "One"}, {"label": "Two"}}},
		{"kind": "multi", "prompt": "Which matter?", "options": []map[string]any{{"label": "One"}, {"label": "Two"}}},
		{"kind": "scale", "prompt": "How much?", "min": 1, "max": 5},
		{"kind": "text", "prompt": "Anything else?"},
		{"kind": "grid2d", "prompt": "Rate the drafts", "items_from_commitments": true,
			"x": map[string]any{"label": "Importance", "min": 1, "max": 5}, "y": map[string]any{"label": "Feasibility", "min": 1, "max": 5}},
	}
	newSurvey := func() map[string]any {
		sv := post("/api/v1/processes/"+p.slug+"/surveys", map[string]any{"title": "Survey", "description": "", "anonymous": true, "questions": questions})
		post("/api/v1/surveys/"+itoa10(int64(sv["id"].(float64)))+"/open", nil)
		return sv
	}
	p.ids["surveys"] = int64(newSurvey()["id"].(float64))
	closed := newSurvey()
	cid := int64(closed["id"].(float64))
	qs := closed["questions"].([]any)
	q := func(i int) map[string]any { return qs[i].(map[string]any) }
	first := func(i int, key string) float64 { return q(i)[key].([]any)[0].(map[string]any)["id"].(float64) }
	post("/api/v1/surveys/"+itoa10(cid)+"/responses", map[string]any{"answers": []map[string]any{
		{"question_id": q(0)["id"], "option_ids": []float64{first(0, "options")}},
		{"question_id": q(2)["id"], "value": 4},
		{"question_id": q(3)["id"], "text": "More of this."},
		{"question_id": q(4)["id"], "points": []map[string]any{{"item_id": first(4, "items"), "x": 4.5, "y": 2}}},
	}})
	post("/api/v1/surveys/"+itoa10(cid)+"/close", nil)
	p.ids["surveys/results"], p.ids["surveys/results.csv"] = cid, cid
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
		// A fixture may be kept for one action on the thing: "surveys/results"
		// is a closed survey, where "surveys" is an open one.
		id, ok := int64(0), false
		if i+1 < len(segs) {
			id, ok = p.ids[coll+"/"+segs[i+1]]
		}
		if !ok {
			id, ok = p.ids[coll]
		}
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
	"question_id":             func(p *processFixtures) any { return p.ids["questions"] },
	"commitment_ids":          func(p *processFixtures) any { return []int64{p.ids["commitments"]} },
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
