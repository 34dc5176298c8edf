package server_test

import (
	"strings"
	"testing"

	"osallistu/participation"
)

func TestMilestonesAPI(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts, official, citizen := w.ts, w.official, w.citizen
	s := w.scenario(t)
	mid := itoa(s.a.Milestones[1].ID)
	path := "/api/v1/milestones/" + mid
	upd := map[string]any{"status": "on_track", "note": "Selvitys käynnissä", "evidence_links": []string{"https://okm.fi/teas"}}

	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "PUT", path: path, body: upd, status: 401},
		{name: "a citizen may not", method: "PUT", path: path, body: upd, token: citizen, status: 403},
		{name: "an unknown milestone", method: "PUT", path: "/api/v1/milestones/999999", body: upd, token: official, status: 404},
		{name: "not an object", method: "PUT", path: path, body: `"done"`, token: official, status: 400},
		{name: "a link that is not a web address", method: "PUT", path: path, body: map[string]any{"status": "done", "evidence_links": []string{"ftp://x"}}, token: official, status: 422},
	})
	t.Run("an unknown status", func(t *testing.T) {
		ts.do("PUT", path, map[string]any{"status": "cancelled"}, official).want(t, 422).wantCode(t, "invalid").wantFields(t, "status")
	})
	mustRun(t, "official sets the status and a note", func(t *testing.T) {
		r := ts.do("PUT", path, upd, official).want(t, 200)
		decode[object](t, r).has(t, "milestone", "id", "title", "due", "status", "note")
		if m := decode[milestoneJSON](t, r); m.Status != "on_track" || m.Note == nil || *m.Note != "Selvitys käynnissä" {
			t.Errorf("milestone %s", r.body)
		}
	})
	mustRun(t, "and then done", func(t *testing.T) {
		ts.do("PUT", path, map[string]any{"status": "done"}, official).want(t, 200)
	})
	t.Run("every change is kept, newest first, with its author", func(t *testing.T) {
		r := ts.do("GET", path+"/changes", nil, "").want(t, 200)
		ch := decode[list[struct {
			Status     string  `json:"status"`
			AuthorName *string `json:"author_name"`
		}]](t, r)
		if ch.Total != 2 || len(ch.Items) != 2 || ch.Items[0].Status != "done" || ch.Items[1].AuthorName == nil || *ch.Items[1].AuthorName != "Name of official@example.fi" {
			t.Errorf("changes %s", r.body)
		}
		ts.do("GET", "/api/v1/milestones/999999/changes", nil, "").want(t, 404)
	})
}

// noteJSON is a milestone's note with its language and translations, beside
// its own (its title's).
type noteJSON struct {
	ID               int64                        `json:"id"`
	Note             *string                      `json:"note"`
	Language         string                       `json:"language"`
	Translations     map[string]map[string]string `json:"translations"`
	NoteLanguage     string                       `json:"note_language"`
	NoteTranslations map[string]map[string]string `json:"note_translations"`
}

// changeNoteJSON is a status report's note with its language and
// translations.
type changeNoteJSON struct {
	Note         *string                      `json:"note"`
	Language     string                       `json:"language"`
	Translations map[string]map[string]string `json:"translations"`
}

// TestMilestoneNoteTranslationsAPI: a status note comes with its language
// and translations; the history keeps them per report, the report shows
// those in force, and bad translations are 422 with nothing stored.
func TestMilestoneNoteTranslationsAPI(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts, official := w.ts, w.official
	s := w.scenario(t)
	mid := s.a.Milestones[1].ID
	path := "/api/v1/milestones/" + itoa(mid)
	upd := map[string]any{"status": "on_track", "note": "Selvitys käynnissä",
		"translations": map[string]any{"sv": map[string]string{"note": "Utredningen pågår"}, "en": map[string]string{"note": "The study is under way"}}}

	mustRun(t, "a note with translations", func(t *testing.T) {
		r := ts.do("PUT", path, upd, official).want(t, 200)
		decode[object](t, r).has(t, "milestone", "note", "note_language", "note_translations", "language", "translations")
		m := decode[noteJSON](t, r)
		if m.NoteLanguage != "fi" || m.NoteTranslations["sv"]["note"] != "Utredningen pågår" || m.NoteTranslations["en"]["note"] != "The study is under way" ||
			m.Translations["sv"]["note"] != "" {
			t.Errorf("milestone %s", r.body)
		}
	})
	mustRun(t, "a later note in Swedish without translations", func(t *testing.T) {
		ts.do("PUT", path, map[string]any{"status": "late", "note": "Försenad", "language": "sv"}, official).want(t, 200)
	})
	t.Run("the history keeps each report's", func(t *testing.T) {
		r := ts.do("GET", path+"/changes", nil, "").want(t, 200)
		ch := decode[list[changeNoteJSON]](t, r)
		if len(ch.Items) != 2 || ch.Items[0].Language != "sv" || ch.Items[0].Translations == nil || len(ch.Items[0].Translations) != 0 ||
			ch.Items[1].Language != "fi" || ch.Items[1].Translations["sv"]["note"] != "Utredningen pågår" {
			t.Errorf("changes %s", r.body)
		}
	})
	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"an unknown language", map[string]any{"status": "done", "note": "Valmis", "translations": map[string]any{"de": map[string]string{"note": "Fertig"}}}, "translations.de"},
		{"a translation too long", map[string]any{"status": "done", "note": "Valmis",
			"translations": map[string]any{"sv": map[string]string{"note": strings.Repeat("å", participation.MilestoneNoteMax+1)}}}, "translations.sv.note"},
		{"a translation into the note's own language", map[string]any{"status": "done", "note": "Valmis", "translations": map[string]any{"fi": map[string]string{"note": "Valmis"}}}, "translations.fi"},
		{"a translation of no note", map[string]any{"status": "done", "translations": map[string]any{"sv": map[string]string{"note": "Klart"}}}, "note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts.do("PUT", path, tc.body, official).want(t, 422).wantCode(t, "invalid").wantFields(t, tc.field)
		})
	}
	t.Run("translations of the wrong shape", func(t *testing.T) {
		ts.do("PUT", path, map[string]any{"status": "done", "translations": map[string]any{"sv": "Klart"}}, official).want(t, 400)
	})
	t.Run("nothing refused was stored", func(t *testing.T) {
		ch := decode[list[changeNoteJSON]](t, ts.do("GET", path+"/changes", nil, "").want(t, 200))
		if ch.Total != 2 {
			t.Errorf("%d changes, want 2", ch.Total)
		}
	})
	t.Run("the report shows the note in force with its translations", func(t *testing.T) {
		ts.do("PUT", path, upd, official).want(t, 200)
		r := ts.do("GET", "/api/v1/processes/avoin/report", nil, "").want(t, 200)
		report := decode[struct {
			Commitments []struct {
				ID         int64      `json:"id"`
				Milestones []noteJSON `json:"milestones"`
			} `json:"commitments"`
		}](t, r)
		found := false
		for _, c := range report.Commitments {
			for _, m := range c.Milestones {
				if m.ID != mid {
					continue
				}
				found = true
				if m.Note == nil || *m.Note != "Selvitys käynnissä" || m.NoteLanguage != "fi" || m.NoteTranslations["sv"]["note"] != "Utredningen pågår" {
					t.Errorf("report milestone %+v", m)
				}
			}
		}
		if !found {
			t.Fatalf("milestone %d not in the report %s", mid, r.body)
		}
	})
}
