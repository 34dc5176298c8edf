package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"osallistu/participation"
)

func TestCastBallot(t *testing.T) {
	f := newWorkshopFixture(t)
	ctx := context.Background()
	aino := f.join(t, "Aino")
	t.Run("ErrClosed", func(t *testing.T) {
		// A draft takes no ballots, whatever they hold: state before content.
		_, err := f.s.CastBallot(ctx, f.poll.ID, aino.Token, participation.Ballot{OptionIDs: []int64{999, 999, 999}})
		wantCode(t, err, participation.ECLOSED)
	})
	if _, err := f.s.OpenPoll(f.official, f.poll.ID); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		b, err := f.s.CastBallot(ctx, f.poll.ID, aino.Token, participation.Ballot{OptionIDs: []int64{f.option(0), f.option(1)}})
		if err != nil || b.PollID != f.poll.ID {
			t.Fatal(b, err)
		}
		// A later ballot replaces the earlier.
		if _, err := f.s.CastBallot(ctx, f.poll.ID, aino.Token, participation.Ballot{OptionIDs: []int64{f.option(2)}}); err != nil {
			t.Fatal(err)
		}
		tally, err := f.s.FindTally(ctx, f.poll.ID)
		if err != nil {
			t.Fatal(err)
		}
		if tally.Ballots != 1 || tally.Options[0].Votes != 0 || tally.Options[2].Votes != 1 || tally.Status != "open" {
			t.Fatalf("tally %+v", tally)
		}
		mine, err := f.s.FindBallots(ctx, aino.Token)
		if err != nil || !slices.Equal(mine[f.poll.ID], []int64{f.option(2)}) {
			t.Fatalf("ballots %v %v", mine, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, ids := range [][]int64{nil, {f.option(0), f.option(1), f.option(2)}, {f.option(0), f.option(0)}, {f.option(0), 99999}} {
			_, err := f.s.CastBallot(ctx, f.poll.ID, aino.Token, participation.Ballot{OptionIDs: ids})
			wantCode(t, err, participation.EINVALID)
		}
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := f.s.CastBallot(ctx, f.poll.ID, "", participation.Ballot{OptionIDs: []int64{f.option(0)}})
		wantCode(t, err, participation.EUNAUTHENTICATED)
		_, err = f.s.CastBallot(ctx, f.poll.ID, "unknown", participation.Ballot{OptionIDs: []int64{f.option(0)}})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.CastBallot(ctx, f.poll.ID, f.stranger(t).Token, participation.Ballot{OptionIDs: []int64{f.option(0)}})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.CastBallot(ctx, 99999, aino.Token, participation.Ballot{OptionIDs: []int64{f.option(0)}})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrClosed: an archived process", func(t *testing.T) {
		// Its poll was left open: the process is read only all the same.
		if _, err := f.s.ChangeProcessStatus(f.official, "avoin", participation.ProcessArchive); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.CastBallot(ctx, f.poll.ID, aino.Token, participation.Ballot{OptionIDs: []int64{f.option(0)}})
		wantCode(t, err, participation.ECLOSED)
		if _, err := f.s.ChangeProcessStatus(f.official, "avoin", participation.ProcessUnarchive); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CastBallot(ctx, f.poll.ID, aino.Token, participation.Ballot{OptionIDs: []int64{f.option(0)}}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		if _, err := f.s.ClosePoll(f.official, f.poll.ID); err != nil {
			t.Fatal(err)
		}
		// Closing twice is harmless; reopening is not allowed.
		if p, err := f.s.ClosePoll(f.official, f.poll.ID); err != nil || p.Status != "closed" {
			t.Fatal(p, err)
		}
		_, err := f.s.OpenPoll(f.official, f.poll.ID)
		wantCode(t, err, participation.ECONFLICT)
		_, err = f.s.CastBallot(ctx, f.poll.ID, aino.Token, participation.Ballot{OptionIDs: []int64{f.option(0)}})
		wantCode(t, err, participation.ECLOSED)
	})
}

// TestConcurrentBallots has many participants vote at once, one of them
// from many requests at the same time, while the poll closes: every ballot
// answered OK is counted, every one after the close gets ECLOSED, and no
// participant has two rows.
func TestConcurrentBallots(t *testing.T) {
	f := newWorkshopFixture(t)
	ctx := context.Background()
	if _, err := f.s.OpenPoll(f.official, f.poll.ID); err != nil {
		t.Fatal(err)
	}
	const participants = 20
	var people []*participation.Participant
	for i := range participants {
		people = append(people, f.join(t, fmt.Sprint("P", i)))
	}

	t.Run("OneParticipantOneRow", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := f.s.CastBallot(ctx, f.poll.ID, people[0].Token, participation.Ballot{OptionIDs: []int64{f.option(i % 4)}}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		var rows int
		if err := f.s.DB().Get(&rows, `SELECT count(*) FROM ballots WHERE participant_id = $1`, mustParticipantID(t, f, people[0])); err != nil {
			t.Fatal(err)
		}
		if rows != 1 {
			t.Fatalf("%d ballot rows for one participant", rows)
		}
	})

	t.Run("EveryOKCountedEveryLateClosed", func(t *testing.T) {
		var (
			mu       sync.Mutex
			accepted = map[int][]int64{} // participant → last accepted ballot
			closedAt time.Time
			answers  []time.Time // when a ballot answered OK was sent
			late     int
		)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i := range participants {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					ids := []int64{f.option(n % 4), f.option((n + 1 + i) % 4)}
					if ids[0] == ids[1] {
						ids = ids[:1]
					}
					sent := time.Now()
					_, err := f.s.CastBallot(ctx, f.poll.ID, people[i].Token, participation.Ballot{OptionIDs: ids})
					mu.Lock()
					switch participation.ErrorCode(err) {
					case "":
						accepted[i] = ids
						answers = append(answers, sent)
					case participation.ECLOSED:
						late++
					default:
						t.Error(err)
					}
					mu.Unlock()
					if err != nil {
						return
					}
				}
			}()
		}
		time.Sleep(300 * time.Millisecond)
		if _, err := f.s.ClosePoll(f.official, f.poll.ID); err != nil {
			t.Fatal(err)
		}
		closedAt = time.Now()
		atClose, err := f.s.FindTally(ctx, f.poll.ID)
		if err != nil {
			t.Fatal(err)
		}
		close(stop)
		wg.Wait()
		// A ballot sent after the close has returned is refused. (One sent
		// before may still be answered OK a moment after: it got in first,
		// and the close waited for it.)
		for _, a := range answers {
			if a.After(closedAt) {
				t.Errorf("a ballot sent at %v, after the close returned at %v, was answered OK", a, closedAt)
			}
		}
		want := map[int64]int{}
		for _, ids := range accepted {
			for _, id := range ids {
				want[id]++
			}
		}
		tally, err := f.s.FindTally(ctx, f.poll.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Nothing was stored after the close: ballots that read the poll
		// as open before it closed, and stored after, were refused.
		atClose.AsOf = tally.AsOf
		if !reflect.DeepEqual(atClose, tally) {
			t.Errorf("the tally changed after the close:\n%+v\n%+v", atClose, tally)
		}
		if tally.Status != "closed" || tally.Ballots != participants {
			t.Fatalf("tally %+v (%d ballots answered OK, %d late)", tally, len(answers), late)
		}
		for _, o := range tally.Options {
			if o.Votes != want[o.ID] {
				t.Errorf("option %d: %d votes, the accepted ballots give %d", o.ID, o.Votes, want[o.ID])
			}
		}
		t.Logf("%d ballots answered OK, %d refused as late", len(answers), late)
	})
}

func mustParticipantID(t *testing.T, f *workshopFixture, p *participation.Participant) int64 {
	t.Helper()
	var id int64
	if err := f.s.DB().Get(&id, `SELECT id FROM participants WHERE workshop_id = $1 AND name = $2`, p.WorkshopID, *p.Name); err != nil {
		t.Fatal(err)
	}
	return id
}
