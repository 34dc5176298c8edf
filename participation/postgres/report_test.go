package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
)

// TestSeedCommitments replays the end of the seed's process, Finland's Open
// Government action plan 2017–2019: ten commitment drafts from the idea
// round's ideas and themes, three merged into others ("ten became seven,
// with nothing lost"), seven approved, their milestones reported at the
// mid-term self-assessment, and the report's totals.
func TestSeedCommitments(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	vulnerable := f.idea(t, f.citizen, "Haavoittuvassa asemassa olevat mukaan", "Maahanmuuttajat ja vanhukset")
	th := func(i int) int64 { return f.themes[i].ID }
	id := func(i int) int64 { return f.ideas[i].ID }
	const (
		done = participation.MilestoneDone
		on   = participation.MilestoneOnTrack
		late = participation.MilestoneLate
		not  = participation.MilestoneNotStarted
	)
	drafts := []struct {
		title    string
		ideas    []int64
		themes   []int64
		statuses []string // of its milestones at the mid-term review
	}{
		{"Lisätään lasten ja nuorten osallisuutta päätöksenteon valmistelussa ministeriöissä", []int64{id(0)}, []int64{th(0)}, []string{done, late}},
		{"Haavoittuvassa asemassa olevien ihmisten osallisuuden edistäminen", []int64{vulnerable.ID}, nil, []string{done, on, not}},
		{"Eri osallisuusmuotojen käytön tukeminen", nil, []int64{th(0)}, []string{done, on}},
		{"Tukea ja koulutusta selkeään kieleen", []int64{id(3)}, nil, []string{done}},
		{"Tukea ja kokeiluja erilaisten viestintäkanavien käyttöön", []int64{id(6)}, nil, []string{not, late}},
		{"Laaditaan ohje viestinnän saavutettavuudesta", []int64{id(3)}, []int64{th(0)}, []string{on}},
		{"Laajennetaan julkisuusperiaate koskemaan myös yhtiömuodossa tuotettavia julkisia palveluja", []int64{id(1)}, []int64{th(1)}, []string{on}},
		{"Laaditaan ohjeistus avoimen hallinnon periaatteista palvelujen tuottajien sopimuksiin", []int64{id(4)}, nil, []string{late, late}},
		{"Vahvistetaan julkisuuslakiosaamista hallinnossa", nil, []int64{th(1)}, []string{done, on}},
		{"Laaditaan maakuntahallinnosta selkeä kuvaus", []int64{id(2), id(5)}, []int64{th(2)}, []string{on, late}},
	}
	var cs []*participation.Commitment
	want := map[int64]string{} // milestone id → status to report
	for i, d := range drafts {
		var mts []participation.MilestoneText
		for j := range d.statuses {
			mts = append(mts, participation.MilestoneText{Title: fmt.Sprintf("Toimenpide %d.%d", i+1, j+1),
				Due: participation.Date(fmt.Sprintf("2019-%02d-30", j+4)), Responsible: "VM"})
		}
		c := f.draft(t, d.title, d.ideas, d.themes, mts...)
		for j, m := range c.Milestones {
			want[m.ID] = d.statuses[j]
		}
		cs = append(cs, c)
	}
	// The statements round revises a draft.
	if _, err := f.s.UpdateCommitment(f.official, cs[0].ID, participation.CommitmentPatch{
		Description: ptr("Lasten oikeuksien päivää kehitetään ja lasten kuulemista selvitetään."), ChangeNote: "46 lausunnon pohjalta"}); err != nil {
		t.Fatal(err)
	}
	// Three are merged into others: ten become seven.
	merges := map[int]int{1: 0, 5: 3, 7: 6}
	for from, into := range merges {
		if _, err := f.s.MergeCommitment(f.official, cs[from].ID, participation.Merge{IntoID: &cs[into].ID, Note: "Yhdistetty lausuntojen pohjalta"}); err != nil {
			t.Fatal(err)
		}
	}
	// Seven are approved: every one that was not merged.
	for i, c := range cs {
		if _, merged := merges[i]; merged {
			_, err := f.s.ApproveCommitment(f.official, c.ID)
			wantCode(t, err, participation.ECONFLICT)
			continue
		}
		if _, err := f.s.ApproveCommitment(f.official, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	// The mid-term review reports each milestone's status.
	for mid, status := range want {
		if status == not {
			continue // not started is where every milestone begins
		}
		if _, err := f.s.UpdateMilestone(f.official, mid, participation.MilestoneUpdate{Status: status, Note: ptr("Tilanne elokuussa 2018")}); err != nil {
			t.Fatal(err)
		}
	}

	ctx := context.Background()
	count := func(status string) int {
		_, total, err := f.s.FindCommitments(ctx, participation.CommitmentFilter{ProcessSlug: "avoin-hallinto", Status: status, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	if n, a, m, d := count(""), count("approved"), count("merged"), count("draft"); n != 10 || a != 7 || m != 3 || d != 0 {
		t.Fatalf("%d commitments: %d approved, %d merged, %d drafts", n, a, m, d)
	}
	// Nothing is lost: every source, milestone and text of a merged one is
	// found on the commitment it ended in.
	for from, into := range merges {
		merged, err := f.s.FindCommitment(ctx, cs[from].ID)
		if err != nil {
			t.Fatal(err)
		}
		target, err := f.s.FindCommitment(ctx, cs[into].ID)
		if err != nil {
			t.Fatal(err)
		}
		if merged.Status != "merged" || *merged.MergedInto != target.ID || !slices.Contains(target.MergedFrom, merged.ID) {
			t.Fatalf("%q: %s into %v", merged.Title, merged.Status, merged.MergedInto)
		}
		for _, src := range cs[from].Sources.Ideas {
			if !slices.Contains(refIDs(target.Sources.Ideas), src.ID) {
				t.Errorf("idea %q of %q is not on %q", src.Title, merged.Title, target.Title)
			}
		}
		for _, src := range cs[from].Sources.Themes {
			if !slices.Contains(refIDs(target.Sources.Themes), src.ID) {
				t.Errorf("theme %q of %q is not on %q", src.Title, merged.Title, target.Title)
			}
		}
		for _, m := range cs[from].Milestones {
			if !slices.ContainsFunc(target.Milestones, func(x participation.Milestone) bool { return x.ID == m.ID }) {
				t.Errorf("milestone %q of %q is not on %q", m.Title, merged.Title, target.Title)
			}
		}
		if !strings.Contains(target.Problem, cs[from].Problem) || !strings.Contains(target.Description, cs[from].Description) {
			t.Errorf("the text of %q is not in %q", merged.Title, target.Title)
		}
		// And through the trace, from each of its ideas.
		for _, src := range cs[from].Sources.Ideas {
			tr, err := f.s.FindTrace(ctx, src.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(tr.Commitments, func(c participation.TraceCommitment) bool {
				return c.ID == merged.ID && c.EndedIn != nil && *c.EndedIn == target.ID
			}) {
				t.Errorf("the trace of %q does not follow %q to %q: %+v", src.Title, merged.Title, target.Title, tr.Commitments)
			}
		}
	}

	r, err := f.s.FindReport(ctx, participation.ReportFilter{ProcessSlug: "avoin-hallinto"})
	if err != nil {
		t.Fatal(err)
	}
	var expected participation.MilestoneTotals
	for _, status := range want {
		expected.Add(status)
	}
	if expected != (participation.MilestoneTotals{Done: 5, OnTrack: 6, Late: 5, NotStarted: 2}) {
		t.Fatalf("the test's own count %+v", expected)
	}
	if len(r.Commitments) != 7 || r.Totals != expected || r.Totals.Sum() != 18 {
		t.Fatalf("report: %d commitments, totals %+v", len(r.Commitments), r.Totals)
	}
	lateCommitments := 0
	for _, c := range r.Commitments {
		if c.Status != "approved" {
			t.Errorf("%q is %s", c.Title, c.Status)
		}
		if slices.ContainsFunc(c.Milestones, func(m participation.Milestone) bool { return m.Status == late }) {
			lateCommitments++
		}
	}
	// "Neljän tavoitteen kohdalla ollaan aikataulusta myöhässä."
	if lateCommitments != 4 {
		t.Errorf("%d commitments are late, want 4", lateCommitments)
	}
	if r.Completion != (participation.CompletionTotals{Limited: 4, Substantial: 3}) {
		t.Errorf("completion %+v", r.Completion)
	}
	if len(r.Commitments[0].Milestones) != 5 || r.Commitments[0].Version != 3 {
		t.Errorf("the first commitment: %d milestones, version %d", len(r.Commitments[0].Milestones), r.Commitments[0].Version)
	}
}

// TestReportAsOf: a report judged at a day shows the commitments approved
// by then, their milestones that existed by then, with the status reports
// in force that day (up to its midnight in Finland), and lateness judged
// at it: "on track" reported before a due date that has passed since says
// so.
func TestReportAsOf(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	at := func(y int, m time.Month, d, h, min int) { f.clk.t = time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	a := f.draft(t, "Lasten osallisuus", nil, nil,
		participation.MilestoneText{Title: "Lasten oikeuksien päivä", Due: "2018-06-30"},
		participation.MilestoneText{Title: "TEAS-selvitys", Due: "2018-12-31"})
	b := f.draft(t, "Selkeä kieli", nil, nil, participation.MilestoneText{Title: "Koulutus", Due: "2019-06-30"})
	at(2017, 3, 17, 10, 0)
	if _, err := f.s.ApproveCommitment(f.official, a.ID); err != nil {
		t.Fatal(err)
	}
	m1, m2 := a.Milestones[0].ID, a.Milestones[1].ID
	report := func(id int64, status string) {
		t.Helper()
		if _, err := f.s.UpdateMilestone(f.official, id, participation.MilestoneUpdate{Status: status, Note: ptr("Tilanne " + status)}); err != nil {
			t.Fatal(err)
		}
	}
	at(2018, 8, 14, 9, 0)
	report(m1, participation.MilestoneOnTrack)
	report(m2, participation.MilestoneOnTrack)
	at(2018, 8, 31, 21, 30) // 00.30 on 1 September in Finland
	report(m1, participation.MilestoneDone)
	at(2019, 1, 10, 10, 0)
	if _, err := f.s.ApproveCommitment(f.official, b.ID); err != nil {
		t.Fatal(err)
	}
	at(2019, 2, 1, 10, 0) // a third milestone, added after the mid-term review
	ms := []participation.MilestoneText{
		{ID: m1, Title: "Lasten oikeuksien päivä", Due: "2018-06-30"}, {ID: m2, Title: "TEAS-selvitys", Due: "2018-12-31"},
		{Title: "Malli kunnille", Due: "2019-06-30"}}
	if _, err := f.s.UpdateCommitment(f.official, a.ID, participation.CommitmentPatch{Milestones: &ms}); err != nil {
		t.Fatal(err)
	}
	at(2026, 11, 29, 12, 0)
	ctx := context.Background()
	find := func(asOf participation.Date) *participation.ImplementationReport {
		t.Helper()
		r, err := f.s.FindReport(ctx, participation.ReportFilter{ProcessSlug: "avoin-hallinto", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	type judged struct {
		status, lateness string
		reportedOn       participation.Date
	}
	milestones := func(c *participation.Commitment) []judged {
		var out []judged
		for _, m := range c.Milestones {
			j := judged{status: m.Status, lateness: m.Lateness}
			if m.ReportedOn != nil {
				j.reportedOn = *m.ReportedOn
			}
			out = append(out, j)
		}
		return out
	}

	t.Run("OK at the mid-term review", func(t *testing.T) {
		r := find("2018-08-31")
		if r.AsOf != "2018-08-31" || len(r.Commitments) != 1 || r.Commitments[0].ID != a.ID {
			t.Fatalf("as of %s: %d commitments", r.AsOf, len(r.Commitments))
		}
		want := []judged{
			{participation.MilestoneOnTrack, participation.LatenessPastDue, "2018-08-14"}, // said after its due date
			{participation.MilestoneOnTrack, participation.LatenessNone, "2018-08-14"},
		}
		if got := milestones(r.Commitments[0]); !slices.Equal(got, want) {
			t.Fatalf("milestones %+v", got)
		}
		if r.Totals != (participation.MilestoneTotals{OnTrack: 2}) || r.Overdue != 1 || *r.Commitments[0].Milestones[0].Note != "Tilanne on_track" {
			t.Fatalf("totals %+v, %d overdue", r.Totals, r.Overdue)
		}
	})
	t.Run("OK before any report", func(t *testing.T) {
		r := find("2018-08-13")
		want := []judged{{participation.MilestoneNotStarted, participation.LatenessPastDue, ""}, {participation.MilestoneNotStarted, participation.LatenessNone, ""}}
		if got := milestones(r.Commitments[0]); !slices.Equal(got, want) || r.Commitments[0].Milestones[0].Note != nil {
			t.Fatalf("milestones %+v", got)
		}
	})
	t.Run("OK today", func(t *testing.T) {
		r := find("")
		if r.AsOf != "2026-11-29" || len(r.Commitments) != 2 {
			t.Fatalf("as of %s: %d commitments", r.AsOf, len(r.Commitments))
		}
		want := []judged{
			{participation.MilestoneDone, participation.LatenessNone, "2018-09-01"},
			{participation.MilestoneOnTrack, participation.LatenessPassedSinceReport, "2018-08-14"}, // on track, due date passed since
			{participation.MilestoneNotStarted, participation.LatenessPastDue, ""},
		}
		if got := milestones(r.Commitments[0]); !slices.Equal(got, want) {
			t.Fatalf("milestones %+v", got)
		}
		// The commitment's own page judges today the same way.
		c, err := f.s.FindCommitment(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := milestones(c); !slices.Equal(got, want) {
			t.Fatalf("the commitment's milestones %+v", got)
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, day := range []participation.Date{"2026-11-30", "2018-13-01", "31.8.2018"} {
			_, err := f.s.FindReport(ctx, participation.ReportFilter{ProcessSlug: "avoin-hallinto", AsOf: day})
			wantCode(t, err, participation.EMALFORMED)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.FindReport(ctx, participation.ReportFilter{ProcessSlug: "ei-ole", AsOf: "2018-08-31"})
		wantCode(t, err, participation.ENOTFOUND)
	})
}
