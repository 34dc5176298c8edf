package server_test

import (
	"strings"
	"testing"

	"osallistu/server/browsertest"
)

// TestBrowserProcessLifecycle: an official creates a process on the pages,
// which starts as a draft that a visitor cannot find; edits it with the
// same form, publishes it and archives it, each with a confirmation, in
// Finnish and Swedish, with an axe audit of every page on the way.
func TestBrowserProcessLifecycle(t *testing.T) {
	t.Parallel()
	published := map[string]string{"fi": "Hanke on julkaistu", "sv": "Projektet har publicerats"}
	draftNote := map[string]string{"fi": "kunnes se julkaistaan", "sv": "tills det publiceras"}
	archivedHeading := map[string]string{"fi": "Arkistoidut hankkeet", "sv": "Arkiverade projekt"}
	for _, lang := range []string{"fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			ts := newTestServer(t)
			base := ts.listen()
			ts.signUp("official@example.fi", "official")
			b := browsertest.New(t, browsertest.WithoutJavaScript())
			signIn := func() {
				b.Visit(base + "/login?lang=" + lang)
				b.Fill("#email", "official@example.fi")
				b.Fill("#password", "correct horse battery")
				b.Submit(`form[action="/login"] button[type=submit]`)
			}
			signIn()

			b.VisitAndAudit(base + "/processes/new")
			b.Fill("#title", "Avoin hallinto")
			b.Fill("#slug", "avoin-hallinto")
			b.Fill("#contact_name", "Katju Holkeri")
			b.Fill("#contact_email", "not an address")
			b.Submit(`form[action="/processes"] button[type=submit]`)
			if b.Text(".error-summary") == "" {
				t.Fatal("no error summary for a bad contact email")
			}
			b.Audit()
			b.Fill("#contact_email", "katju@example.fi")
			b.Fill("#organiser", "Valtiovarainministeriö")
			b.Submit(`form[action="/processes"] button[type=submit]`)
			if !strings.HasSuffix(b.URL(), "/processes/avoin-hallinto") || b.Text(".notice-draft") == "" || b.Text("[role=status]") == "" {
				t.Fatalf("after creating: %s, %q", b.URL(), b.Text("main"))
			}
			b.Audit()

			// A visitor does not find the draft.
			b.Submit(`form[action="/logout"] button`)
			b.VisitAndAudit(base + "/processes/avoin-hallinto")
			if strings.Contains(b.Text("main"), "Avoin hallinto") {
				t.Fatal("a visitor sees the draft")
			}
			b.Visit(base + "/")
			if strings.Contains(b.Text("main"), "Avoin hallinto") {
				t.Fatal("the front page lists the draft to a visitor")
			}
			signIn()

			b.VisitAndAudit(base + "/processes/avoin-hallinto/edit")
			b.Fill("#title", "")
			b.Submit(`form[action="/processes/avoin-hallinto/edit"] button[type=submit]`)
			if b.Text(".error-summary") == "" {
				t.Fatal("no error summary for an empty title")
			}
			b.Audit()
			b.Fill("#title", "Avoimen hallinnon toimintaohjelma")
			b.Submit(`form[action="/processes/avoin-hallinto/edit"] button[type=submit]`)
			if !strings.Contains(b.Text("h1"), "Avoimen hallinnon toimintaohjelma") || b.Text("[role=status]") == "" {
				t.Fatalf("after editing: %q", b.Text("main"))
			}
			b.Audit()

			b.Submit(`form[action="/processes/avoin-hallinto/publish"] button`)
			if !strings.Contains(b.Text("[role=status]"), published[lang]) || strings.Contains(b.Text("main"), draftNote[lang]) {
				t.Fatalf("after publishing: %q", b.Text("main"))
			}
			b.Audit()
			b.Submit(`form[action="/processes/avoin-hallinto/archive"] button`)
			if b.Text(".notice-archived") == "" || b.Text("[role=status]") == "" {
				t.Fatalf("after archiving: %q", b.Text("main"))
			}
			b.Audit()
			b.VisitAndAudit(base + "/")
			if !strings.Contains(b.Text("#archived-heading"), archivedHeading[lang]) {
				t.Fatalf("the front page has no archived list: %q", b.Text("main"))
			}
		})
	}
}
