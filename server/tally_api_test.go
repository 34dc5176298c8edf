package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"osallistu/participation/postgres/pgtest"
	"osallistu/server"
)

func TestTallyAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	poll, opts := ws.poll(t, 2, "A", "B", "C")
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	token := ws.join(t)
	ws.vote(poll, token, opts[0], opts[1]).want(t, 200)
	ws.vote(poll, token, opts[2]).want(t, 200) // replaces the earlier

	t.Run("the tally counts the standing ballot", func(t *testing.T) {
		r := ts.do("GET", fmt.Sprintf("/api/v1/polls/%d/tally", poll), nil, "").want(t, 200)
		tally := decode[tallyJSON](t, r) // every option with its id, label, theme_id and votes
		if tally.PollID != poll || tally.Status != "open" || tally.Ballots != 1 {
			t.Errorf("tally %s", r.body)
		}
		votes := map[int64]int{}
		for _, o := range tally.Options {
			votes[o.ID] = o.Votes
		}
		if votes[opts[0]] != 0 || votes[opts[2]] != 1 {
			t.Errorf("votes %v", votes)
		}
	})
	t.Run("an unknown poll", func(t *testing.T) {
		ts.do("GET", "/api/v1/polls/9999/tally", nil, "").want(t, 404)
	})
}

// liveFrame is a tally frame (or a participants frame) as a client reads it.
type liveFrame struct {
	Type    string `json:"type"`
	PollID  int64  `json:"poll_id"`
	Status  string `json:"status"`
	Ballots int    `json:"ballots"`
	Count   int    `json:"count"`
	Options []struct {
		ID    int64 `json:"id"`
		Votes int   `json:"votes"`
	} `json:"options"`
	Collections []struct {
		Proposals []proposalJSON `json:"proposals"`
	} `json:"collections"` // of a "wall" frame
}

// wallBodies returns a wall frame's proposals' texts.
func (f liveFrame) wallBodies() []string {
	var out []string
	for _, c := range f.Collections {
		for _, p := range c.Proposals {
			out = append(out, p.Body)
		}
	}
	return out
}

// votes returns the frame's votes by option, in the options' order.
func (f liveFrame) votes() []int {
	var v []int
	for _, o := range f.Options {
		v = append(v, o.Votes)
	}
	return v
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
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) { c.MetricsToken = "scrape-token" })
	base := ts.listen()
	ws := newWorkshopSetup(t, ts)
	p1, _ := ws.poll(t, 1, "A", "B")
	p2, opts := ws.poll(t, 2, "C", "D", "E")

	t.Run("not a WebSocket handshake: a JSON error", func(t *testing.T) {
		ts.do("GET", fmt.Sprintf("/api/v1/workshops/%d/live", ws.id), nil, "").want(t, 400)
	})
	t.Run("an unknown workshop: 404", func(t *testing.T) {
		res, err := http.Get(base + "/api/v1/workshops/9999/live")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 404 {
			t.Errorf("unknown workshop: %d", res.StatusCode)
		}
		if _, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/api/v1/workshops/9999/live", nil); err == nil {
			t.Error("a WebSocket to an unknown workshop was accepted")
		}
	})

	// The steps below read one connection in turn; a frame one misses, the
	// next skips (readUntil).
	c := dialLive(t, base, ws.id)
	mustRun(t, "on connect, one tally frame per poll, in order", func(t *testing.T) {
		if f := readFrame(t, c, 2*time.Second); f.Type != "tally" || f.PollID != p1 || f.Status != "draft" {
			t.Fatalf("first frame %+v", f)
		}
		if f := readFrame(t, c, time.Second); f.PollID != p2 || len(f.Options) != 3 {
			t.Fatalf("second frame %+v", f)
		}
	})
	t.Run("opening is a change", func(t *testing.T) {
		ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", p2), nil, ws.official).want(t, 200)
		readUntil(t, c, time.Second, func(f liveFrame) bool { return f.PollID == p2 && f.Status == "open" })
	})
	t.Run("a ballot shows within 250 ms of its answer", func(t *testing.T) {
		tok := ws.join(t)
		time.Sleep(150 * time.Millisecond) // past the coalescing interval of the last frame
		ws.vote(p2, tok, opts[0], opts[2]).want(t, 200)
		answered := time.Now()
		f := readUntil(t, c, 250*time.Millisecond, func(f liveFrame) bool { return f.PollID == p2 && f.Ballots == 1 })
		if v := f.votes(); len(v) != 3 || v[0] != 1 || v[1] != 0 || v[2] != 1 {
			t.Fatalf("frame %+v", f)
		}
		t.Logf("ballot to frame: %v", time.Since(answered))
	})
	t.Run("a burst of ballots: the last frame has them all", func(t *testing.T) {
		var toks []string
		for range 20 {
			toks = append(toks, ws.join(t))
		}
		for _, tk := range toks {
			ws.vote(p2, tk, opts[1]).want(t, 200)
		}
		f := readUntil(t, c, 2*time.Second, func(f liveFrame) bool { return f.PollID == p2 && f.Ballots == 21 })
		if v := f.votes(); len(v) != 3 || v[1] != 20 {
			t.Fatalf("after the burst %+v", f)
		}
	})
	t.Run("the hub's metrics are on /metrics", func(t *testing.T) {
		m := string(ts.do("GET", "/metrics", nil, "scrape-token").want(t, 200).body)
		for _, want := range []string{"osallistu_live_connections 1", "osallistu_live_frames_sent_total", "osallistu_live_subscribers_dropped_total", "osallistu_live_recount_seconds_bucket"} {
			if !strings.Contains(m, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
	})
	t.Run("shutting down closes the WebSocket with a close frame", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		go ts.Shutdown(ctx)
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
					t.Errorf("after shutdown: %v", err)
				}
				break
			}
		}
	})
}

