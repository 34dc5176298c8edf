package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"osallistu/participation/postgres/pgtest"
	"osallistu/server"
)

// workshopSetup is a process with a workshop, an official's token and the
// workshop's id and join code.
type workshopSetup struct {
	ts       *testServer
	official string
	id       int64
	code     string
}

func newWorkshopSetup(t *testing.T, ts *testServer) *workshopSetup {
	t.Helper()
	official, _ := ts.signUp(fmt.Sprintf("official-%d@example.fi", time.Now().UnixNano()), "official")
	slug := fmt.Sprintf("avoin-%d", time.Now().UnixNano()%1e9)
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": slug, "title": "Avoin hallinto", "description": ""}, official).want(t, 201)
	w := ts.do("POST", "/api/v1/processes/"+slug+"/workshops", map[string]any{"title": "Työpaja", "starts_at": "2017-03-01T09:00:00Z"}, official).want(t, 201).json(t)
	return &workshopSetup{ts: ts, official: official, id: int64(w["id"].(float64)), code: w["join_code"].(string)}
}

// poll creates a poll with typed options and returns its id and option ids.
func (ws *workshopSetup) poll(t *testing.T, maxChoices int, labels ...string) (int64, []int64) {
	t.Helper()
	var opts []map[string]any
	for _, l := range labels {
		opts = append(opts, map[string]any{"label": l})
	}
	p := ws.ts.do("POST", fmt.Sprintf("/api/v1/workshops/%d/polls", ws.id), map[string]any{"question": "Q?", "max_choices": maxChoices, "options": opts}, ws.official).want(t, 201).json(t)
	var ids []int64
	for _, o := range p["options"].([]any) {
		ids = append(ids, int64(o.(map[string]any)["id"].(float64)))
	}
	return int64(p["id"].(float64)), ids
}

// join joins the workshop and returns the participant token.
func (ws *workshopSetup) join(t testing.TB) string {
	t.Helper()
	r := ws.ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": strings.ToLower(ws.code)}, "").want(t, 201).json(t)
	return r["participant_token"].(string)
}

func (ws *workshopSetup) vote(t testing.TB, poll int64, token string, ids ...int64) response {
	t.Helper()
	return ws.ts.do("PUT", fmt.Sprintf("/api/v1/polls/%d/ballot", poll), map[string]any{"option_ids": ids}, "", "X-Participant-Token", token)
}

func TestWorkshopsAPI(t *testing.T) {
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	citizen, _ := ts.signUp("citizen@example.fi")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin", "description": ""}, official).want(t, 201)
	body := map[string]any{"title": "Työpaja 1", "starts_at": "2017-03-01T09:00:00Z"}

	ts.do("POST", "/api/v1/processes/avoin/workshops", body, "").want(t, 401)
	ts.do("POST", "/api/v1/processes/avoin/workshops", body, citizen).want(t, 403)
	ts.do("POST", "/api/v1/processes/nope/workshops", body, official).want(t, 404)
	ts.do("POST", "/api/v1/processes/avoin/workshops", `{"title": 5}`, official).want(t, 400)
	r := ts.do("POST", "/api/v1/processes/avoin/workshops", map[string]any{"title": ""}, official).want(t, 422)
	if f := r.json(t)["error"].(map[string]any)["fields"].(map[string]any); f["title"] == nil || f["starts_at"] == nil {
		t.Fatalf("fields %v", f)
	}
	w := ts.do("POST", "/api/v1/processes/avoin/workshops", body, official).want(t, 201).json(t)
	code, _ := w["join_code"].(string)
	if !regexp.MustCompile(`^[A-HJKMNP-Z2-9]{6}$`).MatchString(code) || w["title"] != "Työpaja 1" || w["id"] == nil {
		t.Fatalf("workshop %v", w)
	}
	id := int64(w["id"].(float64))
	path := fmt.Sprintf("/api/v1/workshops/%d", id)

	// The code is the officials'; others get null, and the fields are always there.
	if got := ts.do("GET", path, nil, official).want(t, 200).json(t); got["join_code"] != code {
		t.Fatalf("official's view %v", got)
	}
	if got := ts.do("GET", path, nil, "").want(t, 200).json(t); got["join_code"] != nil || got["polls"] == nil {
		t.Fatalf("public view %v", got)
	}
	ts.do("GET", "/api/v1/workshops/9999", nil, "").want(t, 404)
	ts.do("PATCH", path, map[string]any{"show_results_live": false}, citizen).want(t, 403)
	if got := ts.do("PATCH", path, map[string]any{"show_results_live": false}, official).want(t, 200).json(t); got["show_results_live"] != false {
		t.Fatalf("patched %v", got)
	}
	ts.do("PATCH", "/api/v1/workshops/9999", map[string]any{"show_results_live": true}, official).want(t, 404)

	// The workshop is a step of the process: opens_at its start, closes_at null.
	p := ts.do("GET", "/api/v1/processes/avoin", nil, "").want(t, 200).json(t)
	step := p["steps"].([]any)[0].(map[string]any)
	if step["kind"] != "workshop" || step["opens_at"] != "2017-03-01T09:00:00Z" || step["closes_at"] != nil || step["status"] != "upcoming" {
		t.Fatalf("step %v", step)
	}
}

