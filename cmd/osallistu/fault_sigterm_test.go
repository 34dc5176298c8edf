package main

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestFaultSigtermFinishesInFlightAndClosesWebSockets sends SIGTERM to a
// server under load: readers, live listeners, and ballots held up in the
// database (the test locks the ballots table) when the signal arrives. The
// held-up ballots must still be answered 200 and stored, no request may be
// answered with a server error, every listener must get a close frame
// saying the server goes away, and the process must exit 0 within its
// shutdown timeout.
func TestFaultSigtermFinishesInFlightAndClosesWebSockets(t *testing.T) {
	t.Parallel()
	const slow, readers, listeners = 10, 20, 50
	pg := startPG(t)
	in := startInstance(t, pg.URL(), nil)
	in.WaitReady()
	sp := seedPoll(t, in.Base, "Puisto", "Kirjasto")
	client := keepAliveClient()
	tokens := joinAll(t, client, in.Base, sp.JoinCode, slow+1)
	// The last one votes now: the store prepares its ballot statement, which
	// the lock below would hold up too, on the first ballot.
	send(client, "PUT", fmt.Sprintf("%s/api/v1/polls/%d/ballot", in.Base, sp.PollID),
		map[string]string{"X-Participant-Token": tokens[slow]}, map[string][]int64{"option_ids": {sp.OptionIDs[0]}})
	tokens = tokens[:slow]
	ls := listenAll(t, in.Base, sp.WorkshopID, sp.PollID, listeners)

	// Readers, until the server is gone: what is answered must not be a
	// server error (a refused connection is no answer).
	var (
		reads    atomic.Int64
		mu       sync.Mutex
		wrong    []string
		stopRead = make(chan struct{})
		reading  sync.WaitGroup
	)
	for range readers {
		reading.Add(1)
		go func() {
			defer reading.Done()
			for {
				select {
				case <-stopRead:
					return
				default:
				}
				status, body := send(client, "GET", fmt.Sprintf("%s/api/v1/polls/%d/tally", in.Base, sp.PollID), nil, nil)
				if status == 200 {
					reads.Add(1)
				} else if status != 0 {
					mu.Lock()
					wrong = append(wrong, fmt.Sprintf("read: %d %s", status, body))
					mu.Unlock()
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}

	// Ballots held up in the database: the test holds a lock that every
	// ballot's write waits for.
	db := pg.Open()
	lock, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.Exec(`LOCK TABLE ballots IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		status int
		body   []byte
	}
	answers := make([]answer, slow)
	var voting sync.WaitGroup
	for i := range slow {
		voting.Add(1)
		go func() {
			defer voting.Done()
			status, body := send(client, "PUT", fmt.Sprintf("%s/api/v1/polls/%d/ballot", in.Base, sp.PollID),
				map[string]string{"X-Participant-Token": tokens[i]}, map[string][]int64{"option_ids": {sp.OptionIDs[i%2]}})
			answers[i] = answer{status, body}
		}()
	}
	eventually(t, "the ballots wait for the lock", func() bool {
		var n int
		db.Get(&n, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)
		return n == slow
	})

	term := time.Now()
	in.Signal(syscall.SIGTERM)
	// The ballots are still under way well into the shutdown.
	time.Sleep(time.Second)
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	voting.Wait()
	code := in.Wait(shutdownTimeout + 5*time.Second)
	took := time.Since(term)
	close(stopRead)
	reading.Wait()
	t.Logf("exit %d %v after SIGTERM; %d reads answered 200 in all", code, took.Round(time.Millisecond), reads.Load())

	if code != 0 {
		t.Errorf("exit code %d after SIGTERM", code)
	}
	if took > shutdownTimeout {
		t.Errorf("the process took %v to exit, beyond its shutdown timeout %v", took, shutdownTimeout)
	}
	for i, a := range answers {
		if a.status != 200 {
			t.Errorf("ballot %d under way at SIGTERM: %d %s", i, a.status, a.body)
		}
	}
	if len(wrong) > 0 {
		t.Errorf("%d reads answered with an error, such as %s", len(wrong), wrong[0])
	}
	ids := participantIDs(t, db, tokens)
	stored := storedBallots(t, db, sp.PollID)
	for i, tok := range tokens {
		if got := stored[ids[tok]]; answers[i].status == 200 && !slices.Equal(got, []int64{sp.OptionIDs[i%2]}) {
			t.Errorf("ballot %d, answered 200, is stored as %v", i, got)
		}
	}
	for i, l := range ls {
		l.Close()
		if codes := l.CloseCodes(); !slices.Contains(codes, websocket.CloseGoingAway) {
			t.Errorf("listener %d got close frames %v, not %d going away", i, codes, websocket.CloseGoingAway)
		}
	}
}
