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

// stranger joins another workshop of the same process.
func (f *workshopFixture) stranger(t *testing.T) *participation.Participant {
	t.Helper()
	starts := f.clk.t
	other, err := f.s.CreateWorkshop(f.official, "avoin", participation.NewWorkshop{Title: "Toinen", StartsAt: &starts})
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: *other.JoinCode})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

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

// TestWorkshopState: the state follows the workshop's window and the
// official's end; an ended workshop takes no new participants and opens
// no polls, and its open polls closed when it ended.
func TestWorkshopState(t *testing.T) {
	f := newWorkshopFixture(t)
	state := func(t *testing.T, want string) *participation.Workshop {
		t.Helper()
		w, err := f.s.FindWorkshop(context.Background(), f.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w.State != want {
			t.Fatalf("state %s, want %s", w.State, want)
		}
		return w
	}
	step := func(t *testing.T, want string) {
		t.Helper()
		p, err := f.s.FindProcessBySlug(context.Background(), "avoin")
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Steps) != 1 || p.Steps[0].Status != want {
			t.Fatalf("steps %+v, want status %s", p.Steps, want)
		}
	}
	state(t, participation.WorkshopUpcoming)
	step(t, participation.StatusUpcoming)
	in := f.join(t, "Aino") // joining before the start is fine
	f.clk.t = f.clk.t.Add(2 * time.Hour)
	state(t, participation.WorkshopRunning)
	step(t, participation.StatusOpen)
	t.Run("a closed poll does not end it", func(t *testing.T) {
		for _, do := range []func(context.Context, int64) (*participation.Poll, error){f.s.OpenPoll, f.s.ClosePoll} {
			if _, err := do(f.official, f.poll.ID); err != nil {
				t.Fatal(err)
			}
		}
		state(t, participation.WorkshopRunning)
		step(t, participation.StatusOpen)
	})
	second, err := f.s.CreatePoll(f.official, f.w.ID, participation.NewPoll{Question: "Toinen", MaxChoices: ptr(1),
		Options: []participation.NewPollOption{{Label: "A"}, {Label: "B"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.OpenPoll(f.official, second.ID); err != nil {
		t.Fatal(err)
	}
	t.Run("EndWorkshop", func(t *testing.T) {
		citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
		_, err := f.s.EndWorkshop(citizen, f.w.ID)
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = f.s.EndWorkshop(f.official, 999)
		wantCode(t, err, participation.ENOTFOUND)
		w, err := f.s.EndWorkshop(f.official, f.w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w.State != participation.WorkshopEnded || w.EndedAt == nil || !w.EndedAt.Equal(f.clk.t) {
			t.Fatalf("ended: %+v", w)
		}
		if p, _ := f.s.FindPoll(context.Background(), second.ID); p.Status != participation.PollClosed {
			t.Errorf("its open poll is %s after the end", p.Status)
		}
		step(t, participation.StatusClosed)
		p, _ := f.s.FindProcessBySlug(context.Background(), "avoin")
		if c := p.Steps[0].ClosesAt; c == nil || !c.Equal(f.clk.t) {
			t.Errorf("closes_at %v, want the end %v", c, f.clk.t)
		}
		// Ending again changes nothing.
		f.clk.t = f.clk.t.Add(time.Minute)
		if again, err := f.s.EndWorkshop(f.official, f.w.ID); err != nil || !again.EndedAt.Equal(*w.EndedAt) {
			t.Errorf("ended again: %+v %v", again, err)
		}
	})
	t.Run("an ended workshop takes no new participants and opens no polls", func(t *testing.T) {
		_, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: *f.w.JoinCode})
		wantCode(t, err, participation.ECLOSED)
		if back, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: *f.w.JoinCode, Token: in.Token}); err != nil || back.ID != in.ID {
			t.Errorf("one who joined before: %+v %v", back, err)
		}
		third, err := f.s.CreatePoll(f.official, f.w.ID, participation.NewPoll{Question: "Kolmas", MaxChoices: ptr(1),
			Options: []participation.NewPollOption{{Label: "A"}, {Label: "B"}}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.OpenPoll(f.official, third.ID)
		wantCode(t, err, participation.ECLOSED)
	})
	t.Run("ReopenWorkshop", func(t *testing.T) {
		w, err := f.s.ReopenWorkshop(f.official, f.w.ID)
		if err != nil || w.State != participation.WorkshopRunning || w.EndedAt != nil {
			t.Fatalf("reopened: %+v %v", w, err)
		}
		f.join(t, "Eino")
	})
	t.Run("ends by itself at ends_at; reopening clears a passed end", func(t *testing.T) {
		end := f.clk.t.Add(time.Hour)
		w, err := f.s.UpdateWorkshop(f.official, f.w.ID, participation.WorkshopUpdate{EndsAt: participation.NullableTime{Set: true, Time: &end}})
		if err != nil || w.EndsAt == nil || !w.EndsAt.Equal(end) || w.State != participation.WorkshopRunning {
			t.Fatalf("with an end: %+v %v", w, err)
		}
		f.clk.t = end
		state(t, participation.WorkshopEnded)
		step(t, participation.StatusClosed)
		_, err = f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: *f.w.JoinCode})
		wantCode(t, err, participation.ECLOSED)
		if w, err = f.s.ReopenWorkshop(f.official, f.w.ID); err != nil || w.EndsAt != nil || w.State != participation.WorkshopRunning {
			t.Fatalf("reopened: %+v %v", w, err)
		}
	})
}

func TestUpdateWorkshop(t *testing.T) {
	f := newWorkshopFixture(t)
	title, starts := "Toinen työpaja", f.clk.t.Add(24*time.Hour)
	end := starts.Add(3 * time.Hour)
	t.Run("OK", func(t *testing.T) {
		w, err := f.s.UpdateWorkshop(f.official, f.w.ID, participation.WorkshopUpdate{Title: &title, StartsAt: &starts,
			EndsAt: participation.NullableTime{Set: true, Time: &end}, Translations: &participation.Translations{"sv": {"title": "Andra verkstaden"}}})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.s.FindWorkshop(context.Background(), f.w.ID)
		for _, w := range []*participation.Workshop{w, got} {
			if w.Title != title || !w.StartsAt.Equal(starts) || w.EndsAt == nil || !w.EndsAt.Equal(end) || w.Translations.Get("sv", "title") != "Andra verkstaden" ||
				!w.ShowResultsLive || !w.JoiningOpen {
				t.Errorf("updated: %+v", w)
			}
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		early := starts.Add(-time.Hour)
		_, err := f.s.UpdateWorkshop(f.official, f.w.ID, participation.WorkshopUpdate{EndsAt: participation.NullableTime{Set: true, Time: &early}})
		wantCode(t, err, participation.EINVALID)
		if got, _ := f.s.FindWorkshop(context.Background(), f.w.ID); !got.EndsAt.Equal(end) {
			t.Errorf("a refused change was stored: %+v", got)
		}
	})
	t.Run("null clears the end", func(t *testing.T) {
		w, err := f.s.UpdateWorkshop(f.official, f.w.ID, participation.WorkshopUpdate{EndsAt: participation.NullableTime{Set: true}})
		if err != nil || w.EndsAt != nil || w.Title != title {
			t.Errorf("%+v %v", w, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.UpdateWorkshop(f.official, 999, participation.WorkshopUpdate{Title: &title})
		wantCode(t, err, participation.ENOTFOUND)
	})
}

// TestJoinByCodeKeepsToTheProcess: a join code is no way into a draft
// process (not found, but for its officials) nor into an archived one
// (closed).
func TestJoinByCodeKeepsToTheProcess(t *testing.T) {
	s, _ := newStore(t)
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	other, _ := mustAccount(t, s, "other@example.fi", "official")
	draft := participation.ProcessDraft
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "luonnos", Title: "Luonnos", Status: &draft}); err != nil {
		t.Fatal(err)
	}
	starts := time.Now().Add(-time.Minute)
	w, err := s.CreateWorkshop(official, "luonnos", participation.NewWorkshop{Title: "Työpaja", StartsAt: &starts})
	if err != nil {
		t.Fatal(err)
	}
	join := func(ctx context.Context) error {
		_, err := s.JoinWorkshop(ctx, participation.NewParticipant{Code: *w.JoinCode})
		return err
	}
	for name, ctx := range map[string]context.Context{"anonymous": context.Background(), "another official": other} {
		if err := join(ctx); participation.ErrorCode(err) != participation.ENOTFOUND {
			t.Errorf("%s joins a draft's workshop: %v, want not found", name, err)
		}
	}
	if err := join(official); err != nil {
		t.Errorf("its official tries the draft's workshop: %v", err)
	}
	for _, action := range []string{participation.ProcessPublish, participation.ProcessArchive} {
		if _, err := s.ChangeProcessStatus(official, "luonnos", action); err != nil {
			t.Fatal(err)
		}
	}
	if err := join(context.Background()); participation.ErrorCode(err) != participation.ECLOSED {
		t.Errorf("joining an archived process's workshop: %v, want closed", err)
	}
}