func TestPollsAPI(t *testing.T) {
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	citizen, _ := ts.signUp("citizen@example.fi")
	polls := fmt.Sprintf("/api/v1/workshops/%d/polls", ws.id)
	body := map[string]any{"question": "Mitkä kolme ovat tärkeimmät?", "max_choices": 3,
		"options": []map[string]any{{"label": "A"}, {"label": "B"}, {"label": "C"}, {"label": "D"}}}

	ts.do("POST", polls, body, "").want(t, 401)
	ts.do("POST", polls, body, citizen).want(t, 403)
	ts.do("POST", "/api/v1/workshops/9999/polls", body, ws.official).want(t, 404)
	ts.do("POST", polls, `{"question": "Q", "max_choices": "three"}`, ws.official).want(t, 400)
	for _, bad := range []map[string]any{
		{"question": "", "max_choices": 1, "options": []map[string]any{{"label": "A"}, {"label": "B"}}},
		{"question": "Q", "max_choices": 5, "options": []map[string]any{{"label": "A"}, {"label": "B"}}},
		{"question": "Q", "max_choices": 1, "options": []map[string]any{{"label": "A"}}},
		{"question": "Q", "max_choices": 1},
		{"question": "Q", "max_choices": 1, "options_from_idea_round": 9999},
	} {
		ts.do("POST", polls, bad, ws.official).want(t, 422)
	}
	p := ts.do("POST", polls, body, ws.official).want(t, 201).json(t)
	if p["status"] != "draft" || p["workshop_id"] != float64(ws.id) || p["max_choices"] != 3.0 || len(p["options"].([]any)) != 4 {
		t.Fatalf("poll %v", p)
	}
	if o := p["options"].([]any)[0].(map[string]any); o["label"] != "A" || o["id"] == nil || o["theme_id"] != nil {
		t.Fatalf("option %v", o)
	}
	id := int64(p["id"].(float64))

	// Options from an idea round's themes carry the theme.
	round := ts.do("POST", "/api/v1/processes/"+processSlug(t, ts, ws)+"/idea-rounds", map[string]any{
		"title": "Ideat", "description": "", "opens_at": "2017-01-01T00:00:00Z", "closes_at": "2017-02-01T00:00:00Z", "allow_anonymous": true,
	}, ws.official).want(t, 201).json(t)
	roundID := int64(round["id"].(float64))
	var themes []float64
	for _, title := range []string{"Avoimuus", "Osallisuus"} {
		th := ts.do("POST", fmt.Sprintf("/api/v1/idea-rounds/%d/themes", roundID), map[string]any{"title": title, "description": ""}, ws.official).want(t, 201).json(t)
		themes = append(themes, th["id"].(float64))
	}
	tp := ts.do("POST", polls, map[string]any{"question": "Teemat", "max_choices": 1, "options_from_idea_round": roundID}, ws.official).want(t, 201).json(t)
	for i, o := range tp["options"].([]any) {
		if o.(map[string]any)["theme_id"] != themes[i] {
			t.Fatalf("theme option %v", o)
		}
	}

	// Open and close.
	open := fmt.Sprintf("/api/v1/polls/%d/open", id)
	closePath := fmt.Sprintf("/api/v1/polls/%d/close", id)
	ts.do("POST", open, nil, "").want(t, 401)
	ts.do("POST", open, nil, citizen).want(t, 403)
	ts.do("POST", "/api/v1/polls/9999/open", nil, ws.official).want(t, 404)
	ts.do("POST", closePath, nil, ws.official).want(t, 409) // a draft cannot be closed
	if got := ts.do("POST", open, nil, ws.official).want(t, 200).json(t); got["status"] != "open" {
		t.Fatalf("opened %v", got)
	}
	if got := ts.do("POST", closePath, nil, ws.official).want(t, 200).json(t); got["status"] != "closed" {
		t.Fatalf("closed %v", got)
	}
	if r := ts.do("POST", open, nil, ws.official).want(t, 409); r.errorCode(t) != "conflict" {
		t.Fatal(r.errorCode(t))
	}
}

