package seed_test

import (
	"context"
	"os"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
	"osallistu/participation/postgres/seed"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestIdeas(t *testing.T) {
	now := time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)
	db := pgtest.New(t)
	s := postgres.NewStore(db, func() time.Time { return now })
	ctx := context.Background()
	a, err := s.EnsureAccount(ctx, "official@example.fi", "correct horse battery", "Official", participation.RoleOfficial)
	if err != nil {
		t.Fatal(err)
	}
	official := participation.NewContextWithAccount(ctx, a)
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "seed", Title: "Seed"}); err != nil {
		t.Fatal(err)
	}
	opens, closes := now.Add(-time.Hour), now.Add(time.Hour)
	r, err := s.CreateIdeaRound(official, "seed", participation.NewIdeaRound{Title: "Seed", OpensAt: &opens, ClosesAt: &closes})
	if err != nil {
		t.Fatal(err)
	}
	own, err := s.CreateIdea(official, r.ID, participation.NewIdea{Title: "Oma idea", Body: "Ensimmäinen."}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	// Twice: the second seeding adds to the first and comments only its own ideas.
	for range 2 {
		if err := seed.Ideas(ctx, db, r.ID, 50, 120, now); err != nil {
			t.Fatal(err)
		}
	}
	round, err := s.FindIdeaRound(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	ideas, total, err := s.FindIdeas(ctx, participation.IdeaFilter{RoundID: r.ID, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	comments := 0
	for _, i := range ideas {
		comments += i.Comments
		if i.ID == own.ID && i.Comments != 0 {
			t.Errorf("the round's own idea got %d comments", i.Comments)
		}
	}
	if round.IdeaCount != 101 || total != 101 || len(ideas) != 101 || comments != 240 {
		t.Fatalf("idea count %d, total %d, listed %d, comments %d; want 101, 101, 101, 240", round.IdeaCount, total, len(ideas), comments)
	}
	// A word of the comments only finds ideas through their discussion.
	_, found, err := s.FindIdeas(ctx, participation.IdeaFilter{RoundID: r.ID, Query: "kommentti", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if found != 100 {
		t.Fatalf("search of the comments' word found %d ideas, want the 100 seeded", found)
	}
}