// TestTwoInstancesOneDatabase runs two server instances on one database,
// each with its own pool, listener and hub: WebSocket clients of both see
// every ballot, whichever instance took it.
func TestTwoInstancesOneDatabase(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	a, b := newTestServerOn(t, url), newTestServerOn(t, url)
	baseA, baseB := a.listen(), b.listen()
	ws := newWorkshopSetup(t, a)
	poll, opts := ws.poll(t, 1, "A", "B")
	a.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)

	clients := []*websocket.Conn{dialLive(t, baseA, ws.id), dialLive(t, baseA, ws.id), dialLive(t, baseB, ws.id), dialLive(t, baseB, ws.id)}
	mustRun(t, "every client sees the poll open", func(t *testing.T) {
		for _, c := range clients {
			readUntil(t, c, 2*time.Second, func(f liveFrame) bool { return f.PollID == poll && f.Status == "open" })
		}
	})
	onB := &workshopSetup{ts: b, official: ws.official, id: ws.id, code: ws.code}
	mustRun(t, "every client sees every ballot, through either instance", func(t *testing.T) {
		want := 0
		for i := range 10 {
			// Alternate instances for joining and voting.
			via := ws
			if i%2 == 1 {
				via = onB
			}
			tok := via.join(t)
			via.vote(poll, tok, opts[i%2]).want(t, 200)
			want++
			for j, c := range clients {
				f := readUntil(t, c, time.Second, func(f liveFrame) bool { return f.PollID == poll && f.Ballots >= want })
				if f.Ballots != want {
					t.Fatalf("client %d: %d ballots, want %d", j, f.Ballots, want)
				}
			}
		}
	})
	t.Run("the tally has them all", func(t *testing.T) {
		if final := decode[tallyJSON](t, a.do("GET", fmt.Sprintf("/api/v1/polls/%d/tally", poll), nil, "").want(t, 200)); final.Ballots != 10 {
			t.Errorf("tally %+v", final)
		}
	})
}

