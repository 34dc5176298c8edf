package server_test

import (
	"context"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"osallistu/frontend"
	"osallistu/participation"
	"osallistu/server/browsertest"
)

// TestIdeaBrowser runs an idea round through the pages in a real browser,
// in Finnish and in Swedish, with an axe audit of every page shown: an
// official opens the round, an anonymous citizen sends ideas (without
// JavaScript and with it), supports, comments and reports, and the official
// groups the ideas into themes and hides the reported one.
func TestIdeaBrowser(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t)
			base := ts.listen()
			token, official := ts.signUp("official@example.fi", "official")
			ctx := participation.NewContextWithAccount(context.Background(), official)
			if _, err := ts.store.CreateProcess(ctx, participation.NewProcess{Slug: "avoin-hallinto", Title: "Avoin hallinto 2017–2019"}); err != nil {
				t.Fatal(err)
			}
			b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(6*time.Minute)) // a busy machine takes its time
			// The official signs in and out by the session cookie: the
			// sign-in page has a browser test of its own.
			signIn := func() {
				t.Helper()
				setSession(t, b, base, token)
			}
			signOut := func() {
				t.Helper()
				if _, err := chromedp.Call(b.Context(), network.DeleteCookies, network.DeleteCookiesParams{Name: "osallistu_session", URL: base}); err != nil {
					t.Fatal(err)
				}
			}
			withJavaScript := func() {
				t.Helper()
				if _, err := chromedp.Call(b.Context(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
					t.Fatal(err)
				}
			}
			flash := flashChecker(t, b, lang)
			errorSummary := func(what string) {
				t.Helper()
				if b.Text(".error-summary") == "" {
					t.Fatalf("%s: no error summary on %s", what, b.URL())
				}
				b.Audit()
			}
			idFrom := func(url, prefix string) string {
				t.Helper()
				_, id, ok := strings.Cut(url, prefix)
				if id, _, _ = strings.Cut(id, "?"); !ok || id == "" {
					t.Fatalf("%s is not under %s", url, prefix)
				}
				if _, err := strconv.ParseInt(id, 10, 64); err != nil {
					t.Fatalf("%s: %v", url, err)
				}
				return id
			}

			// The official opens an idea round from the process page.
			b.VisitAndAudit(base + "/?lang=" + lang)
			signIn()
			b.VisitAndAudit(base + "/processes/avoin-hallinto")
			b.VisitAndAudit(base + "/processes/avoin-hallinto/idea-rounds/new")
			helsinki, _ := time.LoadLocation("Europe/Helsinki")
			now := time.Now().In(helsinki)
			b.Fill("#title", "Ideoita toimintaohjelmaan")
			b.Fill("#opens_at", now.Add(-time.Hour).Format("2006-01-02T15:04"))
			b.Fill("#closes_at", now.Add(-2*time.Hour).Format("2006-01-02T15:04"))
			b.Submit(`form[action$="/idea-rounds"] button[type=submit]`)
			errorSummary("closing before opening")
			b.Fill("#closes_at", now.Add(30*24*time.Hour).Format("2006-01-02T15:04"))
			b.Fill("#description", "Mitä avoimen hallinnon pitäisi tarkoittaa?")
			b.Click("#allow_anonymous")
			b.Submit(`form[action$="/idea-rounds"] button[type=submit]`)
			roundID := idFrom(b.URL(), "/idea-rounds/")
			round := base + "/idea-rounds/" + roundID
			flash("idea_round_created")
			signOut()

			// An anonymous citizen sends an idea without JavaScript: first
			// with mistakes, then right.
			b.VisitAndAudit(round)
			b.VisitAndAudit(round + "/ideas/new")
			b.Fill("#title", "ab")
			b.Submit(`form[action$="/ideas"] button[type=submit]`)
			errorSummary("a bad idea")
			b.Fill("#title", "Avoin data kaikille")
			b.Fill("#body", "Julkaistaan kaikki data avoimesti.\nLisätietoa: https://example.fi/data")
			b.Fill("#author_name", "Aino")
			b.Fill("#municipality", "Helsinki")
			b.Submit(`form[action$="/ideas"] button[type=submit]`)
			first := idFrom(b.URL(), "/ideas/")
			flash("idea_sent")
			if got := b.Text("h1"); got != "Avoin data kaikille" {
				t.Fatalf("idea page heading %q", got)
			}

			// Another idea with JavaScript on: the browser runs without it,
			// and an audit turns it off again, so it is turned on after each.
			withJavaScript()
			b.VisitAndAudit(round + "/ideas/new")
			withJavaScript()
			b.Fill("#title", "Selkokieltä päätöksiin")
			b.Fill("#body", "Päätökset pitäisi kirjoittaa selkokielellä.")
			b.Submit(`form[action$="/ideas"] button[type=submit]`)
			second := idFrom(b.URL(), "/ideas/")
			flash("idea_sent")

			// Support, comment, reply and report. Nobody supports their own
			// idea: the browser that sent it becomes someone else first.
			if _, err := chromedp.Call(b.Context(), network.DeleteCookies, network.DeleteCookiesParams{Name: "osallistu_respondent", URL: base}); err != nil {
				t.Fatal(err)
			}
			b.VisitAndAudit(base + "/ideas/" + first)
			b.Submit(`form[action$="/support"] button`)
			flash("idea_supported")
			if b.Text(".supported") == "" {
				t.Fatal("the page does not say that the browser supports the idea")
			}
			b.Fill("#body", "Hyvä idea, kannatan.")
			b.Submit(`form.form[action$="/comments"] button[type=submit]`)
			flash("comment_sent")
			b.Click("details.reply-tool summary")
			b.Audit()
			b.Fill("details.reply-tool textarea", "Samaa mieltä.")
			b.Submit("details.reply-tool button[type=submit]")
			flash("comment_sent")
			if !strings.Contains(b.Text(".reply-list"), "Samaa mieltä.") {
				t.Fatal("the reply is not under its comment")
			}
			b.Click(`details.item-tool summary`) // the idea's report form comes first
			b.Audit()
			b.Submit(`form[action="/ideas/` + first + `/report"] button[type=submit]`)
			errorSummary("a report without a reason")
			b.Fill("#reason", "Mainos, ei idea.")
			b.Submit(`form[action="/ideas/` + first + `/report"] button[type=submit]`)
			flash("report_sent")
			b.VisitAndAudit(round + "?q=data")
			if !strings.Contains(b.Text("main"), "Avoin data kaikille") {
				t.Fatal("the search does not find the idea")
			}

			// The official groups the ideas into themes and hides the reported idea.
			signIn()
			b.VisitAndAudit(round + "/group")
			b.Fill("#title", "Avoin data")
			b.Submit(`form[action$="/themes"] button[type=submit]`)
			flash("theme_created")
			b.Submit(".group-bar button[type=submit]")
			errorSummary("nothing chosen")
			id, _ := strconv.ParseInt(roundID, 10, 64)
			themes, err := ts.store.FindThemes(context.Background(), id)
			if err != nil || len(themes) != 1 {
				t.Fatalf("themes %v %v", themes, err)
			}
			b.Click("#idea-" + first)
			b.Click("#idea-" + second)
			b.Fill("#theme_id", strconv.FormatInt(themes[0].ID, 10))
			b.Submit(".group-bar button[type=submit]")
			flash("ideas_grouped")
			b.VisitAndAudit(base + "/themes/" + strconv.FormatInt(themes[0].ID, 10))
			if main := b.Text("main"); !strings.Contains(main, "Avoin data kaikille") || !strings.Contains(main, "Selkokieltä päätöksiin") {
				t.Fatalf("the theme page lacks its ideas:\n%s", main)
			}
			b.VisitAndAudit(base + "/moderation")
			b.Fill("#hide-idea-"+first+"-reason", "Mainos")
			b.Submit(`form[action="/ideas/` + first + `/hide"] button[type=submit]`)
			flash("item_hidden")
			b.VisitAndAudit(base + "/moderation/log")
			b.VisitAndAudit(base + "/ideas/" + first)
			if !strings.Contains(b.Text("main"), "Mainos") {
				t.Fatal("the official does not see the reason on the hidden idea")
			}
			signOut()
			b.VisitAndAudit(base + "/ideas/" + first) // 404 for the public
			if strings.Contains(b.Text("main"), "Avoin data kaikille") {
				t.Fatal("the public sees the hidden idea")
			}
		})
	}
}

