package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
)

func TestCreateIdeaRound(t *testing.T) {
	f := newIdeaFixture(t, true)
	if f.round.Status != participation.StatusOpen || f.round.ProcessID == 0 {
		t.Fatalf("round %+v", f.round)
	}
	p, err := f.s.FindProcessBySlug(context.Background(), "avoin-hallinto")
	if err != nil || len(p.Steps) != 1 || p.Steps[0].Kind != "idea_round" || p.Steps[0].Status != "open" {
		t.Fatalf("steps %+v %v", p.Steps, err)
	}
	now := f.clk.t
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.CreateIdeaRound(f.official, "avoin-hallinto", participation.NewIdeaRound{Title: "x", OpensAt: &now, ClosesAt: &now})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.CreateIdeaRound(f.official, "nope", participation.NewIdeaRound{Title: "x", OpensAt: &now, ClosesAt: ptr(now.Add(time.Hour))})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
		_, err := f.s.CreateIdeaRound(citizen, "avoin-hallinto", participation.NewIdeaRound{Title: "x", OpensAt: &now, ClosesAt: ptr(now.Add(time.Hour))})
		wantCode(t, err, participation.EFORBIDDEN)
	})
}

func TestUpdateIdeaRound(t *testing.T) {
	f := newIdeaFixture(t, false)
	closes := f.round.ClosesAt
	later := closes.AddDate(0, 0, 16)
	t.Run("OK", func(t *testing.T) {
		title := "Ennakkotehtävä (jatkettu)"
		yes := true
		r, err := f.s.UpdateIdeaRound(f.official, f.round.ID, participation.IdeaRoundPatch{
			Title: &title, ClosesAt: &later, AllowAnonymous: &yes,
			Translations: &participation.Translations{"sv": {"title": "Förhandsuppgift"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if r.Title != title || !r.ClosesAt.Equal(later) || !r.OpensAt.Equal(f.round.OpensAt) || !r.AllowAnonymous || r.Translations.Get("sv", "title") != "Förhandsuppgift" {
			t.Fatalf("round %+v", r)
		}
		if len(r.WindowChanges) != 1 {
			t.Fatalf("window changes %+v", r.WindowChanges)
		}
		w := r.WindowChanges[0]
		if !w.ClosesAtBefore.Equal(closes) || !w.ClosesAt.Equal(later) || w.OpensChanged() || !w.ChangedAt.Equal(f.clk.t) || w.AuthorName == nil {
			t.Fatalf("window change %+v", w)
		}
		// The texts alone leave the window's history as it was.
		desc := "Kerro ideasi."
		r, err = f.s.UpdateIdeaRound(f.official, f.round.ID, participation.IdeaRoundPatch{Description: &desc, ClosesAt: &later})
		if err != nil || r.Description != desc || len(r.WindowChanges) != 1 {
			t.Fatalf("description %+v %v", r, err)
		}
		rounds, err := f.s.FindIdeaRounds(context.Background(), r.ProcessID)
		if err != nil || len(rounds) != 1 || len(rounds[0].WindowChanges) != 1 {
			t.Fatalf("rounds %+v %v", rounds, err)
		}
	})
	t.Run("shortened until closed", func(t *testing.T) {
		past := f.clk.t.Add(-time.Minute)
		r, err := f.s.UpdateIdeaRound(f.official, f.round.ID, participation.IdeaRoundPatch{ClosesAt: &past})
		if err != nil || r.Status != participation.StatusClosed || len(r.WindowChanges) != 2 {
			t.Fatalf("round %+v %v", r, err)
		}
		_, err = f.s.CreateIdea(context.Background(), f.round.ID, participation.NewIdea{Title: "Myöhässä", Body: "x"}, "fi")
		wantCode(t, err, participation.ECLOSED)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		before := f.round.OpensAt.Add(-time.Hour)
		_, err := f.s.UpdateIdeaRound(f.official, f.round.ID, participation.IdeaRoundPatch{ClosesAt: &before})
		wantCode(t, err, participation.EINVALID)
		r, _ := f.s.FindIdeaRound(context.Background(), f.round.ID)
		if r.ClosesAt.Equal(before) || len(r.WindowChanges) != 2 {
			t.Fatalf("a refused change was stored: %+v", r)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.UpdateIdeaRound(f.official, 999999, participation.IdeaRoundPatch{})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
		_, err := f.s.UpdateIdeaRound(citizen, f.round.ID, participation.IdeaRoundPatch{ClosesAt: &later})
		wantCode(t, err, participation.EFORBIDDEN)
	})
}
