package main

// A live listener for the fault tests: it follows a workshop's live route
// as the page's script (frontend/static/js/live.js) does, reconnecting
// with backoff and jitter, and keeps the last tally frame of each poll.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// liveFrame is a frame of a workshop's live route (API.md: "Live frames").
type liveFrame struct {
	Type    string `json:"type"`
	PollID  int64  `json:"poll_id"`
	Status  string `json:"status"`
	Ballots int    `json:"ballots"`
	Options []struct {
		ID    int64 `json:"id"`
		Votes *int  `json:"votes"`
	} `json:"options"`
}

// String is the frame's poll state, for comparing frames with tallies:
// status, ballots and each option's votes.
func (f liveFrame) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "poll %d %s ballots %d:", f.PollID, f.Status, f.Ballots)
	for _, o := range f.Options {
		v := "null"
		if o.Votes != nil {
			v = strconv.Itoa(*o.Votes)
		}
		fmt.Fprintf(&b, " %d=%s", o.ID, v)
	}
	return b.String()
}

// liveListener follows a workshop's live route as the page's script does:
// it keeps the last tally frame of each poll and, when the connection ends
// (or cannot be made), connects again after a backoff with jitter. It
// also remembers the close frames it got.
type liveListener struct {
	url  string
	stop chan struct{}
	done chan struct{}

	mu         sync.Mutex
	last       map[int64]liveFrame
	connects   int   // connections made
	closeCodes []int // codes of the close frames received
	conn       *websocket.Conn
}

// listenLive starts a liveListener on the workshop at base; it stops when
// t ends, or at Close.
func listenLive(t *testing.T, base string, workshop int64) *liveListener {
	l := &liveListener{
		url:  "ws" + strings.TrimPrefix(base, "http") + fmt.Sprintf("/api/v1/workshops/%d/live", workshop),
		stop: make(chan struct{}), done: make(chan struct{}), last: map[int64]liveFrame{},
	}
	go l.run()
	t.Cleanup(l.Close)
	return l
}

// listenAll starts n liveListeners on the workshop at base and waits
// until each has its first frame of poll.
func listenAll(t *testing.T, base string, workshop, poll int64, n int) []*liveListener {
	t.Helper()
	ls := make([]*liveListener, n)
	for i := range ls {
		ls[i] = listenLive(t, base, workshop)
	}
	eventually(t, "every listener has the poll's first frame", func() bool {
		for _, l := range ls {
			if _, ok := l.Last(poll); !ok {
				return false
			}
		}
		return true
	})
	return ls
}

func (l *liveListener) run() {
	defer close(l.done)
	backoff := 100 * time.Millisecond
	for {
		if l.session() {
			backoff = 100 * time.Millisecond
		}
		select {
		case <-l.stop:
			return
		case <-time.After(backoff/2 + time.Duration(rand.Int64N(int64(backoff)))):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// session connects once and reads until the connection ends; it reports
// whether it connected.
func (l *liveListener) session() bool {
	c, _, err := websocket.DefaultDialer.Dial(l.url, nil)
	if err != nil {
		return false
	}
	l.mu.Lock()
	select {
	case <-l.stop:
		l.mu.Unlock()
		c.Close()
		return true
	default:
	}
	l.conn = c
	l.connects++
	l.mu.Unlock()
	defer c.Close()
	for {
		_, msg, err := c.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				l.mu.Lock()
				l.closeCodes = append(l.closeCodes, ce.Code)
				l.mu.Unlock()
			}
			return true
		}
		var f liveFrame
		if json.Unmarshal(msg, &f) != nil || f.Type != "tally" {
			continue // other frame types are not ours
		}
		l.mu.Lock()
		l.last[f.PollID] = f
		l.mu.Unlock()
	}
}

// Last is the last tally frame received for poll, if any.
func (l *liveListener) Last(poll int64) (liveFrame, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.last[poll]
	return f, ok
}

// Connects is how many connections the listener has made.
func (l *liveListener) Connects() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.connects
}

// CloseCodes are the codes of the close frames the listener received.
func (l *liveListener) CloseCodes() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.closeCodes)
}

// Close stops the listener and waits for it. Calling it again does nothing.
func (l *liveListener) Close() {
	l.mu.Lock()
	select {
	case <-l.stop:
	default:
		close(l.stop)
		if l.conn != nil {
			l.conn.Close()
		}
	}
	l.mu.Unlock()
	<-l.done
}

// tally is the poll's tally from the API, as a frame.
func tally(t *testing.T, base string, poll int64) liveFrame {
	t.Helper()
	var f liveFrame
	mustCall(t, 200, "GET", fmt.Sprintf("%s/api/v1/polls/%d/tally", base, poll), "", nil, &f)
	f.Type = "tally"
	return f
}

// waitForFrames waits until every listener's last frame of poll is want
// (listeners may reconnect meanwhile); it fails t after 30 s, saying how
// many are behind and what one of them has.
func waitForFrames(t *testing.T, ls []*liveListener, poll int64, want liveFrame) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		behind, sample := 0, ""
		for _, l := range ls {
			if f, _ := l.Last(poll); f.String() != want.String() {
				behind, sample = behind+1, f.String()
			}
		}
		if behind == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d listeners are not on the final tally %q; one has %q", behind, len(ls), want, sample)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
