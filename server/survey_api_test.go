package server_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"osallistu/participation"
)

// The survey API's answers, typed: a field the server may leave null is a
// pointer.
type surveyJSON struct {
	ID           int64                        `json:"id"`
	ProcessID    int64                        `json:"process_id"`
	Title        string                       `json:"title"`
	Description  string                       `json:"description"`
	Anonymous    bool                         `json:"anonymous"`
	Status       string                       `json:"status"`
	Language     string                       `json:"language"`
	Translations map[string]map[string]string `json:"translations"`
	Questions    []surveyQuestionJSON         `json:"questions"`
	Responses    int                          `json:"responses"`
	CreatedAt    string                       `json:"created_at"`
	OpenedAt     *string                      `json:"opened_at"`
	ClosedAt     *string                      `json:"closed_at"`
}

type surveyQuestionJSON struct {
	ID                   int64                        `json:"id"`
	Position             int                          `json:"position"`
	Kind                 string                       `json:"kind"`
	Prompt               string                       `json:"prompt"`
	Required             bool                         `json:"required"`
	Language             string                       `json:"language"`
	Translations         map[string]map[string]string `json:"translations"`
	Options              *[]surveyChoiceJSON          `json:"options"`
	Min                  *int                         `json:"min"`
	Max                  *int                         `json:"max"`
	MinLabel             *string                      `json:"min_label"`
	MaxLabel             *string                      `json:"max_label"`
	X                    *participation.Axis          `json:"x"`
	Y                    *participation.Axis          `json:"y"`
	Items                *[]surveyChoiceJSON          `json:"items"`
	ItemsFromCommitments bool                         `json:"items_from_commitments"`
}

type surveyChoiceJSON struct {
	ID           int64                        `json:"id"`
	Label        string                       `json:"label"`
	CommitmentID *int64                       `json:"commitment_id"`
	Language     string                       `json:"language"`
	Translations map[string]map[string]string `json:"translations"`
}

type surveyResponseJSON struct {
	ID           int64                  `json:"id"`
	SurveyID     int64                  `json:"survey_id"`
	Answers      []participation.Answer `json:"answers"`
	Submitted    bool                   `json:"submitted"`
	SubmittedAt  *string                `json:"submitted_at"`
	UpdatedAt    string                 `json:"updated_at"`
	Municipality *string                `json:"municipality"`
}

type surveyResultsJSON struct {
	SurveyID     int64                `json:"survey_id"`
	Status       string               `json:"status"`
	Responses    int                  `json:"responses"`
	Relative     bool                 `json:"relative"`
	Municipality *string              `json:"municipality"`
	Questions    []questionResultJSON `json:"questions"`
}

type questionResultJSON struct {
	QuestionID int64  `json:"question_id"`
	Kind       string `json:"kind"`
	Prompt     string `json:"prompt"`
	Answered   int    `json:"answered"`
	Options    *[]struct {
		OptionID int64  `json:"option_id"`
		Label    string `json:"label"`
		Count    int    `json:"count"`
	} `json:"options"`
	Mean         *float64                    `json:"mean"`
	Median       *float64                    `json:"median"`
	Distribution *[]participation.ValueCount `json:"distribution"`
	Answers      *[]string                   `json:"answers"`
	Items        *[]struct {
		ItemID       int64    `json:"item_id"`
		Label        string   `json:"label"`
		CommitmentID *int64   `json:"commitment_id"`
		N            int      `json:"n"`
		MeanX        *float64 `json:"mean_x"`
		MeanY        *float64 `json:"mean_y"`
		SdX          *float64 `json:"sd_x"`
		SdY          *float64 `json:"sd_y"`
		Rank         *int     `json:"rank"`
	} `json:"items"`
}

