package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"osallistu/server"
)

func TestWorkshopsAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	citizen, _ := ts.signUp("citizen@example.fi")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin", "description": ""}, official).want(t, 201)
	workshops := "/api/v1/processes/avoin/workshops"
	body := map[string]any{"title": "Työpaja 1", "starts_at": "2017-03-01T09:00:00Z"}

	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "POST", path: workshops, body: body, status: 401},
		{name: "a citizen may not", method: "POST", path: workshops, body: body, token: citizen, status: 403},
		{name: "an unknown process", method: "POST", path: "/api/v1/processes/nope/workshops", body: body, token: official, status: 404},
		{name: "a wrong type", method: "POST", path: workshops, body: `{"title": 5}`, token: official, status: 400},
	})
	t.Run("broken rules name their fields", func(t *testing.T) {
		ts.do("POST", workshops, map[string]any{"title": ""}, official).want(t, 422).wantCode(t, "invalid").wantFields(t, "title", "starts_at")
	})
	var w workshopJSON
	mustRun(t, "official creates a workshop with a join code", func(t *testing.T) {
		w = decode[workshopJSON](t, ts.do("POST", workshops, body, official).want(t, 201))
		if w.JoinCode == nil || !regexp.MustCompile(`^[A-HJKMNP-Z2-9]{6}$`).MatchString(*w.JoinCode) || w.Title != "Työpaja 1" || w.ID == 0 {
			t.Fatalf("workshop %+v", w)
		}
	})
	path := fmt.Sprintf("/api/v1/workshops/%d", w.ID)

	t.Run("the code is the officials'", func(t *testing.T) {
		if got := decode[workshopJSON](t, ts.do("GET", path, nil, official).want(t, 200)); got.JoinCode == nil || *got.JoinCode != *w.JoinCode {
			t.Errorf("official's view %+v", got)
		}
	})
	t.Run("others get null, and the fields are always there", func(t *testing.T) {
		r := ts.do("GET", path, nil, "").want(t, 200)
		decode[workshopJSON](t, r) // polls a list, not null
		if !decode[object](t, r).isNull("join_code") {
			t.Errorf("public view %s", r.body)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "an unknown workshop", method: "GET", path: "/api/v1/workshops/9999", status: 404},
		{name: "a citizen may not change it", method: "PATCH", path: path, body: map[string]any{"show_results_live": false}, token: citizen, status: 403},
		{name: "changing an unknown workshop", method: "PATCH", path: "/api/v1/workshops/9999", body: map[string]any{"show_results_live": true}, token: official, status: 404},
	})
	t.Run("official hides the live results", func(t *testing.T) {
		r := ts.do("PATCH", path, map[string]any{"show_results_live": false}, official).want(t, 200)
		if got := decode[workshopJSON](t, r); got.ShowResultsLive {
			t.Errorf("patched %s", r.body)
		}
	})
	t.Run("the workshop is a step of the process: opens_at its start, closes_at null", func(t *testing.T) {
		p := decode[processJSON](t, ts.do("GET", "/api/v1/processes/avoin", nil, "").want(t, 200))
		if len(p.Steps) == 0 {
			t.Fatal("no steps")
		}
		// It started in 2017 and has no end: it runs.
		if s := p.Steps[0]; s.Kind != "workshop" || s.OpensAt == nil || *s.OpensAt != "2017-03-01T09:00:00Z" || s.ClosesAt != nil || s.Status != "open" {
			t.Errorf("step %+v", s)
		}
	})
}

func TestJoinAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	ts.checkStatuses(t, []statusCase{
		{name: "an unknown code", method: "POST", path: "/api/v1/workshops/join", body: map[string]any{"code": "ZZZZZZ"}, status: 404},
		{name: "no code", method: "POST", path: "/api/v1/workshops/join", body: map[string]any{"code": ""}, status: 422},
		{name: "a wrong type", method: "POST", path: "/api/v1/workshops/join", body: `{"code": 7}`, status: 400},
	})
	t.Run("the code ignores case", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": strings.ToLower(ws.code), "name": "Aino", "municipality": "Tampere"}, "").want(t, 201)
		if j := decode[joinJSON](t, r); j.ParticipantToken == "" || j.WorkshopID != ws.id {
			t.Errorf("join %s", r.body)
		}
	})
}

