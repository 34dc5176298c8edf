package postgres_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
)

func TestCreateAccount(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		a, err := s.CreateAccount(ctx, participation.NewAccount{Email: " Liisa@Example.FI ", Password: "0123456789", Name: "Liisa"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Email != "liisa@example.fi" || !slices.Equal(a.Roles, []string{"citizen"}) || a.Municipality != nil {
			t.Fatalf("account = %+v", a)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := s.CreateAccount(ctx, participation.NewAccount{Email: "LIISA@example.fi", Password: "0123456789", Name: "Other"})
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, n := range []participation.NewAccount{
			{Email: "a@example.fi", Password: "123456789", Name: "Short password"},
			{Email: "not-an-email", Password: "0123456789", Name: "Bad email"},
			{Email: "b@example.fi", Password: "0123456789", Name: "  "},
		} {
			_, err := s.CreateAccount(ctx, n)
			wantCode(t, err, participation.EINVALID)
		}
		// Nothing was stored by the rejected requests.
		if _, err := s.CreateSession(ctx, "a@example.fi", "123456789"); participation.ErrorCode(err) != participation.EUNAUTHENTICATED {
			t.Fatalf("a rejected registration can sign in: %v", err)
		}
	})
	t.Run("PasswordCountsCharacters", func(t *testing.T) {
		// Ten characters, more than ten bytes.
		if _, err := s.CreateAccount(ctx, participation.NewAccount{Email: "c@example.fi", Password: "ääääääääää", Name: "Ä"}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCreateSession(t *testing.T) {
	s, clk := newStore(t)
	ctx := context.Background()
	if _, err := s.CreateAccount(ctx, participation.NewAccount{Email: "matti@example.fi", Password: "salasana-123", Name: "Matti"}); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		sess, err := s.CreateSession(ctx, "MATTI@example.fi", "salasana-123")
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.FindAccountByToken(ctx, sess.Token)
		if err != nil || a.Email != "matti@example.fi" {
			t.Fatalf("find by token: %v %v", a, err)
		}
		if err := s.DeleteSession(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		_, err = s.FindAccountByToken(ctx, sess.Token)
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, errWrong := s.CreateSession(ctx, "matti@example.fi", "wrong password")
		_, errUnknown := s.CreateSession(ctx, "nobody@example.fi", "wrong password")
		wantCode(t, errWrong, participation.EUNAUTHENTICATED)
		if participation.ErrorMessage(errWrong) != participation.ErrorMessage(errUnknown) {
			t.Fatalf("messages differ: %q vs %q", participation.ErrorMessage(errWrong), participation.ErrorMessage(errUnknown))
		}
	})
	t.Run("ErrRateLimited", func(t *testing.T) {
		s.SetLoginDelay(func(int) time.Duration { return 0 }) // the delay has a test of its own
		for i := 0; i < 10; i++ {
			s.CreateSession(ctx, "matti@example.fi", "guess")
		}
		_, err := s.CreateSession(ctx, "matti@example.fi", "salasana-123")
		wantCode(t, err, participation.ERATELIMITED)
		clk.t = clk.t.Add(16 * time.Minute)
		if _, err := s.CreateSession(ctx, "matti@example.fi", "salasana-123"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		sess, err := s.CreateSession(ctx, "matti@example.fi", "salasana-123")
		if err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(postgres.SessionLifetime + time.Second)
		_, err = s.FindAccountByToken(ctx, sess.Token)
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
}

func TestSetRoles(t *testing.T) {
	s, _ := newStore(t)
	adminCtx, _ := mustAccount(t, s, "admin@example.fi", "admin")
	citizenCtx, citizen := mustAccount(t, s, "citizen@example.fi")
	t.Run("OK", func(t *testing.T) {
		a, err := s.SetRoles(adminCtx, citizen.ID, []string{"official"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Roles, []string{"citizen", "official"}) {
			t.Fatalf("roles = %v", a.Roles)
		}
		a, err = s.SetRoles(adminCtx, citizen.ID, []string{})
		if err != nil || !slices.Equal(a.Roles, []string{"citizen"}) {
			t.Fatalf("roles = %v, %v", a.Roles, err)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := s.SetRoles(citizenCtx, citizen.ID, []string{"admin"})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := s.SetRoles(adminCtx, citizen.ID, []string{"king"})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.SetRoles(adminCtx, 999999, []string{"official"})
		wantCode(t, err, participation.ENOTFOUND)
	})
}

func TestEnsureAdmin(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	a1, err := s.EnsureAdmin(ctx, "Admin@Example.fi", "admin-password", "Admin")
	if err != nil {
		t.Fatal(err)
	}
	a2, err := s.EnsureAdmin(ctx, "admin@example.fi", "admin-password", "Admin")
	if err != nil {
		t.Fatal(err)
	}
	if a1.ID != a2.ID || !slices.Equal(a2.Roles, []string{"citizen", "official", "admin"}) {
		t.Fatalf("first %+v, second %+v", a1, a2)
	}
	// An existing citizen is promoted, not duplicated.
	_, c := mustAccount(t, s, "citizen@example.fi")
	a3, err := s.EnsureAdmin(ctx, "citizen@example.fi", "whatever-password", "X")
	if err != nil || a3.ID != c.ID || !a3.HasRole("admin") {
		t.Fatalf("promote: %+v %v", a3, err)
	}
}

func TestExportAndErase(t *testing.T) {
	s, clk := newStore(t)
	ctx, a := mustAccount(t, s, "official@example.fi", "official")
	if _, err := s.CreateProcess(ctx, participation.NewProcess{Slug: "my-process", Title: "Mine", Description: ""}); err != nil {
		t.Fatal(err)
	}
	// A contribution of every kind, so that every personal table has a row.
	opens, closes := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	round, err := s.CreateIdeaRound(ctx, "my-process", participation.NewIdeaRound{Title: "R", OpensAt: &opens, ClosesAt: &closes})
	if err != nil {
		t.Fatal(err)
	}
	idea, err := s.CreateIdea(ctx, round.ID, participation.NewIdea{Title: "My idea", Body: "Text", AuthorName: ptr("Official Me"), Municipality: ptr("Espoo")}, "en")
	if err != nil {
		t.Fatal(err)
	}
	comment, err := s.CreateComment(ctx, idea.ID, participation.NewComment{Body: "Mine too", AuthorName: ptr("Official Me")}, "en")
	if err != nil {
		t.Fatal(err)
	}
	// Nobody supports their own idea: the support is of another's.
	otherCtx, _ := mustAccount(t, s, "other@example.fi")
	others, err := s.CreateIdea(otherCtx, round.ID, participation.NewIdea{Title: "Their idea", Body: "Text"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SupportIdea(ctx, others.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.ReportItem(ctx, participation.KindComment, comment.ID, participation.Report{Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := s.HideItem(ctx, participation.KindComment, comment.ID, participation.Hide{Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	w, err := s.CreateWorkshop(ctx, "my-process", participation.NewWorkshop{Title: "W", StartsAt: &opens})
	if err != nil {
		t.Fatal(err)
	}
	joined, err := s.JoinWorkshop(ctx, participation.NewParticipant{Code: *w.JoinCode, Municipality: ptr("Espoo")})
	if err != nil {
		t.Fatal(err)
	}
	// A proposal on the workshop's wall, sent while joined signed in.
	wall, err := s.CreateCollection(ctx, w.ID, participation.NewCollection{Title: "Seinä"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitProposal(ctx, wall.ID, joined.Token, participation.NewProposal{Body: "Ehdotus seinälle"}); err != nil {
		t.Fatal(err)
	}
	commitmentContributions(t, s, ctx, "my-process", idea.ID)
	statementContributions(t, s, ctx, "my-process", closes)
	surveyContributions(t, s, ctx, "my-process")
	// An event it added, and its registration for it.
	starts := clk.t.Add(48 * time.Hour)
	ends := starts.Add(time.Hour)
	ev, err := s.CreateEvent(ctx, "my-process", participation.NewEvent{Title: "E", Location: "Mariankatu 9", StartsAt: &starts, EndsAt: &ends})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Register(ctx, ev.ID, participation.NewRegistration{}); err != nil {
		t.Fatal(err)
	}
	// The round's window moved, and two of its themes merged, by this official.
	later := closes.AddDate(0, 1, 0)
	if _, err := s.UpdateIdeaRound(ctx, round.ID, participation.IdeaRoundPatch{ClosesAt: &later}); err != nil {
		t.Fatal(err)
	}
	t1, err := s.CreateTheme(ctx, round.ID, participation.NewTheme{Title: "T1"})
	if err != nil {
		t.Fatal(err)
	}
	t2, err := s.CreateTheme(ctx, round.ID, participation.NewTheme{Title: "T2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeTheme(ctx, t1.ID, participation.ThemeMerge{IntoID: &t2.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.RequestEmailChange(ctx, "official.new@example.fi"); err != nil {
		t.Fatal(err)
	}
	// Last, as it stops the account's writing: a moderator's block.
	modCtx, _ := mustAccount(t, s, "moderator@example.fi", "official")
	until := time.Now().Add(24 * time.Hour)
	if _, err := s.BlockAccount(modCtx, a.ID, participation.NewBlock{Until: &until, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSession(context.Background(), a.Email, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	// What names it by its email: a failed sign-in, invitations to a survey
	// and a statement request.
	if _, err := s.CreateSession(context.Background(), a.Email, "a wrong guess"); participation.ErrorCode(err) != participation.EUNAUTHENTICATED {
		t.Fatal(err)
	}
	invitedBy(t, s, ctx, "my-process", a.Email, closes)
	// A newsletter subscription to its email, and an introduction it wrote.
	if err := s.Subscribe(ctx, participation.NewSubscription{Email: a.Email, Process: "my-process", Language: "fi"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDigestIntro(ctx, participation.DigestRef{Process: "my-process"}, "Tervetuloa"); err != nil {
		t.Fatal(err)
	}
	x, err := s.ExportAccount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range postgres.PersonalDataTables() {
		var rows []map[string]any
		if err := json.Unmarshal(x.Data[table], &rows); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if len(rows) == 0 {
			t.Errorf("export of %s is empty", table)
		}
	}
	if string(x.Data["sessions"]) != "" && json.Valid(x.Data["sessions"]) && containsKey(x.Data["sessions"], "token_hash") {
		t.Error("the export shows session token hashes")
	}
	// The message settings are with the account; messages are listed once, as the outbox.
	if !containsKey(x.Data["accounts"], "lang") || !containsKey(x.Data["accounts"], "email_notifications") {
		t.Errorf("the export lacks the message settings: %s", x.Data["accounts"])
	}
	if _, ok := x.Data["notifications"]; ok {
		t.Error("the export lists notifications besides the outbox")
	}

	if err := s.EraseAccount(ctx); err != nil {
		t.Fatal(err)
	}
	// Nothing names it by its email any more (a sign-in tried after it
	// counts again, as for any unknown email).
	var named int
	if err := s.DB().Get(&named, `SELECT (SELECT count(*) FROM login_failures WHERE email = $1) + (SELECT count(*) FROM survey_invitations WHERE email = $1)
		+ (SELECT count(*) FROM statement_request_emails WHERE email = $1) + (SELECT count(*) FROM organisation_invitations WHERE email = $1)
		+ (SELECT count(*) FROM outbox WHERE email = $1) + (SELECT count(*) FROM subscriptions WHERE email = $1)
		+ (SELECT count(*) FROM registrations WHERE email = $1)`, a.Email); err != nil || named != 0 {
		t.Errorf("%d rows still name the erased account's email: %v", named, err)
	}
	_, err = s.CreateSession(context.Background(), a.Email, "correct horse battery")
	wantCode(t, err, participation.EUNAUTHENTICATED)
	_, err = s.FindAccountByID(ctx, a.ID)
	wantCode(t, err, participation.ENOTFOUND)
	// The contributions stay, without the author's name.
	if _, err := s.FindProcessBySlug(ctx, "my-process"); err != nil {
		t.Fatalf("the process went with its author: %v", err)
	}
	if got, err := s.FindIdea(context.Background(), idea.ID); err != nil || got.AuthorName != nil || got.Municipality != nil || !got.AuthorGone {
		t.Fatalf("idea after erasure: %+v %v", got, err)
	}
	if got, err := s.FindIdea(context.Background(), others.ID); err != nil || got.Supports != 1 {
		t.Fatalf("the support went with its author: %+v %v", got, err)
	}
	// Its links go, with the email to the new address, which names no account.
	var links int
	if err := s.DB().Get(&links, `SELECT (SELECT count(*) FROM account_tokens WHERE account_id = $1) + (SELECT count(*) FROM outbox WHERE email = 'official.new@example.fi')`, a.ID); err != nil || links != 0 {
		t.Errorf("%d links and their emails left: %v", links, err)
	}
	// The email can be registered again.
	if _, err := s.CreateAccount(context.Background(), participation.NewAccount{Email: a.Email, Password: "0123456789", Name: "New"}); err != nil {
		t.Fatal(err)
	}
}

// invitedBy invites email to a survey and a statement request of the
// process slug, as the official in ctx.
func invitedBy(t *testing.T, s *postgres.Store, ctx context.Context, slug, email string, after time.Time) {
	t.Helper()
	sv, err := s.CreateSurvey(ctx, slug, participation.NewSurvey{Title: "Kutsukysely", Anonymous: ptr(false), Questions: sampleQuestions(false)[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenSurvey(ctx, sv.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.InviteToSurvey(ctx, sv.ID, participation.NewInvitations{Emails: []string{email}}); err != nil {
		t.Fatal(err)
	}
	deadline := after.Add(30 * 24 * time.Hour)
	r, err := s.CreateStatementRequest(ctx, slug, participation.NewStatementRequest{Title: "Kutsu lausunnolle", Deadline: &deadline,
		Questions: []participation.QuestionInput{{Prompt: "Kysymys?"}}, InvitedEmails: []string{email}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishStatementRequest(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
}

func containsKey(raw json.RawMessage, key string) bool {
	var rows []map[string]any
	json.Unmarshal(raw, &rows)
	for _, r := range rows {
		if _, ok := r[key]; ok {
			return true
		}
	}
	return false
}

// TestPersonalDataCoverage fails when a table refers to accounts, or names
// people by email, but export and erasure do not cover it: every later
// table with personal data must be added to the store's list.
func TestPersonalDataCoverage(t *testing.T) {
	db := pgtest.New(t)
	var tables []string
	if err := db.Select(&tables, `
		SELECT c.conrelid::regclass::text FROM pg_constraint c
		WHERE c.contype = 'f' AND c.confrelid = 'accounts'::regclass
		UNION
		SELECT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'email'`); err != nil {
		t.Fatal(err)
	}
	covered := postgres.PersonalDataTables()
	for _, table := range tables {
		if !slices.Contains(covered, table) {
			t.Errorf("table %s refers to accounts but is not in the store's personal data list (export and erasure)", table)
		}
	}
}
