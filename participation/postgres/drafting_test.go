package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"osallistu/participation"
)

func TestFindDraftingSources(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	// themes[2] wins the first poll, themes[0] ties with it in the second;
	// themes[1] is second at best.
	castVotes(t, f.s, f.processID, "Ensimmäinen", "closed", []int64{f.themes[0].ID, f.themes[1].ID, f.themes[2].ID}, []int{1, 4, 6})
	castVotes(t, f.s, f.processID, "Toinen", "closed", []int64{f.themes[0].ID, f.themes[2].ID}, []int{2, 2})
	for range 2 {
		if _, err := f.s.SupportIdea(respondentCtx(t, f.s), f.ideas[3].ID); err != nil {
			t.Fatal(err)
		}
		f.clk.t = f.clk.t.Add(1)
	}
	src, err := f.s.FindDraftingSources(context.Background(), "avoin-hallinto")
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, th := range src.Themes {
		order = append(order, fmt.Sprint(th.Title, " ", *th.BestRank, " ", th.Votes))
	}
	if !slices.Equal(order, []string{"Avoin maakunta 1 8", "Ymmärrettävyys 1 3", "Julkisuus 2 4"}) {
		t.Fatalf("themes %v", order)
	}
	// Ymmärrettävyys holds ideas 0 and 3; 3 has the supports.
	if ideas := src.Themes[1].Ideas; len(ideas) != 2 || ideas[0].ID != f.ideas[3].ID || ideas[0].Supports != 2 {
		t.Fatalf("ideas %+v", ideas)
	}
	if len(src.Unthemed) != 1 || src.Unthemed[0].ID != f.ideas[6].ID {
		t.Fatalf("unthemed %+v", src.Unthemed)
	}
	_, err = f.s.FindDraftingSources(context.Background(), "nope")
	wantCode(t, err, participation.ENOTFOUND)
}
