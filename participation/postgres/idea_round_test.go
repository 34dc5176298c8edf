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
