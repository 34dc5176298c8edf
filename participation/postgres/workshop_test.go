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
