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
	t.Parallel()
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

// TestDraftingPageOrder: the drafting page ranks a theme's ideas by the
// supports of signed-in people unless the official asks for all supports.
func TestDraftingPageOrder(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts := w.ts
	official := ts.client(w.official)
	// ideas[0] gets three anonymous supports, ideas[1] one signed-in support.
	for range 3 {
		ts.do("POST", "/api/v1/ideas/"+itoa(w.ideas[0])+"/supports", nil, "", "X-Respondent-Token", issueRespondent(t, ts)).want(t, 200)
	}
	supporter, _ := ts.signUp("supporter@example.fi") // the citizen wrote the ideas, and nobody supports their own
	ts.do("POST", "/api/v1/ideas/"+itoa(w.ideas[1])+"/supports", nil, supporter).want(t, 200)
	first := func(t *testing.T, r response) int64 {
		t.Helper()
		body := string(r.body)
		i, j := strings.Index(body, `id="src-idea-`+itoa(w.ideas[0])+`"`), strings.Index(body, `id="src-idea-`+itoa(w.ideas[1])+`"`)
		if i < 0 || j < 0 {
			t.Fatalf("the ideas are not on the page")
		}
		if i < j {
			return w.ideas[0]
		}
		return w.ideas[1]
	}
	t.Run("signed-in supports first by default", func(t *testing.T) {
		r := official.get("/processes/avoin/drafting?lang=en").want(t, 200)
		r.contains(t, `<option value="signed_in_supports" selected>`, "3 supports, 0 by signed-in people", "1 support, 1 by a signed-in person")
		if got := first(t, r); got != w.ideas[1] {
			t.Errorf("idea %d first, want %d (the signed-in support)", got, w.ideas[1])
		}
	})
	t.Run("all supports first when asked", func(t *testing.T) {
		r := official.get("/processes/avoin/drafting?lang=en&sort=supports").want(t, 200)
		r.contains(t, `<option value="supports" selected>`)
		if got := first(t, r); got != w.ideas[0] {
			t.Errorf("idea %d first, want %d (the most supports)", got, w.ideas[0])
		}
	})
	t.Run("ErrInvalid for another order", func(t *testing.T) {
		official.get("/processes/avoin/drafting?sort=votes").want(t, 422)
	})
	t.Run("the API carries both counts", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/processes/avoin/drafting-sources", nil, "").want(t, 200)
		if !strings.Contains(string(r.body), `"supports":3,"signed_in_supports":0`) || !strings.Contains(string(r.body), `"supports":1,"signed_in_supports":1`) {
			t.Errorf("drafting sources %s", r.body)
		}
	})
}

// TestCommitmentListPage: the commitments page lists each commitment once,
// with its themes as tags, and filters them by theme.
func TestCommitmentListPage(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	s := w.scenario(t)
	d := w.draft(t, map[string]any{"title": "Avoimuus kahdessa teemassa", "source_theme_ids": []int64{w.themes[0], w.themes[1]}})
	w.ts.do("POST", "/api/v1/commitments/"+itoa(d.ID)+"/approve", nil, w.official).want(t, 200)
	anon := w.ts.client("")
	items := func(r response) []string {
		var ids []string
		for _, part := range strings.Split(string(r.body), `<li class="commitment-item">`)[1:] {
			_, rest, _ := strings.Cut(part, `href="/commitments/`)
			id, _, _ := strings.Cut(rest, `"`)
			ids = append(ids, id)
		}
		return ids
	}
	themeLink := func(i int) string { return `href="/processes/avoin/commitments?theme=` + itoa(w.themes[i]) + `"` }

	t.Run("each commitment once, with its themes as tags", func(t *testing.T) {
		r := anon.get("/processes/avoin/commitments?lang=en").want(t, 200)
		if got := items(r); strings.Join(got, ",") != itoa(s.a.ID)+","+itoa(d.ID) {
			t.Fatalf("listed %v, want A and D once each", got)
		}
		r.contains(t, `Approved commitments <span class="muted">(2)</span>`, `<ul class="tag-list" aria-label="Themes">`, themeLink(0), themeLink(1),
			`<select id="theme" name="theme"`, `<option value="`+itoa(w.themes[1])+`" lang="fi">Julkisuus</option>`)
	})
	t.Run("filtered by a theme", func(t *testing.T) {
		r := anon.get("/processes/avoin/commitments?lang=en&theme="+itoa(w.themes[1])).want(t, 200)
		if got := items(r); strings.Join(got, ",") != itoa(d.ID) {
			t.Fatalf("listed %v, want D alone", got)
		}
		r.contains(t, `(1 of 2)`, `Commitments of the theme: <span lang="fi">Julkisuus</span>`, `<option value="`+itoa(w.themes[1])+`" lang="fi" selected>`,
			`href="/commitments/`+itoa(s.c.ID)+`"`) // the draft C has the theme too
		if strings.Contains(string(r.body), `href="/commitments/`+itoa(s.a.ID)+`"`) {
			t.Error("A has not the theme")
		}
	})
	t.Run("a theme that is not a number, or that no commitment has", func(t *testing.T) {
		anon.get("/processes/avoin/commitments?theme=abc").want(t, 400)
		anon.get("/processes/avoin/commitments?theme="+itoa(w.themes[3])).want(t, 404)
	})
}

