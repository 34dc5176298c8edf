package participation

import (
	"encoding/json"
	"slices"
	"strings"
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

func TestTallyShowTo(t *testing.T) {
	official := &Account{Roles: []string{RoleCitizen, RoleOfficial}}
	tally := func() *Tally {
		return &Tally{Status: PollOpen, Ballots: 3, Options: []TallyOption{{ID: 1, Votes: 2}, {ID: 2, Votes: 1}}}
	}
	votes := func(t *testing.T, tl *Tally) string {
		t.Helper()
		data, err := json.Marshal(tl)
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			Ballots int `json:"ballots"`
			Options []struct {
				ID    int64           `json:"id"`
				Votes json.RawMessage `json:"votes"`
			} `json:"options"`
		}
		if err := json.Unmarshal(data, &v); err != nil || v.Ballots != 3 || len(v.Options) != 2 || v.Options[0].ID != 1 {
			t.Fatalf("%v: %s", err, data)
		}
		return string(v.Options[0].Votes) + "," + string(v.Options[1].Votes)
	}
	t.Run("hidden from the public while open", func(t *testing.T) {
		tl := tally()
		tl.ShowTo(nil)
		if got := votes(t, tl); got != "null,null" || !tl.Options[0].Hidden() {
			t.Errorf("votes %s", got)
		}
	})
	t.Run("officials see them", func(t *testing.T) {
		tl := tally()
		tl.ShowTo(official)
		if got := votes(t, tl); got != "2,1" || tl.Options[0].Hidden() {
			t.Errorf("votes %s", got)
		}
	})
	t.Run("live results show to everyone", func(t *testing.T) {
		tl := tally()
		tl.ShowResultsLive = true
		tl.ShowTo(nil)
		if got := votes(t, tl); got != "2,1" || !tl.ShowsResults() {
			t.Errorf("votes %s", got)
		}
	})
	t.Run("a poll not yet open hides nothing where results show live", func(t *testing.T) {
		tl := tally()
		tl.Status, tl.ShowResultsLive = PollDraft, true
		tl.ShowTo(nil)
		if got := votes(t, tl); got != "2,1" || tl.ShowsResults() {
			t.Errorf("votes %s", got)
		}
	})
	t.Run("Hidden copies", func(t *testing.T) {
		tl := tally()
		if got := votes(t, tl.Hidden()); got != "null,null" {
			t.Errorf("hidden copy: votes %s", got)
		}
		if got := votes(t, tl); got != "2,1" || tl.ShowsResults() {
			t.Errorf("the original: votes %s", got)
		}
	})
	t.Run("the other fields stay", func(t *testing.T) {
		theme := int64(7)
		tl := &Tally{Options: []TallyOption{{ID: 1, Label: "A", ThemeID: &theme, Votes: 2}}}
		data, _ := json.Marshal(tl.Hidden())
		if !strings.Contains(string(data), `{"id":1,"label":"A","theme_id":7,"language":"","translations":{},"votes":null}`) {
			t.Errorf("%s", data)
		}
	})
}