// TestTallyHiddenVotes: where the workshop does not show results live, the
// votes are null for everyone but officials until the poll closes, in the
// tally and in the live frames; the number of ballots shows throughout.
func TestTallyHiddenVotes(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	ws := newWorkshopSetup(t, ts)
	citizen, _ := ts.signUp("citizen@example.fi")
	poll, opts := ws.poll(t, 1, "A", "B")
	ts.do("PATCH", fmt.Sprintf("/api/v1/workshops/%d", ws.id), map[string]any{"show_results_live": false}, ws.official).want(t, 200)
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	public := dialLive(t, base, ws.id)
	official := dialLiveAs(t, base, ws.id, ws.official)
	ws.vote(poll, ws.join(t), opts[1]).want(t, 200)
	tally := fmt.Sprintf("/api/v1/polls/%d/tally", poll)

	// votes returns a tally's or frame's votes as JSON texts ("null" when hidden).
	votes := func(t *testing.T, data []byte) []string {
		t.Helper()
		var v struct {
			Ballots int `json:"ballots"`
			Options []struct {
				Votes json.RawMessage `json:"votes"`
			} `json:"options"`
		}
		if err := json.Unmarshal(data, &v); err != nil || v.Ballots != 1 {
			t.Fatalf("%v: %s", err, data)
		}
		var out []string
		for _, o := range v.Options {
			out = append(out, string(o.Votes))
		}
		return out
	}
	for _, c := range []struct{ who, token string }{{"signed out", ""}, {"a citizen", citizen}} {
		t.Run("the tally hides the votes from "+c.who, func(t *testing.T) {
			if got := votes(t, ts.do("GET", tally, nil, c.token).want(t, 200).body); strings.Join(got, ",") != "null,null" {
				t.Errorf("votes %v", got)
			}
		})
	}
	t.Run("officials see them", func(t *testing.T) {
		if got := votes(t, ts.do("GET", tally, nil, ws.official).want(t, 200).body); strings.Join(got, ",") != "0,1" {
			t.Errorf("votes %v", got)
		}
	})
	t.Run("the public's frames hide them, the officials' have them", func(t *testing.T) {
		for _, c := range []struct {
			name string
			conn *websocket.Conn
			want string
		}{{"public", public, "null,null"}, {"official", official, "0,1"}} {
			data := readRawUntil(t, c.conn, 2*time.Second, func(f liveFrame) bool { return f.PollID == poll && f.Ballots == 1 })
			if got := strings.Join(votes(t, data), ","); got != c.want {
				t.Errorf("%s frame: votes %s, want %s", c.name, got, c.want)
			}
			var f struct {
				ShowResults *bool `json:"show_results"`
				Current     *bool `json:"current"`
			}
			json.Unmarshal(data, &f)
			if f.ShowResults == nil || *f.ShowResults || f.Current == nil || !*f.Current {
				t.Errorf("%s frame: show_results and current %s", c.name, data)
			}
		}
	})
	mustRun(t, "official closes the poll", func(t *testing.T) {
		ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/close", poll), nil, ws.official).want(t, 200)
	})
	t.Run("once closed, everyone sees them", func(t *testing.T) {
		if got := votes(t, ts.do("GET", tally, nil, "").want(t, 200).body); strings.Join(got, ",") != "0,1" {
			t.Errorf("votes %v", got)
		}
		data := readRawUntil(t, public, 2*time.Second, func(f liveFrame) bool { return f.PollID == poll && f.Status == "closed" })
		if got := strings.Join(votes(t, data), ","); got != "0,1" {
			t.Errorf("public frame after closing: %s", data)
		}
	})
}

// TestLiveParticipants: officials' WebSockets hear how many have joined,
// whether they come with a bearer token or, as the control page does, with
// the session cookie.
func TestLiveParticipants(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	ws := newWorkshopSetup(t, ts)
	url := "ws" + strings.TrimPrefix(base, "http") + fmt.Sprintf("/api/v1/workshops/%d/live", ws.id)
	page, res, err := websocket.DefaultDialer.Dial(url, http.Header{"Cookie": {"osallistu_session=" + ws.official}})
	if err != nil {
		t.Fatalf("dial with the session cookie: %v (%v)", err, res)
	}
	t.Cleanup(func() { page.Close() })
	for name, c := range map[string]*websocket.Conn{"bearer": dialLiveAs(t, base, ws.id, ws.official), "session cookie": page} {
		readRawUntil(t, c, 5*time.Second, func(f liveFrame) bool { return f.Type == "participants" && f.Count == 0 })
		t.Logf("%s: the count at connect", name)
	}
	for range 3 {
		ws.join(t)
	}
	for name, c := range map[string]*websocket.Conn{"bearer": dialLiveAs(t, base, ws.id, ws.official), "session cookie": page} {
		data := readRawUntil(t, c, 5*time.Second, func(f liveFrame) bool { return f.Type == "participants" && f.Count == 3 })
		if !strings.Contains(string(data), fmt.Sprintf(`"workshop_id":%d`, ws.id)) {
			t.Errorf("%s: participants frame %s", name, data)
		}
	}
}

