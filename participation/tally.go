package participation

import (
	"context"
	"slices"
	"sort"
	"time"
)

// Tally is a poll's result counted from its ballots, as the API and the
// live frames give it. AsOf is a time before the count's snapshot was taken:
// every ballot answered before AsOf is in it.
type Tally struct {
	PollID          int64         `json:"poll_id" db:"poll_id"`
	WorkshopID      int64         `json:"workshop_id" db:"workshop_id"`
	Question        string        `json:"question" db:"question"`
	MaxChoices      int           `json:"max_choices" db:"max_choices"`
	Status          string        `json:"status" db:"status"`
	Position        int           `json:"position" db:"position"`
	Ballots         int           `json:"ballots" db:"ballots"`
	ShowResultsLive bool          `json:"show_results_live" db:"show_results_live"`
	OpenedAt        *time.Time    `json:"opened_at" db:"opened_at"`
	ClosedAt        *time.Time    `json:"closed_at" db:"closed_at"`
	AsOf            time.Time     `json:"as_of" db:"-"`
	Options         []TallyOption `json:"options" db:"-"`
}

// TallyOption is one option's votes.
type TallyOption struct {
	ID      int64  `json:"id" db:"id"`
	Label   string `json:"label" db:"label"`
	ThemeID *int64 `json:"theme_id" db:"theme_id"`
	Votes   int    `json:"votes" db:"votes"`
}

// Ranks returns each option's rank by votes, in the options' order: 1 is the
// most votes and ties share a rank (1, 2, 2, 4).
func (t *Tally) Ranks() []int {
	votes := make([]int, len(t.Options))
	for i, o := range t.Options {
		votes[i] = o.Votes
	}
	return Ranks(votes)
}

// Ranks ranks counts, most first, ties sharing a rank (1, 2, 2, 4), in the
// counts' order.
func Ranks(counts []int) []int {
	sorted := slices.Clone(counts)
	sort.Sort(sort.Reverse(sort.IntSlice(sorted)))
	ranks := make([]int, len(counts))
	for i, c := range counts {
		ranks[i] = sort.Search(len(sorted), func(j int) bool { return sorted[j] <= c }) + 1
	}
	return ranks
}

// TallyFilter selects the polls to count: these polls, and every poll of
// these workshops.
type TallyFilter struct {
	PollIDs     []int64
	WorkshopIDs []int64
}

// ThemePollResult is how a theme fared in one closed poll of a workshop.
type ThemePollResult struct {
	PollID   int64  `json:"poll_id" db:"poll_id"`
	Question string `json:"question" db:"question"`
	OptionID int64  `json:"option_id" db:"option_id"`
	Votes    int    `json:"votes" db:"votes"`
	Rank     int    `json:"rank" db:"rank"`
}

// TallyService counts polls' ballots.
type TallyService interface {
	// FindTally counts one poll's ballots.
	FindTally(ctx context.Context, pollID int64) (*Tally, error)
	// FindTallies counts several polls' ballots in one snapshot, ordered by workshop and position.
	FindTallies(ctx context.Context, f TallyFilter) ([]*Tally, error)
	// FindClosedTallies returns the results of every closed poll of a process's workshops.
	FindClosedTallies(ctx context.Context, processID int64) ([]*Tally, error)
	// FindThemeResults returns, for each theme of an idea round, its votes
	// and rank in every closed poll that had it as an option.
	FindThemeResults(ctx context.Context, roundID int64) (map[int64][]ThemePollResult, error)
}
