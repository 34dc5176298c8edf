package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestTranslationsOnPages writes a process, an idea round, themes, a
// workshop with a poll and a commitment with a milestone in Finnish with
// Swedish and English translations, and reads every page that shows them
// in each interface language: each text in the page's language, marked
// with it, and where a translation is missing the Finnish text, marked
// Finnish.
func TestTranslationsOnPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	now := time.Now().UTC()
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin hallinto", "description": "Hankkeen kuvaus",
		"translations": svEn(map[string]string{"title": "Avoin hallinto", "description": "Hankkeen kuvaus"})}, official).want(t, 201)
	round := decode[struct {
		ID int64 `json:"id"`
	}](t, ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{"title": "Ennakkotehtävä", "description": "Kerro ideasi",
		"opens_at": now.Add(-time.Hour), "closes_at": now.Add(time.Hour), "allow_anonymous": true,
		"translations": svEn(map[string]string{"title": "Ennakkotehtävä", "description": "Kerro ideasi"})}, official).want(t, 201))
	rid := itoa(round.ID)
	theme := decode[struct {
		ID int64 `json:"id"`
	}](t, ts.do("POST", "/api/v1/idea-rounds/"+rid+"/themes", map[string]any{"title": "Avoimuus", "description": "Teeman kuvaus",
		"translations": svEn(map[string]string{"title": "Avoimuus", "description": "Teeman kuvaus"})}, official).want(t, 201))
	// Only in Swedish: English pages fall back to the Finnish title.
	onlySv := decode[struct {
		ID int64 `json:"id"`
	}](t, ts.do("POST", "/api/v1/idea-rounds/"+rid+"/themes", map[string]any{"title": "Osallisuus",
		"translations": map[string]any{"sv": map[string]string{"title": "Delaktighet"}}}, official).want(t, 201))
	workshop := decode[struct {
		ID int64 `json:"id"`
	}](t, ts.do("POST", "/api/v1/processes/avoin/workshops", map[string]any{"title": "Työpaja", "starts_at": now,
		"translations": svEn(map[string]string{"title": "Työpaja"})}, official).want(t, 201))
	wid := itoa(workshop.ID)
	poll := decode[struct {
		ID      int64 `json:"id"`
		Options []struct {
			ID int64 `json:"id"`
		} `json:"options"`
	}](t, ts.do("POST", "/api/v1/workshops/"+wid+"/polls", map[string]any{"question": "Mikä ensin", "max_choices": 1,
		"translations": svEn(map[string]string{"question": "Mikä ensin"}), "options": []map[string]any{
			{"label": "Kyllä", "translations": svEn(map[string]string{"label": "Kyllä"})},
			{"label": "Ei", "translations": map[string]any{"sv": map[string]string{"label": "Nej"}}}}}, official).want(t, 201))
	pid := itoa(poll.ID)
	ts.do("POST", "/api/v1/polls/"+pid+"/open", nil, official).want(t, 200)
	ts.do("POST", "/api/v1/polls/"+pid+"/close", nil, official).want(t, 200)
	c := decode[struct {
		ID         int64 `json:"id"`
		Milestones []struct {
			ID int64 `json:"id"`
		} `json:"milestones"`
	}](t, ts.do("POST", "/api/v1/processes/avoin/commitments", map[string]any{
		"title": "Selkeä kieli", "problem": "Virkakieli on vaikeaa", "lead_agency": "Valtiovarainministeriö", "source_theme_ids": []int64{theme.ID},
		"translations": svEn(map[string]string{"title": "Selkeä kieli", "problem": "Virkakieli on vaikeaa", "lead_agency": "Valtiovarainministeriö"}),
		"milestones": []map[string]any{{"title": "Selvitys", "due": "2030-01-31", "responsible": "Oikeusministeriö",
			"translations": svEn(map[string]string{"title": "Selvitys", "responsible": "Oikeusministeriö"})}},
	}, official).want(t, 201))
	cid := itoa(c.ID)
	ts.do("POST", "/api/v1/commitments/"+cid+"/approve", nil, official).want(t, 200)
	officialPages := ts.client(official)

	// in is the text in lang: the Finnish text, or its translation with
	// the language after it (svEn).
	in := func(lang, fi string) string {
		if lang == "fi" {
			return fi
		}
		return fi + " (" + lang + ")"
	}
	for _, lang := range []string{"fi", "sv", "en"} {
		t.Run("in "+lang, func(t *testing.T) {
			q := "?lang=" + lang
			tag := func(open, fi string) string {
				return fmt.Sprintf(`%s lang="%s">%s<`, open, lang, in(lang, fi))
			}
			// The Swedish-only theme: Swedish on Swedish pages, else Finnish.
			svOnly, svOnlyLang := "Osallisuus", "fi"
			if lang == "sv" {
				svOnly, svOnlyLang = "Delaktighet", "sv"
			}
			optionNo, optionNoLang := "Ei", "fi"
			if lang == "sv" {
				optionNo, optionNoLang = "Nej", "sv"
			}
			// A poll option's row: its label, marked with its language, in full as the row's title.
			option := func(text, lang string) string {
				return fmt.Sprintf(`<th scope="row" lang="%s" title="%s"><span class="option-label">%s<`, lang, text, text)
			}
			pages := []struct {
				path  string
				parts []string
			}{
				{"/", []string{tag(`<a href="/processes/avoin"`, "Avoin hallinto"), tag(`<p class="card-text"`, "Hankkeen kuvaus")}},
				{"/processes/avoin", []string{
					tag(`<h1`, "Avoin hallinto"), tag(`<p class="description"`, "Hankkeen kuvaus"),
					fmt.Sprintf(`<h3 class="step-title" lang="%s"><a href="/idea-rounds/%s">%s</a>`, lang, rid, in(lang, "Ennakkotehtävä")),
					fmt.Sprintf(`<h3 class="step-title" lang="%s"><a href="/workshops/%s">%s</a>`, lang, wid, in(lang, "Työpaja")),
					tag(fmt.Sprintf(`<h3 id="result-%s-q"`, pid), "Mikä ensin"),
					option(in(lang, "Kyllä"), lang),
					option(optionNo, optionNoLang),
				}},
				{"/idea-rounds/" + rid, []string{
					tag(`<h1`, "Ennakkotehtävä"), tag(`<p class="description"`, "Kerro ideasi"),
					tag(fmt.Sprintf(`<a href="/themes/%d"`, theme.ID), "Avoimuus"),
					fmt.Sprintf(`<a href="/themes/%d" lang="%s">%s<`, onlySv.ID, svOnlyLang, svOnly),
					tag(`<a href="/processes/avoin"`, "Avoin hallinto"),
				}},
				{"/themes/" + itoa(theme.ID), []string{tag(`<h1`, "Avoimuus"), tag(`<p class="description"`, "Teeman kuvaus")}},
				{"/themes/" + itoa(onlySv.ID), []string{fmt.Sprintf(`<h1 lang="%s">%s</h1>`, svOnlyLang, svOnly)}},
				{"/workshops/" + wid, []string{tag(`<h1`, "Työpaja"), tag(fmt.Sprintf(`<h3 id="poll-%s-q"`, pid), "Mikä ensin"), option(in(lang, "Kyllä"), lang)}},
				{"/commitments/" + cid, []string{
					tag(`<h1`, "Selkeä kieli"), tag(`<dd class="user-text"`, "Virkakieli on vaikeaa"), tag(`<dd`, "Valtiovarainministeriö"),
					tag(`<h3 class="milestone-title"`, "Selvitys"), tag(`<dd`, "Oikeusministeriö"),
					tag(fmt.Sprintf(`<a href="/themes/%d"`, theme.ID), "Avoimuus"),
				}},
				{"/processes/avoin/commitments", []string{tag(fmt.Sprintf(`<a href="/commitments/%s"`, cid), "Selkeä kieli"),
					tag(`<span class="light-title"`, "Selvitys"), tag(fmt.Sprintf(`<a class="tag" href="/processes/avoin/commitments?theme=%d"`, theme.ID), "Avoimuus")}},
				{"/processes/avoin/status", []string{tag(fmt.Sprintf(`<a href="/commitments/%s"`, cid), "Selkeä kieli"), tag(`<span class="muted"`, "Valtiovarainministeriö")}},
				{"/processes/avoin/report", []string{tag(fmt.Sprintf(`<a href="/commitments/%s"`, cid), "Selkeä kieli"), tag(`<span`, "Selvitys"),
					tag(`<p class="step-kind"`, "Avoin hallinto")}},
				{"/milestones/" + itoa(c.Milestones[0].ID), []string{tag(`<h1`, "Selvitys"), tag(`<dd`, "Oikeusministeriö")}},
			}
			for _, p := range pages {
				page := ts.do("GET", p.path+q, nil, "").want(t, 200)
				for _, part := range p.parts {
					if !strings.Contains(string(page.body), part) {
						t.Errorf("%s in %s: no %s", p.path, lang, part)
					}
				}
			}
			// The official's pages of the workshop: the projector and the control page.
			for _, path := range []string{"/workshops/" + wid + "/projector", "/workshops/" + wid + "/control", "/processes/avoin/drafting"} {
				page := officialPages.get(path+q).want(t, 200)
				want := tag(`<h1 class="projector-question"`, "Mikä ensin")
				switch {
				case strings.HasSuffix(path, "/control"):
					want = tag(fmt.Sprintf(`<h3 id="poll-%s-q"`, pid), "Mikä ensin")
				case strings.HasSuffix(path, "/drafting"):
					want = tag(fmt.Sprintf(`<label for="src-theme-%d"`, theme.ID), "Avoimuus")
				}
				if !strings.Contains(string(page.body), want) {
					t.Errorf("%s in %s: no %s", path, lang, want)
				}
			}
		})
	}
}

