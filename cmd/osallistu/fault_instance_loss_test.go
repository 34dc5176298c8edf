package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestFaultInstanceLossListenersMoveToTheOtherInstance: two instances on
// one PostgreSQL behind haproxy, run with the repository's haproxy.cfg; 500
// live listeners spread over both through the proxy while participants
// vote. One instance is killed (SIGKILL): each of its listeners reconnects
// through the proxy, lands on the other instance and has the live tally
// again within 5 s; every ballot answered 200 is counted, and every
// listener's last frame equals the final tally.
func TestFaultInstanceLossListenersMoveToTheOtherInstance(t *testing.T) {
	const (
		listeners    = 500
		participants = 200
		within       = 5 * time.Second
	)
	pg := startPG(t)
	metrics := map[string]string{"OSALLISTU_METRICS_TOKEN": proxyMetricsToken, "OSALLISTU_TRUSTED_PROXIES": "127.0.0.1"}
	a := startInstance(t, pg.URL(), metrics)
	a.WaitReady() // the first migrates; the second finds the database ready
	b := startInstance(t, pg.URL(), metrics)
	b.WaitReady()
	proxy := startHAProxy(t, "OSALLISTU_APP1="+a.Addr, "OSALLISTU_APP2="+b.Addr)

	sp := seedPoll(t, proxy, "Avoimuus", "Saavutettavuus", "Osallisuus")
	tokens := make([]string, participants)
	for i := range tokens {
		var p struct {
			Token string `json:"participant_token"`
		}
		mustCall(t, 201, "POST", proxy+"/api/v1/workshops/join", "", map[string]string{"code": sp.JoinCode}, &p)
		tokens[i] = p.Token
	}

	wsURL := "ws" + strings.TrimPrefix(proxy, "http") + fmt.Sprintf("/api/v1/workshops/%d/live", sp.WorkshopID)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	ls := make([]*faultListener, listeners)
	for i := range ls {
		ls[i] = &faultListener{url: wsURL, connected: make(chan struct{})}
		wg.Add(1)
		go func() { defer wg.Done(); ls[i].run(stop) }()
	}
	t.Cleanup(func() { close(stop); wg.Wait() })
	for i, l := range ls {
		select {
		case <-l.connected:
		case <-time.After(30 * time.Second):
			t.Fatalf("listener %d did not connect through the proxy within 30 s", i)
		}
	}
	onA, onB := liveConnections(t, a), liveConnections(t, b)
	t.Logf("listeners: %d on the first instance, %d on the second", onA, onB)
	if onA+onB != listeners || onA < listeners/4 || onB < listeners/4 {
		t.Fatalf("the proxy spread %d listeners as %d and %d", listeners, onA, onB)
	}

	// Each participant votes once, over about three seconds, through the
	// proxy; a ballot not answered 200 is sent again until it is (a PUT:
	// the same ballot twice is one). The first instance is killed midway.
	choices := make([]int64, participants)
	var acknowledged, retried atomic.Int64
	voting := make(chan struct{})
	go func() {
		defer close(voting)
		var vg sync.WaitGroup
		for p := range participants {
			choices[p] = sp.OptionIDs[rand.IntN(len(sp.OptionIDs))]
			vg.Add(1)
			go func() {
				defer vg.Done()
				for try := 0; try < 100; try++ {
					status, _ := callAs("PUT", fmt.Sprintf("%s/api/v1/polls/%d/ballot", proxy, sp.PollID), tokens[p], map[string]any{"option_ids": []int64{choices[p]}})
					if status == http.StatusOK {
						acknowledged.Add(1)
						return
					}
					retried.Add(1)
					time.Sleep(100 * time.Millisecond)
				}
			}()
			time.Sleep(15 * time.Millisecond)
		}
		vg.Wait()
	}()
	time.Sleep(1500 * time.Millisecond)
	a.Signal(syscall.SIGKILL)
	killed := time.Now()
	a.Wait(10 * time.Second)
	<-voting
	if n := acknowledged.Load(); n != participants {
		t.Fatalf("%d of %d ballots answered 200 (%d answers were not 200 and sent again)", n, participants, retried.Load())
	}
	t.Logf("%d ballots answered 200; %d answers were not 200 and sent again", participants, retried.Load())

	// The listeners that were on the killed instance lost their connection
	// and have the tally again from the other one, within 5 s of the kill.
	moved, slowest := 0, time.Duration(0)
	deadline := killed.Add(within + time.Second)
	for _, l := range ls {
		lost, back := l.reconnected(killed)
		if lost.IsZero() {
			continue
		}
		moved++
		for back.IsZero() && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			_, back = l.reconnected(killed)
		}
		if back.IsZero() {
			t.Fatalf("a listener lost at %v has had no frame since", lost.Sub(killed))
		}
		slowest = max(slowest, back.Sub(killed))
	}
	t.Logf("%d listeners moved; the last had the tally again %v after the kill", moved, slowest.Round(time.Millisecond))
	if moved < onA {
		t.Errorf("%d listeners were on the killed instance, %d lost their connection", onA, moved)
	}
	if slowest > within {
		t.Errorf("a listener had the tally again only %v after the kill, want within %v", slowest, within)
	}
	if n := liveConnections(t, b); n != listeners {
		t.Errorf("the remaining instance has %d listeners, want all %d", n, listeners)
	}

	// Nothing answered 200 is lost: the ballots table's tally is the
	// participants' choices, and every listener's last frame is that tally.
	want := map[int64]int{}
	for _, c := range choices {
		want[c]++
	}
	var final liveTally
	mustCall(t, 200, "GET", fmt.Sprintf("%s/api/v1/polls/%d/tally", proxy, sp.PollID), sp.Official, nil, &final)
	if final.Ballots != participants || !maps.Equal(final.votes(), want) {
		t.Fatalf("the tally %+v, want %d ballots %v", final, participants, want)
	}
	eventually(t, "every listener's last frame is the final tally", func() bool {
		for _, l := range ls {
			if last := l.last(); last.Ballots != participants || !maps.Equal(last.votes(), want) {
				return false
			}
		}
		return true
	})
}

