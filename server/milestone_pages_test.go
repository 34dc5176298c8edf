package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"osallistu/participation"
)

// TestMilestonePages: officials set a milestone's status from the
// commitment page; a bad link is shown on the milestone's own page.
func TestMilestonePages(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	s := w.scenario(t)
	official, citizen, anon := w.ts.client(w.official), w.ts.client(w.citizen), w.ts.client("")
	loc := "/commitments/" + itoa(s.a.ID)
	mid := itoa(s.a.Milestones[0].ID)

	t.Run("a bad link", func(t *testing.T) {
		official.post(t, loc, "/milestones/"+mid, url.Values{"milestone_status": {"done"}, "evidence_links": {"not a link"}}).want(t, 422).
			contains(t, `id="evidence_links-error"`, `class="error-summary"`)
	})
	mustRun(t, "done, with a note and links", func(t *testing.T) {
		official.post(t, loc, "/milestones/"+mid, url.Values{"milestone_status": {"done"}, "milestone_note": {"Järjestettiin 14.11.2017"},
			"evidence_links": {"https://lapsiasia.fi\nhttps://www.mll.fi"}}).redirectsTo(t, loc+"#milestone-"+mid)
	})
	t.Run("the milestone page shows them and the history", func(t *testing.T) {
		anon.get("/milestones/"+mid+"?lang=en").want(t, 200).contains(t, "Järjestettiin 14.11.2017", "https://www.mll.fi", "Status history")
	})
	t.Run("an unknown milestone", func(t *testing.T) {
		anon.get("/milestones/999999").want(t, 404)
	})
	t.Run("only officials", func(t *testing.T) {
		citizen.post(t, loc, "/milestones/"+mid, url.Values{"milestone_status": {"late"}}).want(t, 403)
	})
}

// TestMilestoneNotePages: the status form takes the note's language and
// translations; each page shows the note in the visitor's language where
// it is translated, else in its own, marked with lang.
func TestMilestoneNotePages(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	s := w.scenario(t)
	official, anon := w.ts.client(w.official), w.ts.client("")
	mid := itoa(s.a.Milestones[1].ID)
	page := "/milestones/" + mid

	t.Run("the form offers the translations", func(t *testing.T) {
		official.get(page+"?lang=en").want(t, 200).contains(t, `name="language"`, `name="tr_sv_note"`, `name="tr_en_note"`)
	})
	t.Run("a translation too long is shown on the form", func(t *testing.T) {
		official.post(t, page, page, url.Values{"milestone_status": {"on_track"}, "milestone_note": {"Selvitys käynnissä"},
			"tr_sv_note": {strings.Repeat("å", participation.MilestoneNoteMax+1)}}).want(t, 422).
			contains(t, `id="tr_sv_note-error"`, `class="error-summary"`)
		if ch, _ := w.ts.store.FindMilestoneChanges(context.Background(), s.a.Milestones[1].ID); len(ch) != 0 {
			t.Errorf("a refused report was kept: %+v", ch)
		}
	})
	mustRun(t, "a note in Finnish with its Swedish translation", func(t *testing.T) {
		official.post(t, page, page, url.Values{"milestone_status": {"on_track"}, "milestone_note": {"Selvitys käynnissä"}, "language": {"fi"},
			"tr_sv_note": {"Utredningen pågår"}}).redirectsTo(t, "/commitments/"+itoa(s.a.ID))
	})
	sv, fi := `lang="sv">Utredningen pågår<`, `lang="fi">Selvitys käynnissä<`
	for _, tc := range []struct{ name, path string }{
		{"the self-assessment", "/processes/avoin/report"},
		{"the commitment", "/commitments/" + itoa(s.a.ID)},
		{"the milestone", page},
	} {
		t.Run(tc.name+" in Swedish shows the Swedish note", func(t *testing.T) {
			r := anon.get(tc.path+"?lang=sv").want(t, 200).contains(t, sv)
			if strings.Contains(string(r.body), "Selvitys käynnissä") {
				t.Errorf("the Swedish page shows the Finnish note too")
			}
		})
		t.Run(tc.name+" in English shows the Finnish note marked as Finnish", func(t *testing.T) {
			r := anon.get(tc.path+"?lang=en").want(t, 200).contains(t, fi)
			if strings.Contains(string(r.body), "Utredningen pågår") {
				t.Errorf("the English page shows the Swedish note too")
			}
		})
	}
	t.Run("the form shows the translations again", func(t *testing.T) {
		official.get(page+"?lang=en").want(t, 200).contains(t, "Utredningen pågår</textarea>")
	})
	// The commitment page's short form has no translation fields.
	loc := "/commitments/" + itoa(s.a.ID)
	mustRun(t, "a new status from the commitment page keeps the unchanged note's translations", func(t *testing.T) {
		official.post(t, loc, page, url.Values{"milestone_status": {"late"}, "milestone_note": {"Selvitys käynnissä"}}).redirectsTo(t, loc)
		anon.get(page+"?lang=sv").want(t, 200).contains(t, sv)
	})
	t.Run("an edited note from the commitment page is a new text without them", func(t *testing.T) {
		official.post(t, loc, page, url.Values{"milestone_status": {"late"}, "milestone_note": {"Selvitys viivästyy"}}).redirectsTo(t, loc)
		m, err := w.ts.store.FindMilestone(context.Background(), s.a.Milestones[1].ID)
		if err != nil || m.NoteLanguage != "fi" || len(m.NoteTranslations) != 0 {
			t.Fatalf("milestone %+v %v", m, err)
		}
		ch, _ := w.ts.store.FindMilestoneChanges(context.Background(), m.ID)
		if len(ch) != 3 || ch[1].Translations.Get("sv", "note") != "Utredningen pågår" {
			t.Errorf("history %+v", ch)
		}
	})
}
