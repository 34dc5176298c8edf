package live_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"osallistu/participation"
	"osallistu/server/live"
)

// fakeSource holds tallies in memory: workshop 1 has polls 1 and 2, open,
// with results hidden until they close (so the public's frames hide the
// votes); poll 2 opened last unless opened says otherwise.
type fakeSource struct {
	mu       sync.Mutex
	votes    map[int64]int // poll → votes of its one option
	label    string        // option label, to make frames large
	opened   map[int64]time.Time
	joined   atomic.Int64 // participants of workshop 1
	counts   atomic.Int64 // participant counts made
	recounts atomic.Int64
	fail     atomic.Bool
	wall     []string // proposals on workshop 1's wall (wall_test.go)
}

func newFakeSource() *fakeSource {
	return &fakeSource{votes: map[int64]int{1: 0, 2: 0}, opened: map[int64]time.Time{}}
}

func (f *fakeSource) vote(poll int64) {
	f.mu.Lock()
	f.votes[poll]++
	f.mu.Unlock()
}

func (f *fakeSource) FindTallies(ctx context.Context, flt participation.TallyFilter) ([]*participation.Tally, error) {
	f.recounts.Add(1)
	if f.fail.Load() {
		return nil, fmt.Errorf("database down")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*participation.Tally
	for _, poll := range []int64{1, 2} {
		want := len(flt.WorkshopIDs) > 0 && flt.WorkshopIDs[0] == 1
		for _, id := range flt.PollIDs {
			want = want || id == poll
		}
		if want {
			opened, ok := f.opened[poll]
			if !ok {
				opened = time.Date(2017, 9, 1, 9, int(poll), 0, 0, time.UTC)
			}
			out = append(out, &participation.Tally{
				PollID: poll, WorkshopID: 1, Position: int(poll), Status: "open", Ballots: f.votes[poll], OpenedAt: &opened,
				Options: []participation.TallyOption{{ID: poll * 10, Label: f.label, Votes: f.votes[poll]}},
			})
		}
	}
	return out, nil
}

func (f *fakeSource) CountParticipants(ctx context.Context, workshopIDs []int64) (map[int64]int, error) {
	f.counts.Add(1)
	return map[int64]int{1: int(f.joined.Load())}, nil
}

// serve runs the hub behind a WebSocket endpoint that follows workshop 1
// for the public.
func serve(t *testing.T, h *live.Hub) string {
	t.Helper()
	return serveAs(t, h, live.Public)
}

// serveAs runs the hub behind a WebSocket endpoint that follows workshop 1
// for aud.
func serveAs(t *testing.T, h *live.Hub, aud live.Audience) string {
	t.Helper()
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		h.Serve(conn, 1, aud)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

type frame struct {
	Type        string `json:"type"`
	PollID      int64  `json:"poll_id"`
	Ballots     int    `json:"ballots"`
	ShowResults *bool  `json:"show_results"`
	Current     *bool  `json:"current"`
	Count       int    `json:"count"`
	Options     []struct {
		Votes *int `json:"votes"`
	} `json:"options"`
}

func dial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func read(t *testing.T, c *websocket.Conn, within time.Duration) frame {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(within))
	var f frame
	if err := c.ReadJSON(&f); err != nil {
		t.Fatalf("no frame within %v: %v", within, err)
	}
	return f
}

func closeHub(t *testing.T, h *live.Hub) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.Close(ctx); err != nil {
		t.Errorf("close: %v", err)
	}
}

func TestConnectAndBroadcast(t *testing.T) {
	src := newFakeSource()
	h := live.New(src, live.Options{})
	defer closeHub(t, h)
	url := serve(t, h)

	c := dial(t, url)
	// One frame per poll, in poll order.
	if f := read(t, c, time.Second); f.Type != "tally" || f.PollID != 1 {
		t.Fatalf("first frame %+v", f)
	}
	if f := read(t, c, time.Second); f.PollID != 2 {
		t.Fatalf("second frame %+v", f)
	}
	// A second subscriber gets the room's frames at once, without a recount.
	before := src.recounts.Load()
	c2 := dial(t, url)
	read(t, c2, time.Second)
	read(t, c2, time.Second)
	if src.recounts.Load() != before {
		t.Error("a second subscriber caused a recount")
	}

	// A change reaches both within 250 ms.
	src.vote(2)
	start := time.Now()
	h.Notify(&participation.PollChange{WorkshopID: 1, PollID: 2})
	for _, conn := range []*websocket.Conn{c, c2} {
		if f := read(t, conn, 250*time.Millisecond); f.PollID != 2 || f.Ballots != 1 {
			t.Fatalf("frame %+v", f)
		}
	}
	t.Logf("change to frame: %v", time.Since(start))

	// Changes of other workshops are ignored.
	before = src.recounts.Load()
	h.Notify(&participation.PollChange{WorkshopID: 99, PollID: 7})
	time.Sleep(150 * time.Millisecond)
	if src.recounts.Load() != before {
		t.Error("a workshop nobody follows was recounted")
	}
}