// liveConnections is the instance's osallistu_live_connections from its
// /metrics (served on the main address to the metrics token).
func liveConnections(t *testing.T, in *instance) int {
	t.Helper()
	status, body := call("GET", in.Base+"/metrics", proxyMetricsToken, nil)
	if status != http.StatusOK {
		t.Fatalf("/metrics of %s: %d", in.Addr, status)
	}
	m := regexp.MustCompile(`(?m)^osallistu_live_connections (\S+)$`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("/metrics of %s has no osallistu_live_connections", in.Addr)
	}
	n, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// callAs is call with a participant's token.
func callAs(method, url, participant string, body any) (int, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, url, strings.NewReader(string(b)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Participant-Token", participant)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// liveTally is a tally frame, or the tally's JSON answer.
type liveTally struct {
	Type    string `json:"type"`
	Ballots int    `json:"ballots"`
	Options []struct {
		ID    int64 `json:"id"`
		Votes int   `json:"votes"`
	} `json:"options"`
}

func (lt liveTally) votes() map[int64]int {
	m := map[int64]int{}
	for _, o := range lt.Options {
		if o.Votes > 0 {
			m[o.ID] = o.Votes
		}
	}
	return m
}

// faultListener follows a workshop as the projector's script does: when
// its connection ends it connects again, after a backoff that doubles from
// 100 ms to at most 2 s, with jitter.
type faultListener struct {
	url       string
	connected chan struct{} // closed at the first frame
	once      sync.Once

	mu       sync.Mutex
	frame    liveTally
	lostAt   time.Time // when a connection last ended
	frameAt  time.Time // when the last frame came
	firstAft time.Time // the first frame after lostAt
}

func (l *faultListener) run(stop <-chan struct{}) {
	backoff := 100 * time.Millisecond
	for {
		select {
		case <-stop:
			return
		default:
		}
		c, _, err := websocket.DefaultDialer.Dial(l.url, nil)
		if err == nil {
			backoff = 100 * time.Millisecond
			go func() { <-stop; c.Close() }()
			l.read(c)
			c.Close()
			l.mu.Lock()
			l.lostAt, l.firstAft = time.Now(), time.Time{}
			l.mu.Unlock()
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		backoff = min(2*backoff, 2*time.Second)
		select {
		case <-stop:
			return
		case <-time.After(wait):
		}
	}
}

// read records the tally frames of one connection until it ends.
func (l *faultListener) read(c *websocket.Conn) {
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		var f liveTally
		if json.Unmarshal(data, &f) != nil || f.Type != "tally" {
			continue
		}
		now := time.Now()
		l.mu.Lock()
		l.frame, l.frameAt = f, now
		if !l.lostAt.IsZero() && l.firstAft.IsZero() {
			l.firstAft = now
		}
		l.mu.Unlock()
		l.once.Do(func() { close(l.connected) })
	}
}

// reconnected says when the listener last lost its connection after since
// (zero if it did not) and when its first frame came after that (zero if
// none yet).
func (l *faultListener) reconnected(since time.Time) (lost, back time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lostAt.Before(since) {
		return time.Time{}, time.Time{}
	}
	return l.lostAt, l.firstAft
}

func (l *faultListener) last() liveTally {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.frame
}