// TestCommitmentMilestoneSlots: a new draft's form and an edit form offer
// the same number of empty milestone rows, and "add a milestone" shows the
// form again, as typed, with one more row, storing nothing.
func TestCommitmentMilestoneSlots(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	s := w.scenario(t)
	official := w.ts.client(w.official)
	count := func(r response, s string) int { return strings.Count(string(r.body), s) }
	newForm := fmt.Sprintf("/processes/avoin/commitments/new?source_theme_ids=%d", w.themes[1])
	edit := "/commitments/" + itoa(s.a.ID) + "/edit"

	t.Run("the same empty rows in both forms", func(t *testing.T) {
		r := official.get(newForm+"&lang=en").want(t, 200).contains(t, `name="add_milestone"`, "Add a milestone", `formnovalidate`)
		if n := count(r, `name="milestone_title_`); n != 3 {
			t.Errorf("a new draft offers %d milestone rows", n)
		}
		r = official.get(edit).want(t, 200)
		if n, ids := count(r, `name="milestone_title_`), count(r, `name="milestone_id_`); ids != 3 || n-ids != 3 {
			t.Errorf("the edit form offers %d rows for %d milestones", n, ids)
		}
	})
	t.Run("a new draft: one more row, as typed", func(t *testing.T) {
		form := url.Values{"source_theme_ids": {itoa(w.themes[1])}, "title": {"Julkisuusperiaate yhtiöihin"}, "problem": {"Yhtiöt eivät ole julkisia."},
			"milestone_title_1": {"Selvitys"}, "milestone_due_1": {"2018-06-30"}, "milestone_title_2": {""}, "milestone_due_2": {""},
			"milestone_title_3": {"Lakiesitys"}, "milestone_due_3": {""}, "milestone_tr_sv_title_3": {"Lagförslag"}, "add_milestone": {"1"}}
		r := official.post(t, newForm, "/processes/avoin/commitments", form).want(t, 200).contains(t,
			`value="Julkisuusperiaate yhtiöihin"`, "Yhtiöt eivät ole julkisia.", `value="Selvitys"`, `value="2018-06-30"`, `value="Lakiesitys"`, `value="Lagförslag"`,
			`name="milestone_title_4"`, `id="source-theme-`+itoa(w.themes[1])+`" name="source_theme_ids" value="`+itoa(w.themes[1])+`" checked`)
		if n := count(r, `name="milestone_title_`); n != 4 || strings.Contains(string(r.body), `class="error-summary"`) {
			t.Errorf("%d rows, or an error", n)
		}
		list := decode[struct {
			Total int `json:"total"`
		}](t, w.ts.do("GET", "/api/v1/processes/avoin/commitments", nil, "").want(t, 200))
		if list.Total != 3 {
			t.Errorf("%d commitments: adding a row stored one", list.Total)
		}
	})
	t.Run("an edit: one more row, the milestones kept", func(t *testing.T) {
		ms := s.a.Milestones
		form := url.Values{"title": {"Uusi otsikko"}, "add_milestone": {"1"}}
		for i, m := range ms {
			n := itoa(int64(i + 1))
			form.Set("milestone_id_"+n, itoa(m.ID))
			form.Set("milestone_title_"+n, m.Title)
			form.Set("milestone_due_"+n, m.Due)
		}
		for _, n := range []string{"4", "5", "6"} {
			form.Set("milestone_title_"+n, "")
		}
		form.Set("milestone_title_5", "Uusi välitavoite")
		r := official.post(t, edit, "/commitments/"+itoa(s.a.ID), form).want(t, 200).contains(t,
			`value="Uusi otsikko"`, `name="milestone_id_1" value="`+itoa(ms[0].ID)+`"`, `value="Uusi välitavoite"`, `name="milestone_title_7"`)
		if n := count(r, `name="milestone_title_`); n != 7 {
			t.Errorf("%d rows, want 7", n)
		}
		got := decode[commitmentJSON](t, w.ts.do("GET", "/api/v1/commitments/"+itoa(s.a.ID), nil, "").want(t, 200))
		if got.Version != s.a.Version || got.Title == "Uusi otsikko" {
			t.Errorf("adding a row saved a version: %+v", got)
		}
	})
}
