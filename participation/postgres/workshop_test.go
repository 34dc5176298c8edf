package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// workshopFixture is a process with a workshop and one poll of four typed
// options (pick up to two), and the official's context.
type workshopFixture struct {
	s        *postgres.Store
	clk      *clock
	official context.Context
	w        *participation.Workshop
	poll     *participation.Poll
}

func newWorkshopFixture(t *testing.T) *workshopFixture {
	t.Helper()
	s, clk := newStore(t)
	ctx, _ := mustAccount(t, s, "official@example.fi", "official")
	if _, err := s.CreateProcess(ctx, participation.NewProcess{Slug: "avoin", Title: "Avoin hallinto"}); err != nil {
		t.Fatal(err)
	}
	starts := clk.t.Add(time.Hour)
	w, err := s.CreateWorkshop(ctx, "avoin", participation.NewWorkshop{Title: "Työpaja", StartsAt: &starts})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.CreatePoll(ctx, w.ID, participation.NewPoll{
		Question: "Mitkä ovat tärkeimmät?", MaxChoices: ptr(2),
		Options: []participation.NewPollOption{{Label: "A"}, {Label: "B"}, {Label: "C"}, {Label: "D"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &workshopFixture{s: s, clk: clk, official: ctx, w: w, poll: p}
}

func (f *workshopFixture) join(t *testing.T, name string) *participation.Participant {
	t.Helper()
	p, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: *f.w.JoinCode, Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *workshopFixture) option(i int) int64 { return f.poll.Options[i].ID }

func TestCreateWorkshop(t *testing.T) {
	s, clk := newStore(t)
	ctx, _ := mustAccount(t, s, "official@example.fi", "official")
	citizen, _ := mustAccount(t, s, "citizen@example.fi")
	if _, err := s.CreateProcess(ctx, participation.NewProcess{Slug: "avoin", Title: "Avoin"}); err != nil {
		t.Fatal(err)
	}
	starts := clk.t
	t.Run("OK", func(t *testing.T) {
		w, err := s.CreateWorkshop(ctx, "avoin", participation.NewWorkshop{Title: " Työpaja ", StartsAt: &starts})
		if err != nil {
			t.Fatal(err)
		}
		code, ok := participation.NormalizeJoinCode(*w.JoinCode)
		if w.Title != "Työpaja" || !ok || code != *w.JoinCode || !w.ShowResultsLive || len(w.Polls) != 0 {
			t.Fatalf("workshop %+v", w)
		}
		// The code is for officials.
		got, err := s.FindWorkshop(context.Background(), w.ID)
		if err != nil || got.JoinCode != nil {
			t.Fatalf("public workshop %+v %v", got, err)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := s.CreateWorkshop(citizen, "avoin", participation.NewWorkshop{Title: "x", StartsAt: &starts})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.CreateWorkshop(ctx, "nope", participation.NewWorkshop{Title: "x", StartsAt: &starts})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := s.CreateWorkshop(ctx, "avoin", participation.NewWorkshop{Title: ""})
		wantCode(t, err, participation.EINVALID)
	})
}

func TestJoinWorkshop(t *testing.T) {
	f := newWorkshopFixture(t)
	t.Run("OK", func(t *testing.T) {
		m := "Helsingfors"
		p, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: " " + strings.ToLower(*f.w.JoinCode), Municipality: &m})
		if err != nil {
			t.Fatal(err)
		}
		if p.WorkshopID != f.w.ID || len(p.Token) < 40 || p.Name != nil || *p.Municipality != "Helsinki" {
			t.Fatalf("participant %+v", p)
		}
		got, err := f.s.FindParticipant(context.Background(), p.Token)
		if err != nil || got.WorkshopID != f.w.ID {
			t.Fatalf("find %+v %v", got, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, code := range []string{"ABCDEF", "OOOOOO", "abc"} {
			if code == *f.w.JoinCode {
				continue
			}
			_, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: code})
			wantCode(t, err, participation.ENOTFOUND)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: ""})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := f.s.FindParticipant(context.Background(), "no-such-token")
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
}

// TestJoinWorkshopAgain: the joiner's own token, or its account, gives
// back the participant it already is; joining closed and accounts required
// are the workshop's rules.
func TestJoinWorkshopAgain(t *testing.T) {
	f := newWorkshopFixture(t)
	anon := context.Background()
	citizen, account := mustAccount(t, f.s, "citizen@example.fi")
	code := *f.w.JoinCode
	count := func(t *testing.T) int {
		t.Helper()
		n, err := f.s.CountParticipants(anon, []int64{f.w.ID})
		if err != nil {
			t.Fatal(err)
		}
		return n[f.w.ID]
	}
	first := f.join(t, "Aino")
	t.Run("OK/the browser's token", func(t *testing.T) {
		p, err := f.s.JoinWorkshop(anon, participation.NewParticipant{Code: code, Token: first.Token})
		if err != nil || p.Token != first.Token || p.ID != first.ID || *p.Name != "Aino" || count(t) != 1 {
			t.Fatalf("%+v %v", p, err)
		}
	})
	t.Run("OK/a name given again replaces the first", func(t *testing.T) {
		p, err := f.s.JoinWorkshop(anon, participation.NewParticipant{Code: code, Token: first.Token, Name: ptr("Aino K.")})
		if err != nil || p.ID != first.ID || *p.Name != "Aino K." {
			t.Fatalf("%+v %v", p, err)
		}
	})
	t.Run("OK/an unknown token joins anew", func(t *testing.T) {
		p, err := f.s.JoinWorkshop(anon, participation.NewParticipant{Code: code, Token: "nobody"})
		if err != nil || p.ID == first.ID || p.Token == "nobody" || count(t) != 2 {
			t.Fatalf("%+v %v", p, err)
		}
	})
	t.Run("OK/an account", func(t *testing.T) {
		a, err := f.s.JoinWorkshop(citizen, participation.NewParticipant{Code: code})
		if err != nil || a.AccountID == nil || *a.AccountID != account.ID {
			t.Fatalf("%+v %v", a, err)
		}
		b, err := f.s.JoinWorkshop(citizen, participation.NewParticipant{Code: code})
		if err != nil || b.ID != a.ID || b.Token == a.Token || count(t) != 3 {
			t.Fatalf("again: %+v %v", b, err)
		}
		for _, tok := range []string{a.Token, b.Token} {
			if p, err := f.s.FindParticipant(anon, tok); err != nil || p.ID != a.ID {
				t.Errorf("token %q: %+v %v", tok, p, err)
			}
		}
		// Another account's browser token is not this account's participant.
		other, _ := mustAccount(t, f.s, "other@example.fi")
		c, err := f.s.JoinWorkshop(other, participation.NewParticipant{Code: code, Token: a.Token})
		if err != nil || c.ID == a.ID {
			t.Fatalf("another account with the first's token: %+v %v", c, err)
		}
	})
	t.Run("ErrClosed", func(t *testing.T) {
		closed := false
		if _, err := f.s.UpdateWorkshop(f.official, f.w.ID, participation.WorkshopUpdate{JoiningOpen: &closed}); err != nil {
			t.Fatal(err)
		}
		before := count(t)
		_, err := f.s.JoinWorkshop(anon, participation.NewParticipant{Code: code})
		wantCode(t, err, participation.ECLOSED)
		if p, err := f.s.JoinWorkshop(anon, participation.NewParticipant{Code: code, Token: first.Token}); err != nil || p.ID != first.ID {
			t.Errorf("back in: %+v %v", p, err)
		}
		if count(t) != before {
			t.Error("a closed workshop took a participant")
		}
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		yes := true
		if _, err := f.s.UpdateWorkshop(f.official, f.w.ID, participation.WorkshopUpdate{RequireAccount: &yes, JoiningOpen: &yes}); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.JoinWorkshop(anon, participation.NewParticipant{Code: code})
		wantCode(t, err, participation.EUNAUTHENTICATED)
		if _, err := f.s.JoinWorkshop(citizen, participation.NewParticipant{Code: code}); err != nil {
			t.Error(err)
		}
	})
	t.Run("ErrInvalid/a municipality not on the list", func(t *testing.T) {
		_, err := f.s.JoinWorkshop(citizen, participation.NewParticipant{Code: code, Municipality: ptr("Atlantis")})
		wantCode(t, err, participation.EINVALID)
	})
}
