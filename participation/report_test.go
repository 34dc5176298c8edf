package participation

import (
	"testing"
	"time"
)

func TestImplementationReport(t *testing.T) {
	now := time.Date(2018, 8, 31, 12, 0, 0, 0, time.UTC)
	at := func(day string) *MilestoneReport {
		d := Date(day)
		return &MilestoneReport{Status: MilestoneOnTrack, ReportedAt: d.Time().Add(9 * time.Hour)}
	}
	done, late := at("2018-08-14"), at("2018-08-14")
	done.Status, late.Status = MilestoneDone, MilestoneLate
	cs := []*Commitment{
		{ID: 1, Milestones: []Milestone{{ID: 1, Due: "2018-06-30", Status: MilestoneOnTrack}, {ID: 2, Due: "2018-12-31"}}},
		{ID: 2, Milestones: []Milestone{{ID: 3, Due: "2018-01-31"}, {ID: 4, Due: "2019-01-31"}, {ID: 5, Due: "2019-01-31"}}},
		{ID: 3},
	}
	reports := map[int64]*MilestoneReport{
		1: done, // done on 14.8.2018, after its due date
		2: at("2018-08-14"),
		3: nil, // never reported, past due
		4: late,
		// 5 did not exist yet
	}
	r := NewImplementationReport(9, cs, reports, "2018-08-31", now)
	if r.AsOf != "2018-08-31" || r.Totals != (MilestoneTotals{Done: 1, OnTrack: 1, Late: 1, NotStarted: 1}) || r.Totals.Sum() != 4 || r.Overdue != 1 ||
		r.Completion != (CompletionTotals{NotStarted: 1, Substantial: 1, Limited: 1}) {
		t.Fatalf("report %+v", r)
	}
	if len(cs[1].Milestones) != 2 || cs[1].Milestones[0].Status != MilestoneNotStarted || cs[1].Milestones[0].ReportedOn != nil ||
		cs[1].Milestones[0].Lateness != LatenessPastDue || *cs[0].Milestones[0].ReportedOn != "2018-08-14" {
		t.Fatalf("milestones %+v %+v", cs[0].Milestones, cs[1].Milestones)
	}

	// The same statuses judged years later: "on track" was said before
	// its due date, which has passed since.
	cs[0].Milestones = []Milestone{{ID: 1, Due: "2018-06-30"}, {ID: 2, Due: "2018-12-31"}}
	r = NewImplementationReport(9, cs[:1], reports, "2026-11-29", now)
	m := r.Commitments[0].Milestones[1]
	if m.Status != MilestoneOnTrack || m.Lateness != LatenessPassedSinceReport || !m.Overdue || r.Overdue != 1 {
		t.Fatalf("judged in 2026: %+v, %d overdue", m, r.Overdue)
	}
	if r := NewImplementationReport(9, nil, nil, "2018-08-31", now); r.Commitments == nil {
		t.Fatal("nil list")
	}
}

func TestReportFilter(t *testing.T) {
	// 23.30 on 31 August 2018 in Finland is 20.30 UTC; 00.30 on 1 September is 21.30 UTC on 31 August.
	evening := time.Date(2018, 8, 31, 20, 30, 0, 0, time.UTC)
	pastMidnight := time.Date(2018, 8, 31, 21, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		asOf string
		now  time.Time
		want Date
		rule string
	}{
		{"", evening, "2018-08-31", ""},
		{"", pastMidnight, "2018-09-01", ""},
		{" 2018-08-14 ", evening, "2018-08-14", ""},
		{"2018-09-01", evening, "", RuleNotAfterToday},
		{"2018-09-01", pastMidnight, "2018-09-01", ""},
		{"31.8.2018", evening, "", RuleFormat},
		{"2018-02-30", evening, "", RuleFormat},
		{"<script>", evening, "", RuleFormat},
	} {
		f := ReportFilter{ProcessSlug: "avoin", AsOf: Date(tc.asOf)}
		err := f.Validate(tc.now)
		if tc.rule == "" {
			if err != nil || f.AsOf != tc.want {
				t.Errorf("%q at %v: %q, %v", tc.asOf, tc.now, f.AsOf, err)
			}
			continue
		}
		var e *Error
		if !asError(err, &e) || e.Code != EMALFORMED || e.Fields[FieldAsOf].Rule != tc.rule {
			t.Errorf("%q at %v: %v, want %s", tc.asOf, tc.now, err, tc.rule)
		}
	}
	// The day ends at midnight in Finland.
	f := ReportFilter{AsOf: "2018-08-31"}
	if got := f.Until(); !got.Equal(time.Date(2018, 8, 31, 21, 0, 0, 0, time.UTC)) {
		t.Errorf("until %v", got)
	}
}
