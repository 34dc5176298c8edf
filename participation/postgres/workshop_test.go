package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
)

// workshopFixture is a process with a workshop and one poll of four typed
// options (pick up to two), and the official's context.
type workshopFixture struct {
	s        *postgres.Store
	clk      *clock
	official context.Context
	w        *participation.Workshop
	poll     *participation.Poll
}

func newWorkshopFixture(t *testing.T) *workshopFixture {
	t.Helper()
	s, clk := newStore(t)
	ctx, _ := mustAccount(t, s, "official@example.fi", "official")
	if _, err := s.CreateProcess(ctx, participation.NewProcess{Slug: "avoin", Title: "Avoin hallinto"}); err != nil {
		t.Fatal(err)
	}
	starts := clk.t.Add(time.Hour)
	w, err := s.CreateWorkshop(ctx, "avoin", participation.NewWorkshop{Title: "Työpaja", StartsAt: &starts})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.CreatePoll(ctx, w.ID, participation.NewPoll{
		Question: "Mitkä ovat tärkeimmät?", MaxChoices: ptr(2),
		Options: []participation.NewPollOption{{Label: "A"}, {Label: "B"}, {Label: "C"}, {Label: "D"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &workshopFixture{s: s, clk: clk, official: ctx, w: w, poll: p}
}

func (f *workshopFixture) join(t *testing.T, name string) *participation.Participant {
	t.Helper()
	p, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: *f.w.JoinCode, Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *workshopFixture) option(i int) int64 { return f.poll.Options[i].ID }

func TestCreateWorkshop(t *testing.T) {
	s, clk := newStore(t)
	ctx, _ := mustAccount(t, s, "official@example.fi", "official")
	citizen, _ := mustAccount(t, s, "citizen@example.fi")
	if _, err := s.CreateProcess(ctx, participation.NewProcess{Slug: "avoin", Title: "Avoin"}); err != nil {
		t.Fatal(err)
	}
	starts := clk.t
	t.Run("OK", func(t *testing.T) {
		w, err := s.CreateWorkshop(ctx, "avoin", participation.NewWorkshop{Title: " Työpaja ", StartsAt: &starts})
		if err != nil {
			t.Fatal(err)
		}
		code, ok := participation.NormalizeJoinCode(*w.JoinCode)
		if w.Title != "Työpaja" || !ok || code != *w.JoinCode || !w.ShowResultsLive || len(w.Polls) != 0 {
			t.Fatalf("workshop %+v", w)
		}
		// The code is for officials.
		got, err := s.FindWorkshop(context.Background(), w.ID)
		if err != nil || got.JoinCode != nil {
			t.Fatalf("public workshop %+v %v", got, err)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := s.CreateWorkshop(citizen, "avoin", participation.NewWorkshop{Title: "x", StartsAt: &starts})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.CreateWorkshop(ctx, "nope", participation.NewWorkshop{Title: "x", StartsAt: &starts})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := s.CreateWorkshop(ctx, "avoin", participation.NewWorkshop{Title: ""})
		wantCode(t, err, participation.EINVALID)
	})
}

func TestCreatePoll(t *testing.T) {
	f := newWorkshopFixture(t)
	t.Run("OK", func(t *testing.T) {
		if f.poll.Status != participation.PollDraft || f.poll.Position != 1 || len(f.poll.Options) != 4 || f.poll.Options[0].Label != "A" {
			t.Fatalf("poll %+v", f.poll)
		}
	})
	t.Run("FromIdeaRound", func(t *testing.T) {
		opens, closes := f.clk.t.Add(-48*time.Hour), f.clk.t.Add(-24*time.Hour)
		round, err := f.s.CreateIdeaRound(f.official, "avoin", participation.NewIdeaRound{Title: "Ideat", OpensAt: &opens, ClosesAt: &closes})
		if err != nil {
			t.Fatal(err)
		}
		var themes []int64
		for _, title := range []string{"Avoimuus", "Osallisuus", "Selkeä kieli"} {
			th, err := f.s.CreateTheme(f.official, round.ID, participation.NewTheme{Title: title})
			if err != nil {
				t.Fatal(err)
			}
			themes = append(themes, th.ID)
		}
		p, err := f.s.CreatePoll(f.official, f.w.ID, participation.NewPoll{Question: "Teemat", MaxChoices: ptr(3), OptionsFromIdeaRound: &round.ID})
		if err != nil {
			t.Fatal(err)
		}
		if p.Position != 2 || len(p.Options) != 3 || p.Options[1].Label != "Osallisuus" || *p.Options[1].ThemeID != themes[1] {
			t.Fatalf("poll %+v", p)
		}
		refs, err := f.s.FindIdeaRoundRefs(f.official, f.w.ID)
		if err != nil || len(refs) != 1 || refs[0].Themes != 3 {
			t.Fatalf("refs %+v %v", refs, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.CreatePoll(f.official, f.w.ID, participation.NewPoll{Question: "Q", MaxChoices: ptr(1), OptionsFromIdeaRound: ptr(int64(999))})
		wantCode(t, err, participation.EINVALID)
		_, err = f.s.CreatePoll(f.official, f.w.ID, participation.NewPoll{Question: "Q", MaxChoices: ptr(3), Options: []participation.NewPollOption{{Label: "A"}, {Label: "B"}}})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.CreatePoll(f.official, 999, participation.NewPoll{Question: "Q", MaxChoices: ptr(1), Options: []participation.NewPollOption{{Label: "A"}, {Label: "B"}}})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := f.s.CreatePoll(context.Background(), f.w.ID, participation.NewPoll{})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
}

func TestJoinWorkshop(t *testing.T) {
	f := newWorkshopFixture(t)
	t.Run("OK", func(t *testing.T) {
		m := "Helsingfors"
		p, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: " " + strings.ToLower(*f.w.JoinCode), Municipality: &m})
		if err != nil {
			t.Fatal(err)
		}
		if p.WorkshopID != f.w.ID || len(p.Token) < 40 || p.Name != nil || *p.Municipality != "Helsinki" {
			t.Fatalf("participant %+v", p)
		}
		got, err := f.s.FindParticipant(context.Background(), p.Token)
		if err != nil || got.WorkshopID != f.w.ID {
			t.Fatalf("find %+v %v", got, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, code := range []string{"ABCDEF", "OOOOOO", "abc"} {
			if code == *f.w.JoinCode {
				continue
			}
			_, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: code})
			wantCode(t, err, participation.ENOTFOUND)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.JoinWorkshop(context.Background(), participation.NewParticipant{Code: ""})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := f.s.FindParticipant(context.Background(), "no-such-token")
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
}

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
		starts := f.clk.t
		other, err := f.s.CreateWorkshop(f.official, "avoin", participation.NewWorkshop{Title: "Toinen", StartsAt: &starts})
		if err != nil {
			t.Fatal(err)
		}
		stranger, err := f.s.JoinWorkshop(ctx, participation.NewParticipant{Code: *other.JoinCode})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.CastBallot(ctx, f.poll.ID, stranger.Token, participation.Ballot{OptionIDs: []int64{f.option(0)}})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.CastBallot(ctx, 99999, aino.Token, participation.Ballot{OptionIDs: []int64{f.option(0)}})
		wantCode(t, err, participation.ENOTFOUND)
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

func TestTalliesAndResults(t *testing.T) {
	f := newWorkshopFixture(t)
	ctx := context.Background()
	opens, closes := f.clk.t.Add(-48*time.Hour), f.clk.t.Add(-24*time.Hour)
	round, err := f.s.CreateIdeaRound(f.official, "avoin", participation.NewIdeaRound{Title: "Ideat", OpensAt: &opens, ClosesAt: &closes})
	if err != nil {
		t.Fatal(err)
	}
	var themes []int64
	for _, title := range []string{"T1", "T2", "T3", "T4"} {
		th, err := f.s.CreateTheme(f.official, round.ID, participation.NewTheme{Title: title})
		if err != nil {
			t.Fatal(err)
		}
		themes = append(themes, th.ID)
	}
	p, err := f.s.CreatePoll(f.official, f.w.ID, participation.NewPoll{Question: "Teemat", MaxChoices: ptr(2), OptionsFromIdeaRound: &round.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.OpenPoll(f.official, p.ID); err != nil {
		t.Fatal(err)
	}
	// T1: 3 votes, T2: 2, T3: 2, T4: 1 → ranks 1, 2, 2, 4.
	m := "Tampere"
	for _, choice := range [][]int{{0, 1}, {0, 2}, {0, 1}, {2, 3}} {
		who, err := f.s.JoinWorkshop(ctx, participation.NewParticipant{Code: *f.w.JoinCode, Municipality: &m})
		if err != nil {
			t.Fatal(err)
		}
		ids := []int64{p.Options[choice[0]].ID, p.Options[choice[1]].ID}
		if _, err := f.s.CastBallot(ctx, p.ID, who.Token, participation.Ballot{OptionIDs: ids}); err != nil {
			t.Fatal(err)
		}
	}

	all, err := f.s.FindTallies(ctx, participation.TallyFilter{WorkshopIDs: []int64{f.w.ID}})
	if err != nil || len(all) != 2 || all[0].PollID != f.poll.ID || all[1].Ballots != 4 {
		t.Fatalf("tallies %+v %v", all, err)
	}
	// Before the close the theme results are empty: only closed polls count.
	res, err := f.s.FindThemeResults(ctx, round.ID)
	if err != nil || len(res) != 0 {
		t.Fatalf("results before close %v %v", res, err)
	}
	proc, err := f.s.FindProcessBySlug(ctx, "avoin")
	if err != nil {
		t.Fatal(err)
	}
	var step *participation.Step
	for i := range proc.Steps {
		if proc.Steps[i].Kind == participation.StepWorkshop {
			step = &proc.Steps[i]
		}
	}
	if step == nil || step.Status != participation.StatusOpen || step.ClosesAt != nil || !step.OpensAt.Equal(f.w.StartsAt) {
		t.Fatalf("workshop step %+v", step)
	}
	if proc.Stats.Ballots != 4 || proc.Stats.Participants != 4 || proc.Stats.Municipalities != 1 {
		t.Fatalf("stats %+v", proc.Stats)
	}

	if _, err := f.s.ClosePoll(f.official, p.ID); err != nil {
		t.Fatal(err)
	}
	res, err = f.s.FindThemeResults(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []participation.ThemePollResult{{Votes: 3, Rank: 1}, {Votes: 2, Rank: 2}, {Votes: 2, Rank: 2}, {Votes: 1, Rank: 4}} {
		got := res[themes[i]]
		if len(got) != 1 || got[0].Votes != want.Votes || got[0].Rank != want.Rank || got[0].PollID != p.ID || got[0].Question != "Teemat" {
			t.Errorf("theme %d: %+v, want %+v", i, got, want)
		}
	}
	closed, err := f.s.FindClosedTallies(ctx, proc.ID)
	if err != nil || len(closed) != 1 || closed[0].PollID != p.ID || !slices.Equal(closed[0].Ranks(), []int{1, 2, 2, 4}) {
		t.Fatalf("closed tallies %+v %v", closed, err)
	}
	if proc, err = f.s.FindProcessBySlug(ctx, "avoin"); err != nil {
		t.Fatal(err)
	}
	for _, s := range proc.Steps {
		if s.Kind == participation.StepWorkshop && s.Status != participation.StatusClosed {
			t.Fatalf("after the close the workshop is %s", s.Status)
		}
	}
}

func TestUpdateWorkshopAndListener(t *testing.T) {
	url := pgtest.NewURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l, err := postgres.NewListener(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s := postgres.NewStore(db, nil)
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "avoin", Title: "Avoin"}); err != nil {
		t.Fatal(err)
	}
	starts := time.Now()
	w, err := s.CreateWorkshop(official, "avoin", participation.NewWorkshop{Title: "W", StartsAt: &starts})
	if err != nil {
		t.Fatal(err)
	}
	off := false
	got, err := s.UpdateWorkshop(official, w.ID, participation.WorkshopUpdate{ShowResultsLive: &off})
	if err != nil || got.ShowResultsLive {
		t.Fatalf("update %+v %v", got, err)
	}
	_, err = s.UpdateWorkshop(official, 999, participation.WorkshopUpdate{ShowResultsLive: &off})
	wantCode(t, err, participation.ENOTFOUND)
	p, err := s.CreatePoll(official, w.ID, participation.NewPoll{Question: "Q", MaxChoices: ptr(1), Options: []participation.NewPollOption{{Label: "A"}, {Label: "B"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []participation.PollChange{{WorkshopID: w.ID}, {WorkshopID: w.ID, PollID: p.ID}} {
		select {
		case ev := <-l.Events():
			if ev == nil || *ev != want {
				t.Fatalf("event %+v, want %+v", ev, want)
			}
		case <-ctx.Done():
			t.Fatal("no event")
		}
	}
	if _, err := postgres.ParsePollChange("x"); err == nil {
		t.Error("bad payload parsed")
	}
}
