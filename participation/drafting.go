package participation

import (
	"context"
	"sort"
)

// RankedTheme is a theme on the drafting page with its workshop results
// and its ideas.
type RankedTheme struct {
	SourceRef
	RoundID   int64  `json:"round_id" db:"round_id"`
	RoundName string `json:"round_title" db:"round_title"`
	// RoundTexts are the round title's language and translations.
	RoundTexts Translatable `json:"-" db:"round"`
	BestRank   *int         `json:"best_rank" db:"best_rank"` // nil when in no poll
	Votes      int          `json:"votes" db:"votes"`         // in every poll together
	Polls      []TracePoll  `json:"polls" db:"-"`
	Ideas      []RankedIdea `json:"ideas" db:"-"`
}

// AddPoll counts one poll's result for the theme: its votes add up, and its
// best rank is the lowest of its ranks.
func (t *RankedTheme) AddPoll(p TracePoll) {
	t.Polls = append(t.Polls, p)
	t.Votes += p.Votes
	if t.BestRank == nil || p.Rank < *t.BestRank {
		rank := p.Rank
		t.BestRank = &rank
	}
}

// SortRankedThemes orders themes for drafting: those ranked in a poll
// first, by their best rank, then by their votes in all polls; ties keep
// their order.
func SortRankedThemes(themes []*RankedTheme) {
	sort.SliceStable(themes, func(i, j int) bool {
		a, b := themes[i], themes[j]
		switch {
		case (a.BestRank == nil) != (b.BestRank == nil):
			return a.BestRank != nil
		case a.BestRank != nil && *a.BestRank != *b.BestRank:
			return *a.BestRank < *b.BestRank
		}
		return a.Votes > b.Votes
	})
}

// RankedIdea is an idea on the drafting page.
type RankedIdea struct {
	ID               int64  `json:"id" db:"id"`
	Title            string `json:"title" db:"title"`
	Language         string `json:"language" db:"language"`
	Supports         int    `json:"supports" db:"supports"`
	SignedInSupports int    `json:"signed_in_supports" db:"signed_in_supports"` // those of signed-in people
	ThemeID          *int64 `json:"theme_id" db:"theme_id"`
	RoundID          int64  `json:"round_id" db:"round_id"`
}

// DraftingSources are what a process's participation chose, for drafting
// commitments: themes by their best rank in the workshop polls (then by
// votes), each with its ideas by supports, and the ideas in no theme.
type DraftingSources struct {
	Themes   []*RankedTheme `json:"themes"`
	Unthemed []RankedIdea   `json:"unthemed"`
}

// SortIdeas orders each theme's ideas, and the ideas in no theme, by
// SortSignedInSupports ("" too): the supports of signed-in people, which no
// respondent tokens can multiply, then all supports; or by SortSupports:
// all supports, then those of signed-in people. Ties keep the order of
// ids. Another order is EINVALID.
func (d *DraftingSources) SortIdeas(by string) error {
	var key func(RankedIdea) [2]int
	switch by {
	case "", SortSignedInSupports:
		key = func(i RankedIdea) [2]int { return [2]int{i.SignedInSupports, i.Supports} }
	case SortSupports:
		key = func(i RankedIdea) [2]int { return [2]int{i.Supports, i.SignedInSupports} }
	default:
		f := FieldErrors{}
		f.Add("sort", RuleChoice, 0)
		return f.Err()
	}
	sortIdeas := func(ideas []RankedIdea) {
		sort.SliceStable(ideas, func(i, j int) bool {
			a, b := key(ideas[i]), key(ideas[j])
			if a != b {
				return a[0] > b[0] || a[0] == b[0] && a[1] > b[1]
			}
			return ideas[i].ID < ideas[j].ID
		})
	}
	for _, t := range d.Themes {
		sortIdeas(t.Ideas)
	}
	sortIdeas(d.Unthemed)
	return nil
}

// DraftingService gathers what participation chose, for drafting commitments.
type DraftingService interface {
	// FindDraftingSources ranks a process's themes and ideas by the workshop votes.
	FindDraftingSources(ctx context.Context, processSlug string) (*DraftingSources, error)
}