// TestJoinRateLimits: joining has its own per-address limit, well above a
// room behind one router; the writer limit does not apply to it (there is
// no participant yet), and ballots are limited per participant.
func TestJoinRateLimits(t *testing.T) {
	t.Parallel()
	t.Run("the defaults let 2 000 participants join and vote from one address", func(t *testing.T) {
		if d := server.DefaultConfig(); d.JoinLimit < 2000 || d.AddressWriteLimit < 2*2000 {
			t.Errorf("the defaults do not: %+v", d)
		}
	})
	// The official writes four times: process, workshop, poll, open.
	ts := newTestServer(t, func(c *server.Config) { c.WriteLimit = 4; c.JoinLimit = 5 })
	ws := newWorkshopSetup(t, ts)
	poll, opts := ws.poll(t, 1, "A", "B")
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	var tokens []string
	mustRun(t, "joins over the join limit are refused", func(t *testing.T) {
		for range 5 {
			tokens = append(tokens, ws.join(t))
		}
		ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": ws.code}, "").want(t, 429)
	})
	t.Run("each participant has a writer limit of its own", func(t *testing.T) {
		for _, tok := range tokens {
			for i := range 4 {
				ws.vote(poll, tok, opts[i%2]).want(t, 200)
			}
		}
		ws.vote(poll, tokens[0], opts[0]).want(t, 429)
	})
}

// TestRoomBehindOneRouter: with the default configuration, 2 000
// participants join and vote from one address within a minute.
func TestRoomBehindOneRouter(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("2 000 joins")
	}
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	poll, opts := ws.poll(t, 1, "A", "B")
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	start := time.Now()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// t.Errorf, not want: FailNow cannot stop a test from another goroutine.
			for i := 0; i < 500; i++ {
				r := ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": strings.ToLower(ws.code)}, "")
				if r.status != 201 {
					t.Errorf("join %d of goroutine %d: status %d, want 201; body: %s", i, g, r.status, r.body)
					return
				}
				var j joinJSON
				if err := json.Unmarshal(r.body, &j); err != nil || j.ParticipantToken == "" {
					t.Errorf("join %d of goroutine %d: %v; body: %s", i, g, err, r.body)
					return
				}
				if r := ws.vote(poll, j.ParticipantToken, opts[(g+i)%2]); r.status != 200 {
					t.Errorf("ballot %d of goroutine %d: status %d, want 200; body: %s", i, g, r.status, r.body)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if d := time.Since(start); d > time.Minute {
		t.Errorf("2 000 joins and ballots took %v", d)
	}
	if tally := decode[tallyJSON](t, ts.do("GET", fmt.Sprintf("/api/v1/polls/%d/tally", poll), nil, "").want(t, 200)); tally.Ballots != 2000 {
		t.Errorf("tally %+v", tally)
	}
	t.Logf("2 000 joins and ballots from one address in %v", time.Since(start))
}

// TestJoinAgain: one person is one participant. A browser that holds a
// participant of the workshop (its cookie, or the header) and an account
// that joined before get their participant back, however often they join:
// 300 join-and-vote pairs of one client used to count 300 times.
func TestJoinAgain(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	other := newWorkshopSetup(t, ts)
	poll, opts := ws.poll(t, 1, "A", "B")
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	citizen, _ := ts.signUp("citizen@example.fi")
	join := func(t *testing.T, token string, headers ...string) (joinJSON, response) {
		t.Helper()
		r := ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": ws.code}, token, headers...).want(t, 201)
		return decode[joinJSON](t, r), r
	}
	ballots := func(t *testing.T) int {
		t.Helper()
		return decode[tallyJSON](t, ts.do("GET", fmt.Sprintf("/api/v1/polls/%d/tally", poll), nil, ws.official).want(t, 200)).Ballots
	}

	t.Run("a browser that joined gets the same participant back", func(t *testing.T) {
		first, r := join(t, "")
		cookie := ""
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name == "osallistu_participant" {
				cookie = c.Value
			}
		}
		if cookie != first.ParticipantToken {
			t.Fatalf("the participant cookie %q is not the token %q", cookie, first.ParticipantToken)
		}
		before := ballots(t)
		for i := range 20 {
			again, _ := join(t, "", "Cookie", "osallistu_participant="+cookie)
			if again.ParticipantToken != first.ParticipantToken || again.WorkshopID != ws.id {
				t.Fatalf("join %d: %+v, want the first participant %+v", i, again, first)
			}
			ws.vote(poll, again.ParticipantToken, opts[i%2]).want(t, 200)
		}
		if got := ballots(t); got != before+1 {
			t.Errorf("20 joins and ballots of one browser: %d ballots, want %d", got, before+1)
		}
	})
	t.Run("so does a client sending its token", func(t *testing.T) {
		first, _ := join(t, "")
		if again, _ := join(t, "", "X-Participant-Token", first.ParticipantToken); again.ParticipantToken != first.ParticipantToken {
			t.Errorf("joined again as %+v, want %+v", again, first)
		}
	})
	t.Run("another workshop's participant joins as a new one", func(t *testing.T) {
		stranger := other.join(t)
		if again, _ := join(t, "", "Cookie", "osallistu_participant="+stranger); again.ParticipantToken == stranger || again.WorkshopID != ws.id {
			t.Errorf("joined as %+v with another workshop's cookie", again)
		}
	})
	t.Run("an account gets its participant back, on any device", func(t *testing.T) {
		before := ballots(t)
		first, _ := join(t, citizen)
		second, _ := join(t, citizen)
		ws.vote(poll, first.ParticipantToken, opts[0]).want(t, 200)
		ws.vote(poll, second.ParticipantToken, opts[1]).want(t, 200) // replaces the first's
		if got := ballots(t); got != before+1 {
			t.Errorf("two joins of one account voted as %d participants", got-before)
		}
	})
}

