package postgres_test

import (
	"context"
	"slices"
	"testing"

	"osallistu/participation"
)

func TestUpdateMilestone(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	c := f.draft(t, "Saavutettavuusohje", nil, nil, ms("Saavutettavasti.fi beta")...)
	m := c.Milestones[0]
	t.Run("OK", func(t *testing.T) {
		got, err := f.s.UpdateMilestone(f.official, m.ID, participation.MilestoneUpdate{Status: "on_track", Note: ptr("Beta julkaistu"),
			EvidenceLinks: []string{"https://www.saavutettavasti.fi"}})
		if err != nil || got.Status != "on_track" || *got.Note != "Beta julkaistu" || !slices.Equal(got.EvidenceLinks, []string{"https://www.saavutettavasti.fi"}) ||
			got.UpdatedAt == nil {
			t.Fatalf("milestone %+v %v", got, err)
		}
		f.clk.t = f.clk.t.Add(3600e9)
		if _, err := f.s.UpdateMilestone(f.other, m.ID, participation.MilestoneUpdate{Status: "done"}); err != nil {
			t.Fatal(err)
		}
		changes, err := f.s.FindMilestoneChanges(context.Background(), m.ID)
		if err != nil || len(changes) != 2 || changes[0].Status != "done" || *changes[0].AuthorName != "Test other-official@example.fi" ||
			changes[0].Note != nil || changes[1].Status != "on_track" || *changes[1].Note != "Beta julkaistu" ||
			!changes[0].CreatedAt.Equal(f.clk.t) || changes[1].EvidenceLinks[0] != "https://www.saavutettavasti.fi" {
			t.Fatalf("history %+v %v", changes, err)
		}
		after, _ := f.s.FindCommitment(context.Background(), c.ID)
		if after.Completion != participation.CompletionComplete || after.Milestones[0].Overdue {
			t.Fatalf("commitment %+v", after)
		}
	})
	t.Run("Overdue", func(t *testing.T) {
		late := f.draft(t, "Myöhässä", nil, nil, participation.MilestoneText{Title: "Eilen", Due: participation.DateOf(f.clk.t.Add(-24 * 3600e9))})
		if !late.Milestones[0].Overdue {
			t.Fatalf("not overdue: %+v", late.Milestones[0])
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, u := range []participation.MilestoneUpdate{{Status: "cancelled"}, {}, {Status: "done", EvidenceLinks: []string{"not a link"}}} {
			_, err := f.s.UpdateMilestone(f.official, m.ID, u)
			wantCode(t, err, participation.EINVALID)
		}
		if changes, _ := f.s.FindMilestoneChanges(context.Background(), m.ID); len(changes) != 2 {
			t.Fatalf("a refused update was kept: %d changes", len(changes))
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.UpdateMilestone(f.citizen, m.ID, participation.MilestoneUpdate{Status: "done"})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.UpdateMilestone(f.official, 999999, participation.MilestoneUpdate{Status: "done"})
		wantCode(t, err, participation.ENOTFOUND)
		_, err = f.s.FindMilestoneChanges(context.Background(), 999999)
		wantCode(t, err, participation.ENOTFOUND)
	})
}