// surveyQuestionsBody is a question of every kind; the grid's items are
// the process's draft commitments.
func surveyQuestionsBody() []map[string]any {
	return []map[string]any{
		{"kind": "single", "prompt": "Which goal first?", "required": true, "options": []map[string]any{{"label": "Open data"}, {"label": "Plain language"}}},
		{"kind": "multi", "prompt": "Which matter?", "options": []map[string]any{{"label": "Schools"}, {"label": "Libraries"}, {"label": "Transport"}}},
		{"kind": "scale", "prompt": "How open is government?", "min": 1, "max": 5, "min_label": "Closed", "max_label": "Open"},
		{"kind": "text", "prompt": "Anything else?"},
		{"kind": "grid2d", "prompt": "Rate the drafts", "items_from_commitments": true,
			"x": map[string]any{"label": "Importance", "min": 1, "max": 5}, "y": map[string]any{"label": "Feasibility", "min": 1, "max": 5}},
	}
}

// surveyAnswers answers the questions of sv: the single question's option
// o, the scale's value, a text, and grid points (item index → x, y).
func surveyAnswers(sv surveyJSON, o int, value int, text string, points map[int][2]float64) map[string]any {
	q := sv.Questions
	answers := []map[string]any{{"question_id": q[0].ID, "option_ids": []int64{(*q[0].Options)[o].ID}}}
	if value != 0 {
		answers = append(answers, map[string]any{"question_id": q[2].ID, "value": value})
	}
	if text != "" {
		answers = append(answers, map[string]any{"question_id": q[3].ID, "text": text})
	}
	var pts []map[string]any
	for i, p := range points {
		pts = append(pts, map[string]any{"item_id": (*q[4].Items)[i].ID, "x": p[0], "y": p[1]})
	}
	if pts != nil {
		answers = append(answers, map[string]any{"question_id": q[4].ID, "points": pts})
	}
	return map[string]any{"answers": answers}
}

// surveyInvitationToken finds the token of the personal link emailed to address.
func surveyInvitationToken(t *testing.T, ts *testServer, address string) string {
	t.Helper()
	var token string
	if err := ts.store.DB().Get(&token, `SELECT params->>'token' FROM outbox WHERE email = $1 AND kind = 'survey_invitation'`, address); err != nil {
		t.Fatal(err)
	}
	return token
}

func TestSurveysAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	citizen, _ := ts.signUp("citizen@example.fi")
	other, _ := ts.signUp("other@example.fi")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin", "description": ""}, official).want(t, 201)
	var drafts []int64
	for _, title := range []string{"Open data by default", "Plain language"} {
		drafts = append(drafts, decode[commitmentJSON](t, ts.do("POST", "/api/v1/processes/avoin/commitments", map[string]any{"title": title}, official).want(t, 201)).ID)
	}
	create := "/api/v1/processes/avoin/surveys"
	body := map[string]any{"title": "Draft goals", "description": "Rate them.", "anonymous": false, "questions": surveyQuestionsBody()}

	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "POST", path: create, body: body, status: 401, code: "unauthenticated"},
		{name: "a citizen may not", method: "POST", path: create, body: body, token: citizen, status: 403, code: "forbidden"},
		{name: "an unknown process", method: "POST", path: "/api/v1/processes/nope/surveys", body: body, token: official, status: 404},
		{name: "a wrong type", method: "POST", path: create, body: `{"title": 5}`, token: official, status: 400, code: "invalid"},
		{name: "an unknown survey", method: "GET", path: "/api/v1/surveys/99999", status: 404, code: "not_found"},
	})
	t.Run("broken rules name their fields", func(t *testing.T) {
		ts.do("POST", create, map[string]any{"title": "", "description": ""}, official).want(t, 422).wantCode(t, "invalid").wantFields(t, "title", "anonymous", "questions")
		bad := surveyQuestionsBody()
		bad[0]["options"] = []map[string]any{{"label": "Only one"}}
		bad[4]["x"] = map[string]any{"label": "Importance", "min": 5, "max": 1}
		ts.do("POST", create, map[string]any{"title": "T", "description": "", "anonymous": true, "questions": bad}, official).
			want(t, 422).wantCode(t, "invalid").wantFields(t, "questions[0].options", "questions[4].x.max")
	})

	var sv surveyJSON
	mustRun(t, "official builds a draft survey", func(t *testing.T) {
		sv = decode[surveyJSON](t, ts.do("POST", create, body, official).want(t, 201))
		if sv.Status != "draft" || sv.Anonymous || len(sv.Questions) != 5 || sv.Language != "fi" || sv.Translations == nil || sv.OpenedAt != nil {
			t.Fatalf("survey %+v", sv)
		}
		for _, q := range sv.Questions {
			if q.ID == 0 {
				t.Errorf("question without an id: %+v", q)
			}
		}
		if o := *sv.Questions[0].Options; o[0].ID == 0 || o[0].CommitmentID != nil || sv.Questions[0].Items != nil || sv.Questions[2].Options != nil {
			t.Errorf("options %+v", sv.Questions[0])
		}
		items := *sv.Questions[4].Items
		if len(items) != 2 || items[0].ID == 0 || *items[0].CommitmentID != drafts[0] || items[1].Label != "Plain language" {
			t.Errorf("items from commitments %+v", items)
		}
	})
	path := fmt.Sprintf("/api/v1/surveys/%d", sv.ID)

	t.Run("anyone reads it", func(t *testing.T) {
		if got := decode[surveyJSON](t, ts.do("GET", path, nil, "").want(t, 200)); got.ID != sv.ID || len(got.Questions) != 5 {
			t.Errorf("survey %+v", got)
		}
		l := decode[struct {
			Items []surveyJSON `json:"items"`
			Total int          `json:"total"`
		}](t, ts.do("GET", create, nil, "").want(t, 200))
		if l.Total != 1 || l.Items[0].ID != sv.ID {
			t.Errorf("list %+v", l)
		}
	})
	t.Run("a draft takes no answers", func(t *testing.T) {
		ts.do("POST", path+"/responses", surveyAnswers(sv, 0, 3, "", nil), citizen).want(t, 409).wantCode(t, "closed")
	})
	t.Run("official reorders and edits the draft", func(t *testing.T) {
		var qs []map[string]any
		if err := jsonRoundTrip(sv.Questions, &qs); err != nil {
			t.Fatal(err)
		}
		qs[1], qs[3] = qs[3], qs[1]
		qs[1]["prompt"] = "Anything more?"
		got := decode[surveyJSON](t, ts.do("PATCH", path, map[string]any{"questions": qs, "description": "Rate each goal."}, official).want(t, 200))
		if got.Questions[1].ID != sv.Questions[3].ID || got.Questions[1].Prompt != "Anything more?" || got.Questions[3].ID != sv.Questions[1].ID ||
			got.Description != "Rate each goal." || (*got.Questions[4].Items)[0].ID != (*sv.Questions[4].Items)[0].ID {
			t.Fatalf("patched %+v", got)
		}
		qs[1], qs[3] = qs[3], qs[1]
		qs[3]["prompt"] = "Anything else?"
		sv = decode[surveyJSON](t, ts.do("PATCH", path, map[string]any{"questions": qs}, official).want(t, 200))
		ts.do("PATCH", path, map[string]any{"title": "Mine"}, citizen).want(t, 403)
		qs[0]["id"] = 999999
		ts.do("PATCH", path, map[string]any{"questions": qs}, official).want(t, 422).wantCode(t, "invalid").wantFields(t, "questions[0].id")
	})
	mustRun(t, "official opens it: a step of the process", func(t *testing.T) {
		sv = decode[surveyJSON](t, ts.do("POST", path+"/open", nil, official).want(t, 200))
		if sv.Status != "open" || sv.OpenedAt == nil {
			t.Fatalf("opened %+v", sv)
		}
		p := decode[processJSON](t, ts.do("GET", "/api/v1/processes/avoin", nil, "").want(t, 200))
		found := false
		for _, s := range p.Steps {
			if s.Kind == "survey" {
				found = s.Status == "open" && s.OpensAt != nil && *s.OpensAt == *sv.OpenedAt && s.ClosesAt == nil
			}
		}
		if !found {
			t.Errorf("steps %+v", p.Steps)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "an open survey is not edited", method: "PATCH", path: path, body: map[string]any{"title": "Late"}, token: official, status: 409, code: "conflict"},
		{name: "a citizen does not open it", method: "POST", path: path + "/open", token: citizen, status: 403},
		{name: "nobody answers without credentials", method: "POST", path: path + "/responses", body: surveyAnswers(sv, 0, 3, "", nil), status: 401, code: "unauthenticated"},
		{name: "a survey for accounts takes no respondent token alone", method: "POST", path: path + "/responses", body: surveyAnswers(sv, 0, 3, "", nil),
			headers: []string{"X-Respondent-Token", "not-a-token-the-server-issued"}, status: 401},
		{name: "malformed JSON", method: "POST", path: path + "/responses", body: `{"answers": [`, token: citizen, status: 400, code: "invalid"},
		{name: "a value outside an axis", method: "POST", path: path + "/responses", body: surveyAnswers(sv, 0, 3, "", map[int][2]float64{0: {5.5, 3}}),
			token: citizen, status: 422, code: "invalid"},
		{name: "the required question left out", method: "POST", path: path + "/responses",
			body: map[string]any{"answers": []map[string]any{{"question_id": sv.Questions[2].ID, "value": 3}}}, token: citizen, status: 422},
		{name: "a scale value outside the scale", method: "POST", path: path + "/responses", body: surveyAnswers(sv, 0, 6, "", nil), token: citizen, status: 422},
	})
	t.Run("an item of another question", func(t *testing.T) {
		b := surveyAnswers(sv, 0, 0, "", nil)
		b["answers"] = append(b["answers"].([]map[string]any), map[string]any{"question_id": sv.Questions[4].ID,
			"points": []map[string]any{{"item_id": (*sv.Questions[0].Options)[1].ID, "x": 3, "y": 3}}})
		ts.do("POST", path+"/responses", b, citizen).want(t, 422).wantCode(t, "invalid").wantFields(t, "answers[1].points[0].item_id")
	})
	t.Run("a citizen answers once", func(t *testing.T) {
		r := decode[surveyResponseJSON](t, ts.do("POST", path+"/responses", surveyAnswers(sv, 1, 4, "=SUM(A1)", map[int][2]float64{0: {4.5, 2}, 1: {2, 5}}), citizen).want(t, 201))
		if !r.Submitted || r.SubmittedAt == nil || len(r.Answers) != 4 || r.SurveyID != sv.ID {
			t.Fatalf("response %+v", r)
		}
		ts.do("POST", path+"/responses", surveyAnswers(sv, 0, 3, "", nil), citizen).want(t, 409).wantCode(t, "conflict")
		ts.do("PUT", path+"/responses/mine", map[string]any{"answers": []any{}}, citizen).want(t, 409).wantCode(t, "conflict")
		if mine := decode[surveyResponseJSON](t, ts.do("GET", path+"/responses/mine", nil, citizen).want(t, 200)); mine.ID != r.ID {
			t.Errorf("mine %+v", mine)
		}
	})
	t.Run("another saves a draft and comes back to send it", func(t *testing.T) {
		ts.do("GET", path+"/responses/mine", nil, other).want(t, 404)
		d := decode[surveyResponseJSON](t, ts.do("PUT", path+"/responses/mine",
			map[string]any{"answers": surveyAnswers(sv, 0, 2, "", nil)["answers"].([]map[string]any)[1:], "submit": false}, other).want(t, 200))
		if d.Submitted || d.SubmittedAt != nil || len(d.Answers) != 1 {
			t.Fatalf("draft %+v", d)
		}
		if got := decode[surveyJSON](t, ts.do("GET", path, nil, "").want(t, 200)); got.Responses != 1 {
			t.Errorf("a draft counted: %d", got.Responses)
		}
		r := decode[surveyResponseJSON](t, ts.do("PUT", path+"/responses/mine",
			map[string]any{"answers": surveyAnswers(sv, 0, 2, "Plain words, please.", map[int][2]float64{0: {3, 3}})["answers"], "submit": true, "municipality": "Espoo"}, other).want(t, 200))
		if !r.Submitted || r.ID != d.ID || *r.Municipality != "Espoo" {
			t.Fatalf("sent %+v", r)
		}
	})
	t.Run("invitations answer without an account", func(t *testing.T) {
		ts.do("POST", path+"/invitations", map[string]any{"emails": []string{"x@example.fi"}}, citizen).want(t, 403)
		ts.do("POST", path+"/invitations", map[string]any{"emails": []string{"not an address"}}, official).want(t, 422).wantCode(t, "invalid").wantFields(t, "emails[0]")
		got := decode[participation.Invited](t, ts.do("POST", path+"/invitations", map[string]any{"emails": []string{"kutsu@example.fi", "Toinen@example.fi"}}, official).want(t, 201))
		if got.Invited != 2 {
			t.Fatalf("invited %+v", got)
		}
		token := surveyInvitationToken(t, ts, "kutsu@example.fi")
		ts.do("POST", path+"/responses", surveyAnswers(sv, 0, 5, "", nil), "", "X-Invitation-Token", token).want(t, 201)
		ts.do("POST", path+"/responses", surveyAnswers(sv, 0, 5, "", nil), "", "X-Invitation-Token", token).want(t, 409).wantCode(t, "conflict")
		ts.do("POST", path+"/responses", surveyAnswers(sv, 0, 5, "", nil), "", "X-Invitation-Token", "no-such-invitation").want(t, 401)
		reminded := decode[struct {
			Reminded int `json:"reminded"`
		}](t, ts.do("POST", path+"/reminders", nil, official).want(t, 200))
		if reminded.Reminded != 1 {
			t.Errorf("reminded %d", reminded.Reminded)
		}
		ts.do("POST", path+"/reminders", nil, citizen).want(t, 403)
		p := decode[participation.SurveyProgress](t, ts.do("GET", path+"/progress", nil, official).want(t, 200))
		if p.Responses != 3 || p.Invited != 2 || p.InvitedAnswered != 1 || len(p.PerDay) != 1 || p.PerDay[0].Count != 3 || p.LastReminderAt == nil {
			t.Errorf("progress %+v", p)
		}
		ts.do("GET", path+"/progress", nil, citizen).want(t, 403)
	})
	t.Run("another survey's invitation", func(t *testing.T) {
		second := decode[surveyJSON](t, ts.do("POST", create, body, official).want(t, 201))
		ts.do("POST", fmt.Sprintf("/api/v1/surveys/%d/open", second.ID), nil, official).want(t, 200)
		ts.do("POST", fmt.Sprintf("/api/v1/surveys/%d/responses", second.ID), surveyAnswers(second, 0, 5, "", nil), "",
			"X-Invitation-Token", surveyInvitationToken(t, ts, "toinen@example.fi")).want(t, 403).wantCode(t, "forbidden")
	})
	t.Run("results before the close: officials only", func(t *testing.T) {
		ts.do("GET", path+"/results", nil, "").want(t, 403).wantCode(t, "forbidden")
		ts.do("GET", path+"/results", nil, citizen).want(t, 403)
		res := decode[surveyResultsJSON](t, ts.do("GET", path+"/results", nil, official).want(t, 200))
		if res.Responses != 3 || res.Status != "open" {
			t.Errorf("results %+v", res)
		}
		ts.do("GET", path+"/results?relative=perhaps", nil, official).want(t, 400)
	})
	mustRun(t, "official closes it", func(t *testing.T) {
		sv = decode[surveyJSON](t, ts.do("POST", path+"/close", nil, official).want(t, 200))
		if sv.Status != "closed" || sv.ClosedAt == nil {
			t.Fatalf("closed %+v", sv)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "answering a closed survey", method: "POST", path: path + "/responses", body: surveyAnswers(sv, 0, 3, "", nil), token: official, status: 409, code: "closed"},
		{name: "a malformed answer to a closed survey", method: "POST", path: path + "/responses", body: `{"answers": 5}`, token: official, status: 409, code: "closed"},
		{name: "a closed survey is not opened again", method: "POST", path: path + "/open", token: official, status: 409, code: "conflict"},
		{name: "nor reminded", method: "POST", path: path + "/reminders", token: official, status: 409, code: "closed"},
		{name: "nor invited to", method: "POST", path: path + "/invitations", body: map[string]any{"emails": []string{"late@example.fi"}}, token: official, status: 409},
		{name: "the CSV is the officials'", method: "GET", path: path + "/results.csv", token: citizen, status: 403},
	})
	t.Run("results are exact", func(t *testing.T) {
		res := decode[surveyResultsJSON](t, ts.do("GET", path+"/results", nil, "").want(t, 200))
		q := res.Questions
		// Sent: single options 1, 0, 0; scale 4, 2, 5; texts two; grid item 0
		// at (4.5, 2) and (3, 3), item 1 at (2, 5).
		if res.Responses != 3 || (*q[0].Options)[0].Count != 2 || (*q[0].Options)[1].Count != 1 || q[0].Answered != 3 {
			t.Errorf("single %+v", q[0])
		}
		if *q[2].Mean != 11.0/3 || *q[2].Median != 4 || len(*q[2].Distribution) != 5 || (*q[2].Distribution)[1] != (participation.ValueCount{Value: 2, Count: 1}) {
			t.Errorf("scale %+v %v %v %+v", q[2], *q[2].Mean, *q[2].Median, *q[2].Distribution)
		}
		if len(*q[3].Answers) != 2 || (*q[3].Answers)[0] != "=SUM(A1)" || q[1].Options == nil || q[1].Answered != 0 {
			t.Errorf("text %+v, multi %+v", q[3], q[1])
		}
		items := *q[4].Items
		a, b := items[0], items[1]
		if a.N != 2 || *a.MeanX != 3.75 || *a.MeanY != 2.5 || math.Abs(*a.SdX-math.Sqrt(1.125)) > 1e-12 || math.Abs(*a.SdY-math.Sqrt(0.5)) > 1e-12 ||
			*a.CommitmentID != drafts[0] {
			t.Errorf("item 0 %+v", a)
		}
		if b.N != 1 || *b.MeanX != 2 || *b.MeanY != 5 || b.SdX != nil || b.SdY != nil {
			t.Errorf("item 1 %+v", b)
		}
		if *a.Rank != 2 || *b.Rank != 1 {
			t.Errorf("ranks %d %d: 3.75 + 2.5 is below 2 + 5", *a.Rank, *b.Rank)
		}
		// One response from Espoo: too few to show apart but to officials.
		ts.do("GET", path+"/results?municipality=Espoo", nil, citizen).want(t, 403).wantCode(t, "forbidden")
		espoo := decode[surveyResultsJSON](t, ts.do("GET", path+"/results?municipality=Esbo", nil, official).want(t, 200))
		if espoo.Responses != 1 || *espoo.Municipality != "Espoo" || (*espoo.Questions[4].Items)[0].N != 1 {
			t.Errorf("Espoo %+v", espoo)
		}
		rel := decode[surveyResultsJSON](t, ts.do("GET", path+"/results?relative=true", nil, "").want(t, 200))
		// The citizen's two ratings standardise to ±1 on each axis; the
		// other's single rating to 0.
		ri := *rel.Questions[4].Items
		if !rel.Relative || *ri[0].MeanX != 0.5 || *ri[0].MeanY != -0.5 || *ri[1].MeanX != -1 || *ri[1].MeanY != 1 {
			t.Errorf("relative %+v", ri)
		}
	})
	t.Run("the CSV has a row per answer, texts defused", func(t *testing.T) {
		r := ts.do("GET", path+"/results.csv", nil, official).want(t, 200)
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Errorf("content type %q", r.header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != "respondent,submitted_at,question_id,question,option_or_item,value,x,y,text" {
			t.Fatalf("header %q", rows[0])
		}
		// citizen: option, scale, text, two points; other: option, scale,
		// text, a point; the invitation: option, scale.
		if len(rows) != 1+5+4+2 {
			t.Fatalf("%d rows: %q", len(rows), rows)
		}
		var texts, points int
		for _, row := range rows[1:] {
			if row[8] != "" {
				texts++
				if row[8] == "=SUM(A1)" {
					t.Errorf("a formula left live: %q", row)
				}
			}
			if row[6] != "" {
				points++
			}
		}
		if texts != 2 || points != 3 || rows[1][5] != "" || rows[2][5] != "4" || rows[2][3] != "How open is government?" {
			t.Errorf("rows %q", rows)
		}
	})
	t.Run("the commitment carries its place", func(t *testing.T) {
		c := decode[struct {
			SurveyResults []participation.CommitmentSurveyResult `json:"survey_results"`
		}](t, ts.do("GET", fmt.Sprintf("/api/v1/commitments/%d", drafts[1]), nil, "").want(t, 200))
		if len(c.SurveyResults) != 1 || c.SurveyResults[0].SurveyID != sv.ID || *c.SurveyResults[0].Rank != 1 || c.SurveyResults[0].N != 1 ||
			*c.SurveyResults[0].MeanY != 5 || c.SurveyResults[0].Items != 2 {
			t.Errorf("survey results %+v", c.SurveyResults)
		}
		p := decode[processJSON](t, ts.do("GET", "/api/v1/processes/avoin", nil, "").want(t, 200))
		if p.Stats.SurveyResponses != 3 {
			t.Errorf("stats %+v", p.Stats)
		}
	})
}