// TestJoiningClosed: the official closes joining once the room is in; new
// participants get 409 closed, those who joined still get back in.
func TestJoiningClosed(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	path := fmt.Sprintf("/api/v1/workshops/%d", ws.id)
	joinBody := map[string]any{"code": ws.code}
	t.Run("a new workshop takes joins", func(t *testing.T) {
		o := decode[object](t, ts.do("GET", path, nil, "").want(t, 200))
		if string(o["joining_open"]) != "true" || string(o["require_account"]) != "false" {
			t.Errorf("defaults: %v", o)
		}
	})
	in := ws.join(t)
	mustRun(t, "official closes joining", func(t *testing.T) {
		o := decode[object](t, ts.do("PATCH", path, map[string]any{"joining_open": false}, ws.official).want(t, 200))
		if string(o["joining_open"]) != "false" || string(o["show_results_live"]) != "true" {
			t.Errorf("patched: %v", o)
		}
	})
	t.Run("a new participant: 409 closed", func(t *testing.T) {
		ts.do("POST", "/api/v1/workshops/join", joinBody, "").want(t, 409).wantCode(t, "closed")
	})
	t.Run("one who joined gets back in", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/workshops/join", joinBody, "", "Cookie", "osallistu_participant="+in).want(t, 201)
		if decode[joinJSON](t, r).ParticipantToken != in {
			t.Errorf("joined again as %s", r.body)
		}
	})
	t.Run("open again", func(t *testing.T) {
		ts.do("PATCH", path, map[string]any{"joining_open": true}, ws.official).want(t, 200)
		ws.join(t)
	})
}

// TestRequireAccount: a workshop can take signed-in participants only.
func TestRequireAccount(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	citizen, _ := ts.signUp("citizen@example.fi")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin", "description": ""}, official).want(t, 201)
	var w workshopJSON
	mustRun(t, "official creates a workshop for signed-in participants", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/processes/avoin/workshops", map[string]any{"title": "T", "starts_at": "2017-03-01T09:00:00Z", "require_account": true}, official).want(t, 201)
		w = decode[workshopJSON](t, r)
		if o := decode[object](t, r); string(o["require_account"]) != "true" || string(o["joining_open"]) != "true" {
			t.Errorf("created: %s", r.body)
		}
	})
	join := map[string]any{"code": *w.JoinCode}
	t.Run("a join without an account: 401", func(t *testing.T) {
		ts.do("POST", "/api/v1/workshops/join", join, "").want(t, 401).wantCode(t, "unauthenticated")
	})
	t.Run("a signed-in join", func(t *testing.T) {
		ts.do("POST", "/api/v1/workshops/join", join, citizen).want(t, 201)
	})
	t.Run("official lets anyone join", func(t *testing.T) {
		ts.do("PATCH", fmt.Sprintf("/api/v1/workshops/%d", w.ID), map[string]any{"require_account": false}, official).want(t, 200)
		ts.do("POST", "/api/v1/workshops/join", join, "").want(t, 201)
	})
}