// TestAudiences: one frame per audience. The public's hide the votes of
// polls whose results are not shown live, the officials' have them; both
// say whether results show and which poll is current, and only officials
// hear the count of participants.
func TestAudiences(t *testing.T) {
	src := newFakeSource()
	src.vote(1)
	h := live.New(src, live.Options{Interval: 10 * time.Millisecond, JoinInterval: 50 * time.Millisecond})
	defer closeHub(t, h)
	public, official := dial(t, serve(t, h)), dial(t, serveAs(t, h, live.Officials))
	for _, c := range []struct {
		name  string
		conn  *websocket.Conn
		votes bool
	}{{"public", public, false}, {"official", official, true}} {
		for poll := int64(1); poll <= 2; poll++ {
			f := read(t, c.conn, time.Second)
			if f.Type != "tally" || f.PollID != poll || f.Ballots != src.votes[poll] || len(f.Options) != 1 {
				t.Fatalf("%s: frame %+v", c.name, f)
			}
			if (f.Options[0].Votes != nil) != c.votes || (c.votes && *f.Options[0].Votes != src.votes[poll]) {
				t.Errorf("%s: poll %d votes %v", c.name, poll, f.Options[0].Votes)
			}
			if f.ShowResults == nil || *f.ShowResults || f.Current == nil || *f.Current != (poll == 2) {
				t.Errorf("%s: poll %d show_results %v, current %v", c.name, poll, f.ShowResults, f.Current)
			}
		}
	}
	t.Run("the first official's count of participants", func(t *testing.T) {
		if f := read(t, official, time.Second); f.Type != "participants" || f.Count != 0 {
			t.Fatalf("frame %+v", f)
		}
	})
	t.Run("joins reach officials, coalesced", func(t *testing.T) {
		before := src.counts.Load()
		for range 20 {
			src.joined.Add(1)
			h.Notify(&participation.PollChange{WorkshopID: 1, Joined: true})
		}
		f := read(t, official, time.Second)
		for f.Count != 20 {
			f = read(t, official, time.Second)
		}
		if f.Type != "participants" {
			t.Fatalf("frame %+v", f)
		}
		if n := src.counts.Load() - before; n > 2 {
			t.Errorf("%d counts for 20 joins at once", n)
		}
	})
	t.Run("the public hears no joins", func(t *testing.T) {
		src.vote(1)
		h.Notify(&participation.PollChange{WorkshopID: 1, PollID: 1})
		if f := read(t, public, time.Second); f.Type != "tally" || f.PollID != 1 {
			t.Errorf("the public's next frame %+v", f)
		}
	})
	t.Run("when the current poll changes, every poll's frame says so", func(t *testing.T) {
		src.mu.Lock()
		src.opened[1] = time.Date(2017, 9, 1, 10, 0, 0, 0, time.UTC) // poll 1 opened last now
		src.mu.Unlock()
		h.Notify(&participation.PollChange{WorkshopID: 1, PollID: 1})
		got := map[int64]bool{}
		for len(got) < 2 {
			if f := read(t, public, time.Second); f.Type == "tally" && f.Current != nil {
				got[f.PollID] = *f.Current
			}
		}
		if !got[1] || got[2] {
			t.Errorf("current: %v", got)
		}
	})
}

func TestCoalescing(t *testing.T) {
	src := newFakeSource()
	h := live.New(src, live.Options{Interval: 100 * time.Millisecond})
	defer closeHub(t, h)
	c := dial(t, serve(t, h))
	read(t, c, time.Second)
	read(t, c, time.Second)
	before := src.recounts.Load()
	// A burst of 200 ballots over ~200 ms: a handful of recounts, not 200.
	for range 200 {
		src.vote(1)
		h.Notify(&participation.PollChange{WorkshopID: 1, PollID: 1})
		time.Sleep(time.Millisecond)
	}
	var last frame
	for last.Ballots != 200 {
		last = read(t, c, time.Second)
	}
	if n := src.recounts.Load() - before; n > 6 {
		t.Errorf("%d recounts for a burst of 200 changes in ~200 ms", n)
	}
}

func TestReloadAfterReconnectAndRetry(t *testing.T) {
	src := newFakeSource()
	h := live.New(src, live.Options{Interval: 10 * time.Millisecond})
	defer closeHub(t, h)
	c := dial(t, serve(t, h))
	read(t, c, time.Second)
	read(t, c, time.Second)
	// nil: the listener reconnected; every poll is sent again.
	h.Notify(nil)
	if a, b := read(t, c, time.Second), read(t, c, time.Second); a.PollID != 1 || b.PollID != 2 {
		t.Fatalf("after reload %+v %+v", a, b)
	}
	// A failed recount is tried again.
	src.fail.Store(true)
	src.vote(1)
	h.Notify(&participation.PollChange{WorkshopID: 1, PollID: 1})
	time.Sleep(50 * time.Millisecond)
	src.fail.Store(false)
	if f := read(t, c, 3*time.Second); f.Ballots != 1 {
		t.Fatalf("after retry %+v", f)
	}
}

