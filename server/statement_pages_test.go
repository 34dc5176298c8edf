package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
)

// statementPageWorld is a process with a draft commitment, an official,
// an organisation with a member, and a citizen without one.
type statementPageWorld struct {
	ts                         *testServer
	official, member, citizen  *pageClient
	anon                       *pageClient
	orgID, commitmentID        int64
	officialToken, memberToken string
}

func newStatementPageWorld(t *testing.T) *statementPageWorld {
	t.Helper()
	ts := newTestServer(t)
	w := &statementPageWorld{ts: ts}
	var officialAcc *participation.Account
	w.officialToken, officialAcc = ts.signUp("virkailija@example.fi", participation.RoleCitizen, participation.RoleOfficial)
	w.memberToken, _ = ts.signUp("jasen@example.fi")
	citizenToken, _ := ts.signUp("kansalainen@example.fi")
	w.official, w.member, w.citizen, w.anon = ts.client(w.officialToken), ts.client(w.memberToken), ts.client(citizenToken), ts.client("")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin hallinto", "description": "Toimintaohjelma"}, w.officialToken).want(t, 201)
	cm, err := ts.store.CreateCommitment(participation.NewContextWithAccount(context.Background(), officialAcc), "avoin",
		participation.NewCommitment{CommitmentText: participation.CommitmentText{Title: "Avoin data"}})
	if err != nil {
		t.Fatal(err)
	}
	w.commitmentID = cm.ID
	kind := participation.OrganisationMunicipality
	org, err := ts.store.CreateOrganisation(tokenContext(t, ts, w.memberToken), participation.NewOrganisation{Name: "Tampereen kaupunki", Kind: &kind})
	if err != nil {
		t.Fatal(err)
	}
	w.orgID = org.ID
	return w
}

// helsinkiInput is a time from now in a datetime-local field's form, Helsinki time.
func helsinkiInput(from time.Duration) string {
	return time.Now().Add(from).In(participation.Helsinki).Format(participation.DateTimeLayout)
}

// postFile sends a multipart form with one file, as a browser does.
func (pc *pageClient) postFile(t testing.TB, from, action, field, filename string, data []byte) response {
	t.Helper()
	csrf := pc.csrfToken(t, from)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("_csrf", csrf)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	r := pc.ts.do("POST", action, body.Bytes(), "", "Cookie", pc.cookieHeader(), "Content-Type", mw.FormDataContentType())
	pc.keep(r)
	return r
}