// TestJoinMunicipality: a participant's municipality is one on the list,
// in Finnish or Swedish.
func TestJoinMunicipality(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	t.Run("not on the list: 422", func(t *testing.T) {
		ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": ws.code, "municipality": "Atlantis"}, "").
			want(t, 422).wantCode(t, "invalid").wantFields(t, "municipality")
	})
	t.Run("a Swedish name is the municipality's", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": ws.code, "municipality": "helsingfors"}, "").want(t, 201)
		if o := decode[object](t, r); string(o["municipality"]) != `"Helsinki"` {
			t.Errorf("joined as %s", r.body)
		}
	})
}

// TestWorkshopStateAPI: a workshop's state follows its window and the
// official's end, not its polls; an ended workshop takes no new
// participants and opens no polls, and its step of the process is closed
// with closes_at its end.
func TestWorkshopStateAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	citizen, _ := ts.signUp("citizen@example.fi")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin", "description": ""}, official).want(t, 201)
	starts := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	workshops := "/api/v1/processes/avoin/workshops"
	t.Run("an end before the start: 422", func(t *testing.T) {
		ts.do("POST", workshops, map[string]any{"title": "T", "starts_at": starts.Format(time.RFC3339), "ends_at": starts.Add(-time.Minute).Format(time.RFC3339)}, official).
			want(t, 422).wantCode(t, "invalid").wantFields(t, "ends_at")
	})
	r := ts.do("POST", workshops, map[string]any{"title": "T", "starts_at": starts.Format(time.RFC3339), "ends_at": starts.Add(3 * time.Hour).Format(time.RFC3339)}, official).want(t, 201)
	w := decode[object](t, r)
	w.has(t, "workshop", "ends_at", "ended_at", "state")
	id := decode[workshopJSON](t, r).ID
	code := *decode[workshopJSON](t, r).JoinCode
	path := fmt.Sprintf("/api/v1/workshops/%d", id)
	state := func(t *testing.T, want string) object {
		t.Helper()
		o := decode[object](t, ts.do("GET", path, nil, "").want(t, 200))
		if got := string(o["state"]); got != `"`+want+`"` {
			t.Fatalf("state %s, want %s", got, want)
		}
		return o
	}
	step := func(t *testing.T, want string) stepJSON {
		t.Helper()
		p := decode[processJSON](t, ts.do("GET", "/api/v1/processes/avoin", nil, "").want(t, 200))
		if len(p.Steps) != 1 || p.Steps[0].Status != want {
			t.Fatalf("steps %+v, want %s", p.Steps, want)
		}
		return p.Steps[0]
	}
	if o := state(t, "upcoming"); string(o["ends_at"]) != `"`+starts.Add(3*time.Hour).Format(time.RFC3339)+`"` || !o.isNull("ended_at") {
		t.Errorf("new workshop %s", o)
	}
	if s := step(t, "upcoming"); s.ClosesAt == nil || *s.ClosesAt != starts.Add(3*time.Hour).Format(time.RFC3339) {
		t.Errorf("step %+v: closes_at its end", s)
	}
	poll := decode[pollJSON](t, ts.do("POST", path+"/polls", map[string]any{"question": "Q", "max_choices": 1, "options": []map[string]any{{"label": "A"}, {"label": "B"}}}, official).want(t, 201))
	t.Run("an open poll makes it run, even before its start", func(t *testing.T) {
		ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll.ID), nil, official).want(t, 200)
		state(t, "running")
		step(t, "open")
	})
	t.Run("its only poll closed, it is upcoming again, not ended: more polls can come", func(t *testing.T) {
		ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/close", poll.ID), nil, official).want(t, 200)
		state(t, "upcoming")
		step(t, "upcoming")
	})
	t.Run("the start moved to the past: it runs", func(t *testing.T) {
		o := decode[object](t, ts.do("PATCH", path, map[string]any{"starts_at": "2017-03-01T09:00:00Z", "ends_at": nil}, official).want(t, 200))
		if string(o["state"]) != `"running"` || !o.isNull("ends_at") {
			t.Errorf("patched %s", o)
		}
		if s := step(t, "open"); s.ClosesAt != nil {
			t.Errorf("step %+v: no end, no closes_at", s)
		}
	})
	second := decode[pollJSON](t, ts.do("POST", path+"/polls", map[string]any{"question": "Q2", "max_choices": 1, "options": []map[string]any{{"label": "A"}, {"label": "B"}}}, official).want(t, 201))
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", second.ID), nil, official).want(t, 200)
	ts.checkStatuses(t, []statusCase{
		{name: "signed out may not end it", method: "POST", path: path + "/end", status: 401},
		{name: "a citizen may not end it", method: "POST", path: path + "/end", token: citizen, status: 403},
		{name: "a citizen may not reopen it", method: "POST", path: path + "/reopen", token: citizen, status: 403},
		{name: "ending an unknown workshop", method: "POST", path: "/api/v1/workshops/9999/end", token: official, status: 404},
	})
	mustRun(t, "official ends it: its open poll closes", func(t *testing.T) {
		o := decode[object](t, ts.do("POST", path+"/end", nil, official).want(t, 200))
		if string(o["state"]) != `"ended"` || o.isNull("ended_at") {
			t.Fatalf("ended %s", o)
		}
		if p := decode[pollJSON](t, ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/close", second.ID), nil, official).want(t, 200)); p.Status != "closed" {
			t.Errorf("its open poll is %s", p.Status)
		}
		if s := step(t, "closed"); s.ClosesAt == nil {
			t.Errorf("step %+v: closes_at the end", s)
		}
		ts.do("POST", path+"/end", nil, official).want(t, 200) // again: harmless
	})
	t.Run("an ended workshop: joining 409 closed, opening a poll 409 closed", func(t *testing.T) {
		ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": code}, "").want(t, 409).wantCode(t, "closed")
		third := decode[pollJSON](t, ts.do("POST", path+"/polls", map[string]any{"question": "Q3", "max_choices": 1, "options": []map[string]any{{"label": "A"}, {"label": "B"}}}, official).want(t, 201))
		ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", third.ID), nil, official).want(t, 409).wantCode(t, "closed")
	})
	t.Run("reopened, it takes participants again", func(t *testing.T) {
		o := decode[object](t, ts.do("POST", path+"/reopen", nil, official).want(t, 200))
		if string(o["state"]) != `"running"` || !o.isNull("ended_at") {
			t.Errorf("reopened %s", o)
		}
		ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": code}, "").want(t, 201)
	})
}