// processSlug finds the slug of the workshop's process.
func processSlug(t *testing.T, ts *testServer, ws *workshopSetup) string {
	t.Helper()
	w, err := ts.store.FindWorkshop(context.Background(), ws.id)
	if err != nil {
		t.Fatal(err)
	}
	return w.ProcessSlug
}

func TestJoinAndBallotAPI(t *testing.T) {
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	poll, opts := ws.poll(t, 2, "A", "B", "C")
	other := newWorkshopSetup(t, ts)
	_, otherOpts := other.poll(t, 1, "X", "Y")

	// Joining: the code ignores case; unknown codes are 404.
	ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": "ZZZZZZ"}, "").want(t, 404)
	ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": ""}, "").want(t, 422)
	ts.do("POST", "/api/v1/workshops/join", `{"code": 7}`, "").want(t, 400)
	r := ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": strings.ToLower(ws.code), "name": "Aino", "municipality": "Tampere"}, "").want(t, 201).json(t)
	token, _ := r["participant_token"].(string)
	if token == "" || r["workshop_id"] != float64(ws.id) {
		t.Fatalf("join %v", r)
	}
	stranger := other.join(t)

	ballot := fmt.Sprintf("/api/v1/polls/%d/ballot", poll)
	// Who first, then the poll's state, then the content.
	ts.do("PUT", ballot, map[string]any{"option_ids": []int64{opts[0]}}, "").want(t, 401)
	ts.do("PUT", ballot, map[string]any{"option_ids": []int64{opts[0]}}, "", "X-Participant-Token", "nobody").want(t, 401)
	ts.do("PUT", ballot, map[string]any{"option_ids": []int64{opts[0]}}, "", "X-Participant-Token", stranger).want(t, 403)
	ts.do("PUT", "/api/v1/polls/9999/ballot", map[string]any{"option_ids": []int64{opts[0]}}, "", "X-Participant-Token", token).want(t, 404)
	if r := ws.vote(t, poll, token, opts[0]).want(t, 409); r.errorCode(t) != "closed" {
		t.Fatalf("draft poll: %s", r.errorCode(t))
	}
	// Closed whatever the ballot holds, even if it is not JSON.
	ws.vote(t, poll, token, 1, 1, 1, 1).want(t, 409)
	ts.do("PUT", ballot, `{"option_ids": `, "", "X-Participant-Token", token).want(t, 409)

	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	ts.do("PUT", ballot, `{"option_ids": "A"}`, "", "X-Participant-Token", token).want(t, 400)
	ts.do("PUT", ballot, `not json`, "", "X-Participant-Token", token).want(t, 400)
	for _, ids := range [][]int64{{}, {opts[0], opts[1], opts[2]}, {opts[0], opts[0]}, {opts[0], otherOpts[0]}} {
		r := ws.vote(t, poll, token, ids...).want(t, 422)
		if f := r.json(t)["error"].(map[string]any)["fields"].(map[string]any); f["option_ids"] == nil {
			t.Fatalf("%v: fields %v", ids, f)
		}
	}
	got := ws.vote(t, poll, token, opts[0], opts[1]).want(t, 200).json(t)
	if got["poll_id"] != float64(poll) || len(got["option_ids"].([]any)) != 2 {
		t.Fatalf("ballot %v", got)
	}
	ws.vote(t, poll, token, opts[2]).want(t, 200) // replaces the earlier

	tally := ts.do("GET", fmt.Sprintf("/api/v1/polls/%d/tally", poll), nil, "").want(t, 200).json(t)
	if tally["poll_id"] != float64(poll) || tally["status"] != "open" || tally["ballots"] != 1.0 {
		t.Fatalf("tally %v", tally)
	}
	votes := map[float64]float64{}
	for _, o := range tally["options"].([]any) {
		m := o.(map[string]any)
		if _, ok := m["theme_id"]; !ok || m["label"] == nil {
			t.Fatalf("option %v", m)
		}
		votes[m["id"].(float64)] = m["votes"].(float64)
	}
	if votes[float64(opts[0])] != 0 || votes[float64(opts[2])] != 1 {
		t.Fatalf("votes %v", votes)
	}
	ts.do("GET", "/api/v1/polls/9999/tally", nil, "").want(t, 404)

	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/close", poll), nil, ws.official).want(t, 200)
	ws.vote(t, poll, token, opts[0]).want(t, 409)
	// The standing ballot counts in the process's stats.
	p := ts.do("GET", "/api/v1/processes/"+processSlug(t, ts, ws), nil, "").json(t)
	if stats := p["stats"].(map[string]any); stats["ballots"] != 1.0 || stats["participants"] != 1.0 || stats["municipalities"] != 1.0 {
		t.Fatalf("stats %v", stats)
	}
}

