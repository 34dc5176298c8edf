package participation

import (
	"slices"
	"testing"
	"time"
)

func TestRanks(t *testing.T) {
	for _, tc := range []struct{ in, want []int }{
		{[]int{5, 3, 3, 1}, []int{1, 2, 2, 4}},
		{[]int{1, 3, 3, 5}, []int{4, 2, 2, 1}},
		{[]int{0, 0}, []int{1, 1}},
		{nil, []int{}},
	} {
		if got := Ranks(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Ranks(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestTallyVotesVisibleTo(t *testing.T) {
	official := &Account{Roles: []string{RoleCitizen, RoleOfficial}}
	citizen := &Account{Roles: []string{RoleCitizen}}
	for _, tc := range []struct {
		status string
		live   bool
		viewer *Account
		want   bool
	}{
		{PollClosed, false, nil, true},
		{PollClosed, true, citizen, true},
		{PollOpen, true, nil, true},
		{PollOpen, false, nil, false},
		{PollOpen, false, citizen, false},
		{PollOpen, false, official, true},
		{PollDraft, true, nil, false},
		{PollDraft, false, official, true},
	} {
		tally := &Tally{Status: tc.status, ShowResultsLive: tc.live}
		if got := tally.VotesVisibleTo(tc.viewer); got != tc.want {
			t.Errorf("%s, live %v, viewer %v: %v, want %v", tc.status, tc.live, tc.viewer, got, tc.want)
		}
	}
}

func TestCurrentPoll(t *testing.T) {
	at := func(min int) *time.Time {
		v := time.Date(2017, 9, 1, 9, min, 0, 0, time.UTC)
		return &v
	}
	draft := &Tally{PollID: 1, Status: PollDraft}
	closedEarly := &Tally{PollID: 2, Status: PollClosed, OpenedAt: at(0), ClosedAt: at(5)}
	closedLate := &Tally{PollID: 3, Status: PollClosed, OpenedAt: at(6), ClosedAt: at(10)}
	openEarly := &Tally{PollID: 4, Status: PollOpen, OpenedAt: at(7)}
	openLate := &Tally{PollID: 5, Status: PollOpen, OpenedAt: at(8)}
	for _, tc := range []struct {
		name    string
		tallies []*Tally
		want    int // the index, -1 for none
	}{
		{"none", nil, -1},
		{"only drafts", []*Tally{draft}, -1},
		{"the one closed last", []*Tally{draft, closedLate, closedEarly}, 1},
		{"an open one before closed ones", []*Tally{closedLate, openEarly}, 1},
		{"the open one opened last", []*Tally{openLate, openEarly, closedLate}, 0},
		{"of equals the first", []*Tally{openLate, {PollID: 6, Status: PollOpen, OpenedAt: at(8)}}, 0},
	} {
		if got := CurrentPoll(tc.tallies); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
