package server_test

import (
	"testing"
	"time"
)

func TestThemesAPI(t *testing.T) {
	t.Parallel()
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

// mergedThemeJSON is a theme with what a merge says of it.
type mergedThemeJSON struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	IdeaCount  int    `json:"idea_count"`
	MergedInto *int64 `json:"merged_into"`
}

func TestThemeRenameAndMergeAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	themes := "/api/v1/idea-rounds/" + round + "/themes"
	newTheme := func(title string) mergedThemeJSON {
		return decode[mergedThemeJSON](t, ts.do("POST", themes, map[string]any{"title": title, "description": ""}, official).want(t, 201))
	}
	a, b, c := newTheme("Avoin tieto"), newTheme("Avoin data"), newTheme("Selkokieli")
	for _, title := range []string{"Rajapinnat", "Tietovarannot"} {
		idea := postIdea(t, ts, round, map[string]any{"title": title, "body": "Julkaistaan"}, "")
		ts.do("PUT", "/api/v1/ideas/"+itoa(idea.ID)+"/theme", map[string]any{"theme_id": a.ID}, official).want(t, 200)
	}
	now := time.Now().UTC()
	otherRound := itoa(decode[ideaRoundJSON](t, ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{
		"title": "Toinen", "opens_at": now.Add(-time.Hour), "closes_at": now.Add(time.Hour)}, official).want(t, 201)).ID)
	foreign := decode[mergedThemeJSON](t, ts.do("POST", "/api/v1/idea-rounds/"+otherRound+"/themes", map[string]any{"title": "Muualla"}, official).want(t, 201))
	themePath := func(th mergedThemeJSON) string { return "/api/v1/themes/" + itoa(th.ID) }

	t.Run("rename", func(t *testing.T) {
		r := decode[mergedThemeJSON](t, ts.do("PATCH", themePath(b), map[string]any{"title": "Avoin data ja rajapinnat"}, official).want(t, 200))
		if r.Title != "Avoin data ja rajapinnat" || r.MergedInto != nil {
			t.Errorf("renamed %+v", r)
		}
		if got := decode[mergedThemeJSON](t, ts.do("GET", themePath(b), nil, "").want(t, 200)); got.Title != r.Title {
			t.Errorf("read back %+v", got)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "a citizen may not rename", method: "PATCH", path: themePath(b), body: map[string]any{"title": "x"}, token: citizen, status: 403},
		{name: "an empty title", method: "PATCH", path: themePath(b), body: map[string]any{"title": ""}, token: official, status: 422},
		{name: "an unknown theme", method: "PATCH", path: "/api/v1/themes/999999", body: map[string]any{"title": "x"}, token: official, status: 404},
		{name: "a citizen may not merge", method: "POST", path: themePath(a) + "/merge", body: map[string]any{"into_id": b.ID}, token: citizen, status: 403},
		{name: "into itself", method: "POST", path: themePath(a) + "/merge", body: map[string]any{"into_id": a.ID}, token: official, status: 409},
		{name: "into another round's", method: "POST", path: themePath(a) + "/merge", body: map[string]any{"into_id": foreign.ID}, token: official, status: 422},
		{name: "into none", method: "POST", path: themePath(a) + "/merge", body: map[string]any{"into_id": 999999}, token: official, status: 422},
		{name: "without a target", method: "POST", path: themePath(a) + "/merge", body: map[string]any{}, token: official, status: 422},
	})
	mustRun(t, "merge", func(t *testing.T) {
		into := decode[mergedThemeJSON](t, ts.do("POST", themePath(a)+"/merge", map[string]any{"into_id": b.ID}, official).want(t, 200))
		if into.ID != b.ID || into.IdeaCount != 2 {
			t.Fatalf("target %+v", into)
		}
		gone := decode[mergedThemeJSON](t, ts.do("GET", themePath(a), nil, "").want(t, 200))
		if gone.MergedInto == nil || *gone.MergedInto != b.ID || gone.IdeaCount != 0 {
			t.Errorf("merged %+v", gone)
		}
		l := decode[list[mergedThemeJSON]](t, ts.do("GET", themes, nil, "").want(t, 200))
		if l.Total != 2 || l.Items[0].ID != b.ID || l.Items[1].ID != c.ID {
			t.Errorf("themes %+v", l)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "a merged theme again", method: "POST", path: themePath(a) + "/merge", body: map[string]any{"into_id": c.ID}, token: official, status: 409},
		{name: "into a merged theme", method: "POST", path: themePath(c) + "/merge", body: map[string]any{"into_id": a.ID}, token: official, status: 409},
		{name: "renaming a merged theme", method: "PATCH", path: themePath(a), body: map[string]any{"title": "x"}, token: official, status: 409},
	})
}
