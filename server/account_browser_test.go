package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/server/browsertest"
)

// TestBrowserAccountSettingsAndPasswordReset: in Finnish and Swedish, a
// person who forgot the password asks for a link, opens it from the
// outbox, sets a new password and signs in; on the account page they
// confirm the address with the link sent again, change their name, and
// change the password (first with a wrong current one). axe audits every
// page, without JavaScript.
func TestBrowserAccountSettingsAndPasswordReset(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			ts := newTestServer(t)
			base := ts.listen()
			ts.do("POST", "/api/v1/accounts", map[string]any{"email": "aino@example.fi", "password": "correct horse battery", "name": "Aino"}, "").want(t, 201)
			// Many pages, each audited: more than the default minute on a busy machine.
			b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(8*time.Minute))

			// Forgotten password.
			b.VisitAndAudit(base + "/login?lang=" + lang)
			b.Click(`a[href="/password/forgot"]`)
			b.Audit()
			b.Fill("#email", "Aino@Example.fi")
			b.Submit(`form[action="/password/forgot"] button[type=submit]`)
			if !strings.Contains(b.Text("[role=status]"), "aino@example.fi") {
				t.Fatalf("after asking for a link: %s, %q", b.URL(), b.Text("main"))
			}
			b.Audit()
			link := linkToken(t, ts, participation.MessagePasswordReset, "aino@example.fi")
			b.VisitAndAudit(base + "/password/reset?token=" + url.QueryEscape(link))
			b.Fill("#password", "short")
			b.Fill("#password_again", "short")
			b.Submit(`form[action="/password/reset"] button[type=submit]`)
			if b.Text(".error-summary") == "" {
				t.Fatal("no error after a short password")
			}
			b.Audit()
			b.Fill("#password", "uusi pitkä salasana")
			b.Fill("#password_again", "uusi pitkä salasana")
			b.Submit(`form[action="/password/reset"] button[type=submit]`)
			if !strings.Contains(b.URL(), "/login") || b.Text("[role=status]") == "" {
				t.Fatalf("after the new password: %s, flash %q", b.URL(), b.Text("[role=status]"))
			}
			b.Audit()
			// The link works once.
			b.VisitAndAudit(base + "/password/reset?token=" + url.QueryEscape(link))
			if strings.Contains(b.Text("main"), "#password") || b.Text(".notice") == "" {
				t.Fatalf("a used link: %q", b.Text("main"))
			}

			// Sign in with the new password.
			b.Visit(base + "/login?next=/account")
			b.Fill("#email", "aino@example.fi")
			b.Fill("#password", "uusi pitkä salasana")
			b.Submit(`form[action="/login"] button[type=submit]`)
			if !strings.HasSuffix(b.URL(), "/account") {
				t.Fatalf("after signing in: %s", b.URL())
			}
			b.Audit()

			// The reset link proved the address; a new account's link is on the account page otherwise.
			if b.Text(".badge-open") == "" {
				t.Errorf("the address is not shown confirmed: %q", b.Text("main"))
			}
			// Change the address: a link goes to the new one.
			b.Fill("#email", "aino.uusi@example.fi")
			b.Submit(`form[action="/account/email"] button[type=submit]`)
			if b.Text("[role=status]") == "" {
				t.Fatalf("no word after changing the address: %q", b.Text("main"))
			}
			b.Audit()
			change := linkToken(t, ts, participation.MessageEmailChange, "aino.uusi@example.fi")
			b.VisitAndAudit(base + "/account/confirm-email?token=" + url.QueryEscape(change))
			b.Submit(`form[action="/account/confirm-email"] button[type=submit]`)
			if !strings.HasSuffix(b.URL(), "/account") || !strings.Contains(b.Text("main"), "aino.uusi@example.fi") {
				t.Fatalf("after confirming the new address: %s, %q", b.URL(), b.Text("main"))
			}
			b.Audit()

			// Name and municipality.
			b.Fill("#name", "Aino Aalto")
			b.Fill("#municipality", "Tampere")
			b.Submit(`form[action="/account/details"] button[type=submit]`)
			if !strings.Contains(b.Text("main"), "Aino Aalto") || b.Text("[role=status]") == "" {
				t.Fatalf("after saving the details: %q", b.Text("main"))
			}
			b.Audit()

			// The password, first with a wrong current one.
			b.Fill("#current_password", "väärä salasana tässä")
			b.Fill("#new_password", "kolmas hyvä salasana")
			b.Fill("#new_password_again", "kolmas hyvä salasana")
			b.Submit(`form[action="/account/password"] button[type=submit]`)
			if b.Text(".error-summary") == "" {
				t.Fatal("no error after a wrong current password")
			}
			b.Audit()
			b.Fill("#current_password", "uusi pitkä salasana")
			b.Fill("#new_password", "kolmas hyvä salasana")
			b.Fill("#new_password_again", "kolmas hyvä salasana")
			b.Submit(`form[action="/account/password"] button[type=submit]`)
			if !strings.HasSuffix(b.URL(), "/account") || b.Text("[role=status]") == "" {
				t.Fatalf("after changing the password: %s, %q", b.URL(), b.Text("main"))
			}
			b.Audit()
			ts.do("POST", "/api/v1/session", map[string]any{"email": "aino.uusi@example.fi", "password": "kolmas hyvä salasana"}, "").want(t, 200)
		})
	}
}
