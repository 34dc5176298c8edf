package server_test

import (
	"net/url"
	"testing"
)

// TestEventNewPage: the process's official adds an event on a page of
// their own (the process page links to it); signed out it asks to sign in,
// and a citizen, or an official of other processes who posts it, is
// forbidden. A bad form comes back with its errors and
// stores nothing; a good one adds the event, with its translation and its
// questions, and shows it with a confirmation.
func TestEventNewPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	officialToken := newEventProcess(t, ts).official
	citizenToken, _ := ts.signUp("citizen@example.fi")
	otherToken, _ := ts.signUp("other@example.fi", "official")
	const page = "/processes/treffit/events/new"
	official := ts.client(officialToken)
	events := func() int {
		var n int
		if err := ts.store.DB().QueryRow(`SELECT count(*) FROM events`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("only officials get the form", func(t *testing.T) {
		ts.client("").get(page).want(t, 401).contains(t, "/login?next=")
		ts.client(citizenToken).get(page).want(t, 403)
		ts.client(citizenToken).post(t, "/processes/treffit", page, url.Values{"title": {"x"}}).want(t, 403)
		ts.client("").get("/processes/nobody/events/new").want(t, 404)
		official.get("/processes/nobody/events/new").want(t, 404)
		official.get("/processes/treffit?lang=en").contains(t, `href="`+page+`"`)
		official.get(page+"?lang=en").want(t, 200).contains(t, `action="`+page+`"`, `name="capacity"`, `name="prompt_3"`, `name="required_1"`,
			`name="tr_sv_title"`, "deleted 30 days after the event")
	})
	mustRun(t, "a bad form shows its errors and stores nothing", func(t *testing.T) {
		r := official.post(t, page, page+"?lang=en", url.Values{"title": {""}, "starts_at": {"tomorrow"}, "ends_at": {"2030-05-02T18:00"},
			"location": {"Mariankatu 9"}, "capacity": {"many"}, "online_url": {"javascript:alert(1)"}, "prompt_2": {"\u200b"}, "required_2": {"yes"}})
		r.want(t, 422).contains(t, "error-summary", `href="#title"`, `href="#starts_at"`, `href="#capacity"`, `href="#online_url"`, `href="#prompt_2"`,
			"Question 2", `id="prompt_2-error"`, `value="many"`)
		r = official.post(t, page, page, url.Values{"title": {"Treffit"}, "starts_at": {"2030-05-02T18:00"}, "ends_at": {"2030-05-02T17:00"}, "location": {"Mariankatu 9"}})
		r.want(t, 422).contains(t, `href="#ends_at"`, `value="Treffit"`)
		// An official of other processes may not add one to this process.
		ts.client(otherToken).post(t, page, page, url.Values{"title": {"Treffit"}, "starts_at": {"2030-05-02T17:00"},
			"ends_at": {"2030-05-02T18:00"}, "location": {"Mariankatu 9"}}).want(t, 403)
		if n := events(); n != 0 {
			t.Fatalf("%d events stored from bad forms", n)
		}
	})
	mustRun(t, "a good form adds the event and shows it", func(t *testing.T) {
		loc := official.post(t, page, page+"?lang=en", url.Values{"title": {"Avoimen hallinnon treffit"}, "description": {"Tervetuloa!"},
			"tr_sv_title": {"Träff om öppen förvaltning"}, "starts_at": {"2030-05-02T17:00"}, "ends_at": {"2030-05-02T19:30"},
			"location": {"Mariankatu 9"}, "online_url": {"https://example.fi/stream"}, "capacity": {"40"},
			"registration_closes_at": {"2030-04-30T12:00"}, "prompt_1": {"Erityisruokavalio (tarjoilua varten)"}, "required_1": {"yes"},
			"prompt_3": {"Saavutettavuus"}}).redirectsTo(t, "/events/")
		official.get(loc+"?lang=en").want(t, 200).contains(t, "The event has been added", "Avoimen hallinnon treffit", "0 of 40 taken",
			"Erityisruokavalio (tarjoilua varten)", "Saavutettavuus", "https://example.fi/stream", "30 April 2030, 12:00")
		e := decode[eventJSON](t, ts.do("GET", "/api/v1"+loc, nil, "").want(t, 200))
		if e.Capacity == nil || *e.Capacity != 40 || len(e.Questions) != 2 || !e.Questions[0].Required || e.Questions[1].Required ||
			e.StartsAt != "2030-05-02T14:00:00Z" {
			t.Fatalf("the event: %+v", e)
		}
		ts.client("").get(loc+"?lang=sv").contains(t, "Träff om öppen förvaltning")
		if n := events(); n != 1 {
			t.Fatalf("%d events stored; want 1", n)
		}
	})
	t.Run("no seats limit when the capacity is left empty", func(t *testing.T) {
		loc := official.post(t, page, page, url.Values{"title": {"Avoin ilta"}, "starts_at": {"2030-06-02T17:00"}, "ends_at": {"2030-06-02T19:00"},
			"location": {"Mariankatu 9"}, "capacity": {""}}).redirectsTo(t, "/events/")
		if e := decode[eventJSON](t, ts.do("GET", "/api/v1"+loc, nil, "").want(t, 200)); e.Capacity != nil || len(e.Questions) != 0 {
			t.Fatalf("the event: %+v", e)
		}
	})
}
