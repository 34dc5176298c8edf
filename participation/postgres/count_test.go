package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"osallistu/participation"
)

// TestShardedCounts: ideas and comments written from many connections at
// once, some of them then hidden and one restored, leave the round's and
// the idea's counts exact, whatever shards the writers' connections had.
func TestShardedCounts(t *testing.T) {
	f := newIdeaFixture(t, false)
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	target := f.idea(t, citizen, "Kirjastot auki", "Kirjastot auki myös sunnuntaisin")
	const writers, each = 16, 5
	var mu sync.Mutex
	var ideas, comments []int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				idea, err := f.s.CreateIdea(citizen, f.round.ID, participation.NewIdea{Title: fmt.Sprintf("Idea %d.%d", w, i), Body: "Avoimuutta"}, "fi")
				if err != nil {
					t.Error(err)
					return
				}
				c, err := f.s.CreateComment(citizen, target.ID, participation.NewComment{Body: fmt.Sprintf("Kommentti %d.%d", w, i)}, "fi")
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ideas, comments = append(ideas, idea.ID), append(comments, c.ID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, item := range []struct {
		kind string
		ids  []int64
	}{{participation.KindIdea, ideas[:3]}, {participation.KindComment, comments[:3]}} {
		for _, id := range item.ids {
			if err := f.s.HideItem(f.official, item.kind, id, participation.Hide{Reason: "Asiaton sisältö"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.s.RestoreItem(f.official, item.kind, item.ids[0], participation.Decision{Reason: "Asiallinen"}); err != nil {
			t.Fatal(err)
		}
	}
	want := 1 + writers*each - 2 // the target idea too; two of the three stay hidden
	r, err := f.s.FindIdeaRound(context.Background(), f.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.IdeaCount != want {
		t.Errorf("round counts %d ideas, want %d", r.IdeaCount, want)
	}
	got, err := f.s.FindIdea(citizen, target.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Comments != writers*each-2 {
		t.Errorf("idea counts %d comments, want %d", got.Comments, writers*each-2)
	}
	_, total, err := f.s.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: f.round.ID, Limit: 10})
	if err != nil || total != want {
		t.Errorf("the list's total %d (%v), want %d", total, err, want)
	}
}
