package participation

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"time"
)

// Tally is a poll's result counted from its ballots, as the API and the
// live frames give it. AsOf is a time before the count's snapshot was taken:
// every ballot answered before AsOf is in it.
type Tally struct {
	PollID          int64      `json:"poll_id" db:"poll_id"`
	WorkshopID      int64      `json:"workshop_id" db:"workshop_id"`
	Question        string     `json:"question" db:"question"`
	MaxChoices      int        `json:"max_choices" db:"max_choices"`
	Status          string     `json:"status" db:"status"`
	Position        int        `json:"position" db:"position"`
	Ballots         int        `json:"ballots" db:"ballots"`
	ShowResultsLive bool       `json:"show_results_live" db:"show_results_live"`
	OpenedAt        *time.Time `json:"opened_at" db:"opened_at"`
	ClosedAt        *time.Time `json:"closed_at" db:"closed_at"`
	AsOf            time.Time  `json:"as_of" db:"-"`
	// WorkshopEndedAt is when an official ended the poll's workshop (null
	// until then, or once reopened), so that screens following it live
	// learn of the end.
	WorkshopEndedAt *time.Time    `json:"workshop_ended_at" db:"workshop_ended_at"`
	Options         []TallyOption `json:"options" db:"-"`
	// Translatable is the question's, so that a projector shows the
	// poll in its viewers' language.
	Translatable
}

// TallyOption is one option's votes, with its label's language and
// translations. Where the viewer may not see them (Tally.ShowTo), Votes is 0
// and hidden, and JSON gives null.
type TallyOption struct {
	ID      int64  `json:"id" db:"id"`
	Label   string `json:"label" db:"label"`
	ThemeID *int64 `json:"theme_id" db:"theme_id"`
	Votes   int    `json:"votes" db:"votes"`
	Translatable
	hidden bool
}

// Hidden reports whether ShowTo hid the option's votes.
func (o TallyOption) Hidden() bool { return o.hidden }

// MarshalJSON writes the option as API.md gives it: votes null when hidden.
func (o TallyOption) MarshalJSON() ([]byte, error) {
	type plain TallyOption // the fields without this method
	if !o.hidden {
		return json.Marshal(plain(o))
	}
	return json.Marshal(struct {
		plain
		Votes *int `json:"votes"`
	}{plain: plain(o)})
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

// VotesVisibleTo reports whether the tally's votes may be shown to viewer
// (nil when signed out): once the poll has closed, always; while it is
// open, if the workshop shows results live; to officials, always. Pages
// that show everyone the same (the projector, the ballot page) ask with nil.
func (t *Tally) VotesVisibleTo(viewer *Account) bool {
	switch {
	case t.Status == PollClosed:
		return true
	case t.Status == PollOpen && t.ShowResultsLive:
		return true
	}
	return MaySeeAllVotes(viewer)
}

// MaySeeAllVotes reports whether viewer (nil when signed out) sees every
// poll's votes, hidden or not: officials, who run the workshop.
func MaySeeAllVotes(viewer *Account) bool { return viewer.HasRole(RoleOfficial) }

// HidesVotesFrom reports whether the tally's numbers of votes are kept from
// viewer (nil when signed out), as API.md has it: where the workshop does
// not show results live, from everyone but officials until the poll has
// closed. (Whether a page draws the bars is VotesVisibleTo's question: a
// poll not yet open has no result to show, but its zeros are no secret.)
func (t *Tally) HidesVotesFrom(viewer *Account) bool {
	return !t.ShowResultsLive && t.Status != PollClosed && !MaySeeAllVotes(viewer)
}

// ShowTo hides the votes from viewer (nil when signed out) where they are
// kept from it (HidesVotesFrom); the number of ballots stays. It changes t:
// give it a copy (Hidden) to keep the counts.
func (t *Tally) ShowTo(viewer *Account) {
	if !t.HidesVotesFrom(viewer) {
		return
	}
	for i := range t.Options {
		t.Options[i].Votes, t.Options[i].hidden = 0, true
	}
}

// Hidden returns a copy of t with the votes hidden, as ShowTo hides them
// from those who may not see them; t keeps its counts.
func (t *Tally) Hidden() *Tally {
	c := *t
	c.Options = make([]TallyOption, len(t.Options))
	for i, o := range t.Options {
		o.Votes, o.hidden = 0, true
		c.Options[i] = o
	}
	return &c
}

// ShowsResults reports whether pages that show everyone the same (the
// projector, the participants' ballot page) show the tally's votes: as
// VotesVisibleTo says for someone signed out.
func (t *Tally) ShowsResults() bool { return t.VotesVisibleTo(nil) }

// CurrentPoll returns the index in tallies of the poll a projector shows,
// or -1 for none: the open poll opened last, else the poll closed last (its
// result stays up). Of equals, the first counts.
func CurrentPoll(tallies []*Tally) int {
	score := func(t *Tally) (int, time.Time) {
		switch {
		case t.Status == PollOpen && t.OpenedAt != nil:
			return 2, *t.OpenedAt
		case t.Status == PollClosed && t.ClosedAt != nil:
			return 1, *t.ClosedAt
		}
		return 0, time.Time{}
	}
	best, bestKind, bestAt := -1, 0, time.Time{}
	for i, t := range tallies {
		kind, at := score(t)
		if kind > bestKind || (kind == bestKind && kind > 0 && at.After(bestAt)) {
			best, bestKind, bestAt = i, kind, at
		}
	}
	return best
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
	// Translatable is the question's.
	Translatable
}

// TallyService counts polls' ballots.
type TallyService interface {
	// FindTally counts one poll's ballots, with the votes hidden where the
	// caller may not see them (Tally.ShowTo).
	FindTally(ctx context.Context, pollID int64) (*Tally, error)
	// FindTallies counts several polls' ballots in one snapshot, ordered by
	// workshop and position, every vote included: callers show each viewer
	// what it may see.
	FindTallies(ctx context.Context, f TallyFilter) ([]*Tally, error)
	// FindClosedTallies returns the results of every closed poll of a process's workshops.
	FindClosedTallies(ctx context.Context, processID int64) ([]*Tally, error)
	// FindThemeResults returns, for each theme of an idea round, its votes
	// and rank in every closed poll that had it as an option.
	FindThemeResults(ctx context.Context, roundID int64) (map[int64][]ThemePollResult, error)
}
