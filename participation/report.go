package participation

import (
	"context"
	"strings"
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
// self-assessment: the commitments approved by its as-of day with their
// milestones as reported by then, and the totals.
type ImplementationReport struct {
	ProcessID   int64            `json:"process_id"`
	AsOf        Date             `json:"as_of"` // the day the statuses and lateness are judged at
	Commitments []*Commitment    `json:"commitments"`
	Totals      MilestoneTotals  `json:"totals"`
	Overdue     int              `json:"overdue"`    // milestones past due and not done at AsOf
	Completion  CompletionTotals `json:"completion"` // commitments per IRM level
	GeneratedAt time.Time        `json:"generated_at"`
}

// MilestoneReport is the status report of a milestone in force at a day:
// the latest one made by the day's end. A milestone with none is not
// started.
type MilestoneReport struct {
	MilestoneID   int64
	Status        string
	Note          *string
	EvidenceLinks []string
	ReportedAt    time.Time
	// Translatable is the note's language and translations.
	Translatable
}

// NewImplementationReport reports on commitments at the day asOf: each
// commitment keeps the milestones found in reports (those that existed by
// then; a nil value is one with no status report by then, not started), with
// the status in force, judged at asOf, and the milestones and commitments
// are counted.
func NewImplementationReport(processID int64, commitments []*Commitment, reports map[int64]*MilestoneReport, asOf Date, now time.Time) *ImplementationReport {
	r := &ImplementationReport{ProcessID: processID, AsOf: asOf, Commitments: commitments, GeneratedAt: now}
	if r.Commitments == nil {
		r.Commitments = []*Commitment{}
	}
	for _, c := range r.Commitments {
		ms := make([]Milestone, 0, len(c.Milestones))
		for _, m := range c.Milestones {
			rep, existed := reports[m.ID]
			if !existed {
				continue
			}
			m.Status, m.Note, m.EvidenceLinks, m.UpdatedAt, m.ReportedOn = MilestoneNotStarted, nil, []string{}, nil, nil
			m.NoteLanguage, m.NoteTranslations = Translatable{}.OwnLanguage(), nil
			if rep != nil {
				at, on := rep.ReportedAt, DateOf(rep.ReportedAt)
				m.Status, m.Note, m.EvidenceLinks, m.UpdatedAt, m.ReportedOn = rep.Status, rep.Note, rep.EvidenceLinks, &at, &on
				m.NoteLanguage, m.NoteTranslations = rep.OwnLanguage(), rep.Translations
				if m.EvidenceLinks == nil {
					m.EvidenceLinks = []string{}
				}
			}
			m.Judge(asOf)
			ms = append(ms, m)
			r.Totals.Add(m.Status)
			if m.Overdue {
				r.Overdue++
			}
		}
		c.Milestones = ms
		c.Completion = CompletionOf(ms)
		r.Completion.Add(c.Completion)
	}
	return r
}

// Fields and rules of a report's filter.
const (
	// FieldAsOf is the day a report is judged at.
	FieldAsOf = "as_of"
	// RuleNotAfterToday is broken by a day after today.
	RuleNotAfterToday = "not_after_today"
)

// ReportFilter chooses a process's implementation report and the day it
// is judged at: AsOf, today when empty.
type ReportFilter struct {
	ProcessSlug string
	AsOf        Date
}

// Validate checks the filter at now: AsOf must be a real day in
// YYYY-MM-DD form and not after today in Finland; an empty AsOf becomes
// today. A bad day is EMALFORMED, as a query parameter that cannot be read.
func (f *ReportFilter) Validate(now time.Time) error {
	f.AsOf = Date(strings.TrimSpace(string(f.AsOf)))
	today := DateOf(now)
	switch {
	case f.AsOf == "":
		f.AsOf = today
	case !f.AsOf.Valid():
		return &Error{Code: EMALFORMED, Message: "The date must be a day written YYYY-MM-DD, for example 2018-08-31.",
			Fields: FieldErrors{FieldAsOf: {Rule: RuleFormat}}}
	case f.AsOf > today:
		return &Error{Code: EMALFORMED, Message: "The date cannot be after today: statuses are known only up to today.",
			Fields: FieldErrors{FieldAsOf: {Rule: RuleNotAfterToday}}}
	}
	return nil
}

// Until is the end of the as-of day in Finland: the reports made before it
// are in force that day.
func (f ReportFilter) Until() time.Time {
	t, _ := time.ParseInLocation(DateLayout, string(f.AsOf), Helsinki)
	return t.AddDate(0, 0, 1)
}

// ReportService reports on a process's implementation.
type ReportService interface {
	// FindReport returns the implementation report of a process's
	// approved commitments, judged at the filter's day.
	FindReport(ctx context.Context, f ReportFilter) (*ImplementationReport, error)
}
