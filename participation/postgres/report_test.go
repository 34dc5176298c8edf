package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

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

	r, err := f.s.FindReport(ctx, "avoin-hallinto")
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