// TestTranslationForms sends every form that creates an organiser's text
// with its translation fields filled in, and the commitment's edit form,
// and finds the translations stored; a bad translation is shown beside its
// field.
func TestTranslationForms(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	pc := ts.client(official)
	tr := func(fields map[string]string) url.Values {
		v := url.Values{}
		for name, value := range fields {
			v.Set(name, value)
		}
		return v
	}

	pc.post(t, "/processes/new", "/processes", tr(map[string]string{"slug": "avoin", "title": "Avoin hallinto", "description": "Kuvaus",
		"language": "fi", "tr_sv_title": "Öppen förvaltning", "tr_en_title": "Open government", "tr_en_description": "Description"})).redirectsTo(t, "/processes/avoin")
	pc.post(t, "/processes/avoin", "/processes/avoin/publish", nil).redirectsTo(t, "/processes/avoin") // the form starts a draft
	p := decode[struct{ textsJSON }](t, ts.do("GET", "/api/v1/processes/avoin", nil, "").want(t, 200))
	wantTexts(t, "process from the form", p.textsJSON, "fi", map[string]map[string]string{
		"sv": {"title": "Öppen förvaltning"}, "en": {"title": "Open government", "description": "Description"}})

	loc := pc.post(t, "/processes/avoin/idea-rounds/new", "/processes/avoin/idea-rounds", tr(map[string]string{"title": "Förhandsuppgift", "language": "sv",
		"opens_at": "2030-01-01T10:00", "closes_at": "2030-02-01T10:00", "tr_fi_title": "Ennakkotehtävä", "tr_en_title": "Pre-task"})).redirectsTo(t, "/idea-rounds/")
	rid := strings.TrimPrefix(loc, "/idea-rounds/")
	r := decode[struct{ textsJSON }](t, ts.do("GET", "/api/v1/idea-rounds/"+rid, nil, "").want(t, 200))
	wantTexts(t, "round from the form", r.textsJSON, "sv", map[string]map[string]string{"fi": {"title": "Ennakkotehtävä"}, "en": {"title": "Pre-task"}})

	pc.post(t, "/idea-rounds/"+rid+"/group", "/idea-rounds/"+rid+"/themes", tr(map[string]string{"title": "Avoimuus",
		"tr_sv_title": "Öppenhet", "tr_sv_description": "Beskrivning"})).redirectsTo(t, "/idea-rounds/"+rid+"/group")
	themes := decode[struct {
		Items []struct {
			ID int64 `json:"id"`
			textsJSON
		} `json:"items"`
	}](t, ts.do("GET", "/api/v1/idea-rounds/"+rid+"/themes", nil, "").want(t, 200))
	wantTexts(t, "theme from the form", themes.Items[0].textsJSON, "fi", map[string]map[string]string{"sv": {"title": "Öppenhet", "description": "Beskrivning"}})

	loc = pc.post(t, "/processes/avoin/workshops/new", "/processes/avoin/workshops", tr(map[string]string{"title": "Työpaja", "starts_at": "2030-01-01T10:00",
		"tr_en_title": "Workshop"})).redirectsTo(t, "/workshops/")
	wid := strings.TrimSuffix(strings.TrimPrefix(loc, "/workshops/"), "/control")
	pc.post(t, "/workshops/"+wid+"/control", "/workshops/"+wid+"/polls", tr(map[string]string{"question": "Mikä ensin?", "max_choices": "1", "source": "typed",
		"options": "Kyllä\nEi\nEhkä", "tr_sv_question": "Vad först?", "tr_sv_options": "Ja\n\nKanske", "tr_en_options": "Yes"})).redirectsTo(t, "/workshops/"+wid+"/control")
	w := decode[struct {
		textsJSON
		Polls []struct {
			textsJSON
			Options []struct{ textsJSON } `json:"options"`
		} `json:"polls"`
	}](t, ts.do("GET", "/api/v1/workshops/"+wid, nil, "").want(t, 200))
	wantTexts(t, "workshop from the form", w.textsJSON, "fi", map[string]map[string]string{"en": {"title": "Workshop"}})
	wantTexts(t, "poll from the form", w.Polls[0].textsJSON, "fi", map[string]map[string]string{"sv": {"question": "Vad först?"}})
	wantTexts(t, "first option", w.Polls[0].Options[0].textsJSON, "fi", map[string]map[string]string{"sv": {"label": "Ja"}, "en": {"label": "Yes"}})
	wantTexts(t, "second option, left untranslated", w.Polls[0].Options[1].textsJSON, "fi", map[string]map[string]string{})
	wantTexts(t, "third option", w.Polls[0].Options[2].textsJSON, "fi", map[string]map[string]string{"sv": {"label": "Kanske"}})

	loc = pc.post(t, "/processes/avoin/commitments/new", "/processes/avoin/commitments", tr(map[string]string{"title": "Selkeä kieli", "problem": "Ongelma",
		"tr_sv_title": "Klart språk", "tr_en_problem": "Problem",
		"milestone_title_1": "Selvitys", "milestone_due_1": "2030-01-31", "milestone_tr_sv_title_1": "Utredning", "milestone_tr_en_responsible_1": "Ministry"})).redirectsTo(t, "/commitments/")
	cid := strings.TrimPrefix(loc, "/commitments/")
	type commitmentTexts struct {
		textsJSON
		Milestones []struct{ textsJSON } `json:"milestones"`
	}
	c := decode[commitmentTexts](t, ts.do("GET", "/api/v1/commitments/"+cid, nil, "").want(t, 200))
	wantTexts(t, "commitment from the form", c.textsJSON, "fi", map[string]map[string]string{"sv": {"title": "Klart språk"}, "en": {"problem": "Problem"}})
	wantTexts(t, "its milestone", c.Milestones[0].textsJSON, "fi", map[string]map[string]string{"sv": {"title": "Utredning"}, "en": {"responsible": "Ministry"}})

	t.Run("the edit form shows the translations and saves new ones", func(t *testing.T) {
		edit := pc.get("/commitments/"+cid+"/edit").want(t, 200)
		edit.contains(t, `name="tr_sv_title" value="Klart språk" lang="sv"`, `name="milestone_tr_sv_title_1" value="Utredning" lang="sv"`,
			`<option value="fi" lang="fi" selected>Suomi</option>`)
		// The form as the browser sends it back, with the Swedish title
		// cleared and an English one added.
		form := url.Values{}
		for _, name := range []string{"title", "problem", "milestone_title_1", "milestone_due_1"} {
			form.Set(name, map[string]string{"title": "Selkeä kieli", "problem": "Ongelma", "milestone_title_1": "Selvitys", "milestone_due_1": "2030-01-31"}[name])
		}
		form.Set("milestone_id_1", itoa(firstMilestoneID(t, ts, cid)))
		form.Set("milestone_language_1", "fi")
		form.Set("language", "fi")
		form.Set("tr_en_title", "Plain language")
		form.Set("milestone_tr_en_title_1", "Study")
		pc.post(t, "/commitments/"+cid+"/edit", "/commitments/"+cid, form).redirectsTo(t, "/commitments/"+cid)
		c := decode[commitmentTexts](t, ts.do("GET", "/api/v1/commitments/"+cid, nil, "").want(t, 200))
		wantTexts(t, "edited commitment", c.textsJSON, "fi", map[string]map[string]string{"en": {"title": "Plain language"}})
		wantTexts(t, "its edited milestone", c.Milestones[0].textsJSON, "fi", map[string]map[string]string{"en": {"title": "Study"}})
	})

	t.Run("a bad translation is shown beside its field", func(t *testing.T) {
		page := pc.post(t, "/processes/new", "/processes", tr(map[string]string{"slug": "toinen", "title": "Toinen", "language": "sv",
			"tr_sv_title": "Andra", "tr_en_title": strings.Repeat("x", 201)})).want(t, 422)
		page.contains(t, `id="tr_en_title-error"`, `id="tr_sv-error"`, `href="#tr_en_title"`, `<details class="translations" open>`)
		page = pc.post(t, "/workshops/"+wid+"/control", "/workshops/"+wid+"/polls", tr(map[string]string{"question": "Q", "max_choices": "1", "source": "typed",
			"options": "A\nB", "tr_en_options": "a\nb\nc"})).want(t, 422)
		page.contains(t, `id="tr_en_options-error"`)
		page = pc.post(t, "/processes/avoin/commitments/new", "/processes/avoin/commitments", tr(map[string]string{"title": "x",
			"milestone_title_1": "m", "milestone_due_1": "2030-01-31", "milestone_tr_en_title_1": strings.Repeat("x", 501)})).want(t, 422)
		page.contains(t, `id="milestones-error"`)
	})
}

// firstMilestoneID is the id of the first milestone of commitment cid.
func firstMilestoneID(t *testing.T, ts *testServer, cid string) int64 {
	t.Helper()
	c := decode[struct {
		Milestones []struct {
			ID int64 `json:"id"`
		} `json:"milestones"`
	}](t, ts.do("GET", "/api/v1/commitments/"+cid, nil, "").want(t, 200))
	return c.Milestones[0].ID
}
