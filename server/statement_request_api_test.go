package server_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// statementWorld is a process with a draft commitment, an organisation
// with a member, a citizen, and a draft statement request inviting the
// organisation, all made through the API.
type statementWorld struct {
	ts         *testServer
	official   string
	member     string // of org
	citizen    string
	org        int64
	commitment int64
	request    statementRequestJSON
	path       string // the request's
}

// statementRequestJSON is a statement request.
type statementRequestJSON struct {
	ID                     int64   `json:"id"`
	Title                  string  `json:"title"`
	Background             string  `json:"background"`
	ContactPerson          string  `json:"contact_person"`
	Deadline               string  `json:"deadline"`
	Status                 string  `json:"status"`
	PublishedAt            *string `json:"published_at"`
	Language               string  `json:"language"`
	InvitedOrganisationIDs []int64 `json:"invited_organisation_ids"`
	CommitmentIDs          []int64 `json:"commitment_ids"`
	Questions              []struct {
		ID           int64   `json:"id"`
		Prompt       string  `json:"prompt"`
		CommitmentID *int64  `json:"commitment_id"`
		Response     *string `json:"response"`
	} `json:"questions"`
	Attachments []attachmentJSON `json:"attachments"`
	Counts      struct {
		Invited          int `json:"invited"`
		InvitedResponded int `json:"invited_responded"`
		Statements       int `json:"statements"`
	} `json:"counts"`
}

