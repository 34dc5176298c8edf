package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"osallistu/participation"
	"osallistu/server/browsertest"
)

// TestRoundEditBrowser runs an official's changes to an idea round in a
// real browser, in Finnish and in Swedish, with an axe audit of every page
// shown: the round's window is extended (after a refused try) and its page
// notes the change, a theme is renamed on the grouping page, and two themes
// are merged after a confirmation.
func TestRoundEditBrowser(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t)
			base := ts.listen()
			f := newIdeaFixture(t, ts)
			newTheme := func(title string) string {
				t.Helper()
				th, err := ts.store.CreateTheme(f.officialCtx, f.round.ID, participation.NewTheme{Title: title})
				if err != nil {
					t.Fatal(err)
				}
				return strconv.FormatInt(th.ID, 10)
			}
			from, into := newTheme("Avoin tieto"), newTheme("Avoin data")
			idea := f.idea(t, ts, "Rajapinnat auki", "Avataan rajapinnat kaikille.")
			fromID, _ := strconv.ParseInt(from, 10, 64)
			if _, err := ts.store.SetIdeaTheme(f.officialCtx, &fromID, idea.ID); err != nil {
				t.Fatal(err)
			}
			round := base + f.path
			b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(8*time.Minute))
			setSession(t, b, base, f.official)
			flash := flashChecker(t, b, lang)
			errorSummary := func(what string) {
				t.Helper()
				if b.Text(".error-summary") == "" {
					t.Fatalf("%s: no error summary on %s", what, b.URL())
				}
				b.Audit()
			}

			// The official extends the round's window: first closing before
			// it opens, then a fortnight later.
			b.VisitAndAudit(round + "?lang=" + lang)
			b.Click(`.official-tools a[href$="/edit"]`)
			b.Audit()
			if !strings.HasSuffix(b.URL(), f.path+"/edit") {
				t.Fatalf("the edit link led to %s", b.URL())
			}
			b.Fill("#closes_at", f.round.OpensAt.Add(-time.Hour).In(participation.Helsinki).Format(participation.DateTimeLayout))
			b.Submit(`form[action$="/edit"] button[type=submit]`)
			errorSummary("closing before opening")
			later := f.round.ClosesAt.AddDate(0, 0, 14).In(participation.Helsinki)
			b.Fill("#closes_at", later.Format(participation.DateTimeLayout))
			b.Submit(`form[action$="/edit"] button[type=submit]`)
			flash("idea_round_updated")
			note := b.Text(".window-changes")
			if !strings.Contains(note, later.Format("2.1.2006")) || strings.Count(strings.TrimSpace(note), "\n") != 0 {
				t.Fatalf("the round's page does not note the new closing time, and it alone: %q", note)
			}

			// The official renames a theme from the grouping page.
			b.VisitAndAudit(round + "/group")
			b.Click(`a[href="/themes/` + into + `/edit"]`)
			b.Audit()
			b.Fill("#title", "")
			b.Submit(`form[action$="/edit"] button[type=submit]`)
			errorSummary("an empty title")
			b.Fill("#title", "Avoin data ja rajapinnat")
			b.Submit(`form[action$="/edit"] button[type=submit]`)
			flash("theme_renamed")
			if !strings.Contains(b.Text("main"), "Avoin data ja rajapinnat") {
				t.Fatal("the grouping page does not show the new name")
			}

			// And merges the other theme into it: a theme into itself is
			// refused; then a confirmation, and the merge.
			b.Fill("#merge_id", from)
			b.Fill("#merge_into", from)
			b.Submit(`form[action$="/themes/merge"] button[type=submit]`)
			errorSummary("a theme into itself")
			b.Fill("#merge_id", from)
			b.Fill("#merge_into", into)
			b.Submit(`form[action$="/themes/merge"] button[type=submit]`)
			b.Audit()
			if main := b.Text("main"); !strings.Contains(main, "Avoin tieto") || !strings.Contains(main, "Avoin data ja rajapinnat") {
				t.Fatalf("the confirmation does not name both themes:\n%s", main)
			}
			b.Submit(`form[action$="/themes/merge"] button[type=submit]`)
			flash("themes_merged")
			themes, err := ts.store.FindThemes(context.Background(), f.round.ID)
			if err != nil || len(themes) != 1 || strconv.FormatInt(themes[0].ID, 10) != into || themes[0].IdeaCount != 1 {
				t.Fatalf("themes after the merge %+v %v", themes, err)
			}
			b.VisitAndAudit(base + "/themes/" + from)
			if b.Text(`main a[href="/themes/`+into+`"]`) == "" {
				t.Fatal("the merged theme's page does not lead to the theme it was merged into")
			}

			// The public sees the note on the round's page.
			if _, err := chromedp.Call(b.Context(), network.DeleteCookies, network.DeleteCookiesParams{Name: "osallistu_session", URL: base}); err != nil {
				t.Fatal(err)
			}
			b.VisitAndAudit(round)
			if b.Text(".window-changes") != note {
				t.Fatalf("the public's note %q, the official's %q", b.Text(".window-changes"), note)
			}
		})
	}
}
