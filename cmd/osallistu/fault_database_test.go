package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestFaultDatabaseRestartMidVoteLosesNoBallot restarts PostgreSQL in the
// middle of a workshop vote of 200 participants watched by 200 live
// listeners. Half the participants stop voting just before the restart,
// half vote through it and after. The server must recover by itself:
// /readyz 503 while the database is away and 200 after; the API 503
// `unavailable` meanwhile, never a 500; every participant's last ballot
// answered 200 standing in the database and counted in the tally; and
// every listener's last frame equal to the final tally.
func TestFaultDatabaseRestartMidVoteLosesNoBallot(t *testing.T) {
	t.Parallel()
	const participants, listeners = 200, 200
	pg := startPG(t)
	in := startInstance(t, pg.URL(), nil)
	in.WaitReady()
	sp := seedPoll(t, in.Base, "Puisto", "Kirjasto", "Uimahalli")
	client := keepAliveClient()
	tokens := joinAll(t, client, in.Base, sp.JoinCode, participants)

	ls := listenAll(t, in.Base, sp.WorkshopID, sp.PollID, listeners)

	// Voting. Each participant votes again and again, a little apart; it
	// stops when its group's stop is closed, once its last ballot is
	// answered 200.
	restarting, recovered := make(chan struct{}), make(chan struct{})
	var (
		lastAck     = make([]int64, participants) // the option of each one's last ballot answered 200
		acks, down  atomic.Int64                  // ballots answered 200, and 503 unavailable
		mu          sync.Mutex
		wrong       []string // answers other than 200 and 503 unavailable
		early, late sync.WaitGroup
	)
	ballotURL := fmt.Sprintf("%s/api/v1/polls/%d/ballot", in.Base, sp.PollID)
	vote := func(i int, stop <-chan struct{}) {
		header := map[string]string{"X-Participant-Token": tokens[i]}
		for {
			opt := sp.OptionIDs[rand.IntN(len(sp.OptionIDs))]
			status, body := send(client, "PUT", ballotURL, header, map[string][]int64{"option_ids": {opt}})
			switch {
			case status == 200:
				lastAck[i] = opt
				acks.Add(1)
			case status == 503 && apiError(body) == "unavailable":
				down.Add(1)
			default:
				mu.Lock()
				wrong = append(wrong, fmt.Sprintf("%d %s", status, body))
				mu.Unlock()
			}
			select {
			case <-stop:
				if status == 200 {
					return
				}
			default:
			}
			time.Sleep(time.Duration(100+rand.IntN(200)) * time.Millisecond)
		}
	}
	lateStop := make(chan struct{})
	for i := range participants {
		if i%2 == 0 {
			early.Add(1)
			go func() { defer early.Done(); vote(i, restarting) }()
		} else {
			late.Add(1)
			go func() { defer late.Done(); vote(i, lateStop) }()
		}
	}

	// Watch /readyz, and a read of the API, from just before the restart
	// until the server is back.
	var readyDown, readDown atomic.Int64
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		for {
			if s, _ := call("GET", in.Base+"/readyz", "", nil); s == 503 {
				readyDown.Add(1)
			}
			switch status, body := call("GET", fmt.Sprintf("%s/api/v1/polls/%d/tally", in.Base, sp.PollID), "", nil); {
			case status == 503 && apiError(body) == "unavailable":
				readDown.Add(1)
			case status != 200:
				mu.Lock()
				wrong = append(wrong, fmt.Sprintf("tally: %d %s", status, body))
				mu.Unlock()
			}
			select {
			case <-recovered:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()

	time.Sleep(1500 * time.Millisecond)
	close(restarting)
	early.Wait()
	began := time.Now()
	pg.Restart()
	restarted := time.Since(began)
	in.WaitReady()
	close(recovered)
	backAfter := time.Since(began)
	<-watching
	time.Sleep(1500 * time.Millisecond)
	close(lateStop)
	late.Wait()
	t.Logf("PostgreSQL restarted in %v, /readyz 200 again after %v; %d ballots answered 200, %d answered 503 unavailable, /readyz seen 503 %d times, the tally %d times",
		restarted.Round(time.Millisecond), backAfter.Round(time.Millisecond), acks.Load(), down.Load(), readyDown.Load(), readDown.Load())

	if len(wrong) > 0 {
		t.Fatalf("%d answers neither 200 nor 503 unavailable, such as: %s", len(wrong), wrong[0])
	}
	if readyDown.Load() == 0 {
		t.Error("/readyz never answered 503 while PostgreSQL restarted")
	}
	if down.Load() == 0 || readDown.Load() == 0 {
		t.Error("no ballot or no read was answered 503 unavailable while PostgreSQL restarted")
	}

	// Every participant's last acknowledged ballot stands, and the tally
	// counts exactly those.
	db := pg.Open()
	ids := participantIDs(t, db, tokens)
	stored := storedBallots(t, db, sp.PollID)
	want := map[int64]int{}
	for i, tok := range tokens {
		if got := stored[ids[tok]]; !slices.Equal(got, []int64{lastAck[i]}) {
			t.Errorf("participant %d: stored ballot %v, last acknowledged [%d]", i, got, lastAck[i])
		}
		want[lastAck[i]]++
	}
	final := tally(t, in.Base, sp.PollID)
	if final.Ballots != participants {
		t.Errorf("tally has %d ballots, want %d", final.Ballots, participants)
	}
	for _, o := range final.Options {
		if o.Votes == nil || *o.Votes != want[o.ID] {
			t.Errorf("tally %s; the last acknowledged ballots give option %d %d votes", final, o.ID, want[o.ID])
		}
	}

	// Every listener ends on the final tally.
	reconnects := 0
	for _, l := range ls {
		reconnects += l.Connects() - 1
	}
	waitForFrames(t, ls, sp.PollID, final)
	t.Logf("listeners reconnected %d times in all", reconnects)
}
