package server_test

import (
	"context"
	"strings"
	"testing"

	"osallistu/participation"
	"osallistu/server/browsertest"
)

// TestBrowserAccountsAndProcesses registers, signs in and creates a process
// through the pages, in each language, with an axe audit of every page.
func TestBrowserAccountsAndProcesses(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fi", "sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			ts := newTestServer(t)
			base := ts.listen()
			if _, err := ts.store.EnsureAdmin(context.Background(), "admin@example.fi", "admin-password-1", "Admin"); err != nil {
				t.Fatal(err)
			}
			b := browsertest.New(t, browsertest.WithoutJavaScript())

			b.VisitAndAudit(base + "/?lang=" + lang)
			if got := b.Text("html"); got == "" {
				t.Fatal("empty front page")
			}
			b.VisitAndAudit(base + "/accessibility")
			b.VisitAndAudit(base + "/privacy")

			// Register: first with errors, then right.
			b.VisitAndAudit(base + "/register")
			b.Fill("#email", "aino@example.fi")
			b.Fill("#name", "Aino Aktiivinen")
			b.Fill("#password", "short")
			b.Fill("#password_again", "different")
			b.Submit(`form[action="/register"] button[type=submit]`)
			if b.Text(".error-summary") == "" {
				t.Fatal("no error summary after a bad registration")
			}
			b.Audit()
			b.Fill("#password", "kymmenen-merkkia")
			b.Fill("#password_again", "kymmenen-merkkia")
			b.Submit(`form[action="/register"] button[type=submit]`)
			// Registering sends a message and signs nobody in: Aino signs in.
			if !strings.Contains(b.Text("[role=status]"), "aino@example.fi") {
				t.Fatalf("after registering: %s, %q", b.URL(), b.Text("main"))
			}
			b.Audit()
			b.Visit(base + "/login?next=/account")
			b.Fill("#email", "aino@example.fi")
			b.Fill("#password", "kymmenen-merkkia")
			b.Submit(`form[action="/login"] button[type=submit]`)
			if !strings.HasSuffix(b.URL(), "/account") || b.Text("[role=status]") == "" {
				t.Fatalf("after registering: %s, flash %q", b.URL(), b.Text("[role=status]"))
			}
			b.Audit()
			// She asks for email of what she follows; the page says it is saved.
			b.Click("#email_notifications")
			b.Submit(`form[action="/account/settings"] button[type=submit]`)
			if !strings.HasSuffix(b.URL(), "/account") || b.Text("[role=status]") == "" {
				t.Fatalf("after saving the settings: %s, flash %q", b.URL(), b.Text("[role=status]"))
			}
			b.Audit()
			b.Submit(`form[action="/logout"] button`)

			// The admin makes Aino an official on the accounts page.
			b.VisitAndAudit(base + "/login")
			b.Fill("#email", "admin@example.fi")
			b.Fill("#password", "wrong-password")
			b.Submit(`form[action="/login"] button[type=submit]`)
			if b.Text(".error-summary") == "" {
				t.Fatal("no error after a wrong password")
			}
			b.Audit()
			b.Fill("#password", "admin-password-1")
			b.Submit(`form[action="/login"] button[type=submit]`)
			b.VisitAndAudit(base + "/admin/accounts?q=aino")
			aino, _, err := ts.store.FindAccounts(adminContext(t, ts), participation.AccountFilter{Query: "aino", Limit: 1})
			if err != nil || len(aino) != 1 {
				t.Fatalf("find aino: %v %v", aino, err)
			}
			id := itoa(aino[0].ID)
			b.Click("#roles-" + id + "-official")
			b.Submit(`form[action="/admin/accounts/` + id + `/roles"] button`)
			b.Audit()
			b.Submit(`form[action="/logout"] button`)

			// Aino signs in and creates a process.
			b.Visit(base + "/login")
			b.Fill("#email", "aino@example.fi")
			b.Fill("#password", "kymmenen-merkkia")
			b.Submit(`form[action="/login"] button[type=submit]`)
			b.VisitAndAudit(base + "/processes/new")
			b.Fill("#title", "Avoin hallinto 2017–2019")
			b.Fill("#slug", "Not A Slug")
			b.Submit(`form[action="/processes"] button[type=submit]`)
			if b.Text(".error-summary") == "" {
				t.Fatal("no error for a bad slug")
			}
			b.Audit()
			b.Fill("#slug", "avoin-hallinto")
			b.Fill("#description", "Toimintaohjelman laadinta.")
			b.Submit(`form[action="/processes"] button[type=submit]`)
			if !strings.HasSuffix(b.URL(), "/processes/avoin-hallinto") || !strings.Contains(b.Text("h1"), "Avoin hallinto") {
				t.Fatalf("after creating: %s %q", b.URL(), b.Text("h1"))
			}
			b.Audit()
			b.VisitAndAudit(base + "/account")
			b.VisitAndAudit(base + "/")
			if !strings.Contains(b.Text("main"), "Avoin hallinto") {
				t.Fatal("the front page does not list the process")
			}
			b.VisitAndAudit(base + "/processes/no-such-process")
		})
	}
}
