package server_test

import (
	"testing"
)

// statementJSON is a statement.
type statementJSON struct {
	ID           int64             `json:"id"`
	Organisation *organisationRef  `json:"organisation"`
	AuthorName   *string           `json:"author_name"`
	Summary      string            `json:"summary"`
	Language     string            `json:"language"`
	Answers      []statementAnswer `json:"answers"`
	Status       string            `json:"status"`
	SubmittedAt  *string           `json:"submitted_at"`
}

// organisationRef names an organisation.
type organisationRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// statementAnswer is a statement's answer to a question.
type statementAnswer struct {
	QuestionID int64  `json:"question_id"`
	Position   string `json:"position"`
	Text       string `json:"text"`
}

// summaryJSON is a request's summary.
type summaryJSON struct {
	Statements       int               `json:"statements"`
	Invited          int               `json:"invited"`
	InvitedResponded int               `json:"invited_responded"`
	NotResponded     []organisationRef `json:"not_responded"`
	Questions        []struct {
		QuestionID int64  `json:"question_id"`
		Prompt     string `json:"prompt"`
		Positions  struct {
			Support   int `json:"support"`
			Oppose    int `json:"oppose"`
			Neutral   int `json:"neutral"`
			NoComment int `json:"no_comment"`
		} `json:"positions"`
		Answers []struct {
			StatementID  int64            `json:"statement_id"`
			Organisation *organisationRef `json:"organisation"`
			Position     string           `json:"position"`
			Text         string           `json:"text"`
			Language     string           `json:"language"`
		} `json:"answers"`
		Response *string `json:"response"`
	} `json:"questions"`
}

