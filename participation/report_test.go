package participation

import (
	"testing"
	"time"
)

func TestImplementationReport(t *testing.T) {
	now := time.Date(2018, 8, 31, 12, 0, 0, 0, time.UTC)
	cs := []*Commitment{
		{ID: 1, Completion: CompletionSubstantial, Milestones: []Milestone{{Status: MilestoneDone}, {Status: MilestoneOnTrack, Overdue: true}}},
		{ID: 2, Completion: CompletionNotStarted, Milestones: []Milestone{{Status: MilestoneNotStarted}, {Status: MilestoneLate}}},
		{ID: 3, Completion: CompletionNotStarted},
	}
	r := NewImplementationReport(9, cs, now)
	if r.Totals != (MilestoneTotals{Done: 1, OnTrack: 1, Late: 1, NotStarted: 1}) || r.Totals.Sum() != 4 || r.Overdue != 1 ||
		r.Completion != (CompletionTotals{NotStarted: 2, Substantial: 1}) {
		t.Fatalf("report %+v", r)
	}
	if r := NewImplementationReport(9, nil, now); r.Commitments == nil {
		t.Fatal("nil list")
	}
}
