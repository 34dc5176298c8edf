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
		if s := p.Steps[0]; s.Kind != "workshop" || s.OpensAt == nil || *s.OpensAt != "2017-03-01T09:00:00Z" || s.ClosesAt != nil || s.Status != "upcoming" {
			t.Errorf("step %+v", s)
		}
	})
}

func TestJoinAPI(t *testing.T) {
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
