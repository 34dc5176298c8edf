package server_test

import (
	"encoding/csv"
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/server/mail/mailtest"
)

// eventJSON is an event with its counts.
type eventJSON struct {
	ID                   int64   `json:"id"`
	Title                string  `json:"title"`
	StartsAt             string  `json:"starts_at"`
	EndsAt               string  `json:"ends_at"`
	Location             string  `json:"location"`
	OnlineURL            *string `json:"online_url"`
	Capacity             *int    `json:"capacity"`
	RegistrationClosesAt *string `json:"registration_closes_at"`
	Questions            []struct {
		ID       int64  `json:"id"`
		Prompt   string `json:"prompt"`
		Required bool   `json:"required"`
	} `json:"questions"`
	Registered int `json:"registered"`
	Waitlisted int `json:"waitlisted"`
}

// registrationJSON is a registration as its registrant gets it.
type registrationJSON struct {
	ID          int64   `json:"id"`
	Status      string  `json:"status"`
	CancelToken *string `json:"cancel_token"`
}

// eventWorld is a process ("treffit") with its official, and an event
// that starts in starts with capacity seats and one required question.
type eventWorld struct {
	ts       *testServer
	official string
	event    eventJSON
}

func newEventWorld(t *testing.T, ts *testServer, capacity int, starts time.Duration) *eventWorld {
	t.Helper()
	w := newEventProcess(t, ts)
	w.event = w.create(t, starts, map[string]any{"capacity": capacity})
	return w
}

// newEventProcess is an eventWorld without its event yet.
func newEventProcess(t *testing.T, ts *testServer) *eventWorld {
	t.Helper()
	w := &eventWorld{ts: ts}
	w.official, _ = ts.signUp("official@example.fi", "official")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "treffit", "title": "Avoimen hallinnon treffit", "description": ""}, w.official).want(t, 201)
	return w
}

// create adds an event that starts in starts, with extra fields.
func (w *eventWorld) create(t *testing.T, starts time.Duration, extra map[string]any) eventJSON {
	t.Helper()
	at := time.Now().Add(starts).UTC().Truncate(time.Second)
	body := map[string]any{
		"title": "Avoimen hallinnon treffit", "description": "Tervetuloa!", "location": "Mariankatu 9",
		"starts_at": at, "ends_at": at.Add(3 * time.Hour), "online_url": "https://example.fi/stream",
		"questions": []map[string]any{{"prompt": "Erityisruokavalio (tarjoilua varten)", "required": true}, {"prompt": "Saavutettavuus", "required": false}},
	}
	for k, v := range extra {
		body[k] = v
	}
	return decode[eventJSON](t, w.ts.do("POST", "/api/v1/processes/treffit/events", body, w.official).want(t, 201))
}

func (w *eventWorld) path(rest string) string { return "/api/v1/events/" + itoa(w.event.ID) + rest }

// answer is a body that answers the required question.
func (w *eventWorld) answer(extra map[string]any) map[string]any {
	body := map[string]any{"answers": []map[string]any{{"question_id": w.event.Questions[0].ID, "text": "Gluteeniton"}}}
	for k, v := range extra {
		body[k] = v
	}
	return body
}

