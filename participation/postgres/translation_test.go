package postgres_test

import (
	"context"
	"io/fs"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"osallistu/participation"
	"osallistu/participation/postgres/pgtest"
	schema "osallistu/sql"
)

// sv and en make translations of one field into Swedish and English.
func svEn(field, sv, en string) participation.Translations {
	return participation.Translations{"sv": {field: sv}, "en": {field: en}}
}

// TestTranslationsStored writes every kind of organisers' text with
// translations and reads it back through every way the store reads it.
func TestTranslationsStored(t *testing.T) {
	s, clk := newStore(t)
	ctx := context.Background()
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	sv := "sv"

	p, err := s.CreateProcess(official, participation.NewProcess{Slug: "avoin", Title: "Avoin hallinto",
		TranslationInput: participation.TranslationInput{Translations: svEn("title", "Öppen förvaltning", "Open government")}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Language != "fi" || p.Translations.Get("sv", "title") != "Öppen förvaltning" {
		t.Fatalf("created process %+v", p.Translatable)
	}
	opens, closes := clk.t.Add(-time.Hour), clk.t.Add(time.Hour)
	r, err := s.CreateIdeaRound(official, "avoin", participation.NewIdeaRound{Title: "Ennakkotehtävä", OpensAt: &opens, ClosesAt: &closes,
		TranslationInput: participation.TranslationInput{Translations: svEn("title", "Förhandsuppgift", "Pre-task")}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Translations.Get("en", "title") != "Pre-task" || r.ProcessTexts.Translations.Get("sv", "title") != "Öppen förvaltning" {
		t.Fatalf("created round %+v, its process %+v", r.Translatable, r.ProcessTexts)
	}
	th, err := s.CreateTheme(official, r.ID, participation.NewTheme{Title: "Avoimuus",
		TranslationInput: participation.TranslationInput{Translations: svEn("title", "Öppenhet", "Openness")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTheme(official, r.ID, participation.NewTheme{Title: "Delaktighet",
		TranslationInput: participation.TranslationInput{Language: &sv, Translations: participation.Translations{"fi": {"title": "Osallisuus"}}}}); err != nil {
		t.Fatal(err)
	}
	starts := clk.t
	w, err := s.CreateWorkshop(official, "avoin", participation.NewWorkshop{Title: "Työpaja", StartsAt: &starts,
		TranslationInput: participation.TranslationInput{Translations: svEn("title", "Workshop sv", "Workshop")}})
	if err != nil {
		t.Fatal(err)
	}
	two := 2
	poll, err := s.CreatePoll(official, w.ID, participation.NewPoll{Question: "Mikä on tärkeintä?", MaxChoices: &two, OptionsFromIdeaRound: &r.ID,
		TranslationInput: participation.TranslationInput{Translations: svEn("question", "Vad är viktigast?", "What matters most?")}})
	if err != nil {
		t.Fatal(err)
	}
	if poll.Translations.Get("sv", "question") != "Vad är viktigast?" ||
		poll.Options[0].Translations.Get("sv", "label") != "Öppenhet" || poll.Options[0].Language != "fi" ||
		poll.Options[1].Language != "sv" || poll.Options[1].Translations.Get("fi", "label") != "Osallisuus" {
		t.Fatalf("poll from themes %+v %+v", poll.Translatable, poll.Options)
	}
	typed, err := s.CreatePoll(official, w.ID, participation.NewPoll{Question: "Kyllä vai ei?", MaxChoices: &two,
		Options: []participation.NewPollOption{{Label: "Kyllä", Translations: svEn("label", "Ja", "Yes")}, {Label: "Ei"}}})
	if err != nil {
		t.Fatal(err)
	}
	if typed.Options[0].Translations.Get("en", "label") != "Yes" || typed.Options[1].Translations != nil {
		t.Fatalf("typed options %+v", typed.Options)
	}

	t.Run("read back", func(t *testing.T) {
		p, err := s.FindProcessBySlug(ctx, "avoin")
		if err != nil {
			t.Fatal(err)
		}
		if p.Translations.Get("en", "title") != "Open government" || len(p.Steps) != 2 {
			t.Fatalf("process %+v, steps %+v", p.Translatable, p.Steps)
		}
		for _, st := range p.Steps {
			if want := map[string]string{"idea_round": "Förhandsuppgift", "workshop": "Workshop sv"}[st.Kind]; st.Translations.Get("sv", "title") != want {
				t.Errorf("step %s: %+v", st.Kind, st.Translatable)
			}
		}
		list, _, err := s.FindProcesses(ctx, participation.ProcessFilter{Limit: 10})
		if err != nil || list[0].Translations.Get("sv", "title") != "Öppen förvaltning" {
			t.Fatalf("processes %+v %v", list, err)
		}
		themes, err := s.FindThemes(ctx, r.ID)
		if err != nil || themes[0].Translations.Get("en", "title") != "Openness" || themes[1].Language != "sv" {
			t.Fatalf("themes %+v %v", themes, err)
		}
		ws, err := s.FindWorkshop(official, w.ID)
		if err != nil || ws.Translations.Get("en", "title") != "Workshop" || ws.ProcessTexts.Translations.Get("en", "title") != "Open government" ||
			ws.Polls[1].Options[0].Translations.Get("sv", "label") != "Ja" {
			t.Fatalf("workshop %+v %v", ws, err)
		}
		tally, err := s.FindTally(ctx, poll.ID)
		if err != nil || tally.Translations.Get("en", "question") != "What matters most?" ||
			tally.Options[0].Translations.Get("en", "label") != "Openness" || tally.Options[1].Language != "sv" {
			t.Fatalf("tally %+v %v", tally, err)
		}
		refs, err := s.FindIdeaRoundRefs(ctx, w.ID)
		if err != nil || refs[0].Translations.Get("sv", "title") != "Förhandsuppgift" {
			t.Fatalf("round refs %+v %v", refs, err)
		}
	})

	t.Run("results and trace", func(t *testing.T) {
		if _, err := s.OpenPoll(official, poll.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ClosePoll(official, poll.ID); err != nil {
			t.Fatal(err)
		}
		results, err := s.FindThemeResults(ctx, r.ID)
		if err != nil || results[th.ID][0].Translations.Get("sv", "question") != "Vad är viktigast?" {
			t.Fatalf("theme results %+v %v", results, err)
		}
		src, err := s.FindDraftingSources(official, "avoin")
		if err != nil {
			t.Fatal(err)
		}
		rt := src.Themes[0]
		if rt.Translations.Get("en", "title") == "" || rt.RoundTexts.Translations.Get("en", "title") != "Pre-task" ||
			rt.Polls[0].Translations.Get("en", "question") != "What matters most?" || rt.Polls[0].WorkshopTexts.Translations.Get("en", "title") != "Workshop" {
			t.Fatalf("drafting theme %+v", rt)
		}
	})
}

// TestCommitmentTranslationsStored follows a commitment's translations
// through its versions, its milestones, a merge, the trace and the
// notifications of its followers.
func TestCommitmentTranslationsStored(t *testing.T) {
	f := newCommitmentFixture(t)
	ctx := context.Background()
	c, err := f.s.CreateCommitment(f.official, "avoin-hallinto", participation.NewCommitment{
		CommitmentText:   participation.CommitmentText{Title: "Selkeä kieli", Problem: "Virkakieli on vaikeaa."},
		TranslationInput: participation.TranslationInput{Translations: participation.Translations{"sv": {"title": "Klart språk", "problem": "Svårt."}}},
		SourceIdeaIDs:    []int64{f.ideas[3].ID}, SourceThemeIDs: []int64{f.themes[0].ID},
		Milestones: []participation.MilestoneText{{Title: "Selvitys", Due: "2018-03-31",
			TranslationInput: participation.TranslationInput{Translations: svEn("title", "Utredning", "Study")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Translations.Get("sv", "title") != "Klart språk" || c.Milestones[0].Translations.Get("en", "title") != "Study" ||
		c.Milestones[0].Language != "fi" || c.Sources.Ideas[0].Language != "fi" || c.ProcessTexts.Language != "fi" {
		t.Fatalf("created %+v", c)
	}
	if err := f.s.Follow(f.citizen, participation.FollowCommitment, c.ID); err != nil {
		t.Fatal(err)
	}

	t.Run("a patch replaces the translations, as a new version", func(t *testing.T) {
		ms := []participation.MilestoneText{{ID: c.Milestones[0].ID, Title: "Selvitys", Due: "2018-03-31",
			TranslationInput: participation.TranslationInput{Translations: participation.Translations{"sv": {"title": "Utredningen"}}}}}
		u, err := f.s.UpdateCommitment(f.official, c.ID, participation.CommitmentPatch{Milestones: &ms,
			TranslationInput: participation.TranslationInput{Translations: participation.Translations{"en": {"title": "Plain language"}}}})
		if err != nil {
			t.Fatal(err)
		}
		if u.Translations.Get("sv", "title") != "" || u.Translations.Get("en", "title") != "Plain language" ||
			u.Milestones[0].Translations.Get("sv", "title") != "Utredningen" || u.Milestones[0].Translations.Get("en", "title") != "" {
			t.Fatalf("updated %+v %+v", u.Translatable, u.Milestones[0].Translatable)
		}
		versions, _, err := f.s.FindCommitmentVersions(ctx, c.ID, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		v1, v2 := versions[0], versions[1]
		if v1.Snapshot.Translations.Get("sv", "title") != "Klart språk" || v1.Snapshot.Milestones[0].Translations.Get("en", "title") != "Study" {
			t.Errorf("version 1 keeps its translations: %+v", v1.Snapshot)
		}
		if len(v2.ChangedFields) != 1 || v2.ChangedFields[0] != participation.FieldTranslations {
			t.Errorf("version 2 changed %v", v2.ChangedFields)
		}
		if _, err := f.s.UpdateCommitment(f.official, c.ID, participation.CommitmentPatch{ChangeNote: "nothing"}); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.s.FindCommitment(ctx, c.ID); u.Translations.Get("en", "title") != "Plain language" {
			t.Errorf("a patch without translations keeps them: %+v", u.Translatable)
		}
	})

	t.Run("followers' messages quote the commitment and milestone", func(t *testing.T) {
		if _, err := f.s.UpdateMilestone(f.official, c.Milestones[0].ID, participation.MilestoneUpdate{Status: participation.MilestoneOnTrack}); err != nil {
			t.Fatal(err)
		}
		list, _, err := f.s.FindInAppMessages(f.citizen, participation.InAppFilter{Limit: 10})
		if err != nil || len(list) != 1 {
			t.Fatalf("messages %+v %v", list, err)
		}
		if p := list[0].Params; p.Title != c.Title || p.MilestoneTitle != c.Milestones[0].Title {
			t.Errorf("message params %+v", p)
		}
	})

	t.Run("a merge appends the translations", func(t *testing.T) {
		from, err := f.s.CreateCommitment(f.official, "avoin-hallinto", participation.NewCommitment{
			CommitmentText:   participation.CommitmentText{Title: "Virkakieli", Problem: "Kieli."},
			TranslationInput: participation.TranslationInput{Translations: participation.Translations{"en": {"title": "Official language", "problem": "Language."}}},
			SourceIdeaIDs:    []int64{f.ideas[3].ID},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdateCommitment(f.official, c.ID, participation.CommitmentPatch{
			TranslationInput: participation.TranslationInput{Translations: participation.Translations{"en": {"title": "Plain language", "problem": "Hard."}}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.MergeCommitment(f.official, from.ID, participation.Merge{IntoID: &c.ID}); err != nil {
			t.Fatal(err)
		}
		into, err := f.s.FindCommitment(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := into.Translations.Get("en", "problem"); got != "Hard.\n\nOfficial language:\nLanguage." {
			t.Errorf("merged translation %q", got)
		}
		tr, err := f.s.FindTrace(ctx, f.ideas[3].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tr.Commitments {
			if tc.ID == from.ID && tc.Translations.Get("en", "title") != "Official language" {
				t.Errorf("trace commitment %+v", tc)
			}
		}
		if tr.Theme == nil || tr.Theme.Language != "fi" {
			t.Errorf("trace theme %+v", tr.Theme)
		}
	})
}

// TestTranslationsMigration takes the translations away and back: the
// notifications view keeps working both ways.
func TestTranslationsMigration(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	migrations, err := fs.Sub(schema.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db.DB, migrations)
	if err != nil {
		t.Fatal(err)
	}
	insert := `
		INSERT INTO accounts (id, email, name, created_at) VALUES (1, 'a@example.fi', 'A', now()) ON CONFLICT DO NOTHING;
		INSERT INTO processes (id, slug, title, description, created_at) VALUES (1, 'p', 'P', '', now()) ON CONFLICT DO NOTHING;
		INSERT INTO commitments (id, process_id, title, created_at, updated_at) VALUES (5, 1, 'C', now(), now()) ON CONFLICT DO NOTHING;
		INSERT INTO notifications (account_id, kind, commitment_id, commitment_title, link, created_at)
			VALUES (1, 'commitment_approved', 5, 'C', '/commitments/5', now())`
	if _, err := provider.DownTo(ctx, 7); err != nil {
		t.Fatal(err)
	}
	db.MustExec(insert)
	if _, err := provider.UpTo(ctx, 8); err != nil {
		t.Fatal(err)
	}
	db.MustExec(insert)
	var langs []string
	if err := db.Select(&langs, `SELECT commitment_language FROM notifications ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(langs) != 2 || langs[0] != "fi" || langs[1] != "fi" {
		t.Errorf("notifications' languages %v", langs)
	}
	var lang string
	if err := db.Get(&lang, `SELECT language FROM commitments WHERE id = 5`); err != nil || lang != "fi" {
		t.Errorf("a commitment from before is Finnish: %q %v", lang, err)
	}
}
