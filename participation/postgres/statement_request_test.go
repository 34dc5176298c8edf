package postgres_test

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// statementFixture is a process with a draft commitment, two
// organisations with members (one invited, one not), a person without
// one, and a draft statement request about the commitment.
type statementFixture struct {
	s          *postgres.Store
	clk        *clock
	official   context.Context
	commitment *participation.Commitment
	invited    *participation.Organisation // members: maija (fi) and sven (sv)
	other      *participation.Organisation // members: olli
	maija      context.Context
	maijaID    int64
	sven       context.Context
	svenID     int64
	olli       context.Context
	citizen    context.Context
	request    *participation.StatementRequest
}

func newStatementFixture(t *testing.T) *statementFixture {
	t.Helper()
	s, clk := newStore(t)
	f := &statementFixture{s: s, clk: clk}
	f.official, _ = mustAccount(t, s, "official@example.fi", "official")
	if _, err := s.CreateProcess(f.official, participation.NewProcess{Slug: "avoin-hallinto", Title: "Avoin hallinto"}); err != nil {
		t.Fatal(err)
	}
	var err error
	f.commitment, err = s.CreateCommitment(f.official, "avoin-hallinto", participation.NewCommitment{CommitmentText: participation.CommitmentText{Title: "Selkeä kieli"}})
	if err != nil {
		t.Fatal(err)
	}
	var maija, sven *participation.Account
	f.maija, maija = mustAccount(t, s, "maija@example.fi")
	f.sven, sven = mustAccount(t, s, "sven@example.fi")
	f.maijaID, f.svenID = maija.ID, sven.ID
	if err := s.SetMessageLanguage(f.sven, "sv"); err != nil {
		t.Fatal(err)
	}
	f.olli, _ = mustAccount(t, s, "olli@example.fi")
	f.citizen, _ = mustAccount(t, s, "citizen@example.fi")
	if f.invited, err = s.CreateOrganisation(f.maija, participation.NewOrganisation{Name: "Kuntaliitto", Kind: ptr("association")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMember(f.maija, f.invited.ID, participation.NewMember{Email: "sven@example.fi"}); err != nil {
		t.Fatal(err)
	}
	if f.other, err = s.CreateOrganisation(f.olli, participation.NewOrganisation{Name: "Oikeusministeriö", Kind: ptr("ministry")}); err != nil {
		t.Fatal(err)
	}
	deadline := clk.t.Add(10 * 24 * time.Hour)
	f.request, err = s.CreateStatementRequest(f.official, "avoin-hallinto", participation.NewStatementRequest{
		Title: "Lausuntopyyntö toimintaohjelmasta", Background: "Taustaa.", ContactPerson: "Katju Holkeri, VM", Deadline: &deadline,
		Questions: []participation.QuestionInput{
			{Prompt: "Mitä mieltä olette sitoumuksesta?", CommitmentID: &f.commitment.ID},
			{Prompt: "Muuta kommentoitavaa?"},
		},
		InvitedOrganisationIDs: []int64{f.invited.ID},
		InvitedEmails:          []string{"kirjaamo@example.fi", "olli@example.fi"},
		TranslationInput:       participation.TranslationInput{Translations: participation.Translations{"sv": {"title": "Begäran om utlåtande"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// publish publishes the fixture's request.
func (f *statementFixture) publish(t *testing.T) {
	t.Helper()
	r, err := f.s.PublishStatementRequest(f.official, f.request.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.request = r
}

func TestStatementRequest(t *testing.T) {
	f := newStatementFixture(t)
	s, anon := f.s, context.Background()
	r := f.request
	t.Run("Created", func(t *testing.T) {
		if r.Status != participation.StatementRequestDraft || len(r.Questions) != 2 || r.Questions[0].CommitmentID == nil ||
			!slices.Equal(r.CommitmentIDs, []int64{f.commitment.ID}) || !slices.Equal(r.InvitedOrganisationIDs, []int64{f.invited.ID}) ||
			r.InvitedOrganisations[0].Name != "Kuntaliitto" || len(r.InvitedEmails) != 2 || r.Counts.Invited != 1 ||
			r.ContactPerson != "Katju Holkeri, VM" || r.Translations["sv"]["title"] != "Begäran om utlåtande" {
			t.Errorf("%+v", r)
		}
	})
	t.Run("DraftPrivate", func(t *testing.T) {
		_, err := s.FindStatementRequest(f.citizen, r.ID)
		wantCode(t, err, participation.ENOTFOUND)
		_, err = s.FindStatementRequest(anon, r.ID)
		wantCode(t, err, participation.ENOTFOUND)
		list, total, err := s.FindStatementRequests(anon, participation.StatementRequestFilter{ProcessSlug: "avoin-hallinto", Limit: 10})
		if err != nil || total != 0 || len(list) != 0 {
			t.Errorf("public list of drafts: %v %d %v", list, total, err)
		}
		p, err := s.FindProcessBySlug(anon, "avoin-hallinto")
		if err != nil || len(p.Steps) != 0 {
			t.Errorf("a draft on the timeline: %+v %v", p, err)
		}
	})
	t.Run("ErrCreate", func(t *testing.T) {
		later := f.clk.t.Add(time.Hour)
		past := f.clk.t.Add(-time.Hour)
		_, err := s.CreateStatementRequest(f.citizen, "avoin-hallinto", participation.NewStatementRequest{Title: "T", Deadline: &later})
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = s.CreateStatementRequest(f.official, "avoin-hallinto", participation.NewStatementRequest{Title: "T", Deadline: &past})
		wantCode(t, err, participation.EINVALID)
		_, err = s.CreateStatementRequest(f.official, "avoin-hallinto", participation.NewStatementRequest{Title: "T", Deadline: &later, InvitedOrganisationIDs: []int64{9999}})
		wantCode(t, err, participation.EINVALID)
		_, err = s.CreateStatementRequest(f.official, "no-such-process", participation.NewStatementRequest{Title: "T", Deadline: &later})
		wantCode(t, err, participation.ENOTFOUND)
	})
	mustRun(t, "Publish", func(t *testing.T) {
		_, err := s.PublishStatementRequest(f.citizen, r.ID)
		wantCode(t, err, participation.EFORBIDDEN)
		f.clk.t = f.clk.t.Add(time.Hour)
		f.publish(t)
		if f.request.Status != participation.StatusOpen || !f.request.PublishedAt.Equal(f.clk.t) {
			t.Errorf("%+v", f.request)
		}
		_, err = s.PublishStatementRequest(f.official, r.ID)
		wantCode(t, err, participation.ECONFLICT)
		// Members in their language, the title translated where it can be.
		var got []string
		if err := s.DB().Select(&got, `SELECT coalesce(account_id::text, email) || '/' || channel || '/' || lang || '/' || (params->>'title') || '/' || coalesce(params->>'organisation_name', '')
			FROM outbox WHERE kind = 'statement_invitation' ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		maija, sven := itoa(f.maijaID), itoa(f.svenID)
		want := []string{
			maija + "/in_app/fi/Lausuntopyyntö toimintaohjelmasta/Kuntaliitto", maija + "/email/fi/Lausuntopyyntö toimintaohjelmasta/Kuntaliitto",
			sven + "/in_app/sv/Begäran om utlåtande/Kuntaliitto", sven + "/email/sv/Begäran om utlåtande/Kuntaliitto",
			"kirjaamo@example.fi/email/fi/Lausuntopyyntö toimintaohjelmasta/",
		}
		if len(got) != 7 || !slices.Equal(got[:5], want) {
			t.Errorf("invitations:\n%v\nwant (and olli's two) %v", got, want)
		}
		p, err := s.FindProcessBySlug(anon, "avoin-hallinto")
		if err != nil || len(p.Steps) != 1 {
			t.Fatalf("steps %+v %v", p, err)
		}
		st := p.Steps[0]
		if st.Kind != participation.StepStatementRequest || st.Status != participation.StatusOpen || !st.OpensAt.Equal(f.clk.t) || !st.ClosesAt.Equal(r.Deadline) {
			t.Errorf("step %+v", st)
		}
	})
	t.Run("Deadline", func(t *testing.T) {
		f.clk.t = r.Deadline
		got, err := s.FindStatementRequest(anon, r.ID)
		if err != nil || got.Status != participation.StatusClosed {
			t.Fatalf("at the deadline: %+v %v", got, err)
		}
		past := f.clk.t.Add(-time.Minute)
		_, err = s.UpdateStatementRequest(f.official, r.ID, participation.StatementRequestPatch{Deadline: &past})
		wantCode(t, err, participation.EINVALID)
		later := f.clk.t.Add(48 * time.Hour)
		got, err = s.UpdateStatementRequest(f.official, r.ID, participation.StatementRequestPatch{Deadline: &later})
		if err != nil || got.Status != participation.StatusOpen {
			t.Fatalf("moved later: %+v %v", got, err)
		}
		earlier := f.clk.t.Add(24 * time.Hour)
		got, err = s.UpdateStatementRequest(f.official, r.ID, participation.StatementRequestPatch{Deadline: &earlier})
		if err != nil || got.Status != participation.StatusOpen || !got.Deadline.Equal(earlier) {
			t.Fatalf("moved earlier: %+v %v", got, err)
		}
		_, err = s.UpdateStatementRequest(f.citizen, r.ID, participation.StatementRequestPatch{Deadline: &later})
		wantCode(t, err, participation.EFORBIDDEN)
		f.request = got
	})
	t.Run("InviteLater", func(t *testing.T) {
		ids := []int64{f.invited.ID, f.other.ID}
		if _, err := s.UpdateStatementRequest(f.official, r.ID, participation.StatementRequestPatch{InvitedOrganisationIDs: &ids}); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.DB().Get(&n, `SELECT count(*) FROM outbox WHERE kind = 'statement_invitation' AND params->>'organisation_name' = 'Oikeusministeriö'`); err != nil || n != 2 {
			t.Errorf("invitations to the organisation added: %d %v", n, err)
		}
	})
}

func TestStatementReminders(t *testing.T) {
	f := newStatementFixture(t)
	s := f.s
	f.publish(t)
	ids := []int64{f.invited.ID, f.other.ID}
	if _, err := s.UpdateStatementRequest(f.official, f.request.ID, participation.StatementRequestPatch{InvitedOrganisationIDs: &ids}); err != nil {
		t.Fatal(err)
	}
	// The other organisation answers.
	olliOrg := f.other.ID
	if _, err := s.SaveStatement(f.olli, f.request.ID, participation.StatementInput{OrganisationID: &olliOrg, Summary: "Kannatamme.", Submit: true}); err != nil {
		t.Fatal(err)
	}
	reminders := func() []string {
		var got []string
		if err := s.DB().Select(&got, `SELECT account_id || '/' || channel || '/' || lang FROM outbox WHERE kind = 'statement_reminder' ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		return got
	}
	sweep := func(want int) {
		t.Helper()
		n, err := s.SendStatementReminders(context.Background())
		if err != nil || n != want {
			t.Fatalf("reminded of %d requests (%v), want %d", n, err, want)
		}
	}
	f.clk.t = f.request.Deadline.Add(-participation.ReminderLead - time.Minute)
	sweep(0)
	f.clk.t = f.request.Deadline.Add(-participation.ReminderLead + time.Minute)
	sweep(1)
	maija, sven := itoa(f.maijaID), itoa(f.svenID)
	if got := reminders(); !slices.Equal(got, []string{maija + "/in_app/fi", maija + "/email/fi", sven + "/in_app/sv", sven + "/email/sv"}) {
		t.Errorf("reminders %v", got)
	}
	sweep(0)
	f.clk.t = f.clk.t.Add(time.Hour)
	sweep(0)
	// A deadline moved a week later is reminded of again, once.
	later := f.request.Deadline.Add(7 * 24 * time.Hour)
	if _, err := s.UpdateStatementRequest(f.official, f.request.ID, participation.StatementRequestPatch{Deadline: &later}); err != nil {
		t.Fatal(err)
	}
	sweep(0)
	f.clk.t = later.Add(-participation.ReminderLead)
	sweep(1)
	sweep(0)
	if got := reminders(); len(got) != 8 {
		t.Errorf("%d reminders after the second deadline", len(got))
	}
	// Past the deadline, nobody is reminded.
	f.clk.t = later.Add(time.Hour)
	sweep(0)
}

func TestAttachments(t *testing.T) {
	f := newStatementFixture(t)
	s, anon := f.s, context.Background()
	var pdf *participation.Attachment
	mustRun(t, "OK", func(t *testing.T) {
		var err error
		pdf, err = s.AddAttachment(f.official, f.request.ID, participation.NewAttachment{Filename: "luonnos.pdf", Data: []byte("%PDF-1.7 luonnos")})
		if err != nil {
			t.Fatal(err)
		}
		if pdf.ContentType != participation.ContentTypePDF || pdf.Size != 16 || pdf.Filename != "luonnos.pdf" {
			t.Errorf("%+v", pdf)
		}
		r, err := s.FindStatementRequest(f.official, f.request.ID)
		if err != nil || len(r.Attachments) != 1 || r.Attachments[0].ID != pdf.ID || r.Attachments[0].Data != nil {
			t.Errorf("request's attachments %+v %v", r, err)
		}
	})
	t.Run("DraftPrivate", func(t *testing.T) {
		_, err := s.FindAttachment(anon, pdf.ID)
		wantCode(t, err, participation.ENOTFOUND)
		f.publish(t)
		a, err := s.FindAttachment(anon, pdf.ID)
		if err != nil || !bytes.Equal(a.Data, []byte("%PDF-1.7 luonnos")) {
			t.Errorf("%+v %v", a, err)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		_, err := s.AddAttachment(f.citizen, f.request.ID, participation.NewAttachment{Filename: "a.pdf", Data: []byte("%PDF-1.7")})
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = s.AddAttachment(f.official, f.request.ID, participation.NewAttachment{Filename: "a.pdf", Data: []byte("MZ\x90\x00")})
		wantCode(t, err, participation.EINVALID)
		_, err = s.AddAttachment(f.official, f.request.ID, participation.NewAttachment{Filename: "a.txt", Data: make([]byte, participation.MaxAttachmentSize+1)})
		wantCode(t, err, participation.ETOOLARGE)
		_, err = s.AddAttachment(f.official, 9999, participation.NewAttachment{Filename: "a.pdf", Data: []byte("%PDF-1.7")})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("Delete", func(t *testing.T) {
		wantCode(t, s.DeleteAttachment(f.citizen, pdf.ID), participation.EFORBIDDEN)
		if err := s.DeleteAttachment(f.official, pdf.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.FindAttachment(anon, pdf.ID)
		wantCode(t, err, participation.ENOTFOUND)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
