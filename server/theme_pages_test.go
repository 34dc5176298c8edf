package server_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"osallistu/participation"
)

// TestIdeaPagesGroup: officials group a round's ideas into themes on the
// round's group page.
func TestIdeaPagesGroup(t *testing.T) {
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	a := f.idea(t, ts, "Avoin data", "Julkaistaan data.")
	b := f.idea(t, ts, "Avoimet rajapinnat", "Rajapinnat kaikille.")
	c := f.idea(t, ts, "Selkokieli", "Selkeämpää kieltä.")
	official := ts.client(f.official)
	group := f.path + "/group"

	t.Run("a theme needs a title", func(t *testing.T) {
		official.post(t, group, f.path+"/themes", url.Values{"title": {""}}).want(t, 422).contains(t, `href="#title"`)
	})
	var themeID int64
	mustRun(t, "a new theme", func(t *testing.T) {
		official.post(t, group, f.path+"/themes", url.Values{"title": {"Avoin data"}, "description": {"Data ja rajapinnat."}}).redirectsTo(t, group)
		themes, err := ts.store.FindThemes(context.Background(), f.round.ID)
		if err != nil || len(themes) != 1 {
			t.Fatalf("themes %v %v", themes, err)
		}
		themeID = themes[0].ID
	})
	theme := itoa(themeID)
	t.Run("moving needs ideas", func(t *testing.T) {
		official.post(t, group, group, url.Values{"theme_id": {theme}}).want(t, 422).contains(t, `href="#idea_ids"`)
	})
	t.Run("moving needs a theme", func(t *testing.T) {
		official.post(t, group, group, url.Values{"idea_ids": {itoa(a.ID)}}).want(t, 422).contains(t, `href="#theme_id"`, `value="`+itoa(a.ID)+`" checked`)
	})
	t.Run("two ideas into the theme", func(t *testing.T) {
		official.post(t, group, group, url.Values{"idea_ids": {itoa(a.ID), itoa(b.ID)}, "theme_id": {theme}}).redirectsTo(t, group)
		official.get(group+"?lang=en").contains(t, "The ideas have been moved.", "Ideas without a theme", c.Title, "2 ideas")
		inTheme, n, err := ts.store.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: f.round.ID, ThemeID: &themeID, Limit: 10})
		if err != nil || n != 2 {
			t.Errorf("ideas in the theme %v %v", inTheme, err)
		}
		ts.client("").get("/themes/"+theme+"?lang=en").contains(t, "Avoin data", "Avoimet rajapinnat", "Data ja rajapinnat.")
	})
	t.Run("back out of the theme", func(t *testing.T) {
		official.post(t, group, group, url.Values{"idea_ids": {itoa(b.ID)}, "theme_id": {"none"}}).redirectsTo(t, group)
		if _, n, _ := ts.store.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: f.round.ID, Unthemed: true, Limit: 10}); n != 2 {
			t.Errorf("%d ideas without a theme, want 2", n)
		}
	})
	t.Run("another round's idea cannot join this round's theme", func(t *testing.T) {
		other := f.newRound(t, ts, "Toinen", -time.Hour, time.Hour, true)
		foreign, err := ts.store.CreateIdea(context.Background(), other.ID, participation.NewIdea{Title: "Muualta", Body: "x"}, "fi")
		if err != nil {
			t.Fatal(err)
		}
		official.post(t, group, group, url.Values{"idea_ids": {itoa(foreign.ID)}, "theme_id": {theme}}).want(t, 422).contains(t, `href="#theme_id"`)
	})
	t.Run("only officials", func(t *testing.T) {
		ts.client("").get(group).want(t, 401)
	})
}