// TestUpdateWorkshopAPI: PATCH takes the workshop's texts and window too,
// with the rules of a new workshop; its settings keep their meaning.
func TestUpdateWorkshopAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	path := fmt.Sprintf("/api/v1/workshops/%d", ws.id)
	t.Run("title, window and translations", func(t *testing.T) {
		o := decode[object](t, ts.do("PATCH", path, map[string]any{"title": "Uusi nimi", "starts_at": "2030-01-01T08:00:00Z", "ends_at": "2030-01-01T12:00:00Z",
			"translations": map[string]any{"sv": map[string]any{"title": "Nytt namn"}}}, ws.official).want(t, 200))
		if string(o["title"]) != `"Uusi nimi"` || string(o["starts_at"]) != `"2030-01-01T08:00:00Z"` || string(o["ends_at"]) != `"2030-01-01T12:00:00Z"` ||
			!strings.Contains(string(o["translations"]), "Nytt namn") || string(o["state"]) != `"upcoming"` || string(o["show_results_live"]) != "true" {
			t.Errorf("patched %s", o)
		}
	})
	t.Run("broken rules: 422 and nothing stored", func(t *testing.T) {
		ts.do("PATCH", path, map[string]any{"title": " ", "ends_at": "2029-01-01T00:00:00Z"}, ws.official).want(t, 422).wantCode(t, "invalid").wantFields(t, "title", "ends_at")
		ts.do("PATCH", path, map[string]any{"ends_at": "yesterday"}, ws.official).want(t, 400)
		if o := decode[object](t, ts.do("GET", path, nil, "").want(t, 200)); string(o["title"]) != `"Uusi nimi"` {
			t.Errorf("after refusals %s", o)
		}
	})
	t.Run("the settings keep their meaning", func(t *testing.T) {
		o := decode[object](t, ts.do("PATCH", path, map[string]any{"joining_open": false}, ws.official).want(t, 200))
		if string(o["joining_open"]) != "false" || string(o["title"]) != `"Uusi nimi"` || string(o["ends_at"]) != `"2030-01-01T12:00:00Z"` {
			t.Errorf("patched %s", o)
		}
	})
}
