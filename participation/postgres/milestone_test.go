package postgres_test

import (
	"context"
	"slices"
	"strings"
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

// TestUpdateMilestoneTranslations: each status report keeps its note's
// language and translations, the milestone shows those of the report in
// force, and bad translations store nothing.
func TestUpdateMilestoneTranslations(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	c := f.draft(t, "Selkokieli", nil, nil, ms("Koulutus")...)
	m := c.Milestones[0]
	ctx := context.Background()
	first := participation.MilestoneUpdate{Status: "on_track", Note: ptr("Koulutus alkoi"),
		TranslationInput: participation.TranslationInput{Translations: participation.Translations{"sv": {"note": " Utbildningen började "}, "en": {"note": "Training began"}}}}
	t.Run("OK", func(t *testing.T) {
		got, err := f.s.UpdateMilestone(f.official, m.ID, first)
		if err != nil || got.NoteLanguage != "fi" || got.NoteTranslations.Get("sv", "note") != "Utbildningen började" ||
			got.NoteTranslations.Get("en", "note") != "Training began" || got.Language != "fi" || got.Translations.Get("sv", "note") != "" {
			t.Fatalf("milestone %+v %v", got, err)
		}
		f.clk.t = f.clk.t.Add(3600e9)
		second := participation.MilestoneUpdate{Status: "done", Note: ptr("Kursen är klar"),
			TranslationInput: participation.TranslationInput{Language: ptr("sv"), Translations: participation.Translations{"fi": {"note": "Kurssi on valmis"}}}}
		if _, err := f.s.UpdateMilestone(f.official, m.ID, second); err != nil {
			t.Fatal(err)
		}
		changes, err := f.s.FindMilestoneChanges(ctx, m.ID)
		if err != nil || len(changes) != 2 {
			t.Fatalf("history %+v %v", changes, err)
		}
		if ch := changes[0]; ch.Language != "sv" || !ch.Translations.Equal(participation.Translations{"fi": {"note": "Kurssi on valmis"}}) {
			t.Errorf("newest report %+v", ch)
		}
		if ch := changes[1]; ch.Language != "fi" || !ch.Translations.Equal(participation.Translations{"sv": {"note": "Utbildningen började"}, "en": {"note": "Training began"}}) {
			t.Errorf("first report %+v", ch)
		}
		now, err := f.s.FindMilestone(ctx, m.ID)
		if err != nil || now.NoteLanguage != "sv" || now.NoteTexts().In("fi", "note", *now.Note) != (participation.LocalText{Text: "Kurssi on valmis", Lang: "fi"}) ||
			now.NoteTexts().In("en", "note", *now.Note) != (participation.LocalText{Text: "Kursen är klar", Lang: "sv"}) {
			t.Fatalf("milestone now %+v %v", now, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, tr := range []participation.TranslationInput{
			{Translations: participation.Translations{"de": {"note": "Kurs begann"}}},
			{Translations: participation.Translations{"sv": {"note": strings.Repeat("å", participation.MilestoneNoteMax+1)}}},
			{Language: ptr("xx")},
		} {
			_, err := f.s.UpdateMilestone(f.official, m.ID, participation.MilestoneUpdate{Status: "late", Note: ptr("Myöhässä"), TranslationInput: tr})
			wantCode(t, err, participation.EINVALID)
		}
		changes, _ := f.s.FindMilestoneChanges(ctx, m.ID)
		now, _ := f.s.FindMilestone(ctx, m.ID)
		if len(changes) != 2 || now.Status != "done" || now.NoteLanguage != "sv" {
			t.Fatalf("a refused update was kept: %d changes, milestone %+v", len(changes), now)
		}
	})
}
