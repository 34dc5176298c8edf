package server_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"osallistu/participation/postgres/pgtest"
	"osallistu/server/browsertest"
)

// TestBrowserProjectorReconnectsAfterRestart: the projector's live script
// outlives its server. The instance serving it shuts down (its WebSockets
// get a close frame); while it is away the page says it is reconnecting and
// tries again, each time after a longer wait with jitter, not in a tight
// loop; a ballot is cast meanwhile (through another instance on the same
// database); and when a server is back on the same address the page
// follows it again and shows the tally with that ballot, without a reload.
func TestBrowserProjectorReconnectsAfterRestart(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.NewURL(t)
	first, second := newTestServerOn(t, dbURL), newTestServerOn(t, dbURL)
	ws := newWorkshopSetup(t, first)
	poll, opts := ws.poll(t, 1, "Avoimuus", "Saavutettavuus", "Osallisuus")
	first.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	ws.vote(poll, ws.join(t), opts[0]).want(t, 200)
	official := decode[accountJSON](t, first.do("GET", "/api/v1/me", nil, ws.official).want(t, 200)).Email

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	go first.App.Listener(ln)
	base := "http://" + addr

	b := browsertest.New(t, browsertest.WithTimeout(120*time.Second))
	b.Visit(base + "/login?lang=en")
	b.Fill("#email", official)
	b.Fill("#password", "correct horse battery")
	b.Submit(`form[action="/login"] button[type=submit]`)
	b.VisitAndAudit(fmt.Sprintf("%s/workshops/%d/projector?lang=en", base, ws.id))
	status := func() string { return strings.TrimSpace(b.Text("[data-live-status]")) }
	waitFor := func(what, js string, within time.Duration) {
		t.Helper()
		ctx, cancel := context.WithTimeout(b.Context(), within)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js)); err != nil {
			t.Fatalf("%s: %v (the status says %q)", what, err, status())
		}
	}
	const live, lost = "Updating live.", "The connection broke. Reconnecting…"
	waitFor("the projector goes live", fmt.Sprintf(`document.querySelector("[data-live-status]").textContent === %q`, live), 10*time.Second)
	votes := func(option int64) string {
		return fmt.Sprintf(`[data-results="%d"] tr[data-option="%d"] .votes`, poll, option)
	}
	if got := strings.TrimSpace(b.Text(votes(opts[0]))); got != "1" {
		t.Fatalf("the first option shows %q votes, want 1", got)
	}

	// The server goes away: a shutdown closes the page's WebSocket.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := first.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor("the page says the connection broke", fmt.Sprintf(`document.querySelector("[data-live-status]").textContent === %q`, lost), 5*time.Second)
	b.Audit()

	// While it is away, something on its address takes each attempt and
	// closes it, noting when it came. A ballot is cast through the other
	// instance.
	away, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the address is not free again: %v", err)
	}
	var (
		mu       sync.Mutex
		attempts []time.Time
	)
	go func() {
		for {
			c, err := away.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			attempts = append(attempts, time.Now())
			mu.Unlock()
			c.Close()
		}
	}()
	other := *ws
	other.ts = second
	other.vote(poll, other.join(t), opts[2]).want(t, 200)
	time.Sleep(6 * time.Second)
	away.Close()
	mu.Lock()
	tries := append([]time.Time(nil), attempts...)
	mu.Unlock()
	// The waits are backoff/2 plus up to backoff at random (the jitter),
	// the backoff 1 s, 2 s, 4 s, …: in 6 s, two or three attempts.
	if len(tries) < 2 || len(tries) > 3 {
		t.Fatalf("%d attempts to reconnect in 6 s, want 2 or 3: the page backs off, but keeps trying", len(tries))
	}
	for i := 1; i < len(tries); i++ {
		if gap, least := tries[i].Sub(tries[i-1]), time.Duration(1<<(i-1))*time.Second; gap < least-100*time.Millisecond {
			t.Errorf("attempt %d came %v after the one before, want at least %v: no backoff", i+1, gap, least)
		}
	}
	t.Logf("attempts while away, after the shutdown: %d, %v apart", len(tries), gaps(tries))

	// A server is back on the same address: the page follows it again and
	// shows the ballot cast while it was away, without a reload.
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	go second.App.Listener(ln)
	mark, cancelMark := context.WithTimeout(b.Context(), 5*time.Second)
	defer cancelMark()
	if _, err := chromedp.Run(mark, chromedp.Evaluate[bool](`window.sameProjectorPage = true`)); err != nil {
		t.Fatal(err)
	}
	waitFor("the page follows the server again", fmt.Sprintf(`document.querySelector("[data-live-status]").textContent === %q`, live), 15*time.Second)
	waitFor("the page shows the ballot cast while the server was away", fmt.Sprintf(`document.querySelector('%s')?.textContent.trim() === "1"`, votes(opts[2])), 5*time.Second)
	if got := strings.TrimSpace(b.Text(votes(opts[0]))); got != "1" {
		t.Errorf("the first option shows %q votes after the reconnection, want 1", got)
	}
	ctx2, cancel2 := context.WithTimeout(b.Context(), 5*time.Second)
	defer cancel2()
	if same, err := chromedp.Run(ctx2, chromedp.Evaluate[bool](`window.sameProjectorPage === true`)); err != nil || !same {
		t.Errorf("the page was reloaded (%v): the live script is to bring it up to date itself", err)
	}
	b.Audit()
}

// gaps is the time between each attempt and the next, rounded.
func gaps(at []time.Time) []time.Duration {
	var d []time.Duration
	for i := 1; i < len(at); i++ {
		d = append(d, at[i].Sub(at[i-1]).Round(10*time.Millisecond))
	}
	return d
}
