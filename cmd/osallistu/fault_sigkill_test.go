package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// issueRespondent asks the server at base for a respondent token.
func issueRespondent(t *testing.T, base string) string {
	t.Helper()
	var r struct {
		Token string `json:"respondent_token"`
	}
	mustCall(t, 201, "POST", base+"/api/v1/respondents", "", nil, &r)
	return r.Token
}

// writer is what one client of the kill test wrote and was answered 2xx
// for, and the ballots it sent after its last acknowledged one.
type writer struct {
	participant, respondent string
	ideas, comments         []int64
	supports                []int64 // ideas supported
	ballots                 int     // ballots answered 200
	lastBallot              int64   // the option of the last ballot answered 200; 0 for none
	unanswered              []int64 // options of the ballots sent after it without a 200
}

// TestFaultSigkillDuringWritesLosesNothingAcknowledged kills the server
// with SIGKILL while many clients write ideas, comments, supports and
// ballots, and starts it again on the same database: every write answered
// 2xx before the kill is in the database, each participant's standing
// ballot is its last acknowledged one (or one sent after it that was never
// answered), and the sharded counts, a round's ideas and each idea's
// comments, equal a recount.
func TestFaultSigkillDuringWritesLosesNothingAcknowledged(t *testing.T) {
	t.Parallel()
	const writers = 40
	pg := startPG(t)
	in := startInstance(t, pg.URL(), nil)
	in.WaitReady()
	sp := seedPoll(t, in.Base, "Puisto", "Kirjasto", "Uimahalli")
	var round struct {
		ID int64 `json:"id"`
	}
	now := time.Now().UTC()
	mustCall(t, 201, "POST", in.Base+"/api/v1/processes/"+sp.Process+"/idea-rounds", sp.Official, map[string]any{
		"title": "Ideakierros", "description": "Mitä kaupunkiin?", "allow_anonymous": true,
		"opens_at": now.Add(-time.Hour).Format(time.RFC3339), "closes_at": now.Add(time.Hour).Format(time.RFC3339),
	}, &round)
	client := keepAliveClient()
	participants := joinAll(t, client, in.Base, sp.JoinCode, writers)
	ws := make([]*writer, writers)
	for i := range ws {
		ws[i] = &writer{participant: participants[i], respondent: issueRespondent(t, in.Base)}
	}

	type authored struct {
		id     int64
		author *writer
	}
	var (
		mu        sync.Mutex
		ideas     []authored // the ideas so far, for comments and supports to go to
		wrong     []string
		killed    atomic.Bool
		stopAfter = make(chan struct{})
		writing   sync.WaitGroup
	)
	post := func(w *writer, path string, body any) (int, []byte) {
		return send(client, "POST", in.Base+path, map[string]string{"X-Respondent-Token": w.respondent}, body)
	}
	// newIdea posts an idea; id is 0 unless it was answered 201.
	newIdea := func(w *writer, n int) (id int64, status int, body []byte) {
		status, body = post(w, fmt.Sprintf("/api/v1/idea-rounds/%d/ideas", round.ID),
			map[string]string{"title": fmt.Sprintf("Idea %s %d", w.respondent[:8], n), "body": "Lisää penkkejä rantaan."})
		var idea struct {
			ID int64 `json:"id"`
		}
		if status != 201 || json.Unmarshal(body, &idea) != nil {
			return 0, status, body
		}
		mu.Lock()
		ideas = append(ideas, authored{idea.ID, w})
		mu.Unlock()
		return idea.ID, status, body
	}
	// The first ideas are by someone else: one may not support one's own.
	first := &writer{respondent: issueRespondent(t, in.Base)}
	for i := range 5 {
		if id, status, body := newIdea(first, i); id == 0 {
			t.Fatalf("a first idea: %d %s", status, body)
		}
	}
	// othersIdea is an idea that w did not write.
	othersIdea := func(w *writer) int64 {
		mu.Lock()
		defer mu.Unlock()
		for {
			if i := ideas[rand.IntN(len(ideas))]; i.author != w {
				return i.id
			}
		}
	}
	write := func(w *writer) {
		for n := 0; ; n++ {
			select {
			case <-stopAfter:
				return
			default:
			}
			var status int
			var body []byte
			switch rand.IntN(4) {
			case 0:
				var id int64
				if id, status, body = newIdea(w, n); id != 0 {
					w.ideas = append(w.ideas, id)
					continue
				}
			case 1:
				idea := othersIdea(w)
				status, body = post(w, fmt.Sprintf("/api/v1/ideas/%d/comments", idea), map[string]string{"body": fmt.Sprintf("Kommentti %d", n)})
				var c struct {
					ID int64 `json:"id"`
				}
				if status == 201 && json.Unmarshal(body, &c) == nil {
					w.comments = append(w.comments, c.ID)
					continue
				}
			case 2:
				idea := othersIdea(w)
				status, body = post(w, fmt.Sprintf("/api/v1/ideas/%d/supports", idea), nil)
				if status == 200 {
					w.supports = append(w.supports, idea)
					continue
				}
			default:
				opt := sp.OptionIDs[rand.IntN(len(sp.OptionIDs))]
				w.unanswered = append(w.unanswered, opt)
				status, body = send(client, "PUT", fmt.Sprintf("%s/api/v1/polls/%d/ballot", in.Base, sp.PollID),
					map[string]string{"X-Participant-Token": w.participant}, map[string][]int64{"option_ids": {opt}})
				if status == 200 {
					w.ballots++
					w.lastBallot, w.unanswered = opt, nil
					continue
				}
			}
			// Anything but an answer after the kill is a failure.
			if status != 0 || !killed.Load() {
				mu.Lock()
				wrong = append(wrong, fmt.Sprintf("%d %s", status, body))
				mu.Unlock()
				return
			}
		}
	}
	for _, w := range ws {
		writing.Add(1)
		go func() { defer writing.Done(); write(w) }()
	}
	time.Sleep(1500 * time.Millisecond)
	killed.Store(true)
	in.Signal(syscall.SIGKILL)
	close(stopAfter)
	writing.Wait()
	in.Wait(5 * time.Second)
	if len(wrong) > 0 {
		t.Fatalf("%d writes failed before the kill, such as: %s", len(wrong), wrong[0])
	}

	again := startInstance(t, pg.URL(), nil)
	again.WaitReady()
	db := pg.Open()
	var nIdeas, nComments, nSupports, nBallots int
	for i, w := range ws {
		for _, id := range w.ideas {
			var n int
			if err := db.Get(&n, `SELECT count(*) FROM ideas WHERE id = $1 AND round_id = $2`, id, round.ID); err != nil || n != 1 {
				t.Errorf("writer %d: idea %d answered 201 is not stored (%v)", i, id, err)
			}
		}
		for _, id := range w.comments {
			var n int
			if err := db.Get(&n, `SELECT count(*) FROM comments WHERE id = $1`, id); err != nil || n != 1 {
				t.Errorf("writer %d: comment %d answered 201 is not stored (%v)", i, id, err)
			}
		}
		h := sha256.Sum256([]byte(w.respondent))
		for _, idea := range w.supports {
			var n int
			if err := db.Get(&n, `SELECT count(*) FROM supports s JOIN respondents r ON s.supporter = 'respondent:' || r.id
				WHERE s.idea_id = $1 AND r.token_hash = $2`, idea, h[:]); err != nil || n != 1 {
				t.Errorf("writer %d: support of idea %d answered 200 is not stored (%v)", i, idea, err)
			}
		}
		nIdeas, nComments, nSupports, nBallots = nIdeas+len(w.ideas), nComments+len(w.comments), nSupports+len(w.supports), nBallots+w.ballots
	}
	ids := participantIDs(t, db, participants)
	stored := storedBallots(t, db, sp.PollID)
	for i, w := range ws {
		got, ok := stored[ids[w.participant]]
		switch {
		case !ok && w.lastBallot == 0:
		case ok && len(got) == 1 && (got[0] == w.lastBallot || slices.Contains(w.unanswered, got[0])):
		default:
			t.Errorf("writer %d: standing ballot %v; last answered 200 [%d], sent after it unanswered %v", i, got, w.lastBallot, w.unanswered)
		}
	}
	if nIdeas == 0 || nComments == 0 || nSupports == 0 || nBallots == 0 {
		t.Errorf("every kind of write should have been answered before the kill: %d ideas, %d comments, %d supports, %d ballots",
			nIdeas, nComments, nSupports, nBallots)
	}

	// The sharded counts against a recount.
	var counted, recounted int
	if err := db.Get(&counted, `SELECT coalesce(sum(n), 0) FROM idea_round_counts WHERE round_id = $1`, round.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&recounted, `SELECT count(*) FROM ideas WHERE round_id = $1 AND hidden_at IS NULL AND deleted_at IS NULL`, round.ID); err != nil {
		t.Fatal(err)
	}
	if counted != recounted {
		t.Errorf("the round counts %d ideas, a recount finds %d", counted, recounted)
	}
	var off []struct {
		Idea      int64 `db:"id"`
		Counted   int   `db:"counted"`
		Recounted int   `db:"recounted"`
	}
	if err := db.Select(&off, `
		SELECT i.id,
		       (SELECT coalesce(sum(n), 0) FROM idea_comment_counts c WHERE c.idea_id = i.id) AS counted,
		       (SELECT count(*) FROM comments c WHERE c.idea_id = i.id AND c.hidden_at IS NULL AND c.deleted_at IS NULL) AS recounted
		FROM ideas i WHERE i.round_id = $1`, round.ID); err != nil {
		t.Fatal(err)
	}
	for _, o := range off {
		if o.Counted != o.Recounted {
			t.Errorf("idea %d counts %d comments, a recount finds %d", o.Idea, o.Counted, o.Recounted)
		}
	}
	t.Logf("answered before the kill: %d ideas, %d comments, %d supports, %d ballots; the round has %d ideas", nIdeas, nComments, nSupports, nBallots, recounted)
}
