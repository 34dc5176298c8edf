package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// checkWall: the second workshop of 23.11.2016 has its wall under
// Julkisuus, Ymmärrettävyys and Avoin maakunta, closed, and each of the ten
// drafts was taken from one of its goals.
func checkWall(t *testing.T, s *postgres.Store, p *participation.Process) {
	t.Helper()
	ctx := context.Background()
	ws, err := s.FindWorkshops(ctx, p.ID)
	if err != nil || len(ws) != 2 {
		t.Fatalf("workshops %v %v", ws, err)
	}
	second := ws[1]
	if y, m, d := second.StartsAt.In(helsinki(t)).Date(); y != 2016 || m != time.November || d != 23 {
		t.Errorf("the second workshop is on %v", second.StartsAt)
	}
	walls, err := s.FindWalls(ctx, []int64{second.ID})
	if err != nil || len(walls) != 1 {
		t.Fatalf("walls %v %v", walls, err)
	}
	var titles []string
	for _, c := range walls[0].Collections {
		titles = append(titles, c.Title)
		if c.Status != participation.CollectionClosed || len(c.Proposals) < 2 {
			t.Errorf("collection %q: %s with %d proposals", c.Title, c.Status, len(c.Proposals))
		}
	}
	if !slices.Equal(titles, []string{"Julkisuus", "Ymmärrettävyys", "Avoin maakunta"}) {
		t.Errorf("the wall's themes %v", titles)
	}
	drafts, _, err := s.FindCommitments(ctx, participation.CommitmentFilter{ProcessSlug: p.Slug, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	linked := 0
	for _, c := range drafts {
		src, err := s.FindProposalSources(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ps := range src {
			if ps.WorkshopID != second.ID {
				t.Errorf("commitment %q from workshop %d", c.Title, ps.WorkshopID)
			}
			linked++
		}
	}
	if linked != 10 {
		t.Errorf("%d drafts taken from the wall's goals, want 10", linked)
	}
}

func helsinki(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
