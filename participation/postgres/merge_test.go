package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"osallistu/participation"
)

func TestMergeCommitment(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	into := f.draft(t, "Julkisuusperiaate yhtiöihin", []int64{f.ideas[1].ID}, []int64{f.themes[1].ID}, ms("Selvitys")...)
	from := f.draft(t, "Sopimusohjeistus", []int64{f.ideas[1].ID, f.ideas[4].ID}, []int64{f.themes[1].ID, f.themes[2].ID}, ms("Ohjeistus", "Kampanja")...)
	// A status report on a milestone that moves keeps its history.
	if _, err := f.s.UpdateMilestone(f.official, from.Milestones[0].ID, participation.MilestoneUpdate{Status: "late", Note: ptr("Alkoi myöhässä")}); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		merged, err := f.s.MergeCommitment(f.other, from.ID, participation.Merge{IntoID: &into.ID, Note: "Yhdistetty lausuntojen pohjalta"})
		if err != nil {
			t.Fatal(err)
		}
		if merged.Status != participation.CommitmentMerged || *merged.MergedInto != into.ID || merged.MergedAt == nil ||
			len(merged.Milestones) != 0 || merged.Version != from.Version || merged.Title != from.Title {
			t.Fatalf("merged %+v", merged)
		}
		// Nothing is deleted: its sources stay with it too.
		if !slices.Equal(refIDs(merged.Sources.Ideas), refIDs(from.Sources.Ideas)) {
			t.Fatalf("the merged one lost its sources: %+v", merged.Sources)
		}
		got, err := f.s.FindCommitment(context.Background(), into.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || !slices.Equal(got.MergedFrom, []int64{from.ID}) ||
			!slices.Equal(refIDs(got.Sources.Ideas), []int64{f.ideas[1].ID, f.ideas[4].ID}) ||
			!slices.Equal(refIDs(got.Sources.Themes), []int64{f.themes[1].ID, f.themes[2].ID}) {
			t.Fatalf("target %+v", got)
		}
		if len(got.Milestones) != 3 || got.Milestones[0].Title != "Selvitys" || got.Milestones[1].ID != from.Milestones[0].ID ||
			got.Milestones[1].Status != "late" || got.Milestones[2].Title != "Kampanja" || got.Milestones[1].OriginID != from.ID {
			t.Fatalf("milestones %+v", got.Milestones)
		}
		if !strings.Contains(got.Problem, "Sopimusohjeistus:\n"+from.Problem) || !strings.HasPrefix(got.Problem, into.Problem) ||
			!strings.Contains(got.Description, from.Description) {
			t.Fatalf("text %q / %q", got.Problem, got.Description)
		}
		changes, err := f.s.FindMilestoneChanges(context.Background(), from.Milestones[0].ID)
		if err != nil || len(changes) != 1 || *changes[0].Note != "Alkoi myöhässä" {
			t.Fatalf("history %+v %v", changes, err)
		}
		if cs, _ := f.s.FindCommitmentChanges(context.Background(), into.ID); len(cs) != 1 {
			t.Fatalf("target's changes %+v", cs)
		}
		vs, _, _ := f.s.FindCommitmentVersions(context.Background(), into.ID, 50, 0)
		v := vs[1]
		if *v.ChangeNote != "Yhdistetty lausuntojen pohjalta" || *v.MergedFrom != from.ID ||
			!slices.Equal(v.ChangedFields, []string{"problem", "description", "milestones", "sources"}) {
			t.Fatalf("merge version %+v", v)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		other := f.draft(t, "Kolmas", nil, nil)
		// Into itself.
		_, err := f.s.MergeCommitment(f.official, other.ID, participation.Merge{IntoID: &other.ID})
		wantCode(t, err, participation.ECONFLICT)
		// Into a merged one.
		_, err = f.s.MergeCommitment(f.official, other.ID, participation.Merge{IntoID: &from.ID})
		wantCode(t, err, participation.ECONFLICT)
		// A merged one, anywhere; even with a bad body (state before content).
		_, err = f.s.MergeCommitment(f.official, from.ID, participation.Merge{IntoID: &other.ID})
		wantCode(t, err, participation.ECONFLICT)
		_, err = f.s.MergeCommitment(f.official, from.ID, participation.Merge{})
		wantCode(t, err, participation.ECONFLICT)
		if got, _ := f.s.FindCommitment(context.Background(), other.ID); got.Status != participation.CommitmentDraft {
			t.Fatalf("status %s", got.Status)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		other := f.draft(t, "Neljäs", nil, nil)
		_, err := f.s.MergeCommitment(f.official, other.ID, participation.Merge{})
		wantCode(t, err, participation.EINVALID)
		_, err = f.s.MergeCommitment(f.official, other.ID, participation.Merge{IntoID: ptr(int64(999999))})
		wantCode(t, err, participation.EINVALID)
		if _, err := f.s.CreateProcess(f.official, participation.NewProcess{Slug: "toinen", Title: "Toinen"}); err != nil {
			t.Fatal(err)
		}
		elsewhere, err := f.s.CreateCommitment(f.official, "toinen", participation.NewCommitment{CommitmentText: participation.CommitmentText{Title: "Muualla"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.MergeCommitment(f.official, other.ID, participation.Merge{IntoID: &elsewhere.ID})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.MergeCommitment(f.citizen, into.ID, participation.Merge{IntoID: &from.ID})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.MergeCommitment(f.official, 999999, participation.Merge{IntoID: &into.ID})
		wantCode(t, err, participation.ENOTFOUND)
	})
}
