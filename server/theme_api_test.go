package server_test

import (
	"testing"
)

func TestThemesAPI(t *testing.T) {
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	themes := "/api/v1/idea-rounds/" + round + "/themes"
	idea := postIdea(t, ts, round, map[string]any{"title": "Avoin data", "body": "Julkaistaan"}, "")
	postIdea(t, ts, round, map[string]any{"title": "Toinen idea", "body": "Kirjastot mukaan"}, citizen)
	setTheme := "/api/v1/ideas/" + itoa(idea.ID) + "/theme"

	var theme themeJSON
	mustRun(t, "official creates a theme", func(t *testing.T) {
		theme = decode[themeJSON](t, ts.do("POST", themes, map[string]any{"title": "Avoin tieto", "description": "Tiedon avaaminen"}, official).want(t, 201))
	})
	ts.checkStatuses(t, []statusCase{
		{name: "a citizen may not create one", method: "POST", path: themes, body: map[string]any{"title": "x"}, token: citizen, status: 403},
		{name: "a title is required", method: "POST", path: themes, body: map[string]any{"title": ""}, token: official, status: 422},
	})
	mustRun(t, "official puts an idea in the theme", func(t *testing.T) {
		r := ts.do("PUT", setTheme, map[string]any{"theme_id": theme.ID}, official).want(t, 200)
		if i := decode[ideaJSON](t, r); i.ThemeID == nil || *i.ThemeID != theme.ID {
			t.Fatalf("idea %s", r.body)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "a citizen may not theme an idea", method: "PUT", path: setTheme, body: map[string]any{"theme_id": theme.ID}, token: citizen, status: 403},
		{name: "an unknown idea", method: "PUT", path: "/api/v1/ideas/999999/theme", body: map[string]any{"theme_id": theme.ID}, token: official, status: 404},
		{name: "an unknown theme", method: "PUT", path: setTheme, body: map[string]any{"theme_id": 999999}, token: official, status: 422},
	})
	t.Run("the theme counts its idea", func(t *testing.T) {
		r := ts.do("GET", themes, nil, "").want(t, 200)
		if l := decode[list[themeJSON]](t, r); len(l.Items) != 1 || l.Items[0].IdeaCount != 1 {
			t.Errorf("themes %s", r.body)
		}
	})
	t.Run("the round's ideas by theme", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas?theme_id="+itoa(theme.ID), nil, "").want(t, 200)
		if l := decode[list[ideaJSON]](t, r); l.Total != 1 {
			t.Errorf("by theme %s", r.body)
		}
	})
	t.Run("null clears the theme", func(t *testing.T) {
		r := ts.do("PUT", setTheme, map[string]any{"theme_id": nil}, official).want(t, 200)
		if !decode[object](t, r).isNull("theme_id") {
			t.Errorf("cleared %s", r.body)
		}
	})
}