func TestDropSlowSubscriber(t *testing.T) {
	src := newFakeSource()
	src.label = strings.Repeat("x", 1<<20) // 1 MiB frames fill the socket buffers fast
	h := live.New(src, live.Options{Interval: time.Millisecond, QueueSize: 1, WriteWait: 5 * time.Second})
	defer closeHub(t, h)
	url := serve(t, h)
	slow := dial(t, url) // never reads
	_ = slow
	deadline := time.Now().Add(10 * time.Second)
	for h.Subscribers(1) == 0 { // the handshake is done before the hub has it
		if time.Now().After(deadline) {
			t.Fatal("the subscriber never subscribed")
		}
		time.Sleep(time.Millisecond)
	}
	for h.Subscribers(1) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the slow subscriber was not dropped")
		}
		src.vote(1)
		h.Notify(&participation.PollChange{WorkshopID: 1, PollID: 1})
		time.Sleep(2 * time.Millisecond)
	}
	if got := metric(t, h, "osallistu_live_subscribers_dropped_total", "behind"); got != 1 {
		t.Errorf("dropped behind = %v", got)
	}
}

func TestDropDeadPeer(t *testing.T) {
	src := newFakeSource()
	h := live.New(src, live.Options{PingInterval: 50 * time.Millisecond, PongWait: 200 * time.Millisecond})
	defer closeHub(t, h)
	url := serve(t, h)
	alive := dial(t, url)
	// The live client reads (and so answers pings) all along.
	go func() {
		for {
			if _, _, err := alive.NextReader(); err != nil {
				return
			}
		}
	}()
	dead := dial(t, url) // reads nothing, so answers no ping
	_ = dead
	time.Sleep(600 * time.Millisecond)
	if n := h.Subscribers(1); n != 1 {
		t.Fatalf("%d subscribers, want the live one only", n)
	}
	if got := metric(t, h, "osallistu_live_subscribers_dropped_total", "ping"); got != 1 {
		t.Errorf("dropped ping = %v", got)
	}
}

// TestConcurrentSubscribeBroadcastShutdown runs subscribers coming and
// going while changes are broadcast, then closes the hub with connections
// open: each gets a close frame, and the race detector watches it all.
func TestConcurrentSubscribeBroadcastShutdown(t *testing.T) {
	src := newFakeSource()
	h := live.New(src, live.Options{Interval: 5 * time.Millisecond, PingInterval: 20 * time.Millisecond})
	url := serve(t, h)
	stop := make(chan struct{})
	var voter, wg sync.WaitGroup
	voter.Add(1)
	go func() {
		defer voter.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			src.vote(1)
			h.Notify(&participation.PollChange{WorkshopID: 1, PollID: 1})
			time.Sleep(time.Millisecond)
		}
	}()
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				c, _, err := websocket.DefaultDialer.Dial(url, nil)
				if err != nil {
					t.Error(err)
					return
				}
				c.SetReadDeadline(time.Now().Add(2 * time.Second))
				for k := 0; k < (i+j)%4+1; k++ {
					if _, _, err := c.ReadMessage(); err != nil {
						t.Error(err)
						break
					}
				}
				c.Close()
			}
		}()
	}
	// These stay to the end.
	var stayers []*websocket.Conn
	for range 10 {
		stayers = append(stayers, dial(t, url))
	}
	wg.Wait() // the voter votes until the churn is over: the churners wait for frames
	close(stop)
	voter.Wait()

	closed := make(chan error, len(stayers))
	for _, c := range stayers {
		go func() {
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					closed <- err
					return
				}
			}
		}()
	}
	closeHub(t, h)
	for range stayers {
		err := <-closed
		if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
			t.Errorf("a subscriber ended with %v, want a going-away close frame", err)
		}
	}
	if n := h.Subscribers(1); n != 0 {
		t.Errorf("%d subscribers after Close", n)
	}
	// After Close new connections are turned away.
	c := dial(t, url)
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, _, err := c.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Errorf("after Close: %v", err)
	}
}

// metric returns the value of the hub's metric name, with label reason
// when not "".
func metric(t *testing.T, h *live.Hub, name, reason string) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(h.Collectors()...)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if reason != "" && (len(m.GetLabel()) == 0 || m.GetLabel()[0].GetValue() != reason) {
				continue
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no metric %s %s", name, reason)
	return 0
}