// TestEventAPI drives every route of "Events and registration", errors
// included: validation, a second registration (of the account, and of its
// address by email), a missing required answer, a stranger's cancel,
// registration after the deadline, the confirm flow and the door list.
func TestEventAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	smtpd := startSender(t, ts)
	w := newEventWorld(t, ts, 2, 7*24*time.Hour)
	citizen, _ := ts.signUp("citizen@example.fi")
	aino, _ := ts.signUp("aino@example.fi")
	stranger, _ := ts.signUp("stranger@example.fi")

	mustRun(t, "Create", func(t *testing.T) {
		e := w.event
		if e.Capacity == nil || *e.Capacity != 2 || len(e.Questions) != 2 || !e.Questions[0].Required || e.Registered != 0 ||
			e.OnlineURL == nil || e.RegistrationClosesAt != nil || e.Location != "Mariankatu 9" {
			t.Fatalf("event %+v", e)
		}
		p := decode[processJSON](t, ts.do("GET", "/api/v1/processes/treffit", nil, "").want(t, 200))
		if len(p.Steps) != 1 || p.Steps[0].Kind != "event" || p.Steps[0].OpensAt == nil || *p.Steps[0].OpensAt != e.StartsAt ||
			*p.Steps[0].ClosesAt != e.EndsAt || p.Steps[0].Status != "upcoming" {
			t.Fatalf("steps %+v", p.Steps)
		}
	})
	t.Run("CreateErrors", func(t *testing.T) {
		at := time.Now().Add(time.Hour).UTC()
		ts.checkStatuses(t, []statusCase{
			{name: "citizen", method: "POST", path: "/api/v1/processes/treffit/events", token: citizen, status: 403, code: "forbidden",
				body: map[string]any{"title": "X", "description": "", "location": "Y", "starts_at": at, "ends_at": at.Add(time.Hour)}},
			{name: "malformed", method: "POST", path: "/api/v1/processes/treffit/events", token: w.official, status: 400, code: "invalid", body: `{"title": 1}`},
		})
		e := ts.do("POST", "/api/v1/processes/treffit/events", map[string]any{"title": " ", "description": "", "location": "", "starts_at": at,
			"ends_at": at.Add(-time.Hour), "capacity": 0, "online_url": "javascript:alert(1)", "questions": []map[string]any{{"prompt": ""}}}, w.official).
			want(t, 422).wantCode(t, "invalid")
		e.wantFields(t, "title", "location", "ends_at", "capacity", "online_url", "questions[0].prompt")
		if p := decode[processJSON](t, ts.do("GET", "/api/v1/processes/treffit", nil, "").want(t, 200)); len(p.Steps) != 1 {
			t.Fatalf("a refused event was stored: %+v", p.Steps)
		}
	})

	var first, second registrationJSON
	mustRun(t, "RegisterSignedIn", func(t *testing.T) {
		first = decode[registrationJSON](t, ts.do("POST", w.path("/registrations"), w.answer(nil), citizen).want(t, 201))
		if first.Status != "registered" || first.CancelToken == nil || *first.CancelToken == "" {
			t.Fatalf("registration %+v", first)
		}
		got := smtpd.WaitFor(t, 1, 10*time.Second)
		p := mailtest.Parse(t, got[0].Data)
		ics := string(p.Attachments["event.ics"])
		if got[0].To[0] != "citizen@example.fi" || !strings.Contains(p.Subject, "Avoimen hallinnon treffit") ||
			!strings.Contains(p.Body, "/registrations/"+itoa(first.ID)+"/cancel?token=") ||
			!strings.Contains(ics, "BEGIN:VEVENT") || !strings.Contains(ics, "LOCATION:Mariankatu 9") ||
			!strings.Contains(ics, "DTSTART:"+strings.NewReplacer("-", "", ":", "").Replace(w.event.StartsAt)) {
			t.Fatalf("confirmation to %v: %q\n%s\n%s", got[0].To, p.Subject, p.Body, ics)
		}
	})
	t.Run("RegisterErrors", func(t *testing.T) {
		ts.checkStatuses(t, []statusCase{
			{name: "second registration of the account", method: "POST", path: w.path("/registrations"), body: w.answer(nil), token: citizen, status: 409, code: "conflict"},
			{name: "the account's address by email", method: "POST", path: w.path("/registrations"), status: 409, code: "conflict",
				body: w.answer(map[string]any{"name": "Someone", "email": "Citizen@Example.fi"})},
			{name: "missing required answer", method: "POST", path: w.path("/registrations"), body: map[string]any{}, token: aino, status: 422, code: "invalid"},
			{name: "an unknown question", method: "POST", path: w.path("/registrations"), token: aino, status: 422, code: "invalid",
				body: w.answer(map[string]any{"answers": []map[string]any{{"question_id": w.event.Questions[0].ID, "text": "x"}, {"question_id": 999999, "text": "x"}}})},
			{name: "no name nor email without an account", method: "POST", path: w.path("/registrations"), body: w.answer(nil), status: 422, code: "invalid"},
			{name: "no event", method: "POST", path: "/api/v1/events/999999/registrations", body: w.answer(nil), token: aino, status: 404, code: "not_found"},
		})
		if e := decode[eventJSON](t, ts.do("GET", w.path(""), nil, "").want(t, 200)); e.Registered != 1 || e.Waitlisted != 0 {
			t.Fatalf("counts after refusals: %+v", e)
		}
	})
	mustRun(t, "SecondTakesTheLastSeat", func(t *testing.T) {
		second = decode[registrationJSON](t, ts.do("POST", w.path("/registrations"), w.answer(nil), aino).want(t, 201))
		if second.Status != "registered" {
			t.Fatalf("second %+v", second)
		}
	})
	var byEmail registrationJSON
	var confirmToken string
	mustRun(t, "RegisterByEmail", func(t *testing.T) {
		byEmail = decode[registrationJSON](t, ts.do("POST", w.path("/registrations?lang=en"),
			w.answer(map[string]any{"name": "Eero", "email": "eero@example.fi"}), "").want(t, 201))
		if byEmail.Status != "unconfirmed" {
			t.Fatalf("by email %+v", byEmail)
		}
		got := smtpd.WaitFor(t, 3, 10*time.Second)
		p := mailtest.Parse(t, got[2].Data)
		i := strings.Index(p.Body, "/registrations/"+itoa(byEmail.ID)+"/confirm?token=")
		if got[2].To[0] != "eero@example.fi" || i < 0 || len(p.Attachments) != 0 {
			t.Fatalf("address confirmation to %v: %q\n%s", got[2].To, p.Subject, p.Body)
		}
		link, err := url.Parse(strings.Fields(p.Body[i:])[0])
		if err != nil {
			t.Fatal(err)
		}
		confirmToken = link.Query().Get("token")
		if e := decode[eventJSON](t, ts.do("GET", w.path(""), nil, "").want(t, 200)); e.Registered != 2 || e.Waitlisted != 0 {
			t.Fatalf("an unconfirmed registration counts: %+v", e)
		}
	})
	mustRun(t, "Confirm", func(t *testing.T) {
		confirm := "/api/v1/registrations/" + itoa(byEmail.ID) + "/confirm"
		ts.checkStatuses(t, []statusCase{
			{name: "no token", method: "POST", path: confirm, status: 401, code: "unauthenticated"},
			{name: "wrong token", method: "POST", path: confirm, status: 403, code: "forbidden", headers: []string{"X-Confirm-Token", "not-the-token"}},
			{name: "the cancel token confirms no address", method: "POST", path: confirm, status: 403, code: "forbidden", headers: []string{"X-Confirm-Token", *byEmail.CancelToken}},
		})
		r := decode[registrationJSON](t, ts.do("POST", confirm, nil, "", "X-Confirm-Token", confirmToken).want(t, 200))
		if r.Status != "waitlisted" || r.CancelToken != nil {
			t.Fatalf("confirmed %+v", r)
		}
		got := smtpd.WaitFor(t, 4, 10*time.Second)
		if p := mailtest.Parse(t, got[3].Data); got[3].To[0] != "eero@example.fi" || !strings.Contains(p.Subject, "waiting list") {
			t.Fatalf("waitlist notice to %v: %q\n%s", got[3].To, p.Subject, p.Body)
		}
	})
	t.Run("CancelErrors", func(t *testing.T) {
		cancel := "/api/v1/registrations/" + itoa(first.ID)
		ts.checkStatuses(t, []statusCase{
			{name: "no credentials", method: "DELETE", path: cancel, status: 401, code: "unauthenticated"},
			{name: "a stranger", method: "DELETE", path: cancel, token: stranger, status: 403, code: "forbidden"},
			{name: "another's cancel token", method: "DELETE", path: cancel, status: 403, code: "forbidden", headers: []string{"X-Cancel-Token", *second.CancelToken}},
			{name: "no registration", method: "DELETE", path: "/api/v1/registrations/999999", token: citizen, status: 404, code: "not_found"},
		})
	})
	t.Run("CSV", func(t *testing.T) {
		ts.do("GET", w.path("/registrations.csv"), nil, citizen).want(t, 403)
		r := ts.do("GET", w.path("/registrations.csv"), nil, w.official).want(t, 200)
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("content type %q", r.header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			{"name", "email", "status", "registered_at", "Erityisruokavalio (tarjoilua varten)", "Saavutettavuus"},
			{"Name of citizen@example.fi", "citizen@example.fi", "registered"},
			{"Name of aino@example.fi", "aino@example.fi", "registered"},
			{"Eero", "eero@example.fi", "waitlisted"},
		}
		if len(rows) != len(want) || strings.Join(rows[0], "|") != strings.Join(want[0], "|") {
			t.Fatalf("csv %q", rows)
		}
		for i, w := range want[1:] {
			if got := rows[i+1]; strings.Join(got[:3], "|") != strings.Join(w, "|") || got[4] != "Gluteeniton" || got[5] != "" {
				t.Errorf("row %d: %q, want %q", i+1, got, w)
			}
		}
	})
	mustRun(t, "CancelWithTokenMovesUp", func(t *testing.T) {
		ts.do("DELETE", "/api/v1/registrations/"+itoa(first.ID), nil, "", "X-Cancel-Token", *first.CancelToken).want(t, 204)
		if e := decode[eventJSON](t, ts.do("GET", w.path(""), nil, "").want(t, 200)); e.Registered != 2 || e.Waitlisted != 0 {
			t.Fatalf("after the cancel: %+v", e)
		}
		got := smtpd.WaitFor(t, 5, 10*time.Second)
		if p := mailtest.Parse(t, got[4].Data); got[4].To[0] != "eero@example.fi" || !strings.Contains(p.Subject, "You have a seat") ||
			len(p.Attachments["event.ics"]) == 0 {
			t.Fatalf("move up to %v: %q\n%s", got[4].To, p.Subject, p.Body)
		}
		r := ts.do("GET", w.path("/registrations.csv"), nil, w.official).want(t, 200)
		if strings.Contains(string(r.body), "citizen@example.fi") {
			t.Fatalf("a cancelled registration is on the door list:\n%s", r.body)
		}
	})
	t.Run("RegisterAgainAfterCancel", func(t *testing.T) {
		again := decode[registrationJSON](t, ts.do("POST", w.path("/registrations"), w.answer(nil), citizen).want(t, 201))
		if again.Status != "waitlisted" {
			t.Fatalf("again %+v", again)
		}
		ts.do("DELETE", "/api/v1/registrations/"+itoa(again.ID), nil, citizen).want(t, 204)
	})
	t.Run("Closed", func(t *testing.T) {
		past := time.Now().Add(-time.Minute).UTC()
		late := w.create(t, time.Hour, map[string]any{"registration_closes_at": past})
		ts.do("POST", "/api/v1/events/"+itoa(late.ID)+"/registrations", map[string]any{}, aino).want(t, 409).wantCode(t, "closed")
		started := w.create(t, -time.Hour, nil)
		ts.do("POST", "/api/v1/events/"+itoa(started.ID)+"/registrations", map[string]any{}, aino).want(t, 409).wantCode(t, "closed")
	})
}