// TestJoinRateLimits: joining has its own per-address limit, well above a
// room behind one router; the writer limit does not apply to it (there is
// no participant yet), and ballots are limited per participant.
func TestJoinRateLimits(t *testing.T) {
	if d := server.DefaultConfig(); d.JoinLimit < 2000 || d.AddressWriteLimit < 2*2000 {
		t.Fatalf("the defaults do not let 2 000 participants join and vote from one address: %+v", d)
	}
	// The official writes four times: process, workshop, poll, open.
	ts := newTestServer(t, func(c *server.Config) { c.WriteLimit = 4; c.JoinLimit = 5 })
	ws := newWorkshopSetup(t, ts)
	poll, opts := ws.poll(t, 1, "A", "B")
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	var tokens []string
	for range 5 {
		tokens = append(tokens, ws.join(t))
	}
	ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": ws.code}, "").want(t, 429)
	// Each participant has a writer limit of its own.
	for _, tok := range tokens {
		for i := range 4 {
			ws.vote(t, poll, tok, opts[i%2]).want(t, 200)
		}
	}
	ws.vote(t, poll, tokens[0], opts[0]).want(t, 429)
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
			for i := 0; i < 500; i++ {
				tok := ws.join(t)
				ws.vote(t, poll, tok, opts[(g+i)%2]).want(t, 200)
			}
		}()
	}
	wg.Wait()
	if d := time.Since(start); d > time.Minute {
		t.Fatalf("2 000 joins and ballots took %v", d)
	}
	tally := ts.do("GET", fmt.Sprintf("/api/v1/polls/%d/tally", poll), nil, "").want(t, 200).json(t)
	if tally["ballots"] != 2000.0 {
		t.Fatalf("tally %v", tally)
	}
	t.Logf("2 000 joins and ballots from one address in %v", time.Since(start))
}

// liveFrame is a tally frame as a client reads it.
type liveFrame struct {
	Type    string `json:"type"`
	PollID  int64  `json:"poll_id"`
	Status  string `json:"status"`
	Ballots int    `json:"ballots"`
	Options []struct {
		ID    int64 `json:"id"`
		Votes int   `json:"votes"`
	} `json:"options"`
}

func dialLive(t *testing.T, base string, workshop int64) *websocket.Conn {
	t.Helper()
	url := "ws" + strings.TrimPrefix(base, "http") + fmt.Sprintf("/api/v1/workshops/%d/live", workshop)
	c, res, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v (%v)", url, err, res)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func readFrame(t *testing.T, c *websocket.Conn, within time.Duration) liveFrame {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(within))
	_, data, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("no frame within %v: %v", within, err)
	}
	var f liveFrame
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// readUntil reads frames until one satisfies ok.
func readUntil(t *testing.T, c *websocket.Conn, within time.Duration, ok func(liveFrame) bool) liveFrame {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		f := readFrame(t, c, time.Until(deadline))
		if ok(f) {
			return f
		}
	}
}

