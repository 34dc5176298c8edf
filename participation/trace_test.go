package participation

import (
	"testing"
)

func TestTraceCommitments(t *testing.T) {
	into := func(id int64) *int64 { return &id }
	tr := &Trace{Commitments: []TraceCommitment{}, Milestones: []Milestone{}}
	// The idea fed 1 through its theme and 2 itself; 1 was merged into 3,
	// which the idea's theme also fed.
	tr.AddCommitment(TraceCommitment{ID: 1, Status: CommitmentMerged, MergedInto: into(3)}, ViaTheme)
	tr.AddCommitment(TraceCommitment{ID: 2, Status: CommitmentApproved}, ViaIdea)
	tr.AddCommitment(TraceCommitment{ID: 2, Status: CommitmentApproved}, ViaTheme) // once, still via the idea
	tr.AddEnd(1, TraceCommitment{ID: 3, Status: CommitmentApproved})
	tr.SetMilestones([]Milestone{{CommitmentID: 2, Status: MilestoneDone}, {CommitmentID: 3, Status: MilestoneOnTrack}})
	want := []TraceCommitment{
		{ID: 1, Status: CommitmentMerged, MergedInto: into(3), Via: ViaTheme, EndedIn: into(3)},
		{ID: 2, Status: CommitmentApproved, Via: ViaIdea, Completion: CompletionComplete},
		{ID: 3, Status: CommitmentApproved, Via: ViaTheme, Completion: CompletionLimited},
	}
	if len(tr.Commitments) != len(want) {
		t.Fatalf("commitments %+v", tr.Commitments)
	}
	for i, c := range tr.Commitments {
		w := want[i]
		if c.ID != w.ID || c.Via != w.Via || c.Completion != w.Completion ||
			(c.EndedIn == nil) != (w.EndedIn == nil) || (c.EndedIn != nil && *c.EndedIn != *w.EndedIn) {
			t.Errorf("commitment %d: %+v, want %+v", i, c, w)
		}
	}
	if len(tr.Milestones) != 2 {
		t.Errorf("milestones %+v", tr.Milestones)
	}
	// An end that the idea fed itself becomes via the idea.
	tr.AddCommitment(TraceCommitment{ID: 4, Status: CommitmentMerged, MergedInto: into(2)}, ViaTheme)
	tr.AddEnd(4, TraceCommitment{ID: 2, Status: CommitmentApproved})
	if tr.Commitments[1].Via != ViaIdea || len(tr.Commitments) != 4 {
		t.Errorf("after a second merge: %+v", tr.Commitments)
	}
}
