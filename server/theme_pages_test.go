package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
)

// TestIdeaPagesGroup: officials group a round's ideas into themes on the
// round's group page.
func TestIdeaPagesGroup(t *testing.T) {
	t.Parallel()
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

// TestThemePagesRenameAndMerge: officials rename a theme from the grouping
// page, and merge two after a confirmation.
func TestThemePagesRenameAndMerge(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	official := ts.client(f.official)
	citizenToken, _ := ts.signUp("citizen@example.fi")
	group := f.path + "/group"
	newTheme := func(title string) *participation.Theme {
		th, err := ts.store.CreateTheme(f.officialCtx, f.round.ID, participation.NewTheme{Title: title})
		if err != nil {
			t.Fatal(err)
		}
		return th
	}
	a, b := newTheme("Avoin tieto"), newTheme("Avoin data")
	idea := f.idea(t, ts, "Rajapinnat", "Avataan rajapinnat.")
	if _, err := ts.store.SetIdeaTheme(f.officialCtx, &a.ID, idea.ID); err != nil {
		t.Fatal(err)
	}
	rename := "/themes/" + itoa(b.ID) + "/edit"
	merge := f.path + "/themes/merge"

	t.Run("only officials", func(t *testing.T) {
		ts.client("").get(rename).want(t, 401)
		ts.client(citizenToken).get(rename).want(t, 403)
		ts.client(citizenToken).post(t, f.path, merge, url.Values{"merge_id": {itoa(a.ID)}, "merge_into": {itoa(b.ID)}, "confirm": {"yes"}}).want(t, 403)
	})
	t.Run("rename", func(t *testing.T) {
		official.get(group+"?lang=en").contains(t, `href="`+rename+`"`)
		official.post(t, rename+"?lang=en", rename, url.Values{"title": {""}}).want(t, 422).contains(t, `href="#title"`)
		official.post(t, rename+"?lang=en", rename, url.Values{"title": {"Avoin data ja rajapinnat"}, "tr_en_title": {"Open data and APIs"}}).redirectsTo(t, group)
		official.get(group+"?lang=en").contains(t, "The theme has been changed.", "Open data and APIs")
	})
	t.Run("a merge needs two different themes of the round", func(t *testing.T) {
		official.post(t, group+"?lang=en", merge, url.Values{"merge_id": {itoa(a.ID)}}).want(t, 422).contains(t, `href="#merge_into"`)
		official.post(t, group+"?lang=en", merge, url.Values{"merge_id": {itoa(a.ID)}, "merge_into": {itoa(a.ID)}}).want(t, 422).
			contains(t, "Choose a theme other than the one to merge.")
		official.post(t, group+"?lang=en", merge, url.Values{"merge_id": {"999999"}, "merge_into": {itoa(b.ID)}}).want(t, 422).contains(t, `href="#merge_id"`)
	})
	t.Run("the first post asks to confirm, and merges nothing", func(t *testing.T) {
		official.post(t, group+"?lang=en", merge, url.Values{"merge_id": {itoa(a.ID)}, "merge_into": {itoa(b.ID)}}).want(t, 200).
			contains(t, "Merge the themes?", "Avoin tieto", "Open data and APIs", `name="confirm" value="yes"`)
		if th, _ := ts.store.FindTheme(context.Background(), a.ID); th.MergedInto != nil {
			t.Fatal("merged before the confirmation")
		}
	})
	mustRun(t, "confirmed, it merges", func(t *testing.T) {
		official.post(t, group+"?lang=en", merge, url.Values{"merge_id": {itoa(a.ID)}, "merge_into": {itoa(b.ID)}, "confirm": {"yes"}}).redirectsTo(t, group)
		th, err := ts.store.FindTheme(context.Background(), a.ID)
		if err != nil || th.MergedInto == nil || *th.MergedInto != b.ID {
			t.Fatalf("merged theme %+v %v", th, err)
		}
		got, _ := ts.store.FindIdea(context.Background(), idea.ID)
		if got == nil || got.ThemeID == nil || *got.ThemeID != b.ID {
			t.Fatalf("the idea did not move: %+v", got)
		}
	})
	t.Run("afterwards", func(t *testing.T) {
		r := official.get(group+"?lang=en").contains(t, "The themes have been merged.")
		if strings.Contains(string(r.body), `<option value="`+itoa(a.ID)+`" lang=`) {
			t.Error("the merged theme is still offered on the grouping page")
		}
		ts.client("").get("/themes/"+itoa(a.ID)+"?lang=en").want(t, 200).contains(t, "This theme has been merged into the theme", `href="/themes/`+itoa(b.ID)+`"`)
		official.post(t, group+"?lang=en", merge, url.Values{"merge_id": {itoa(a.ID)}, "merge_into": {itoa(b.ID)}, "confirm": {"yes"}}).want(t, 409).
			contains(t, "The information has changed or has already been saved.")
	})
}