func TestLiveWebSocket(t *testing.T) {
	ts := newTestServer(t, func(c *server.Config) { c.MetricsToken = "scrape-token" })
	base := ts.listen()
	ws := newWorkshopSetup(t, ts)
	p1, _ := ws.poll(t, 1, "A", "B")
	p2, opts := ws.poll(t, 2, "C", "D", "E")

	// Not a WebSocket handshake: a JSON error; an unknown workshop: 404.
	ts.do("GET", fmt.Sprintf("/api/v1/workshops/%d/live", ws.id), nil, "").want(t, 400)
	res, err := http.Get(base + "/api/v1/workshops/9999/live")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("unknown workshop: %d", res.StatusCode)
	}
	if _, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/api/v1/workshops/9999/live", nil); err == nil {
		t.Fatal("a WebSocket to an unknown workshop was accepted")
	}

	c := dialLive(t, base, ws.id)
	// On connect: one tally frame per poll, in order.
	if f := readFrame(t, c, 2*time.Second); f.Type != "tally" || f.PollID != p1 || f.Status != "draft" {
		t.Fatalf("first frame %+v", f)
	}
	if f := readFrame(t, c, time.Second); f.PollID != p2 || len(f.Options) != 3 {
		t.Fatalf("second frame %+v", f)
	}
	// Opening is a change.
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", p2), nil, ws.official).want(t, 200)
	readUntil(t, c, time.Second, func(f liveFrame) bool { return f.PollID == p2 && f.Status == "open" })

	// A ballot shows within 250 ms of its answer.
	tok := ws.join(t)
	time.Sleep(150 * time.Millisecond) // past the coalescing interval of the last frame
	ws.vote(t, p2, tok, opts[0], opts[2]).want(t, 200)
	answered := time.Now()
	f := readUntil(t, c, 250*time.Millisecond, func(f liveFrame) bool { return f.PollID == p2 && f.Ballots == 1 })
	if f.Options[0].Votes != 1 || f.Options[1].Votes != 0 || f.Options[2].Votes != 1 {
		t.Fatalf("frame %+v", f)
	}
	t.Logf("ballot to frame: %v", time.Since(answered))

	// A burst of ballots: the last frame has them all.
	var toks []string
	for range 20 {
		toks = append(toks, ws.join(t))
	}
	for _, tk := range toks {
		ws.vote(t, p2, tk, opts[1]).want(t, 200)
	}
	f = readUntil(t, c, 2*time.Second, func(f liveFrame) bool { return f.PollID == p2 && f.Ballots == 21 })
	if f.Options[1].Votes != 20 {
		t.Fatalf("after the burst %+v", f)
	}

	// The hub's metrics are on /metrics.
	m := string(ts.do("GET", "/metrics", nil, "scrape-token").want(t, 200).body)
	for _, want := range []string{"osallistu_live_connections 1", "osallistu_live_frames_sent_total", "osallistu_live_subscribers_dropped_total", "osallistu_live_recount_seconds_bucket"} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}

	// Shutting down closes the WebSocket with a close frame.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go ts.Shutdown(ctx)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
				t.Fatalf("after shutdown: %v", err)
			}
			break
		}
	}
}

// TestTwoInstancesOneDatabase runs two server instances on one database,
// each with its own pool, listener and hub: WebSocket clients of both see
// every ballot, whichever instance took it.
func TestTwoInstancesOneDatabase(t *testing.T) {
	url := pgtest.NewURL(t)
	a, b := newTestServerOn(t, url), newTestServerOn(t, url)
	baseA, baseB := a.listen(), b.listen()
	ws := newWorkshopSetup(t, a)
	poll, opts := ws.poll(t, 1, "A", "B")
	a.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)

	clients := []*websocket.Conn{dialLive(t, baseA, ws.id), dialLive(t, baseA, ws.id), dialLive(t, baseB, ws.id), dialLive(t, baseB, ws.id)}
	for _, c := range clients {
		readUntil(t, c, 2*time.Second, func(f liveFrame) bool { return f.PollID == poll && f.Status == "open" })
	}
	onB := &workshopSetup{ts: b, official: ws.official, id: ws.id, code: ws.code}
	want := 0
	for i := range 10 {
		// Alternate instances for joining and voting.
		via := ws
		if i%2 == 1 {
			via = onB
		}
		tok := via.join(t)
		via.vote(t, poll, tok, opts[i%2]).want(t, 200)
		want++
		for j, c := range clients {
			f := readUntil(t, c, time.Second, func(f liveFrame) bool { return f.PollID == poll && f.Ballots >= want })
			if f.Ballots != want {
				t.Fatalf("client %d: %d ballots, want %d", j, f.Ballots, want)
			}
		}
	}
	final := a.do("GET", fmt.Sprintf("/api/v1/polls/%d/tally", poll), nil, "").json(t)
	if final["ballots"] != 10.0 {
		t.Fatalf("tally %v", final)
	}
}

// TestWorkshopPages: the control and projector pages are the
// officials'; the ballot page sends people without a participant cookie to
// the join page, which takes the code from the QR link.
func TestWorkshopPages(t *testing.T) {
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	ts.do("GET", fmt.Sprintf("/workshops/%d/control", ws.id), nil, "").want(t, 401)
	ts.do("GET", fmt.Sprintf("/workshops/%d/projector", ws.id), nil, "").want(t, 401)
	ts.do("GET", fmt.Sprintf("/workshops/%d", ws.id), nil, "").want(t, 200)
	ts.do("GET", "/workshops/9999", nil, "").want(t, 404)
	if r := ts.do("GET", "/vote", nil, ""); r.status != 303 || r.header.Get("Location") != "/join" {
		t.Fatalf("ballot page without joining: %d %s", r.status, r.header.Get("Location"))
	}
	r := ts.do("GET", "/join?code="+strings.ToLower(ws.code), nil, "").want(t, 200)
	if !strings.Contains(string(r.body), `value="`+ws.code+`"`) {
		t.Fatal("the join page does not fill in the code from the link")
	}
}
