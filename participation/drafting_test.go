package participation

import (
	"slices"
	"testing"
)

func TestRankedThemes(t *testing.T) {
	theme := func(id int64, polls ...TracePoll) *RankedTheme {
		th := &RankedTheme{SourceRef: SourceRef{ID: id}}
		for _, p := range polls {
			th.AddPoll(p)
		}
		return th
	}
	none := theme(1)
	second := theme(2, TracePoll{PollID: 1, Votes: 3, Rank: 2}, TracePoll{PollID: 2, Votes: 9, Rank: 3})
	firstFew := theme(3, TracePoll{PollID: 1, Votes: 5, Rank: 1})
	firstMany := theme(4, TracePoll{PollID: 1, Votes: 5, Rank: 1}, TracePoll{PollID: 2, Votes: 4, Rank: 4})
	if *second.BestRank != 2 || second.Votes != 12 || len(second.Polls) != 2 || none.BestRank != nil {
		t.Fatalf("AddPoll: %+v, %+v", second, none)
	}
	themes := []*RankedTheme{none, second, firstFew, firstMany}
	SortRankedThemes(themes)
	var got []int64
	for _, th := range themes {
		got = append(got, th.ID)
	}
	// Best rank first, then more votes; a theme in no poll last.
	if want := []int64{4, 3, 2, 1}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