// TestLiveConnectionLimit: an address holds a bounded number of live
// WebSockets; beyond it, the upgrade is 429.
func TestLiveConnectionLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) { c.LiveConnectionLimit = 2 })
	base := ts.listen()
	ws := newWorkshopSetup(t, ts)
	dialLive(t, base, ws.id)
	second := dialLive(t, base, ws.id)
	url := "ws" + strings.TrimPrefix(base, "http") + fmt.Sprintf("/api/v1/workshops/%d/live", ws.id)
	t.Run("the third: 429", func(t *testing.T) {
		_, res, err := websocket.DefaultDialer.Dial(url, nil)
		if err == nil || res == nil || res.StatusCode != 429 {
			t.Fatalf("a third connection: %v %v", err, res)
		}
	})
	t.Run("one closes, another may come", func(t *testing.T) {
		second.Close()
		deadline := time.Now().Add(5 * time.Second)
		for {
			c, _, err := websocket.DefaultDialer.Dial(url, nil)
			if err == nil {
				c.Close()
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after one closed: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// dialLiveAs follows workshop on a WebSocket as the bearer of token.
func dialLiveAs(t *testing.T, base string, workshop int64, token string) *websocket.Conn {
	t.Helper()
	url := "ws" + strings.TrimPrefix(base, "http") + fmt.Sprintf("/api/v1/workshops/%d/live", workshop)
	c, res, err := websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial %s: %v (%v)", url, err, res)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readRawUntil reads frames until one satisfies ok, and returns its text.
func readRawUntil(t *testing.T, c *websocket.Conn, within time.Duration, ok func(liveFrame) bool) []byte {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		c.SetReadDeadline(deadline)
		_, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("no such frame within %v: %v", within, err)
		}
		var f liveFrame
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		if ok(f) {
			return data
		}
	}
}

// TestTrustedProxies: behind a trusted proxy, X-Forwarded-For names the
// address that the per-address limits count (here, live connections);
// without the setting, the header is ignored and the connection's address
// counts.
func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	dial := func(url, forwardedFor string) (int, error) {
		c, res, err := websocket.DefaultDialer.Dial(url, http.Header{"X-Forwarded-For": {forwardedFor}})
		if err != nil {
			if res != nil {
				return res.StatusCode, err
			}
			return 0, err
		}
		t.Cleanup(func() { c.Close() })
		return 101, nil
	}
	for _, tc := range []struct {
		name    string
		proxies []string
		want    []int // the answers to 10.0.0.1, 10.0.0.2, 10.0.0.1 again
	}{
		{"trusted", []string{"127.0.0.0/8"}, []int{101, 101, 429}},
		{"not configured", nil, []int{101, 429, 429}},
		{"another proxy", []string{"192.0.2.1"}, []int{101, 429, 429}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, func(c *server.Config) { c.LiveConnectionLimit, c.TrustedProxies = 1, tc.proxies })
			base := ts.listen()
			ws := newWorkshopSetup(t, ts)
			url := "ws" + strings.TrimPrefix(base, "http") + fmt.Sprintf("/api/v1/workshops/%d/live", ws.id)
			for i, from := range []string{"10.0.0.1", "10.0.0.2", "10.0.0.1"} {
				if got, err := dial(url, from); got != tc.want[i] {
					t.Errorf("connection %d, forwarded for %s: %d (%v), want %d", i+1, from, got, err, tc.want[i])
				}
			}
		})
	}
}
