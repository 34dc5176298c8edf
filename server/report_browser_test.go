package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"osallistu/server/browsertest"
)

// TestBrowserReportAsOf runs the everyday use of implementation tracking in
// a browser without JavaScript, in Finnish and in Swedish, auditing every
// page with axe: an official reads the report today (a status reported
// before a due date that has passed since says so), chooses the day of the
// mid-term review with the date field, meets a day that cannot be used,
// filters the commitments by theme, and adds a milestone row to a
// commitment's form without JavaScript, keeping what was typed.
func TestBrowserReportAsOf(t *testing.T) {
	t.Parallel()
	passedSince := map[string]string{"fi": "on ohitettu sen jälkeen", "sv": "har passerat sedan dess"}
	reviewDay := map[string]string{"fi": "Tilanne 1.3.2018", "sv": "Läget 1.3.2018"}
	for _, lang := range []string{"fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			w := newCommitmentWorld(t)
			ts := w.ts
			asOfWorld(t, w)
			var a int64
			if err := ts.store.DB().Get(&a, `SELECT id FROM commitments WHERE status = 'approved'`); err != nil {
				t.Fatal(err)
			}
			base := ts.listen()
			b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(3*time.Minute))
			value := func(sel string) string {
				t.Helper()
				v, err := chromedp.Run(b.Context(), chromedp.Value(chromedp.CSS(sel)))
				if err != nil {
					t.Fatalf("value of %s: %v", sel, err)
				}
				return v
			}
			b.Visit(base + "/login?lang=" + lang)
			b.Fill("#email", "official@example.fi")
			b.Fill("#password", "correct horse battery")
			b.Submit(`form[action="/login"] button[type=submit]`)

			// Today: on track, reported before a due date that has passed since.
			b.VisitAndAudit(base + "/processes/avoin/report")
			if got := b.Text(".report"); !strings.Contains(got, passedSince[lang]) {
				t.Fatalf("the report today does not say the due date passed since: %q", got)
			}
			// The day of the review, chosen with the date field.
			b.Fill("#as_of", "2018-03-01")
			b.Submit(`form.as-of-form button[type=submit]`)
			b.Audit()
			if !strings.Contains(b.URL(), "as_of=2018-03-01") || !strings.Contains(b.Text(".as-of-note"), reviewDay[lang]) {
				t.Fatalf("%s: %q", b.URL(), b.Text(".as-of-note"))
			}
			if got := b.Text(".report"); strings.Contains(got, passedSince[lang]) {
				t.Fatalf("on 1.3.2018 no due date had passed since a report: %q", got)
			}
			b.Click(`.report-links a[href^="/processes/avoin/status"]`)
			b.Audit()
			if !strings.Contains(b.Text(".as-of-note"), reviewDay[lang]) {
				t.Fatalf("the status board is not of the same day: %q", b.Text(".as-of-note"))
			}
			// A day after today is a clear message.
			b.VisitAndAudit(base + "/processes/avoin/status?as_of=2999-01-01")
			if b.Text(".error-summary") == "" || value("#as_of") != "2999-01-01" {
				t.Fatal("no error summary for a day after today")
			}

			// The commitments, each once, filtered by a theme.
			b.VisitAndAudit(base + "/processes/avoin/commitments")
			b.Fill("#theme", itoa(w.themes[0]))
			b.Submit(`form.theme-filter button[type=submit]`)
			b.Audit()
			if got := b.Text(".commitment-list"); !strings.Contains(got, "Lisätään lasten ja nuorten osallisuutta") {
				t.Fatalf("the theme's commitment is not listed: %q", got)
			}

			// One more milestone row, without JavaScript, keeping what was typed.
			b.VisitAndAudit(base + "/commitments/" + itoa(a) + "/edit")
			b.Fill("#title", "Lisätään lasten ja nuorten osallisuutta kaikkialla")
			b.Fill("#milestone_title_4", "Malli kunnille")
			b.Fill("#milestone_due_4", "2019-06-30")
			b.Submit(`form.commitment-form button.add-milestone`)
			b.Audit()
			if value("#title") != "Lisätään lasten ja nuorten osallisuutta kaikkialla" || value("#milestone_title_4") != "Malli kunnille" || value("#milestone_title_7") != "" {
				t.Fatal("the form did not come back as typed with one more row")
			}
			b.Fill("#milestone_title_7", "Loppuraportti")
			b.Fill("#milestone_due_7", "2019-12-31")
			b.Submit(`form.commitment-form button.commitment-save`)
			b.Audit()
			c, err := ts.store.FindCommitment(adminContext(t, ts), a)
			if err != nil || len(c.Milestones) != 5 || c.Milestones[4].Title != "Loppuraportti" {
				t.Fatalf("saved %+v %v", c, err)
			}
		})
	}
}
