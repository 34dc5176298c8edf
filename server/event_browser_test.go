package server_test

import (
	"strings"
	"testing"
	"time"

	"osallistu/server/browsertest"
)

// TestBrowserEventRegistration registers for an event in a browser without
// JavaScript, in Finnish: the form's errors first, then the registration,
// which waits for the emailed link; the link's page confirms it and the
// cancel page cancels it. The official sees the list. Every page has no
// axe violations and reads on a phone (Audit lays it out at phone width).
func TestBrowserEventRegistration(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	w := newEventWorld(t, ts, 2, 7*24*time.Hour)
	event := base + "/events/" + itoa(w.event.ID)

	b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(4*time.Minute))
	b.VisitAndAudit(base + "/processes/treffit?lang=fi")
	if r := ts.do("GET", "/processes/treffit", nil, ""); !strings.Contains(string(r.body), `<a href="/events/`+itoa(w.event.ID)+`">`) {
		t.Fatal("the timeline does not link to the event")
	}
	b.VisitAndAudit(event)
	b.Submit(`form[action$="/register"] button[type=submit]`)
	if b.Text(".error-summary") == "" {
		t.Fatal("no error summary for an empty registration")
	}
	b.Audit()
	b.Fill("#name", "Eero Esimerkki")
	b.Fill("#email", "eero@example.fi")
	b.Fill("#answer_"+itoa(w.event.Questions[0].ID), "Gluteeniton")
	b.Submit(`form[action$="/register"] button[type=submit]`)
	if got := b.Text(".notice"); !strings.Contains(got, "vahvista ilmoittautumisesi") {
		t.Fatalf("after registering: %q", got)
	}
	b.Audit()

	var id int64
	var token string
	if err := ts.store.DB().QueryRow(`SELECT (params->'event'->>'registration_id')::bigint, params->>'token' FROM outbox
		WHERE kind = 'registration_address' AND email = 'eero@example.fi'`).Scan(&id, &token); err != nil {
		t.Fatal(err)
	}
	b.VisitAndAudit(base + "/registrations/" + itoa(id) + "/confirm?token=" + token)
	b.Submit(`form[action$="/confirm"] button[type=submit]`)
	if got := b.Text(".notice"); !strings.Contains(got, "vahvistettu") {
		t.Fatalf("after confirming: %q", got)
	}
	b.Audit()
	if e := decode[eventJSON](t, ts.do("GET", w.path(""), nil, "").want(t, 200)); e.Registered != 1 {
		t.Fatalf("after confirming: %+v", e)
	}
	b.VisitAndAudit(base + "/registrations/" + itoa(id) + "/cancel?token=" + token + "&lang=sv")
	b.Submit(`form[action$="/cancel"] button[type=submit]`)
	if got := b.Text(".notice"); !strings.Contains(got, "avbokats") {
		t.Fatalf("after cancelling: %q", got)
	}
	b.Audit()
	if e := decode[eventJSON](t, ts.do("GET", w.path(""), nil, "").want(t, 200)); e.Registered != 0 {
		t.Fatalf("after cancelling: %+v", e)
	}

	// The official's list, in English, with one registrant.
	ts.do("POST", w.path("/registrations"), w.answer(nil), w.official).want(t, 201)
	off := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(2*time.Minute))
	off.Visit(base + "/login?lang=en")
	off.Fill("#email", "official@example.fi")
	off.Fill("#password", "correct horse battery")
	off.Submit(`form[action="/login"] button[type=submit]`)
	off.VisitAndAudit(event + "/registrations")
	if got := off.Text("table"); !strings.Contains(got, "official@example.fi") || !strings.Contains(got, "Gluteeniton") {
		t.Fatalf("the list: %q", got)
	}
}
