package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

func TestCreateProcess(t *testing.T) {
	s, _ := newStore(t)
	ctx, _ := mustAccount(t, s, "official@example.fi", "official")
	citizenCtx, _ := mustAccount(t, s, "citizen@example.fi")
	n := participation.NewProcess{Slug: "avoin-hallinto-2017", Title: "Avoin hallinto", Description: "Toimintaohjelma"}
	t.Run("OK", func(t *testing.T) {
		p, err := s.CreateProcess(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || p.Slug != n.Slug || p.Steps == nil || p.Stats == nil {
			t.Fatalf("process = %+v", p)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := s.CreateProcess(ctx, n)
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := s.CreateProcess(citizenCtx, participation.NewProcess{Slug: "other", Title: "x"})
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = s.CreateProcess(context.Background(), participation.NewProcess{Slug: "other", Title: "x"})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, slug := range []string{"ab", "Upper", "double--hyphen", "-lead", "trail-", "with space", "ääkköset", fmt.Sprintf("%065d", 0)} {
			_, err := s.CreateProcess(ctx, participation.NewProcess{Slug: slug, Title: "x"})
			wantCode(t, err, participation.EINVALID)
		}
	})
}

func TestFindProcesses(t *testing.T) {
	s, _ := newStore(t)
	ctx, _ := mustAccount(t, s, "official@example.fi", "official")
	for i := 0; i < 5; i++ {
		if _, err := s.CreateProcess(ctx, participation.NewProcess{Slug: fmt.Sprintf("process-%d", i), Title: fmt.Sprint("P", i)}); err != nil {
			t.Fatal(err)
		}
	}
	list, total, err := s.FindProcesses(ctx, participation.ProcessFilter{Limit: 2, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if total != 5 || len(list) != 2 || list[0].Slug != "process-3" || list[1].Slug != "process-2" {
		t.Fatalf("total %d, list %v", total, list)
	}
	_, err = s.FindProcessBySlug(ctx, "nope")
	wantCode(t, err, participation.ENOTFOUND)
}

func TestProcessStats(t *testing.T) {
	f := newIdeaFixture(t, true)
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	anon := context.Background()
	i1, _ := f.s.CreateIdea(citizen, f.round.ID, participation.NewIdea{Title: "Yksi idea", Body: "x", Municipality: ptr("Helsinki")}, "fi")
	first := respondentCtx(t, f.s)
	f.s.CreateIdea(first, f.round.ID, participation.NewIdea{Title: "Toinen idea", Body: "x", Municipality: ptr("Helsingfors")}, "fi")
	f.s.CreateIdea(first, f.round.ID, participation.NewIdea{Title: "Kolmas idea", Body: "x", Municipality: ptr("Oulu")}, "fi")
	f.s.CreateComment(citizen, i1.ID, participation.NewComment{Body: "oma kommentti"}, "fi")
	f.s.SupportIdea(respondentCtx(t, f.s), i1.ID)
	p, err := f.s.FindProcessBySlug(anon, "avoin-hallinto")
	if err != nil {
		t.Fatal(err)
	}
	want := participation.Stats{Participants: 3, Ideas: 3, Comments: 1, Municipalities: 2}
	if got := *p.Stats; got.Participants != want.Participants || got.Ideas != want.Ideas || got.Comments != want.Comments || got.Municipalities != want.Municipalities {
		t.Fatalf("stats %+v, want %+v", got, want)
	}
}

// addOfficial makes the account of email an official of the process of
// slug, as ctx (one of its officials, or an admin).
func addOfficial(t *testing.T, s *postgres.Store, ctx context.Context, slug, email string) {
	t.Helper()
	if _, err := s.AddProcessOfficial(ctx, slug, participation.NewProcessOfficial{Email: email}); err != nil {
		t.Fatal(err)
	}
}

func TestProcessStatus(t *testing.T) {
	s, _ := newStore(t)
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	other, _ := mustAccount(t, s, "other@example.fi", "official")
	admin, _ := mustAccount(t, s, "admin@example.fi", "official", "admin")
	citizen, _ := mustAccount(t, s, "citizen@example.fi")
	draft := participation.ProcessDraft
	p, err := s.CreateProcess(official, participation.NewProcess{Slug: "luonnos", Title: "Luonnos", Status: &draft})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != participation.ProcessDraft || len(p.Officials) != 1 || !p.Manageable {
		t.Fatalf("new draft %+v", p)
	}
	t.Run("a draft is seen only by its officials and admins", func(t *testing.T) {
		for name, ctx := range map[string]context.Context{"signed out": context.Background(), "citizen": citizen, "another official": other} {
			_, err := s.FindProcessBySlug(ctx, "luonnos")
			wantCode(t, err, participation.ENOTFOUND)
			if _, total, err := s.FindProcesses(ctx, participation.ProcessFilter{Limit: 10}); err != nil || total != 0 {
				t.Errorf("%s lists %d processes (%v)", name, total, err)
			}
			_, err = s.CheckProcessAccess(ctx, participation.RefToProcess("luonnos"), false)
			wantCode(t, err, participation.ENOTFOUND)
		}
		for _, ctx := range []context.Context{official, admin} {
			if _, err := s.FindProcessBySlug(ctx, "luonnos"); err != nil {
				t.Error(err)
			}
			if _, total, _ := s.FindProcesses(ctx, participation.ProcessFilter{Limit: 10}); total != 1 {
				t.Errorf("total %d", total)
			}
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := s.ChangeProcessStatus(other, "luonnos", participation.ProcessPublish)
		wantCode(t, err, participation.ENOTFOUND) // a draft: not even seen
		_, err = s.ChangeProcessStatus(citizen, "luonnos", participation.ProcessPublish)
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("OK", func(t *testing.T) {
		for _, step := range []struct{ action, want string }{
			{participation.ProcessPublish, participation.ProcessPublished},
			{participation.ProcessArchive, participation.ProcessArchived},
			{participation.ProcessUnarchive, participation.ProcessPublished},
			{participation.ProcessArchive, participation.ProcessArchived},
		} {
			p, err := s.ChangeProcessStatus(official, "luonnos", step.action)
			if err != nil || p.Status != step.want {
				t.Fatalf("%s: %v, %+v", step.action, err, p)
			}
		}
		if _, err := s.FindProcessBySlug(context.Background(), "luonnos"); err != nil {
			t.Errorf("an archived process is public: %v", err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := s.ChangeProcessStatus(official, "luonnos", participation.ProcessPublish)
		wantCode(t, err, participation.ECONFLICT)
		_, err = s.ChangeProcessStatus(admin, "luonnos", participation.ProcessArchive)
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("ErrClosed: an archived process is read only", func(t *testing.T) {
		opens, closes := time.Now(), time.Now().Add(time.Hour)
		_, err := s.CreateIdeaRound(official, "luonnos", participation.NewIdeaRound{Title: "Kierros", OpensAt: &opens, ClosesAt: &closes})
		wantCode(t, err, participation.ECLOSED)
		_, err = s.CheckProcessAccess(citizen, participation.RefToProcess("luonnos"), true)
		wantCode(t, err, participation.ECLOSED)
		if manages, err := s.CheckProcessAccess(citizen, participation.RefToProcess("luonnos"), false); err != nil || manages {
			t.Errorf("a citizen reading: manages %v, %v", manages, err)
		}
		if manages, err := s.CheckProcessAccess(other, participation.RefToProcess("luonnos"), false); err != nil || manages {
			t.Errorf("another official reading: manages %v, %v", manages, err)
		}
		for name, ctx := range map[string]context.Context{"its official": official, "an admin": admin} {
			if manages, err := s.CheckProcessAccess(ctx, participation.RefToProcess("luonnos"), false); err != nil || !manages {
				t.Errorf("%s reading: manages %v, %v", name, manages, err)
			}
		}
	})
	t.Run("an API process is published at once", func(t *testing.T) {
		p, err := s.CreateProcess(official, participation.NewProcess{Slug: "julkinen", Title: "Julkinen"})
		if err != nil || p.Status != participation.ProcessPublished {
			t.Fatalf("%v %+v", err, p)
		}
		_, err = s.CreateProcess(official, participation.NewProcess{Slug: "arkisto", Title: "A", Status: ptr(participation.ProcessArchived)})
		wantCode(t, err, participation.EINVALID)
	})
}

func TestUpdateProcess(t *testing.T) {
	s, _ := newStore(t)
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	other, _ := mustAccount(t, s, "other@example.fi", "official")
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "avoin", Title: "Avoin", Description: "Kuvaus"}); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		var pt participation.ProcessPatch
		if err := json.Unmarshal([]byte(`{"title": " Avoin hallinto ", "organiser": "Valtiovarainministeriö",
			"contact": {"name": "Katju Holkeri", "email": "Katju@Example.fi", "phone": "+358 295 530 000"},
			"translations": {"sv": {"title": "Öppen förvaltning"}}}`), &pt); err != nil {
			t.Fatal(err)
		}
		p, err := s.UpdateProcess(official, "avoin", pt)
		if err != nil {
			t.Fatal(err)
		}
		if p.Slug != "avoin" || p.Title != "Avoin hallinto" || p.Description != "Kuvaus" || *p.Organiser != "Valtiovarainministeriö" ||
			p.Contact == nil || p.Contact.Email != "katju@example.fi" || *p.Contact.Phone != "+358 295 530 000" || p.Translations.Get("sv", "title") != "Öppen förvaltning" {
			t.Fatalf("updated %+v", p)
		}
		// null clears; what is left out stays.
		pt = participation.ProcessPatch{}
		if err := json.Unmarshal([]byte(`{"contact": null}`), &pt); err != nil {
			t.Fatal(err)
		}
		if p, err = s.UpdateProcess(official, "avoin", pt); err != nil || p.Contact != nil || p.Organiser == nil {
			t.Fatalf("%v %+v", err, p)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		empty, bad := "", "not an address"
		_, err := s.UpdateProcess(official, "avoin", participation.ProcessPatch{Title: &empty})
		wantCode(t, err, participation.EINVALID)
		_, err = s.UpdateProcess(official, "avoin", participation.ProcessPatch{Contact: participation.Nullable[participation.Contact]{Set: true, Value: &participation.Contact{Name: "X", Email: bad}}})
		wantFields(t, err, "contact.email")
		if p, _ := s.FindProcessBySlug(official, "avoin"); p.Title != "Avoin hallinto" {
			t.Errorf("a refused change stored something: %q", p.Title)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		title := "Toisen"
		_, err := s.UpdateProcess(other, "avoin", participation.ProcessPatch{Title: &title})
		wantCode(t, err, participation.EFORBIDDEN)
	})
}

func TestProcessOfficials(t *testing.T) {
	s, _ := newStore(t)
	official, me := mustAccount(t, s, "official@example.fi", "official")
	other, them := mustAccount(t, s, "other@example.fi", "official")
	mustAccount(t, s, "citizen@example.fi")
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "avoin", Title: "Avoin"}); err != nil {
		t.Fatal(err)
	}
	title := "Muutettu"
	_, err := s.UpdateProcess(other, "avoin", participation.ProcessPatch{Title: &title})
	wantCode(t, err, participation.EFORBIDDEN)
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := s.AddProcessOfficial(official, "avoin", participation.NewProcessOfficial{Email: "citizen@example.fi"})
		wantFields(t, err, "email")
		_, err = s.AddProcessOfficial(official, "avoin", participation.NewProcessOfficial{Email: "nobody@example.fi"})
		wantFields(t, err, "email")
	})
	t.Run("OK", func(t *testing.T) {
		list, err := s.AddProcessOfficial(official, "avoin", participation.NewProcessOfficial{Email: " Other@Example.fi "})
		if err != nil || len(list) != 2 || list[1].AccountID != them.ID {
			t.Fatalf("%v %+v", err, list)
		}
		if _, err := s.UpdateProcess(other, "avoin", participation.ProcessPatch{Title: &title}); err != nil {
			t.Errorf("an added official cannot change the process: %v", err)
		}
		if list, err = s.RemoveProcessOfficial(other, "avoin", me.ID); err != nil || len(list) != 1 {
			t.Fatalf("%v %+v", err, list)
		}
		_, err = s.UpdateProcess(official, "avoin", participation.ProcessPatch{Title: &title})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrConflict: not the last", func(t *testing.T) {
		_, err := s.RemoveProcessOfficial(other, "avoin", them.ID)
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := s.AddProcessOfficial(official, "avoin", participation.NewProcessOfficial{Email: "official@example.fi"})
		wantCode(t, err, participation.EFORBIDDEN)
	})
}

// TestProcessOfficialWrites: an official who is not one of a process's
// officials may change nothing in it, of any kind; an admin may.
func TestProcessOfficialWrites(t *testing.T) {
	f := newCommitmentFixture(t)
	s := f.s
	stranger, _ := mustAccount(t, s, "stranger@example.fi", "official")
	admin, _ := mustAccount(t, s, "admin@example.fi", "official", "admin")
	starts := f.clk.t.Add(time.Hour)
	w, err := s.CreateWorkshop(f.official, "avoin-hallinto", participation.NewWorkshop{Title: "Työpaja", StartsAt: &starts})
	if err != nil {
		t.Fatal(err)
	}
	poll, err := s.CreatePoll(f.official, w.ID, participation.NewPoll{Question: "Q", MaxChoices: ptr(1), Options: []participation.NewPollOption{{Label: "A"}, {Label: "B"}}})
	if err != nil {
		t.Fatal(err)
	}
	sv, err := s.CreateSurvey(f.official, "avoin-hallinto", participation.NewSurvey{Title: "Kysely", Anonymous: ptr(true),
		Questions: []participation.NewQuestion{{Kind: "text", Prompt: "Mitä?"}}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := f.clk.t.Add(30 * 24 * time.Hour)
	req, err := s.CreateStatementRequest(f.official, "avoin-hallinto", participation.NewStatementRequest{Title: "Lausuntopyyntö", Deadline: &deadline,
		Questions: []participation.QuestionInput{{Prompt: "Mitä mieltä?"}}})
	if err != nil {
		t.Fatal(err)
	}
	att, err := s.AddAttachment(f.official, req.ID, participation.NewAttachment{Filename: "a.pdf", Data: []byte("%PDF-1.7 a")})
	if err != nil {
		t.Fatal(err)
	}
	c := f.draft(t, "Sitoumus", []int64{f.ideas[0].ID}, nil, ms("Välitavoite")...)
	into := f.draft(t, "Toinen", nil, nil)
	opens, closes := f.clk.t, f.clk.t.Add(time.Hour)
	title, done := "Uusi", "done"
	response := "Otettiin huomioon."
	writes := []struct {
		name string
		do   func(ctx context.Context) error
	}{
		{"edit the process", func(ctx context.Context) error {
			_, err := s.UpdateProcess(ctx, "avoin-hallinto", participation.ProcessPatch{Title: &title})
			return err
		}},
		{"archive the process", func(ctx context.Context) error {
			_, err := s.ChangeProcessStatus(ctx, "avoin-hallinto", "nothing")
			return err
		}},
		{"add an official", func(ctx context.Context) error {
			_, err := s.AddProcessOfficial(ctx, "avoin-hallinto", participation.NewProcessOfficial{Email: "stranger@example.fi"})
			return err
		}},
		{"create an idea round", func(ctx context.Context) error {
			_, err := s.CreateIdeaRound(ctx, "avoin-hallinto", participation.NewIdeaRound{Title: "R", OpensAt: &opens, ClosesAt: &closes})
			return err
		}},
		{"create a theme", func(ctx context.Context) error {
			_, err := s.CreateTheme(ctx, f.round.ID, participation.NewTheme{Title: "T"})
			return err
		}},
		{"group an idea", func(ctx context.Context) error {
			_, err := s.SetIdeaTheme(ctx, nil, f.ideas[0].ID)
			return err
		}},
		{"create a workshop", func(ctx context.Context) error {
			_, err := s.CreateWorkshop(ctx, "avoin-hallinto", participation.NewWorkshop{Title: "W", StartsAt: &starts})
			return err
		}},
		{"change a workshop", func(ctx context.Context) error {
			_, err := s.UpdateWorkshop(ctx, w.ID, participation.WorkshopUpdate{JoiningOpen: ptr(false)})
			return err
		}},
		{"create a poll", func(ctx context.Context) error {
			_, err := s.CreatePoll(ctx, w.ID, participation.NewPoll{Question: "Q", MaxChoices: ptr(1), Options: []participation.NewPollOption{{Label: "A"}, {Label: "B"}}})
			return err
		}},
		{"open a poll", func(ctx context.Context) error { _, err := s.OpenPoll(ctx, poll.ID); return err }},
		{"create a survey", func(ctx context.Context) error {
			_, err := s.CreateSurvey(ctx, "avoin-hallinto", participation.NewSurvey{Title: "K", Anonymous: ptr(true), Questions: []participation.NewQuestion{{Kind: "text", Prompt: "?"}}})
			return err
		}},
		{"change a survey", func(ctx context.Context) error {
			_, err := s.UpdateSurvey(ctx, sv.ID, participation.SurveyPatch{Title: &title})
			return err
		}},
		{"open a survey", func(ctx context.Context) error { _, err := s.OpenSurvey(ctx, sv.ID); return err }},
		{"invite to a survey", func(ctx context.Context) error {
			_, err := s.InviteToSurvey(ctx, sv.ID, participation.NewInvitations{Emails: []string{"a@example.fi"}})
			return err
		}},
		{"create a statement request", func(ctx context.Context) error {
			_, err := s.CreateStatementRequest(ctx, "avoin-hallinto", participation.NewStatementRequest{Title: "L", Deadline: &deadline})
			return err
		}},
		{"change a statement request", func(ctx context.Context) error {
			_, err := s.UpdateStatementRequest(ctx, req.ID, participation.StatementRequestPatch{Title: &title})
			return err
		}},
		{"publish a statement request", func(ctx context.Context) error { _, err := s.PublishStatementRequest(ctx, req.ID); return err }},
		{"answer a question's statements", func(ctx context.Context) error {
			_, err := s.SetQuestionResponse(ctx, req.ID, req.Questions[0].ID, participation.QuestionResponse{Response: &response})
			return err
		}},
		{"add an attachment", func(ctx context.Context) error {
			_, err := s.AddAttachment(ctx, req.ID, participation.NewAttachment{Filename: "b.pdf", Data: []byte("%PDF-1.7 b")})
			return err
		}},
		{"delete an attachment", func(ctx context.Context) error { return s.DeleteAttachment(ctx, att.ID) }},
		{"create a commitment", func(ctx context.Context) error {
			_, err := s.CreateCommitment(ctx, "avoin-hallinto", participation.NewCommitment{CommitmentText: participation.CommitmentText{Title: "C", Problem: "P", Description: "D", LeadAgency: "VM"}})
			return err
		}},
		{"change a commitment", func(ctx context.Context) error {
			_, err := s.UpdateCommitment(ctx, c.ID, participation.CommitmentPatch{ChangeNote: "x"})
			return err
		}},
		{"report a milestone", func(ctx context.Context) error {
			_, err := s.UpdateMilestone(ctx, c.Milestones[0].ID, participation.MilestoneUpdate{Status: done})
			return err
		}},
		{"merge commitments", func(ctx context.Context) error {
			_, err := s.MergeCommitment(ctx, c.ID, participation.Merge{IntoID: &into.ID, Note: "x"})
			return err
		}},
		{"approve a commitment", func(ctx context.Context) error { _, err := s.ApproveCommitment(ctx, c.ID); return err }},
		{"change an idea round", func(ctx context.Context) error {
			_, err := s.UpdateIdeaRound(ctx, f.round.ID, participation.IdeaRoundPatch{Title: &title})
			return err
		}},
		{"rename a theme", func(ctx context.Context) error {
			_, err := s.UpdateTheme(ctx, f.themes[0].ID, participation.ThemePatch{Title: &title})
			return err
		}},
		{"merge themes", func(ctx context.Context) error {
			_, err := s.MergeTheme(ctx, f.themes[1].ID, participation.ThemeMerge{IntoID: &f.themes[2].ID})
			return err
		}},
		{"change a draft poll", func(ctx context.Context) error {
			_, err := s.UpdatePoll(ctx, poll.ID, participation.PollPatch{Question: &title})
			return err
		}},
		{"end a workshop", func(ctx context.Context) error { _, err := s.EndWorkshop(ctx, w.ID); return err }},
		{"reopen a workshop", func(ctx context.Context) error { _, err := s.ReopenWorkshop(ctx, w.ID); return err }},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			wantCode(t, w.do(stranger), participation.EFORBIDDEN)
		})
	}
	// An admin may change any process: a few of the writes, which leave the rest possible.
	t.Run("an admin may", func(t *testing.T) {
		for _, w := range writes {
			if w.name == "edit the process" || w.name == "create a theme" || w.name == "approve a commitment" {
				if err := w.do(admin); err != nil {
					t.Errorf("%s: %v", w.name, err)
				}
			}
		}
	})
}

// wantFields fails unless err is EINVALID naming field.
func wantFields(t *testing.T, err error, field string) {
	t.Helper()
	var e *participation.Error
	if !errors.As(err, &e) || e.Code != participation.EINVALID || e.Fields[field] == (participation.FieldError{}) {
		t.Errorf("error %v, want invalid %s", err, field)
	}
}
