package participation

import (
	"context"
	"time"
)

// MilestoneTotals counts milestones per status.
type MilestoneTotals struct {
	Done       int `json:"done"`
	OnTrack    int `json:"on_track"`
	Late       int `json:"late"`
	NotStarted int `json:"not_started"`
}

// Add counts one milestone of status.
func (t *MilestoneTotals) Add(status string) {
	switch status {
	case MilestoneDone:
		t.Done++
	case MilestoneOnTrack:
		t.OnTrack++
	case MilestoneLate:
		t.Late++
	case MilestoneNotStarted:
		t.NotStarted++
	}
}

// Of returns the count of status.
func (t MilestoneTotals) Of(status string) int {
	switch status {
	case MilestoneDone:
		return t.Done
	case MilestoneOnTrack:
		return t.OnTrack
	case MilestoneLate:
		return t.Late
	case MilestoneNotStarted:
		return t.NotStarted
	}
	return 0
}

// Sum returns the number of milestones counted.
func (t MilestoneTotals) Sum() int { return t.Done + t.OnTrack + t.Late + t.NotStarted }

// CompletionTotals counts commitments per IRM completion level.
type CompletionTotals struct {
	NotStarted  int `json:"not_started"`
	Limited     int `json:"limited"`
	Substantial int `json:"substantial"`
	Complete    int `json:"complete"`
}

// Add counts one commitment of level.
func (t *CompletionTotals) Add(level string) {
	switch level {
	case CompletionNotStarted:
		t.NotStarted++
	case CompletionLimited:
		t.Limited++
	case CompletionSubstantial:
		t.Substantial++
	case CompletionComplete:
		t.Complete++
	}
}

// Of returns the count of level.
func (t CompletionTotals) Of(level string) int {
	switch level {
	case CompletionNotStarted:
		return t.NotStarted
	case CompletionLimited:
		return t.Limited
	case CompletionSubstantial:
		return t.Substantial
	case CompletionComplete:
		return t.Complete
	}
	return 0
}

// ImplementationReport is a process's implementation report, the
// self-assessment: the approved commitments with their milestones and the
// totals.
type ImplementationReport struct {
	ProcessID   int64            `json:"process_id"`
	Commitments []*Commitment    `json:"commitments"`
	Totals      MilestoneTotals  `json:"totals"`
	Overdue     int              `json:"overdue"`    // milestones past due and not done
	Completion  CompletionTotals `json:"completion"` // commitments per IRM level
	GeneratedAt time.Time        `json:"generated_at"`
}

// NewImplementationReport counts the milestones of approved commitments.
func NewImplementationReport(processID int64, commitments []*Commitment, now time.Time) *ImplementationReport {
	r := &ImplementationReport{ProcessID: processID, Commitments: commitments, GeneratedAt: now}
	if r.Commitments == nil {
		r.Commitments = []*Commitment{}
	}
	for _, c := range r.Commitments {
		for _, m := range c.Milestones {
			r.Totals.Add(m.Status)
			if m.Overdue {
				r.Overdue++
			}
		}
		r.Completion.Add(c.Completion)
	}
	return r
}

// ReportService reports on a process's implementation.
type ReportService interface {
	// FindReport returns the implementation report of a process's approved commitments.
	FindReport(ctx context.Context, processSlug string) (*ImplementationReport, error)
}
