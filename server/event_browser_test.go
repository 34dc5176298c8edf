package server_test

import (
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/server/browsertest"
)

// TestBrowserEventRegistration adds an event and registers for it in
// browsers without JavaScript. The official adds it on the new event's
// page, in English: an empty form's errors first, then the event with two
// seats and a required question. Then in Finnish: the registration form's
// errors, then the registration, which waits for the emailed link; the
// link's page confirms it and the cancel page cancels it. The official sees
// the list. Every page has no axe violations and reads on a phone (Audit
// lays it out at phone width).
func TestBrowserEventRegistration(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	w := newEventProcess(t, ts)

	off := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(3*time.Minute))
	off.Visit(base + "/login?lang=en")
	off.Fill("#email", "official@example.fi")
	off.Fill("#password", "correct horse battery")
	off.Submit(`form[action="/login"] button[type=submit]`)
	off.VisitAndAudit(base + "/processes/treffit/events/new")
	off.Submit(`form[action$="/events/new"] button[type=submit]`)
	if got := off.Text(".error-summary"); !strings.Contains(got, "Title") || !strings.Contains(got, "Place") {
		t.Fatalf("the empty form's errors: %q", got)
	}
	off.Audit()
	starts := time.Now().Add(7 * 24 * time.Hour).In(participation.Helsinki)
	off.Fill("#title", "Avoimen hallinnon treffit")
	off.Fill("#description", "Tervetuloa!")
	off.Fill("#starts_at", starts.Format("2006-01-02T15:04"))
	off.Fill("#ends_at", starts.Add(3*time.Hour).Format("2006-01-02T15:04"))
	off.Fill("#location", "Mariankatu 9")
	off.Fill("#online_url", "https://example.fi/stream")
	off.Fill("#capacity", "2")
	off.Fill("#prompt_1", "Erityisruokavalio (tarjoilua varten)")
	off.Click("#required_1")
	off.Fill("#prompt_2", "Saavutettavuus")
	off.Submit(`form[action$="/events/new"] button[type=submit]`)
	if got := off.Text(".flash"); !strings.Contains(got, "The event has been added") {
		t.Fatalf("after adding the event: %s, %q", off.URL(), got)
	}
	off.Audit()
	_, added, _ := strings.Cut(off.URL(), "/events/")
	w.event = decode[eventJSON](t, ts.do("GET", "/api/v1/events/"+added, nil, "").want(t, 200))
	if w.event.Capacity == nil || *w.event.Capacity != 2 || len(w.event.Questions) != 2 || !w.event.Questions[0].Required {
		t.Fatalf("the event added: %+v", w.event)
	}
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
	off.VisitAndAudit(event + "/registrations")
	if got := off.Text("table"); !strings.Contains(got, "official@example.fi") || !strings.Contains(got, "Gluteeniton") {
		t.Fatalf("the list: %q", got)
	}
}