// flashChecker returns a check that the page in b shows the confirmation
// key of lang ("flash." keys), which then audits the page.
func flashChecker(t *testing.T, b *browsertest.Browser, lang string) func(key string) {
	flashes := flashTexts(t, lang)
	return func(key string) {
		t.Helper()
		if got, want := b.Text("[role=status]"), flashes[key]; got != want {
			t.Fatalf("confirmation %q on %s, want %q", got, b.URL(), want)
		}
		b.Audit()
	}
}

// setSession signs browser b in to the site at base with a session token,
// as the sign-in page would (it has a browser test of its own).
func setSession(t *testing.T, b *browsertest.Browser, base, token string) {
	t.Helper()
	if _, err := chromedp.Call(b.Context(), network.SetCookie, network.SetCookieParams{Name: "osallistu_session", Value: token, URL: base}); err != nil {
		t.Fatal(err)
	}
}

// flashTexts reads the confirmations of lang ("flash." keys) from the
// translation files, so that a test can tell one confirmation from another.
func flashTexts(t *testing.T, lang string) map[string]string {
	t.Helper()
	files, err := fs.Glob(frontend.Locales, "*."+lang+".toml")
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for _, f := range files {
		var m map[string]any
		if _, err := toml.DecodeFS(frontend.Locales, f, &m); err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			if key, ok := strings.CutPrefix(k, "flash."); ok {
				text, isText := v.(string)
				if !isText {
					t.Fatalf("%s: %s is not a string but %T", f, k, v)
				}
				texts[key] = text
			}
		}
	}
	return texts
}
