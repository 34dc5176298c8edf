package server_test

import (
	"strings"
	"testing"
	"time"
)

// Organisers' texts in several languages through the API (API.md,
// "Conventions"): requests take language and translations, responses always
// carry them.

// textsJSON is the language and translations every organiser's text carries.
type textsJSON struct {
	Language     string                       `json:"language"`
	Translations map[string]map[string]string `json:"translations"`
}

// svEn is a translation of fields into Swedish and English: each field's
// text with " (sv)" or " (en)" after it, so that a page can be searched for it.
func svEn(fields map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{"sv": {}, "en": {}}
	for f, text := range fields {
		out["sv"][f] = text + " (sv)"
		out["en"][f] = text + " (en)"
	}
	return out
}

// wantTexts fails t unless got holds language and exactly want.
func wantTexts(t *testing.T, what string, got textsJSON, language string, want map[string]map[string]string) {
	t.Helper()
	if got.Language != language {
		t.Errorf("%s: language %q, want %q", what, got.Language, language)
	}
	if got.Translations == nil {
		t.Errorf("%s: no translations field", what)
	}
	if len(got.Translations) != len(want) {
		t.Errorf("%s: translations %v, want %v", what, got.Translations, want)
	}
	for lang, fields := range want {
		for f, text := range fields {
			if got.Translations[lang][f] != text {
				t.Errorf("%s: %s %s = %q, want %q", what, lang, f, got.Translations[lang][f], text)
			}
		}
	}
}

func TestTranslationsAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	none := map[string]map[string]string{}

	processTr := svEn(map[string]string{"title": "Avoin hallinto", "description": "Kuvaus"})
	process := decode[struct {
		textsJSON
		Steps []struct{ textsJSON } `json:"steps"`
	}](t, ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin hallinto", "description": "Kuvaus",
		"translations": processTr}, official).want(t, 201))
	wantTexts(t, "created process", process.textsJSON, "fi", processTr)

	now := time.Now().UTC()
	roundTr := svEn(map[string]string{"title": "Ennakkotehtävä"})
	round := decode[struct {
		ID int64 `json:"id"`
		textsJSON
	}](t, ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{"title": "Ennakkotehtävä", "description": "",
		"opens_at": now.Add(-time.Hour), "closes_at": now.Add(time.Hour), "allow_anonymous": true, "translations": roundTr}, official).want(t, 201))
	wantTexts(t, "created round", round.textsJSON, "fi", roundTr)
	rid := itoa(round.ID)

	themeTr := map[string]map[string]string{"fi": {"title": "Avoimuus", "description": "Kuvaus"}}
	theme := decode[struct {
		ID int64 `json:"id"`
		textsJSON
	}](t, ts.do("POST", "/api/v1/idea-rounds/"+rid+"/themes", map[string]any{"title": "Öppenhet", "language": "sv", "translations": themeTr}, official).want(t, 201))
	wantTexts(t, "created theme", theme.textsJSON, "sv", themeTr)
	plain := decode[struct{ textsJSON }](t, ts.do("POST", "/api/v1/idea-rounds/"+rid+"/themes", map[string]any{"title": "Osallisuus"}, official).want(t, 201))
	wantTexts(t, "a theme without translations", plain.textsJSON, "fi", none)

	workshopTr := svEn(map[string]string{"title": "Työpaja"})
	workshop := decode[struct {
		ID int64 `json:"id"`
		textsJSON
	}](t, ts.do("POST", "/api/v1/processes/avoin/workshops", map[string]any{"title": "Työpaja", "starts_at": now, "translations": workshopTr}, official).want(t, 201))
	wantTexts(t, "created workshop", workshop.textsJSON, "fi", workshopTr)
	wid := itoa(workshop.ID)

	type pollOptions struct {
		ID      int64 `json:"id"`
		Options []struct {
			Label string `json:"label"`
			textsJSON
		} `json:"options"`
		textsJSON
	}
	questionTr := svEn(map[string]string{"question": "Mikä ensin?"})
	poll := decode[pollOptions](t, ts.do("POST", "/api/v1/workshops/"+wid+"/polls", map[string]any{"question": "Mikä ensin?", "max_choices": 1,
		"translations": questionTr, "options": []map[string]any{
			{"label": "Kyllä", "translations": svEn(map[string]string{"label": "Kyllä"})}, {"label": "Ei"}}}, official).want(t, 201))
	wantTexts(t, "created poll", poll.textsJSON, "fi", questionTr)
	wantTexts(t, "a typed option", poll.Options[0].textsJSON, "fi", svEn(map[string]string{"label": "Kyllä"}))
	wantTexts(t, "an option without translations", poll.Options[1].textsJSON, "fi", none)
	fromThemes := decode[pollOptions](t, ts.do("POST", "/api/v1/workshops/"+wid+"/polls", map[string]any{"question": "Teemat", "max_choices": 1,
		"options_from_idea_round": round.ID}, official).want(t, 201))
	wantTexts(t, "a theme's option", fromThemes.Options[0].textsJSON, "sv", map[string]map[string]string{"fi": {"label": "Avoimuus"}})
	wantTexts(t, "a poll without translations", fromThemes.textsJSON, "fi", none)

	commitmentTr := svEn(map[string]string{"title": "Selkeä kieli", "problem": "Ongelma", "lead_agency": "VM"})
	milestoneTr := svEn(map[string]string{"title": "Selvitys", "responsible": "OM"})
	type commitmentTexts struct {
		ID int64 `json:"id"`
		textsJSON
		Milestones []struct {
			ID int64 `json:"id"`
			textsJSON
		} `json:"milestones"`
		Sources struct {
			Themes []struct{ textsJSON } `json:"themes"`
		} `json:"sources"`
	}
	c := decode[commitmentTexts](t, ts.do("POST", "/api/v1/processes/avoin/commitments", map[string]any{
		"title": "Selkeä kieli", "problem": "Ongelma", "lead_agency": "VM", "translations": commitmentTr, "source_theme_ids": []int64{theme.ID},
		"milestones": []map[string]any{{"title": "Selvitys", "due": "2030-01-31", "responsible": "OM", "translations": milestoneTr}},
	}, official).want(t, 201))
	wantTexts(t, "created commitment", c.textsJSON, "fi", commitmentTr)
	wantTexts(t, "a milestone", c.Milestones[0].textsJSON, "fi", milestoneTr)
	wantTexts(t, "a source theme", c.Sources.Themes[0].textsJSON, "sv", themeTr)
	cid := itoa(c.ID)

	t.Run("read back", func(t *testing.T) {
		p := decode[struct {
			textsJSON
			Steps []struct {
				Kind string `json:"kind"`
				textsJSON
			} `json:"steps"`
		}](t, ts.do("GET", "/api/v1/processes/avoin", nil, "").want(t, 200))
		wantTexts(t, "process", p.textsJSON, "fi", processTr)
		for _, st := range p.Steps {
			want := map[string]map[string]map[string]string{"idea_round": roundTr, "workshop": workshopTr}[st.Kind]
			wantTexts(t, "step "+st.Kind, st.textsJSON, "fi", want)
		}
		list := decode[struct {
			Items []struct{ textsJSON } `json:"items"`
		}](t, ts.do("GET", "/api/v1/processes", nil, "").want(t, 200))
		wantTexts(t, "listed process", list.Items[0].textsJSON, "fi", processTr)
		r := decode[struct{ textsJSON }](t, ts.do("GET", "/api/v1/idea-rounds/"+rid, nil, "").want(t, 200))
		wantTexts(t, "round", r.textsJSON, "fi", roundTr)
		themes := decode[struct {
			Items []struct{ textsJSON } `json:"items"`
		}](t, ts.do("GET", "/api/v1/idea-rounds/"+rid+"/themes", nil, "").want(t, 200))
		wantTexts(t, "listed theme", themes.Items[0].textsJSON, "sv", themeTr)
		w := decode[struct {
			textsJSON
			Polls []pollOptions `json:"polls"`
		}](t, ts.do("GET", "/api/v1/workshops/"+wid, nil, "").want(t, 200))
		wantTexts(t, "workshop", w.textsJSON, "fi", workshopTr)
		wantTexts(t, "workshop's poll", w.Polls[0].textsJSON, "fi", questionTr)
		tally := decode[struct {
			textsJSON
			Options []struct{ textsJSON } `json:"options"`
		}](t, ts.do("GET", "/api/v1/polls/"+itoa(poll.ID)+"/tally", nil, "").want(t, 200))
		wantTexts(t, "tally", tally.textsJSON, "fi", questionTr)
		wantTexts(t, "tally option", tally.Options[0].textsJSON, "fi", svEn(map[string]string{"label": "Kyllä"}))
		got := decode[commitmentTexts](t, ts.do("GET", "/api/v1/commitments/"+cid, nil, "").want(t, 200))
		wantTexts(t, "commitment", got.textsJSON, "fi", commitmentTr)
		wantTexts(t, "milestone", got.Milestones[0].textsJSON, "fi", milestoneTr)
	})

	t.Run("a patch replaces the translations, and the version says so", func(t *testing.T) {
		newTr := map[string]map[string]string{"en": {"title": "Plain language"}}
		got := decode[commitmentTexts](t, ts.do("PATCH", "/api/v1/commitments/"+cid, map[string]any{"translations": newTr, "change_note": "Käännös"}, official).want(t, 200))
		wantTexts(t, "patched commitment", got.textsJSON, "fi", newTr)
		wantTexts(t, "its milestone, not in the patch", got.Milestones[0].textsJSON, "fi", milestoneTr)
		got = decode[commitmentTexts](t, ts.do("PATCH", "/api/v1/commitments/"+cid, map[string]any{"problem": "Uusi ongelma"}, official).want(t, 200))
		wantTexts(t, "a patch without translations keeps them", got.textsJSON, "fi", newTr)
		versions := decode[struct {
			Items []struct {
				ChangedFields []string `json:"changed_fields"`
				Snapshot      struct {
					textsJSON
					Milestones []struct{ textsJSON } `json:"milestones"`
				} `json:"snapshot"`
			} `json:"items"`
		}](t, ts.do("GET", "/api/v1/commitments/"+cid+"/versions", nil, "").want(t, 200))
		if len(versions.Items) != 3 {
			t.Fatalf("%d versions", len(versions.Items))
		}
		wantTexts(t, "version 1", versions.Items[0].Snapshot.textsJSON, "fi", commitmentTr)
		wantTexts(t, "version 1's milestone", versions.Items[0].Snapshot.Milestones[0].textsJSON, "fi", milestoneTr)
		if ch := versions.Items[1].ChangedFields; len(ch) != 1 || ch[0] != "translations" {
			t.Errorf("version 2 changed %v, want [translations]", ch)
		}
		if ch := versions.Items[2].ChangedFields; len(ch) != 1 || ch[0] != "problem" {
			t.Errorf("version 3 changed %v, want [problem]", ch)
		}
	})

	t.Run("422 for an unknown language or field", func(t *testing.T) {
		for _, tc := range []struct {
			name, path string
			body       map[string]any
			field      string
		}{
			{"process in an unknown language", "/api/v1/processes", map[string]any{"slug": "x-1", "title": "x", "description": "", "language": "de"}, "language"},
			{"process translated into an unknown language", "/api/v1/processes", map[string]any{"slug": "x-2", "title": "x", "description": "",
				"translations": map[string]any{"de": map[string]string{"title": "x"}}}, "translations.de"},
			{"process's unknown field", "/api/v1/processes", map[string]any{"slug": "x-3", "title": "x", "description": "",
				"translations": map[string]any{"sv": map[string]string{"slug": "x"}}}, "translations.sv.slug"},
			{"process translated into its own language", "/api/v1/processes", map[string]any{"slug": "x-4", "title": "x", "description": "",
				"translations": map[string]any{"fi": map[string]string{"title": "x"}}}, "translations.fi"},
			{"round's unknown field", "/api/v1/processes/avoin/idea-rounds", map[string]any{"title": "x", "opens_at": now, "closes_at": now.Add(time.Hour),
				"translations": map[string]any{"en": map[string]string{"body": "x"}}}, "translations.en.body"},
			{"theme in an unknown language", "/api/v1/idea-rounds/" + rid + "/themes", map[string]any{"title": "x", "language": "xx"}, "language"},
			{"workshop's unknown field", "/api/v1/processes/avoin/workshops", map[string]any{"title": "x", "starts_at": now,
				"translations": map[string]any{"sv": map[string]string{"description": "x"}}}, "translations.sv.description"},
			{"poll's unknown field", "/api/v1/workshops/" + wid + "/polls", map[string]any{"question": "x", "max_choices": 1,
				"options": []map[string]any{{"label": "a"}, {"label": "b"}}, "translations": map[string]any{"sv": map[string]string{"title": "x"}}}, "translations.sv.title"},
			{"poll option's unknown language", "/api/v1/workshops/" + wid + "/polls", map[string]any{"question": "x", "max_choices": 1,
				"options": []map[string]any{{"label": "a"}, {"label": "b", "translations": map[string]any{"ru": map[string]string{"label": "x"}}}}}, "options[1].translations.ru"},
			{"commitment's unknown field", "/api/v1/processes/avoin/commitments", map[string]any{"title": "x",
				"translations": map[string]any{"en": map[string]string{"starts_on": "2020-01-01"}}}, "translations.en.starts_on"},
			{"milestone's unknown field", "/api/v1/processes/avoin/commitments", map[string]any{"title": "x",
				"milestones": []map[string]any{{"title": "m", "due": "2030-01-01", "translations": map[string]any{"sv": map[string]string{"due": "x"}}}}}, "milestones[0].translations.sv.due"},
			{"commitment patch in an unknown language", "/api/v1/commitments/" + cid, map[string]any{"language": "se"}, "language"},
			{"commitment patch's unknown language", "/api/v1/commitments/" + cid, map[string]any{"translations": map[string]any{"no": map[string]string{"title": "x"}}}, "translations.no"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				method := "POST"
				if strings.HasPrefix(tc.path, "/api/v1/commitments/") {
					method = "PATCH"
				}
				body := decode[struct {
					Error struct {
						Code   string            `json:"code"`
						Fields map[string]string `json:"fields"`
					} `json:"error"`
				}](t, ts.do(method, tc.path, tc.body, official).want(t, 422))
				if body.Error.Code != "invalid" || body.Error.Fields[tc.field] == "" {
					t.Errorf("error %+v, want a field error of %s", body.Error, tc.field)
				}
			})
		}
		t.Run("a translation of the wrong type", func(t *testing.T) {
			ts.do("POST", "/api/v1/processes", map[string]any{"slug": "x-5", "title": "x", "description": "", "translations": "sv"}, official).want(t, 400)
			ts.do("POST", "/api/v1/processes", map[string]any{"slug": "x-6", "title": "x", "description": "",
				"translations": map[string]any{"sv": map[string]any{"title": 5}}}, official).want(t, 400)
		})
	})
}