// attachmentJSON is an attachment of a request.
type attachmentJSON struct {
	ID          int64  `json:"id"`
	Filename    string `json:"filename"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

func newStatementWorld(t *testing.T) *statementWorld {
	t.Helper()
	ts := newTestServer(t)
	w := &statementWorld{ts: ts}
	w.official, _ = ts.signUp("official@example.fi", "official")
	w.member, _ = ts.signUp("member@example.fi")
	w.citizen, _ = ts.signUp("citizen@example.fi")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin hallinto", "description": ""}, w.official).want(t, 201)
	w.commitment = ts.do("POST", "/api/v1/processes/avoin/commitments", map[string]any{"title": "Selkeä kieli"}, w.official).want(t, 201).id(t)
	w.org = ts.do("POST", "/api/v1/organisations", map[string]any{"name": "Kuntaliitto", "kind": "association"}, w.member).want(t, 201).id(t)
	r := ts.do("POST", "/api/v1/processes/avoin/statement-requests", map[string]any{
		"title": "Lausuntopyyntö", "background": "Taustaa.", "contact_person": "Katju Holkeri",
		"deadline":                 time.Now().Add(10 * 24 * time.Hour).UTC().Format(time.RFC3339),
		"questions":                []map[string]any{{"prompt": "Mitä mieltä olette sitoumuksesta?", "commitment_id": w.commitment}, {"prompt": "Muuta?"}},
		"invited_organisation_ids": []int64{w.org}, "invited_emails": []string{"kirjaamo@example.fi"},
		"translations": map[string]any{"sv": map[string]any{"title": "Begäran om utlåtande"}},
	}, w.official).want(t, 201)
	w.request = decode[statementRequestJSON](t, r)
	w.path = "/api/v1/statement-requests/" + itoa(w.request.ID)
	return w
}

// id returns the id of the object in the body.
func (r response) id(t testing.TB) int64 {
	t.Helper()
	return decode[struct {
		ID int64 `json:"id"`
	}](t, r).ID
}

// upload posts a file as the multipart field file.
func (w *statementWorld) upload(filename string, data []byte, token string) response {
	body, ctype := multipartFile(w.ts.t, "file", filename, data)
	return w.ts.do("POST", w.path+"/attachments", body, token, "Content-Type", ctype)
}

func TestStatementRequestsAPI(t *testing.T) {
	t.Parallel()
	w := newStatementWorld(t)
	ts, r := w.ts, w.request
	t.Run("created as a draft", func(t *testing.T) {
		if r.Status != "draft" || r.PublishedAt != nil || len(r.Questions) != 2 || r.Questions[0].CommitmentID == nil ||
			len(r.CommitmentIDs) != 1 || r.CommitmentIDs[0] != w.commitment || r.Counts.Invited != 1 || r.ContactPerson != "Katju Holkeri" || r.Language != "fi" {
			t.Errorf("%+v", r)
		}
		got := decode[object](t, ts.do("GET", w.path, nil, w.official).want(t, 200))
		got.has(t, "request", "status", "questions", "attachments", "counts", "translations", "language", "invited_emails")
	})
	later := time.Now().Add(20 * 24 * time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	ts.checkStatuses(t, []statusCase{
		{name: "a draft is not there for citizens", method: "GET", path: w.path, token: w.citizen, status: 404},
		{name: "nor for anyone", method: "GET", path: w.path, status: 404},
		{name: "citizens do not write requests", method: "POST", path: "/api/v1/processes/avoin/statement-requests", token: w.citizen,
			body: map[string]any{"title": "T", "background": "", "deadline": later, "questions": []any{}, "invited_organisation_ids": []int64{}}, status: 403},
		{name: "a deadline in the past", method: "POST", path: "/api/v1/processes/avoin/statement-requests", token: w.official,
			body: map[string]any{"title": "T", "background": "", "deadline": past, "questions": []any{}, "invited_organisation_ids": []int64{}}, status: 422, code: "invalid"},
		{name: "an unknown organisation", method: "POST", path: "/api/v1/processes/avoin/statement-requests", token: w.official,
			body: map[string]any{"title": "T", "background": "", "deadline": later, "questions": []any{}, "invited_organisation_ids": []int64{999999}}, status: 422, code: "invalid"},
		{name: "no deadline", method: "POST", path: "/api/v1/processes/avoin/statement-requests", token: w.official,
			body: map[string]any{"title": "T", "background": "", "questions": []any{}, "invited_organisation_ids": []int64{}}, status: 422, code: "invalid"},
		{name: "an unknown process", method: "POST", path: "/api/v1/processes/none/statement-requests", token: w.official,
			body: map[string]any{"title": "T", "background": "", "deadline": later, "questions": []any{}, "invited_organisation_ids": []int64{}}, status: 404},
		{name: "citizens do not publish", method: "POST", path: w.path + "/publish", token: w.citizen, status: 403},
		{name: "citizens do not change requests", method: "PATCH", path: w.path, body: map[string]any{"title": "X"}, token: w.citizen, status: 403},
		{name: "a deadline moved into the past", method: "PATCH", path: w.path, body: map[string]any{"deadline": past}, token: w.official, status: 422, code: "invalid"},
		{name: "the public list leaves drafts out", method: "GET", path: "/api/v1/processes/avoin/statement-requests", status: 200},
	})
	t.Run("attachments", func(t *testing.T) {
		a := decode[attachmentJSON](t, w.upload("luonnos.pdf", []byte("%PDF-1.7 luonnos"), w.official).want(t, 201))
		if a.Filename != "luonnos.pdf" || a.Size != 16 || a.ContentType != "application/pdf" {
			t.Errorf("%+v", a)
		}
		txt := decode[attachmentJSON](t, w.upload("muistio.pdf", []byte("Muistio: tämä on tekstiä."), w.official).want(t, 201))
		if txt.ContentType != "text/plain" {
			t.Errorf("a text named .pdf: %+v", txt)
		}
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...)
		w.upload("luonnos.pdf", exe, w.official).want(t, 422).wantCode(t, "invalid").wantFields(t, "file")
		w.upload("elf.pdf", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00"), w.official).want(t, 422).wantCode(t, "invalid")
		big := bytes.Repeat([]byte("a"), 20<<20+1)
		w.upload("iso.txt", big, w.official).want(t, 413).wantCode(t, "too_large")
		w.upload("luonnos.pdf", []byte("%PDF-1.7"), w.citizen).want(t, 403)
		ts.do("POST", w.path+"/attachments", map[string]any{"file": "x"}, w.official).want(t, 400).wantCode(t, "invalid")
		body, ctype := multipartFile(t, "document", "luonnos.pdf", []byte("%PDF-1.7"))
		ts.do("POST", w.path+"/attachments", body, w.official, "Content-Type", ctype).want(t, 422).wantCode(t, "invalid").wantFields(t, "file")
		// A draft's attachment is the officials' until the request is published.
		path := "/api/v1/attachments/" + itoa(a.ID)
		ts.do("GET", path, nil, "").want(t, 404)
		got := ts.do("GET", path, nil, w.official).want(t, 200)
		if string(got.body) != "%PDF-1.7 luonnos" || got.header.Get("Content-Type") != "application/pdf" ||
			got.header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(got.header.Get("Content-Disposition"), `attachment; filename="luonnos.pdf"`) {
			t.Errorf("download %v %q", got.header, got.body)
		}
		ts.do("DELETE", "/api/v1/attachments/"+itoa(txt.ID), nil, w.citizen).want(t, 403)
		ts.do("DELETE", "/api/v1/attachments/"+itoa(txt.ID), nil, w.official).want(t, 204)
		ts.do("DELETE", "/api/v1/attachments/"+itoa(txt.ID), nil, w.official).want(t, 404)
	})
	mustRun(t, "publish", func(t *testing.T) {
		got := decode[statementRequestJSON](t, ts.do("POST", w.path+"/publish", nil, w.official).want(t, 200))
		if got.Status != "open" || got.PublishedAt == nil || len(got.Attachments) != 1 {
			t.Errorf("%+v", got)
		}
		ts.do("POST", w.path+"/publish", nil, w.official).want(t, 409).wantCode(t, "conflict")
		// The member of the invited organisation is told, in the app and by email.
		var kinds []string
		if err := ts.store.DB().Select(&kinds, `SELECT channel FROM outbox o JOIN accounts a ON a.id = o.account_id
			WHERE a.email = 'member@example.fi' AND o.kind = 'statement_invitation' ORDER BY o.id`); err != nil || len(kinds) != 2 {
			t.Errorf("invitations to the member: %v %v", kinds, err)
		}
		// Now it is public, and a step of the process.
		pub := decode[object](t, ts.do("GET", w.path, nil, "").want(t, 200))
		if !pub.isNull("invited_emails") {
			t.Errorf("the invited addresses shown to the public: %s", pub)
		}
		p := decode[processJSON](t, ts.do("GET", "/api/v1/processes/avoin", nil, "").want(t, 200))
		if len(p.Steps) != 1 || p.Steps[0].Kind != "statement_request" || p.Steps[0].Status != "open" || p.Steps[0].OpensAt == nil ||
			p.Steps[0].ClosesAt == nil || *p.Steps[0].ClosesAt != r.Deadline {
			t.Errorf("steps %+v", p.Steps)
		}
		l := decode[list[statementRequestJSON]](t, ts.do("GET", "/api/v1/processes/avoin/statement-requests", nil, "").want(t, 200))
		if l.Total != 1 || l.Items[0].ID != r.ID {
			t.Errorf("list %+v", l)
		}
	})
	t.Run("the deadline", func(t *testing.T) {
		// The deadline passes: the request is closed by itself.
		if _, err := ts.store.DB().Exec(`UPDATE statement_requests SET deadline = now() - interval '1 minute' WHERE id = $1`, r.ID); err != nil {
			t.Fatal(err)
		}
		if got := decode[statementRequestJSON](t, ts.do("GET", w.path, nil, "").want(t, 200)); got.Status != "closed" {
			t.Errorf("past the deadline: %s", got.Status)
		}
		// A later deadline opens it again; an earlier one (still in the future) keeps it open.
		got := decode[statementRequestJSON](t, ts.do("PATCH", w.path, map[string]any{"deadline": later}, w.official).want(t, 200))
		if got.Status != "open" || got.Deadline != later {
			t.Errorf("moved later: %+v", got)
		}
		earlier := time.Now().Add(5 * 24 * time.Hour).UTC().Format(time.RFC3339)
		if got := decode[statementRequestJSON](t, ts.do("PATCH", w.path, map[string]any{"deadline": earlier}, w.official).want(t, 200)); got.Status != "open" || got.Deadline != earlier {
			t.Errorf("moved earlier: %+v", got)
		}
	})
	t.Run("change the text and questions", func(t *testing.T) {
		q0 := r.Questions[0]
		got := decode[statementRequestJSON](t, ts.do("PATCH", w.path, map[string]any{
			"title": "Lausuntopyyntö 2", "questions": []map[string]any{{"id": q0.ID, "prompt": "Mitä mieltä?", "commitment_id": w.commitment}, {"prompt": "Uusi?"}},
		}, w.official).want(t, 200))
		if got.Title != "Lausuntopyyntö 2" || len(got.Questions) != 2 || got.Questions[0].ID != q0.ID || got.Questions[0].Prompt != "Mitä mieltä?" || got.Questions[1].ID == r.Questions[1].ID {
			t.Errorf("%+v", got)
		}
		ts.do("PATCH", w.path, map[string]any{"questions": []map[string]any{{"id": 999999, "prompt": "X"}}}, w.official).want(t, 422)
	})
}