func TestStatementsAPI(t *testing.T) {
	t.Parallel()
	w := newStatementWorld(t)
	ts := w.ts
	colleague, _ := ts.signUp("colleague@example.fi")
	ts.do("POST", "/api/v1/organisations/"+itoa(w.org)+"/members", map[string]any{"email": "colleague@example.fi"}, w.member).want(t, 201)
	q1, q2 := w.request.Questions[0].ID, w.request.Questions[1].ID
	mine := w.path + "/statements/mine"
	draft := map[string]any{"organisation_id": w.org, "summary": "Luonnos.", "language": "sv", "submit": false,
		"answers": []map[string]any{{"question_id": q1, "position": "support", "text": "Hyvä."}}}
	t.Run("a draft request takes no statements", func(t *testing.T) {
		ts.do("PUT", mine, draft, w.member).want(t, 404)
		ts.do("PUT", mine, map[string]any{"summary": "x", "answers": []any{}, "submit": false}, w.official).want(t, 409).wantCode(t, "closed")
	})
	ts.do("POST", w.path+"/publish", nil, w.official).want(t, 200)
	var st statementJSON
	mustRun(t, "a member saves the organisation's draft", func(t *testing.T) {
		r := ts.do("PUT", mine, draft, w.member).want(t, 200)
		decode[object](t, r).has(t, "statement", "id", "organisation", "author_name", "summary", "language", "answers", "submitted_at")
		st = decode[statementJSON](t, r)
		if st.Status != "draft" || st.Language != "sv" || st.SubmittedAt != nil || st.Organisation == nil || st.Organisation.ID != w.org || st.Organisation.Kind != "association" ||
			len(st.Answers) != 1 || st.Answers[0].Position != "support" {
			t.Errorf("%+v", st)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "PUT", path: mine, body: draft, status: 401, code: "unauthenticated"},
		{name: "not a member", method: "PUT", path: mine, body: draft, token: w.citizen, status: 403, code: "forbidden"},
		{name: "not a member reads", method: "GET", path: mine + "?organisation_id=" + itoa(w.org), token: w.citizen, status: 403, code: "forbidden"},
		{name: "an unknown organisation", method: "PUT", path: mine, token: w.citizen, status: 403,
			body: map[string]any{"organisation_id": 999999, "summary": "", "answers": []any{}, "submit": false}},
		{name: "no own statement yet", method: "GET", path: mine, token: w.citizen, status: 404, code: "not_found"},
		{name: "a question of another request", method: "PUT", path: mine, token: w.member, status: 422, code: "invalid",
			body: map[string]any{"organisation_id": w.org, "summary": "", "answers": []map[string]any{{"question_id": 999999, "position": "support", "text": ""}}, "submit": false}},
		{name: "an unknown position", method: "PUT", path: mine, token: w.member, status: 422, code: "invalid",
			body: map[string]any{"organisation_id": w.org, "summary": "", "answers": []map[string]any{{"question_id": q1, "position": "maybe", "text": ""}}, "submit": false}},
		{name: "an unknown language", method: "PUT", path: mine, token: w.member, status: 422, code: "invalid",
			body: map[string]any{"organisation_id": w.org, "summary": "Stored?", "language": "de", "answers": []any{}, "submit": false}},
		{name: "submit left out", method: "PUT", path: mine, token: w.member, status: 422, code: "invalid",
			body: map[string]any{"organisation_id": w.org, "summary": "", "answers": []any{}}},
		{name: "a bad organisation_id", method: "GET", path: mine + "?organisation_id=x", token: w.member, status: 400},
		{name: "a draft is private", method: "GET", path: "/api/v1/statements/" + itoa(st.ID), token: w.citizen, status: 404},
		{name: "officials respond", method: "PUT", path: w.path + "/questions/" + itoa(q1) + "/response", body: map[string]any{"response": "x"}, token: w.citizen, status: 403},
		{name: "an unknown question", method: "PUT", path: w.path + "/questions/999999/response", body: map[string]any{"response": "x"}, token: w.official, status: 404},
	})
	t.Run("drafts are not public", func(t *testing.T) {
		if l := decode[list[statementJSON]](t, ts.do("GET", w.path+"/statements", nil, "").want(t, 200)); l.Total != 0 {
			t.Errorf("%+v", l)
		}
	})
	mustRun(t, "another member reads, edits and submits it", func(t *testing.T) {
		got := decode[statementJSON](t, ts.do("GET", mine+"?organisation_id="+itoa(w.org), nil, colleague).want(t, 200))
		if got.ID != st.ID || got.Summary != "Luonnos." || got.Language != "sv" {
			t.Errorf("a refused save stored something: %+v", got)
		}
		submit := map[string]any{"organisation_id": w.org, "summary": "Kuntaliiton lausunto.", "submit": true, "answers": []map[string]any{
			{"question_id": q1, "position": "support", "text": "Kannatamme."}, {"question_id": q2, "position": "no_comment", "text": ""}}}
		got = decode[statementJSON](t, ts.do("PUT", mine, submit, colleague).want(t, 200))
		// Without a language, the draft's stays.
		if got.ID != st.ID || got.Status != "submitted" || got.Language != "sv" || got.SubmittedAt == nil || len(got.Answers) != 2 || got.AuthorName == nil || *got.AuthorName != "Name of colleague@example.fi" {
			t.Errorf("%+v", got)
		}
		ts.do("PUT", mine, submit, w.member).want(t, 409).wantCode(t, "conflict")
		ts.do("PUT", mine, draft, colleague).want(t, 409).wantCode(t, "conflict")
	})
	mustRun(t, "a person answers for themselves", func(t *testing.T) {
		own := map[string]any{"summary": "Oma näkemykseni.", "submit": false, "answers": []map[string]any{{"question_id": q1, "position": "oppose", "text": "Ei."}}}
		got := decode[statementJSON](t, ts.do("PUT", mine, own, w.citizen).want(t, 200))
		// Without a language, a new statement takes its request's.
		if got.Organisation != nil || got.Status != "draft" || got.Language != w.request.Language {
			t.Errorf("%+v", got)
		}
		if again := decode[statementJSON](t, ts.do("GET", mine, nil, w.citizen).want(t, 200)); again.ID != got.ID {
			t.Errorf("read back %+v", again)
		}
		own["submit"] = true
		ts.do("PUT", mine, own, w.citizen).want(t, 200)
		ts.do("PUT", mine, own, w.citizen).want(t, 409).wantCode(t, "conflict")
		// The member's own statement is another one than the organisation's.
		ts.do("PUT", mine, map[string]any{"summary": "Omissa nimissäni.", "answers": []any{}, "submit": true}, w.member).want(t, 200)
	})
	t.Run("the public list", func(t *testing.T) {
		l := decode[list[statementJSON]](t, ts.do("GET", w.path+"/statements", nil, "").want(t, 200))
		if l.Total != 3 || l.Items[0].ID != st.ID || l.Items[0].Organisation == nil || l.Items[1].Organisation != nil {
			t.Errorf("%+v", l)
		}
		if got := decode[statementJSON](t, ts.do("GET", "/api/v1/statements/"+itoa(st.ID), nil, "").want(t, 200)); got.Status != "submitted" {
			t.Errorf("%+v", got)
		}
	})
	t.Run("the officials' response", func(t *testing.T) {
		r := ts.do("PUT", w.path+"/questions/"+itoa(q1)+"/response", map[string]any{"response": "Kannatus otettiin huomioon."}, w.official).want(t, 200)
		if q := decode[struct {
			Response *string `json:"response"`
		}](t, r); q.Response == nil || *q.Response != "Kannatus otettiin huomioon." {
			t.Errorf("%s", r.body)
		}
	})
	t.Run("the summary", func(t *testing.T) {
		r := ts.do("GET", w.path+"/summary", nil, "").want(t, 200)
		decode[object](t, r).has(t, "summary", "statements", "invited", "invited_responded", "not_responded", "questions")
		s := decode[summaryJSON](t, r)
		if s.Statements != 3 || s.Invited != 1 || s.InvitedResponded != 1 || len(s.NotResponded) != 0 {
			t.Errorf("counts %+v", s)
		}
		a := s.Questions[0]
		if a.QuestionID != q1 || a.Positions.Support != 1 || a.Positions.Oppose != 1 || len(a.Answers) != 2 || a.Response == nil ||
			a.Answers[0].Organisation == nil || a.Answers[0].Organisation.Name != "Kuntaliitto" || a.Answers[1].Organisation != nil ||
			a.Answers[0].Language != "sv" || a.Answers[1].Language != "fi" {
			t.Errorf("first question %+v", a)
		}
		if b := s.Questions[1]; b.Positions.NoComment != 1 || len(b.Answers) != 1 || b.Answers[0].Position != "no_comment" || b.Response != nil {
			t.Errorf("second question %+v", b)
		}
		got := decode[statementRequestJSON](t, ts.do("GET", w.path, nil, "").want(t, 200))
		if got.Counts.Invited != 1 || got.Counts.InvitedResponded != 1 || got.Counts.Statements != 3 {
			t.Errorf("counts %+v", got.Counts)
		}
	})
	t.Run("the commitment carries the answers about it", func(t *testing.T) {
		c := decode[struct {
			Statements []struct {
				StatementID  int64            `json:"statement_id"`
				Organisation *organisationRef `json:"organisation"`
				Position     string           `json:"position"`
				Text         string           `json:"text"`
				Language     string           `json:"language"`
			} `json:"statements"`
		}](t, ts.do("GET", "/api/v1/commitments/"+itoa(w.commitment), nil, "").want(t, 200))
		if len(c.Statements) != 2 || c.Statements[0].Text != "Kannatamme." || c.Statements[0].Language != "sv" || c.Statements[1].Position != "oppose" {
			t.Errorf("%+v", c.Statements)
		}
	})
	t.Run("after the deadline", func(t *testing.T) {
		if _, err := ts.store.DB().Exec(`UPDATE statement_requests SET deadline = now() - interval '1 minute' WHERE id = $1`, w.request.ID); err != nil {
			t.Fatal(err)
		}
		late, _ := ts.signUp("late@example.fi")
		ts.do("PUT", mine, map[string]any{"summary": "Myöhässä.", "answers": []any{}, "submit": true}, late).want(t, 409).wantCode(t, "closed")
	})
	t.Run("statistics", func(t *testing.T) {
		st := decode[struct {
			Organisations int `json:"organisations"`
			Persons       int `json:"persons"`
			Requests      int `json:"requests"`
			Statements    int `json:"statements"`
			Years         []struct {
				Year int `json:"year"`
			} `json:"years"`
		}](t, ts.do("GET", "/api/v1/statistics", nil, "").want(t, 200))
		if st.Organisations != 1 || st.Requests != 1 || st.Statements != 3 || st.Persons < 5 || len(st.Years) == 0 {
			t.Errorf("%+v", st)
		}
	})
}
