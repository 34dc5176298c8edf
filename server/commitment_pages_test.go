package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"osallistu/participation"
)

// TestCommitmentPages drafts a commitment from the drafting page's
// selection, edits it (a new version), merges another into it and approves
// it, all through the pages.
func TestCommitmentPages(t *testing.T) {
	w := newCommitmentWorld(t)
	ts := w.ts
	official, citizen, anon := ts.client(w.official), ts.client(w.citizen), ts.client("")
	newForm := fmt.Sprintf("/processes/avoin/commitments/new?source_idea_ids=%d&source_idea_ids=%d&source_theme_ids=%d", w.ideas[0], w.ideas[1], w.themes[0])

	t.Run("the drafting page ranks the themes by votes", func(t *testing.T) {
		r := official.get("/processes/avoin/drafting?lang=en").want(t, 200)
		body := string(r.body)
		if i, j := strings.Index(body, "Julkisuus"), strings.Index(body, "Ymmärrettävyys"); i < 0 || j < 0 || i > j {
			t.Errorf("the best-ranked theme is not first")
		}
		r.contains(t, "Best rank in the workshop votes: 1", `name="source_idea_ids" value="`+itoa(w.ideas[0])+`"`)
	})
	t.Run("starting a draft prefills the form with the selected sources", func(t *testing.T) {
		official.get(newForm).want(t, 200).contains(t, `id="source-idea-`+itoa(w.ideas[1])+`" name="source_idea_ids" value="`+itoa(w.ideas[1])+`" checked`,
			`id="source-theme-`+itoa(w.themes[0])+`" name="source_theme_ids" value="`+itoa(w.themes[0])+`" checked`, `name="milestone_title_3"`)
	})
	t.Run("drafting is the officials'", func(t *testing.T) {
		for _, path := range []string{"/processes/avoin/drafting", newForm} {
			anon.get(path).want(t, 401)
			citizen.get(path).want(t, 403)
		}
	})

	form := url.Values{
		"source_idea_ids": {itoa(w.ideas[0]), itoa(w.ideas[1])}, "source_theme_ids": {itoa(w.themes[0])},
		"title": {""}, "problem": {"Lapsia ei kuulla."}, "lead_agency": {"OM"}, "starts_on": {"2017-07-01"}, "ends_on": {"2019-06-30"},
		"milestone_title_1": {"Lasten oikeuksien päivä"}, "milestone_due_1": {"2017-11-14"}, "milestone_responsible_1": {"OM"},
		"milestone_title_2": {"TEAS-selvitys"}, "milestone_due_2": {""}, "milestone_title_3": {""}, "milestone_due_3": {""},
	}
	t.Run("a draft with errors comes back with what was typed", func(t *testing.T) {
		official.post(t, newForm, "/processes/avoin/commitments", form).want(t, 422).contains(t,
			`class="error-summary"`, `href="#title"`, `href="#milestones"`, `id="milestones-error"`, "Lapsia ei kuulla.", `value="TEAS-selvitys"`)
	})
	var loc, cid string
	var cm *participation.Commitment
	mustRun(t, "a draft with its sources and milestones", func(t *testing.T) {
		form.Set("title", "Lasten ja nuorten osallisuus")
		form.Set("milestone_due_2", "2018-12-31")
		loc = official.post(t, newForm, "/processes/avoin/commitments", form).redirectsTo(t, "/commitments/")
		cid = strings.TrimPrefix(loc, "/commitments/")
		var err error
		cm, err = ts.store.FindCommitment(adminContext(t, ts), mustID(t, cid))
		if err != nil || len(cm.Milestones) != 2 || len(cm.Sources.Ideas) != 2 || len(cm.Sources.Themes) != 1 || cm.StartsOn == nil || *cm.StartsOn != "2017-07-01" {
			t.Fatalf("created %+v %v", cm, err)
		}
	})
	t.Run("the commitment page", func(t *testing.T) {
		official.get(loc+"?lang=en").want(t, 200).contains(t, "Lasten ja nuorten osallisuus", "Draft", "Approve the commitment", `action="/milestones/`,
			"Lasten osallisuus", "/ideas/"+itoa(w.ideas[0])+"/trace")
		if r := anon.get(loc).want(t, 200); strings.Contains(string(r.body), "/approve") {
			t.Error("the public sees the officials' tools")
		}
	})

	t.Run("Edit", func(t *testing.T) {
		official.get(loc+"/edit").want(t, 200).contains(t, `value="Lasten ja nuorten osallisuus"`, `name="milestone_id_1" value="`+itoa(cm.Milestones[0].ID)+`"`, `value="2018-12-31"`)
		anon.get(loc+"/edit").want(t, 401)
		form := url.Values{
			"source_idea_ids": {itoa(w.ideas[0]), itoa(w.ideas[1])}, "source_theme_ids": {itoa(w.themes[0])},
			"title": {"Lisätään lasten ja nuorten osallisuutta"}, "problem": {"Lapsia ja nuoria ei kuulla."}, "lead_agency": {"OM"},
			"starts_on": {"2017-07-01"}, "ends_on": {"2019-06-30"}, "change_note": {"Lausuntojen pohjalta"},
			"milestone_id_1": {itoa(cm.Milestones[0].ID)}, "milestone_title_1": {"Lasten oikeuksien päivä"}, "milestone_due_1": {"2017-11-14"},
			"milestone_id_2": {itoa(cm.Milestones[1].ID)}, "milestone_title_2": {"TEAS-selvitys"}, "milestone_due_2": {"2018-12-31"},
			"milestone_title_3": {"Uusi välitavoite"}, "milestone_due_3": {"2019-05-31"},
		}
		mustRun(t, "a new version", func(t *testing.T) {
			official.post(t, loc+"/edit", loc, form).redirectsTo(t, loc)
		})
		t.Run("ending before starting", func(t *testing.T) {
			form.Set("ends_on", "2016-01-01")
			official.post(t, loc+"/edit", loc, form).want(t, 422).contains(t, `id="ends_on-error"`)
		})
		t.Run("the history page compares word by word", func(t *testing.T) {
			anon.get(loc+"/versions?lang=en").want(t, 200).contains(t, "Lausuntojen pohjalta", "Changes from version 1 to version 2",
				`<del><span class="visually-hidden">[removed: </span>Lasten `, `<ins><span class="visually-hidden">[added: </span>Lisätään `, "Uusi välitavoite")
			anon.get(loc+"/versions?from=2&to=2&lang=en").want(t, 200).contains(t, "No differences between these versions.")
		})
	})

	t.Run("Merge", func(t *testing.T) {
		other, err := ts.store.CreateCommitment(officialCtx(t, ts), "avoin", participation.NewCommitment{
			CommitmentText: participation.CommitmentText{Title: "Haavoittuvat ryhmät"}, SourceIdeaIDs: []int64{w.ideas[3]}})
		if err != nil {
			t.Fatal(err)
		}
		otherLoc := "/commitments/" + itoa(other.ID)
		t.Run("a target is required", func(t *testing.T) {
			official.post(t, otherLoc, otherLoc+"/merge", url.Values{"into_id": {""}}).want(t, 422).contains(t, `href="#into_id"`, `id="into_id-error"`)
		})
		mustRun(t, "another draft into this one", func(t *testing.T) {
			official.post(t, otherLoc, otherLoc+"/merge", url.Values{"into_id": {cid}, "merge_note": {"Yhdistetty"}}).redirectsTo(t, otherLoc)
		})
		t.Run("the merged one says where it went", func(t *testing.T) {
			anon.get(otherLoc+"?lang=en").want(t, 200).contains(t, "Merged", `href="/commitments/`+cid+`"`)
		})
		t.Run("the merged one cannot be approved or edited", func(t *testing.T) {
			official.post(t, otherLoc, otherLoc+"/approve", nil).want(t, 409).contains(t, `class="error-summary"`)
			official.get(otherLoc+"/edit").want(t, 409)
		})
	})
	mustRun(t, "Approve", func(t *testing.T) {
		official.post(t, loc, loc+"/approve", nil).redirectsTo(t, loc)
	})

	for _, lang := range []string{"fi", "sv", "en"} {
		t.Run("the public pages in "+lang, func(t *testing.T) {
			for _, path := range []string{"/processes/avoin/commitments", "/processes/avoin/status", "/processes/avoin/report", loc,
				loc + "/versions", "/ideas/" + itoa(w.ideas[0]) + "/trace", "/processes/avoin"} {
				if r := anon.get(path + "?lang=" + lang); r.status != 200 || !strings.Contains(string(r.body), `<html lang="`+lang+`"`) {
					t.Errorf("GET %s in %s: %d", path, lang, r.status)
				}
			}
		})
	}
	t.Run("the list groups the approved by theme, and the merged", func(t *testing.T) {
		anon.get("/processes/avoin/commitments?lang=en").contains(t, "Approved commitments", "Ymmärrettävyys", "Merged commitments", "Haavoittuvat ryhmät")
	})
	t.Run("the process page links to the report, the status board and drafting", func(t *testing.T) {
		anon.get("/processes/avoin?lang=en").contains(t, `href="/processes/avoin/report"`, `href="/processes/avoin/status"`)
		official.get("/processes/avoin?lang=en").want(t, 200).contains(t, `href="/processes/avoin/drafting"`)
	})
	t.Run("an unknown commitment", func(t *testing.T) {
		anon.get("/commitments/999999").want(t, 404)
	})
}
