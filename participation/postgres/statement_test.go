package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

func TestStatements(t *testing.T) {
	f := newStatementFixture(t)
	s, anon := f.s, context.Background()
	q1, q2 := f.request.Questions[0].ID, f.request.Questions[1].ID
	org := f.invited.ID
	draft := participation.StatementInput{OrganisationID: &org, Summary: "Utkast.", Language: "sv",
		Answers: []participation.StatementAnswer{{QuestionID: q1, Position: participation.PositionSupport, Text: "Hyvä."}}}
	t.Run("ErrNotOpen", func(t *testing.T) {
		// A draft request is not there for citizens, and not open for officials.
		_, err := s.SaveStatement(f.maija, f.request.ID, draft)
		wantCode(t, err, participation.ENOTFOUND)
		_, err = s.SaveStatement(f.official, f.request.ID, participation.StatementInput{Summary: "x"})
		wantCode(t, err, participation.ECLOSED)
	})
	f.publish(t)
	var st *participation.Statement
	mustRun(t, "OrganisationDraft", func(t *testing.T) {
		var err error
		st, err = s.SaveStatement(f.maija, f.request.ID, draft)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != participation.StatementDraft || st.Organisation == nil || st.Organisation.ID != org || st.SubmittedAt != nil ||
			len(st.Answers) != 1 || *st.AuthorName != "Test maija@example.fi" || st.Language != "sv" {
			t.Errorf("%+v", st)
		}
		// Shared by the organisation's members, private to others.
		got, err := s.FindMyStatement(f.sven, f.request.ID, &org)
		if err != nil || got.ID != st.ID {
			t.Errorf("another member: %+v %v", got, err)
		}
		_, err = s.FindMyStatement(f.olli, f.request.ID, &org)
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = s.FindStatement(f.olli, st.ID)
		wantCode(t, err, participation.ENOTFOUND)
		list, total, err := s.FindStatements(anon, f.request.ID, 10, 0)
		if err != nil || total != 0 || len(list) != 0 {
			t.Errorf("a draft in the public list: %v %d %v", list, total, err)
		}
	})
	t.Run("ErrNotMember", func(t *testing.T) {
		_, err := s.SaveStatement(f.olli, f.request.ID, draft)
		wantCode(t, err, participation.EFORBIDDEN)
		missing := int64(9999)
		_, err = s.SaveStatement(f.olli, f.request.ID, participation.StatementInput{OrganisationID: &missing})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := s.SaveStatement(f.maija, f.request.ID, participation.StatementInput{OrganisationID: &org,
			Answers: []participation.StatementAnswer{{QuestionID: 9999, Position: participation.PositionSupport}}})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrLanguage", func(t *testing.T) {
		bad := draft
		bad.Summary, bad.Language = "Entwurf.", "de"
		_, err := s.SaveStatement(f.maija, f.request.ID, bad)
		wantCode(t, err, participation.EINVALID)
		if got, err := s.FindMyStatement(f.maija, f.request.ID, &org); err != nil || got.Summary != "Utkast." || got.Language != "sv" {
			t.Errorf("a refused language changed the draft: %+v %v", got, err)
		}
	})
	mustRun(t, "Submit", func(t *testing.T) {
		// Without a language, the draft's stays.
		submit := draft
		submit.Language = ""
		submit.Answers = append(submit.Answers, participation.StatementAnswer{QuestionID: q2, Position: participation.PositionNoComment})
		submit.Summary, submit.Submit = "Kuntaliiton lausunto.", true
		got, err := s.SaveStatement(f.sven, f.request.ID, submit)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != st.ID || got.Status != participation.StatementSubmitted || got.SubmittedAt == nil || len(got.Answers) != 2 || got.Language != "sv" ||
			*got.AuthorName != "Test sven@example.fi" {
			t.Errorf("%+v", got)
		}
		_, err = s.SaveStatement(f.maija, f.request.ID, submit)
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("Own", func(t *testing.T) {
		own, err := s.SaveStatement(f.citizen, f.request.ID, participation.StatementInput{Summary: "Oma mielipiteeni."})
		// Without a language, a new statement takes its request's.
		if err != nil || own.Organisation != nil || own.Language != f.request.OwnLanguage() {
			t.Fatalf("%+v %v", own, err)
		}
		_, err = s.FindMyStatement(f.maija, f.request.ID, nil)
		wantCode(t, err, participation.ENOTFOUND)
		own, err = s.SaveStatement(f.citizen, f.request.ID, participation.StatementInput{Summary: "Oma mielipiteeni.", Submit: true,
			Answers: []participation.StatementAnswer{{QuestionID: q1, Position: participation.PositionOppose, Text: "Ei näin."}}})
		if err != nil || own.Status != participation.StatementSubmitted {
			t.Fatalf("%+v %v", own, err)
		}
	})
	t.Run("Response", func(t *testing.T) {
		text := "Huomioitiin."
		_, err := s.SetQuestionResponse(f.citizen, f.request.ID, q1, participation.QuestionResponse{Response: &text})
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = s.SetQuestionResponse(f.official, f.request.ID, 9999, participation.QuestionResponse{Response: &text})
		wantCode(t, err, participation.ENOTFOUND)
		q, err := s.SetQuestionResponse(f.official, f.request.ID, q1, participation.QuestionResponse{Response: &text})
		if err != nil || *q.Response != text {
			t.Fatalf("%+v %v", q, err)
		}
	})
	t.Run("Summary", func(t *testing.T) {
		sum, err := s.FindStatementSummary(anon, f.request.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Statements != 2 || sum.Invited != 1 || sum.InvitedResponded != 1 || len(sum.NotResponded) != 0 {
			t.Errorf("counts %+v", sum)
		}
		a := sum.Questions[0]
		if a.Positions != (participation.PositionCounts{Support: 1, Oppose: 1}) || len(a.Answers) != 2 || *a.Response != "Huomioitiin." ||
			a.Answers[0].Organisation == nil || a.Answers[1].Organisation != nil {
			t.Errorf("first question %+v", a)
		}
		if b := sum.Questions[1]; b.Positions.NoComment != 1 || len(b.Answers) != 1 {
			t.Errorf("second question %+v", b)
		}
		r, err := s.FindStatementRequest(anon, f.request.ID)
		if err != nil || r.Counts != (participation.StatementCounts{Invited: 1, InvitedResponded: 1, Statements: 2}) || r.InvitedEmails != nil {
			t.Errorf("counts %+v %v", r, err)
		}
	})
	t.Run("Commitment", func(t *testing.T) {
		c, err := s.FindCommitment(anon, f.commitment.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Statements) != 2 || c.Statements[0].Position != participation.PositionSupport || c.Statements[0].Organisation.Name != "Kuntaliitto" ||
			c.Statements[1].Text != "Ei näin." || c.Statements[1].RequestTitle != "Lausuntopyyntö toimintaohjelmasta" {
			t.Errorf("%+v", c.Statements)
		}
	})
	t.Run("ProcessStats", func(t *testing.T) {
		p, err := s.FindProcessBySlug(anon, "avoin-hallinto")
		if err != nil || p.Stats.Statements != 2 || p.Stats.Participants != 2 {
			t.Errorf("%+v %v", p.Stats, err)
		}
	})
	t.Run("ErrClosed", func(t *testing.T) {
		f.clk.t = f.request.Deadline
		_, err := s.SaveStatement(f.olli, f.request.ID, participation.StatementInput{Summary: "Myöhässä."})
		wantCode(t, err, participation.ECLOSED)
	})
	t.Run("Erase", func(t *testing.T) {
		f.clk.t = f.request.Deadline.Add(-time.Hour)
		if _, err := s.SaveStatement(f.olli, f.request.ID, participation.StatementInput{Summary: "Keskeneräinen."}); err != nil {
			t.Fatal(err)
		}
		if err := s.EraseAccount(f.citizen); err != nil {
			t.Fatal(err)
		}
		if err := s.EraseAccount(f.olli); err != nil {
			t.Fatal(err)
		}
		list, _, err := s.FindStatements(anon, f.request.ID, 10, 0)
		if err != nil || len(list) != 2 || list[1].AuthorName != nil {
			t.Errorf("after erasure: %+v %v", list, err)
		}
		var drafts int
		if err := s.DB().Get(&drafts, `SELECT count(*) FROM statements WHERE submitted_at IS NULL`); err != nil || drafts != 0 {
			t.Errorf("a personal draft outlived its author: %d %v", drafts, err)
		}
	})
}

// statementContributions makes the signed-in official (ctx) a contributor
// to every table of organisations and statements, for the export and
// erasure test: an organisation with an invitation, a published request
// with an attachment and a response, and a statement. The request's
// deadline is a month after after, a time after the store's now.
func statementContributions(t *testing.T, s *postgres.Store, ctx context.Context, slug string, after time.Time) {
	t.Helper()
	org, err := s.CreateOrganisation(ctx, participation.NewOrganisation{Name: "Oma yhdistys"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMember(ctx, org.ID, participation.NewMember{Email: "invited@example.fi"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyOrganisation(ctx, org.ID); err != nil {
		t.Fatal(err)
	}
	deadline := after.Add(30 * 24 * time.Hour)
	r, err := s.CreateStatementRequest(ctx, slug, participation.NewStatementRequest{Title: "Oma lausuntopyyntö", Deadline: &deadline,
		Questions: []participation.QuestionInput{{Prompt: "Kysymys?"}}, InvitedOrganisationIDs: []int64{org.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAttachment(ctx, r.ID, participation.NewAttachment{Filename: "liite.txt", Data: []byte("Liite.")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishStatementRequest(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveStatement(ctx, r.ID, participation.StatementInput{OrganisationID: &org.ID, Summary: "Lausunto.", Submit: true,
		Answers: []participation.StatementAnswer{{QuestionID: r.Questions[0].ID, Position: participation.PositionSupport}}}); err != nil {
		t.Fatal(err)
	}
	response := "Otettiin huomioon."
	if _, err := s.SetQuestionResponse(ctx, r.ID, r.Questions[0].ID, participation.QuestionResponse{Response: &response}); err != nil {
		t.Fatal(err)
	}
}