// TestStatementRequestPages has an official write a request through its
// form (errors, a search of the register, more question rows), attach
// files (a disguised executable refused), publish it and move its
// deadline; a member answers for the organisation (a draft, coming back,
// the confirmation, submitting; then it is final) and a citizen for
// themselves; and the official writes a response to a question in the
// summary.
func TestStatementRequestPages(t *testing.T) {
	t.Parallel()
	w := newStatementPageWorld(t)
	ts, official, member, citizen, anon := w.ts, w.official, w.member, w.citizen, w.anon
	newForm := "/processes/avoin/statement-requests/new"

	t.Run("writing requests is the officials'", func(t *testing.T) {
		anon.get(newForm).want(t, 401)
		citizen.get(newForm).want(t, 403)
		official.get("/processes/avoin?lang=en").want(t, 200).contains(t, `href="`+newForm+`"`)
		official.get(newForm+"?lang=en").want(t, 200).contains(t, "New request for statements", `name="question_prompt_3"`,
			`id="commitment-`+itoa(w.commitmentID)+`"`, `id="org-`+itoa(w.orgID)+`"`, "Swedish translation", `<option value="en" selected>`)
	})

	form := url.Values{
		"language": {"fi"}, "title": {""}, "background": {"Luonnokset lausunnolle."}, "title_sv": {"Begäran om utlåtande"},
		"contact_person": {"Maija, maija@example.fi"}, "deadline": {"huomenna"}, "question_rows": {"3"},
		"question_prompt_1": {"Mitä mieltä olette avoimesta datasta?"}, "question_commitment_1": {itoa(w.commitmentID)},
		"question_prompt_sv_1": {"Vad tycker ni?"}, "question_prompt_2": {"Muuta?"}, "question_prompt_3": {""},
		"commitment_ids": {itoa(w.commitmentID)}, "invited_organisation_ids": {itoa(w.orgID)}, "invited_emails": {"yhdistys@example.fi"},
	}
	t.Run("a form with errors comes back with what was typed", func(t *testing.T) {
		official.post(t, newForm, "/processes/avoin/statement-requests", form).want(t, 422).contains(t,
			`href="#title"`, `id="deadline-error"`, `value="huomenna"`, "Mitä mieltä olette avoimesta datasta?", `value="Begäran om utlåtande"`,
			`id="org-`+itoa(w.orgID)+`" name="invited_organisation_ids" value="`+itoa(w.orgID)+`" checked`)
	})
	t.Run("a search of the register and more rows keep the form unsaved", func(t *testing.T) {
		search := url.Values{}
		for k, v := range form {
			search[k] = v
		}
		search.Set("org_q", "zzz")
		search.Set("find_organisations", "yes")
		official.post(t, newForm, "/processes/avoin/statement-requests", search).want(t, 200).contains(t,
			"The search results are below", `value="zzz"`, `id="org-`+itoa(w.orgID)+`"`)
		search.Del("find_organisations")
		search.Set("more_rows", "yes")
		official.post(t, newForm, "/processes/avoin/statement-requests", search).want(t, 200).contains(t, `name="question_prompt_6"`)
		list, _, err := ts.store.FindStatementRequests(officialContext(t, w), participation.StatementRequestFilter{ProcessSlug: "avoin", Limit: 10})
		if err != nil || len(list) != 0 {
			t.Fatalf("saved without saving: %v %v", list, err)
		}
	})
	t.Run("a translation into the texts' own language is an error", func(t *testing.T) {
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("title", "Lausuntopyyntö")
		bad.Set("deadline", helsinkiInput(72*time.Hour))
		bad.Set("title_fi", "Suomeksi")
		official.post(t, newForm, "/processes/avoin/statement-requests", bad).want(t, 422).contains(t, `id="title_fi-error"`, `value="Suomeksi"`)
	})

	var edit string
	var id int64
	deadline := helsinkiInput(72 * time.Hour)
	mustRun(t, "a draft with its questions, translations and distribution", func(t *testing.T) {
		form.Set("title", "Lausuntopyyntö toimintaohjelmasta")
		form.Set("deadline", deadline)
		edit = official.post(t, newForm, "/processes/avoin/statement-requests", form).redirectsTo(t, "/statement-requests/")
		if !strings.HasSuffix(edit, "/edit") {
			t.Fatalf("after creating: %s", edit)
		}
		id = mustID(t, strings.TrimSuffix(strings.TrimPrefix(edit, "/statement-requests/"), "/edit"))
		r, err := ts.store.FindStatementRequest(officialContext(t, w), id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != participation.StatementRequestDraft || len(r.Questions) != 2 || r.Questions[0].CommitmentID == nil ||
			r.Translations["sv"]["title"] != "Begäran om utlåtande" || r.Questions[0].Translations["sv"]["prompt"] != "Vad tycker ni?" ||
			r.Deadline.In(participation.Helsinki).Format(participation.DateTimeLayout) != deadline ||
			len(r.InvitedOrganisationIDs) != 1 || len(r.CommitmentIDs) != 1 || len(r.InvitedEmails) != 1 {
			t.Fatalf("saved %+v", r)
		}
		official.get(edit).want(t, 200).contains(t, `value="Lausuntopyyntö toimintaohjelmasta"`, `value="`+deadline+`"`,
			`name="question_id_2"`, "Muuta?", `action="/statement-requests/`+itoa(id)+`/publish"`)
	})
	base := "/statement-requests/" + itoa(id)

	t.Run("a draft is the officials'", func(t *testing.T) {
		anon.get(base).want(t, 404)
		member.get(base+"/summary").want(t, 404)
		official.get(base+"?lang=en").want(t, 200).contains(t, "This request is a draft")
		official.get("/processes/avoin?lang=en").want(t, 200).contains(t, "Unpublished requests for statements", `href="`+edit+`"`)
		if r := anon.get("/processes/avoin"); strings.Contains(string(r.body), edit) {
			t.Error("the public sees the draft")
		}
	})

	var attachment string
	t.Run("attachments: a PDF, and not an executable that says it is one", func(t *testing.T) {
		official.postFile(t, edit, base+"/attachments", "file", "luonnos.pdf", []byte("%PDF-1.4\n1 0 obj\n")).redirectsTo(t, edit)
		page := official.get(edit+"?lang=en").want(t, 200).contains(t, "The attachment has been added.", "luonnos.pdf", "PDF")
		m := strings.Index(string(page.body), `href="/attachments/`)
		if m < 0 {
			t.Fatal("no download link")
		}
		attachment = string(page.body[m+len(`href="`):])
		attachment = attachment[:strings.IndexByte(attachment, '"')]
		official.postFile(t, edit, base+"/attachments", "file", "luonnos.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00")).want(t, 422).
			contains(t, `id="file-error"`, "The type is recognised from the content")
		official.postFile(t, edit, base+"/attachments", "file", "iso.txt", bytes.Repeat([]byte("a"), participation.MaxAttachmentSize+1)).
			want(t, 413).contains(t, `id="file-error"`, "at most 20 MiB")
		dl := official.get(attachment).want(t, 200)
		if ct := dl.header.Get("Content-Type"); ct != participation.ContentTypePDF {
			t.Errorf("download type %q", ct)
		}
		if cd := dl.header.Get("Content-Disposition"); !strings.Contains(cd, `filename="luonnos.pdf"`) {
			t.Errorf("download disposition %q", cd)
		}
		anon.get(attachment).want(t, 404)
	})

	t.Run("publishing opens it", func(t *testing.T) {
		official.post(t, edit, base+"/publish", nil).redirectsTo(t, base)
		official.post(t, edit, base+"/publish", nil).want(t, 409).contains(t, "The request has already been published.")
		anon.get(base+"?lang=en").want(t, 200).contains(t, "Lausuntopyyntö toimintaohjelmasta", "Open", "luonnos.pdf", "Avoin data",
			"Sign in to give a statement", "Tampereen kaupunki")
		anon.get(base+"?lang=sv").want(t, 200).contains(t, `lang="sv">Begäran om utlåtande`, "Vad tycker ni?")
		anon.get(attachment).want(t, 200)
		anon.get("/processes/avoin").want(t, 200).contains(t, `href="`+base+`"`)
	})

	t.Run("the deadline moves, never into the past", func(t *testing.T) {
		official.post(t, edit, base+"/deadline", url.Values{"new_deadline": {helsinkiInput(-time.Hour)}}).want(t, 422).contains(t, `id="new_deadline-error"`)
		later := helsinkiInput(96 * time.Hour)
		official.post(t, edit, base+"/deadline", url.Values{"new_deadline": {later}}).redirectsTo(t, edit)
		r, err := ts.store.FindStatementRequest(context.Background(), id)
		if err != nil || r.Deadline.In(participation.Helsinki).Format(participation.DateTimeLayout) != later {
			t.Fatalf("deadline %v %v", r, err)
		}
	})

	var q1, q2 int64
	t.Run("a published request's edit keeps its deadline", func(t *testing.T) {
		r, err := ts.store.FindStatementRequest(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		q1, q2 = r.Questions[0].ID, r.Questions[1].ID
		change := url.Values{
			"language": {"fi"}, "title": {"Lausuntopyyntö toimintaohjelmasta 2017"}, "title_sv": {"Begäran om utlåtande"},
			"question_rows": {"3"}, "question_id_1": {itoa(q1)}, "question_prompt_1": {"Mitä mieltä olette avoimesta datasta?"},
			"question_commitment_1": {itoa(w.commitmentID)}, "question_prompt_sv_1": {"Vad tycker ni?"},
			"question_id_2": {itoa(q2)}, "question_prompt_2": {"Muuta?"},
			"commitment_ids": {itoa(w.commitmentID)}, "invited_organisation_ids": {itoa(w.orgID)},
		}
		official.post(t, edit, base, change).redirectsTo(t, edit)
		after, err := ts.store.FindStatementRequest(context.Background(), id)
		if err != nil || after.Title != "Lausuntopyyntö toimintaohjelmasta 2017" || !after.Deadline.Equal(r.Deadline) || len(after.Questions) != 2 {
			t.Fatalf("after the edit: %+v %v", after, err)
		}
	})

	answerPath := base + "/statement"
	t.Run("a member saves a draft for the organisation and comes back to it", func(t *testing.T) {
		// A new statement's language is the page's.
		member.get(base+"?lang=en").want(t, 200).contains(t, "Statement of Tampereen kaupunki", `name="position_`+itoa(q1)+`"`,
			`<option value="`+itoa(w.orgID)+`" selected>`, `<option value="en" lang="en" selected>`)
		member.post(t, base, answerPath, url.Values{"organisation_id": {itoa(w.orgID)}, "position_" + itoa(q1): {"support"},
			"summary": {"Ei tallennu."}, "language": {"de"}, "action": {"save"}}).want(t, 422).contains(t, `id="language-error"`, `href="#language"`, `name="summary" rows=`)
		if _, err := ts.store.FindMyStatement(tokenContext(t, ts, w.memberToken), id, &w.orgID); participation.ErrorCode(err) != participation.ENOTFOUND {
			t.Fatalf("an unknown language stored a statement: %v", err)
		}
		member.post(t, base, answerPath, url.Values{"organisation_id": {itoa(w.orgID)}, "text_" + itoa(q1): {"Perustelut ilman kantaa."}, "action": {"save"}}).
			want(t, 422).contains(t, `id="position_`+itoa(q1)+`-error"`, "Perustelut ilman kantaa.")
		member.post(t, base, answerPath, url.Values{"organisation_id": {itoa(w.orgID)}, "position_" + itoa(q1): {"support"},
			"text_" + itoa(q1): {"Kannatamme avointa dataa."}, "summary": {"Hyvä luonnos."}, "action": {"save"}}).redirectsTo(t, base)
		// Without a language chosen, a new statement takes the request's.
		member.get(base+"?lang=en").want(t, 200).contains(t, "The draft has been saved.", "Kannatamme avointa dataa.",
			`value="support" checked`, "Draft saved", `<option value="fi" lang="fi" selected>`, `name="summary" lang="fi"`)
		if _, n, err := ts.store.FindStatements(context.Background(), id, 10, 0); err != nil || n != 0 {
			t.Fatalf("a draft among the submitted statements: %d %v", n, err)
		}
		if r := anon.get(base + "/summary"); strings.Contains(string(r.body), "Kannatamme avointa dataa.") {
			t.Error("the draft is public")
		}
	})
	t.Run("submitting has a confirmation step, and then it is final", func(t *testing.T) {
		confirm := member.post(t, base, answerPath, url.Values{"organisation_id": {itoa(w.orgID)}, "position_" + itoa(q1): {"support"},
			"text_" + itoa(q1): {"Vi stöder öppna data."}, "summary": {"Ett bra utkast."}, "language": {"sv"}, "action": {"submit"}}).redirectsTo(t, answerPath+"/confirm")
		member.get(confirm+"&lang=en").want(t, 200).contains(t, "Submitted statements are public and final",
			`<p class="user-text" lang="sv">Vi stöder öppna data.</p>`, `<p class="user-text" lang="sv">Ett bra utkast.</p>`,
			"Support", "Statement of Tampereen kaupunki"[len("Statement of "):])
		done := member.post(t, confirm, answerPath+"/submit", url.Values{"organisation_id": {itoa(w.orgID)}}).redirectsTo(t, answerPath+"/submitted")
		member.get(done+"&lang=en").want(t, 200).contains(t, "The statement of Tampereen kaupunki has been submitted", `lang="sv">Vi stöder öppna data.`)
		member.post(t, base, answerPath, url.Values{"organisation_id": {itoa(w.orgID)}, "summary": {"Muutos"}, "action": {"save"}}).want(t, 409)
		member.get(base+"?lang=en").want(t, 200).contains(t, "A submitted statement is final.")
	})
	t.Run("a citizen answers for themselves", func(t *testing.T) {
		citizen.get(base+"?lang=en").want(t, 200).contains(t, "You are not a member of any organisation", "Your own statement")
		citizen.post(t, base, answerPath, url.Values{"organisation_id": {"0"}, "position_" + itoa(q2): {"no_comment"}, "action": {"submit"}}).
			redirectsTo(t, answerPath+"/confirm")
		citizen.post(t, answerPath+"/confirm?organisation_id=0", answerPath+"/submit", url.Values{"organisation_id": {"0"}}).redirectsTo(t, answerPath+"/submitted")
		citizen.post(t, base, answerPath, url.Values{"organisation_id": {itoa(w.orgID)}, "summary": {"Toisen puolesta"}, "action": {"save"}}).want(t, 403)
		citizen.post(t, base, answerPath+"/submit", url.Values{"organisation_id": {itoa(w.orgID)}}).want(t, 403)
	})

	t.Run("the summary counts and lists the answers, and takes the officials' response", func(t *testing.T) {
		summary := base + "/summary"
		anon.get(summary+"?lang=en").want(t, 200).contains(t, "Summary of the statements", "Municipalities", "Persons for themselves",
			"Vi stöder öppna data.", "Name of kansalainen@example.fi", "Every invited organisation has answered.",
			`<rect x="170"`, "Positions on question 1", "The officials have not written this yet.")
		// The Finnish page marks the Swedish statement's text as Swedish,
		// in the answers by question and in the statement in full.
		fi := anon.get(summary).want(t, 200)
		if n := strings.Count(string(fi.body), `<p class="user-text" lang="sv">Vi stöder öppna data.</p>`); n != 2 {
			t.Errorf("the Swedish answer marked sv %d times, want 2", n)
		}
		fi.contains(t, `<p class="user-text" lang="sv">Ett bra utkast.</p>`)
		if r := anon.get(summary); strings.Contains(string(r.body), "/response") {
			t.Error("the public sees the response form")
		}
		action := base + "/questions/" + itoa(q1) + "/response"
		citizen.post(t, summary, action, url.Values{"response_" + itoa(q1): {"x"}}).want(t, 403)
		official.post(t, summary, action, url.Values{"response_" + itoa(q1): {strings.Repeat("x", participation.QuestionResponseMax+1)}}).
			want(t, 422).contains(t, `id="response_`+itoa(q1)+`-error"`)
		official.post(t, summary, action, url.Values{"response_" + itoa(q1): {"Avoin data lisättiin sitoumukseen."}, "response_sv_" + itoa(q1): {"Öppna data lades till."}}).
			redirectsTo(t, summary)
		anon.get(summary).want(t, 200).contains(t, "Avoin data lisättiin sitoumukseen.")
		anon.get(summary+"?lang=sv").want(t, 200).contains(t, "Öppna data lades till.")
	})
	t.Run("the statistics count them", func(t *testing.T) {
		anon.get("/statistics?lang=en").want(t, 200).contains(t, "Statistics", "Requests for statements", "<svg", `href="/statistics"`)
	})
}

// officialContext is a context signed in as the world's official.
func officialContext(t *testing.T, w *statementPageWorld) context.Context {
	t.Helper()
	return tokenContext(t, w.ts, w.officialToken)
}