// TestEventWaitlistMovesUpByEmail: capacity 2 and three registrants; the
// third is waitlisted, and when one of the first two cancels, the third
// has the seat and is told so at a real SMTP server.
func TestEventWaitlistMovesUpByEmail(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	smtpd := startSender(t, ts)
	w := newEventWorld(t, ts, 2, 7*24*time.Hour)
	var regs []registrationJSON
	var tokens []string
	for _, email := range []string{"a@example.fi", "b@example.fi", "c@example.fi"} {
		tok, _ := ts.signUp(email)
		tokens = append(tokens, tok)
		regs = append(regs, decode[registrationJSON](t, ts.do("POST", w.path("/registrations"), w.answer(nil), tok).want(t, 201)))
	}
	if regs[0].Status != "registered" || regs[1].Status != "registered" || regs[2].Status != "waitlisted" {
		t.Fatalf("statuses %s %s %s", regs[0].Status, regs[1].Status, regs[2].Status)
	}
	smtpd.WaitFor(t, 3, 10*time.Second)
	ts.do("DELETE", "/api/v1/registrations/"+itoa(regs[1].ID), nil, tokens[1]).want(t, 204)
	got := smtpd.WaitFor(t, 4, 10*time.Second)
	p := mailtest.Parse(t, got[3].Data)
	if got[3].To[0] != "c@example.fi" || !strings.Contains(p.Body, "Avoimen hallinnon treffit") || len(p.Attachments["event.ics"]) == 0 {
		t.Fatalf("move up to %v: %q\n%s", got[3].To, p.Subject, p.Body)
	}
	if e := decode[eventJSON](t, ts.do("GET", w.path(""), nil, "").want(t, 200)); e.Registered != 2 || e.Waitlisted != 0 {
		t.Fatalf("after the cancel: %+v", e)
	}
}
