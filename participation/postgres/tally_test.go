package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"osallistu/participation"
)

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
	// Its only poll closed, the workshop goes on (more polls can come)
	// until the official ends it.
	workshopStatus := func() string {
		proc, err := f.s.FindProcessBySlug(ctx, "avoin")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range proc.Steps {
			if s.Kind == participation.StepWorkshop {
				return s.Status
			}
		}
		return ""
	}
	f.clk.t = f.clk.t.Add(2 * time.Hour) // past its start
	if got := workshopStatus(); got != participation.StatusOpen {
		t.Fatalf("after the close the workshop is %s", got)
	}
	if _, err := f.s.EndWorkshop(f.official, f.w.ID); err != nil {
		t.Fatal(err)
	}
	if got := workshopStatus(); got != participation.StatusClosed {
		t.Fatalf("after its end the workshop is %s", got)
	}
}
