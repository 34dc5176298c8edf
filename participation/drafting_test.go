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

func TestDraftingSortIdeas(t *testing.T) {
	themed := []RankedIdea{{ID: 1, Supports: 200, SignedInSupports: 1}, {ID: 2, Supports: 5, SignedInSupports: 5}, {ID: 3, Supports: 9, SignedInSupports: 5}, {ID: 4, Supports: 5, SignedInSupports: 5}}
	unthemed := []RankedIdea{{ID: 5, Supports: 50}, {ID: 6, Supports: 2, SignedInSupports: 2}}
	ids := func(ideas []RankedIdea) []int64 {
		var out []int64
		for _, i := range ideas {
			out = append(out, i.ID)
		}
		return out
	}
	for _, tc := range []struct {
		by               string
		themed, unthemed []int64
	}{
		// Signed-in supports first (the default), then all; ties by id.
		{"", []int64{3, 2, 4, 1}, []int64{6, 5}},
		{SortSignedInSupports, []int64{3, 2, 4, 1}, []int64{6, 5}},
		{SortSupports, []int64{1, 3, 2, 4}, []int64{5, 6}},
	} {
		d := &DraftingSources{Themes: []*RankedTheme{{Ideas: slices.Clone(themed)}}, Unthemed: slices.Clone(unthemed)}
		if err := d.SortIdeas(tc.by); err != nil {
			t.Fatalf("%q: %v", tc.by, err)
		}
		if got := ids(d.Themes[0].Ideas); !slices.Equal(got, tc.themed) {
			t.Errorf("%q: theme's ideas %v, want %v", tc.by, got, tc.themed)
		}
		if got := ids(d.Unthemed); !slices.Equal(got, tc.unthemed) {
			t.Errorf("%q: unthemed %v, want %v", tc.by, got, tc.unthemed)
		}
	}
	if err := (&DraftingSources{}).SortIdeas("votes"); ErrorCode(err) != EINVALID {
		t.Errorf("an unknown order: %v", err)
	}
}
