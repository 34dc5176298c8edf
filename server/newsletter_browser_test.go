package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/server/browsertest"
)

// TestBrowserNewsletter subscribes in every language in a browser without
// JavaScript, on the process page's form and on the full form (first with
// an address that is none), confirms by the emailed link, tries a link that
// does not work, and has the official preview the month's digest and write
// its introduction: every page audited with axe.
func TestBrowserNewsletter(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	openRound(t, ts, true)
	base := ts.listen()
	b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(3*time.Minute))
	for i, lang := range []string{"fi", "sv", "en"} {
		b.VisitAndAudit(base + "/processes/avoin?lang=" + lang)
		b.Fill("#newsletter-email", fmt.Sprintf("kuukausi%d@example.fi", i))
		b.Submit(`form[action="/subscribe"] button[type=submit]`)
		b.Audit()
		if b.Text("[role=status]") == "" {
			t.Fatalf("%s: no word of the confirmation: %q", lang, b.Text("main"))
		}

		b.VisitAndAudit(base + "/subscribe?process=avoin&lang=" + lang)
		b.Fill("#email", "ei osoite")
		b.Submit(`form[action="/subscribe"] button[type=submit]`)
		b.Audit()
		if b.Text("#email-error") == "" {
			t.Fatalf("%s: no error for an address that is none: %q", lang, b.Text("main"))
		}
		weekly := fmt.Sprintf("viikko%d@example.fi", i)
		b.Fill("#email", weekly)
		b.Click("#frequency-weekly")
		b.Submit(`form[action="/subscribe"] button[type=submit]`)
		b.Audit()

		var token string
		if err := ts.store.DB().Get(&token, `SELECT params->>'token' FROM outbox WHERE email = $1 AND kind = 'subscription_confirmation'`, weekly); err != nil {
			t.Fatal(err)
		}
		b.VisitAndAudit(base + "/subscriptions/confirm?token=" + url.QueryEscape(token))
		b.Submit(`form[action="/subscriptions/confirm"] button[type=submit]`)
		b.Audit()
		if b.Text("[role=status]") == "" {
			t.Fatalf("%s: not confirmed: %q", lang, b.Text("main"))
		}
		b.VisitAndAudit(base + "/subscriptions/unsubscribe?token=forged")
		if b.Text("[role=alert]") == "" {
			t.Fatalf("%s: a forged link: %q", lang, b.Text("main"))
		}
	}
	// The front page's form subscribes to the whole platform.
	b.VisitAndAudit(base + "/?lang=sv")
	b.Fill("#newsletter-email", "kaikki@example.fi")
	b.Submit(`form[action="/subscribe"] button[type=submit]`)
	b.Audit()
	var platform int
	if err := ts.store.DB().Get(&platform, `SELECT count(*) FROM subscriptions WHERE process_id IS NULL AND email = 'kaikki@example.fi' AND lang = 'sv'`); err != nil || platform != 1 {
		t.Errorf("%d platform-wide subscriptions, %v", platform, err)
	}
	var weekly, confirmed int
	if err := ts.store.DB().Get(&weekly, `SELECT count(*) FILTER (WHERE frequency = 'weekly') FROM subscriptions WHERE process_id IS NOT NULL`); err != nil || weekly != 3 {
		t.Errorf("%d weekly subscriptions, %v", weekly, err)
	}
	if err := ts.store.DB().Get(&confirmed, `SELECT count(*) FROM subscriptions WHERE confirmed_at IS NOT NULL`); err != nil || confirmed != 3 {
		t.Errorf("%d confirmed subscriptions, %v", confirmed, err)
	}

	b.Visit(base + "/login?next=/processes/avoin/newsletter")
	b.Fill("#email", "official@example.fi")
	b.Fill("#password", "correct horse battery")
	b.Submit(`form[action="/login"] button[type=submit]`)
	b.Audit()
	if main := b.Text("main"); !strings.Contains(main, "Ennakkotehtävä") || strings.Contains(main, "@example.fi") {
		t.Fatalf("the preview: %q", main)
	}
	b.Fill("#intro", "Tervetuloa mukaan.")
	b.Submit(`form[method=post][action="/processes/avoin/newsletter"] button[type=submit]`)
	b.Audit()
	if got := b.Text(".digest-intro"); got != "Tervetuloa mukaan." {
		t.Errorf("the introduction after saving: %q", got)
	}
}