// TestAnonymousSurveyAPI answers an anonymous survey with a respondent
// token the server issued, and with an account whose response names it not.
func TestAnonymousSurveyAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	citizen, _ := ts.signUp("citizen@example.fi")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin", "description": ""}, official).want(t, 201)
	ts.do("POST", "/api/v1/processes/avoin/commitments", map[string]any{"title": "Open data"}, official).want(t, 201)
	sv := decode[surveyJSON](t, ts.do("POST", "/api/v1/processes/avoin/surveys",
		map[string]any{"title": "Anonymous", "description": "", "anonymous": true, "questions": surveyQuestionsBody()}, official).want(t, 201))
	path := fmt.Sprintf("/api/v1/surveys/%d", sv.ID)
	ts.do("POST", path+"/open", nil, official).want(t, 200)
	t.Run("an account, named by no response", func(t *testing.T) {
		ts.do("POST", path+"/responses", surveyAnswers(sv, 0, 3, "", nil), citizen).want(t, 201)
		ts.do("POST", path+"/responses", surveyAnswers(sv, 0, 3, "", nil), citizen).want(t, 409).wantCode(t, "conflict")
		var named int
		if err := ts.store.DB().Get(&named, `SELECT count(*) FROM survey_responses WHERE account_id IS NOT NULL`); err != nil || named != 0 {
			t.Fatalf("responses naming an account: %d %v", named, err)
		}
	})
	t.Run("a respondent token the server issued", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/respondents", nil, "")
		if r.status != 201 {
			t.Skipf("this server issues no respondent tokens (%d)", r.status)
		}
		token := r.json(t)["respondent_token"].(string)
		ts.do("POST", path+"/responses", surveyAnswers(sv, 1, 5, "", nil), "", "X-Respondent-Token", token).want(t, 201)
		ts.do("POST", path+"/responses", surveyAnswers(sv, 1, 5, "", nil), "", "X-Respondent-Token", token).want(t, 409).wantCode(t, "conflict")
	})
}

// jsonRoundTrip copies v into out through JSON, as a client sends back
// what it read.
func jsonRoundTrip(v, out any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}
