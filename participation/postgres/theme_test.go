package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"osallistu/participation"
)

func TestThemes(t *testing.T) {
	f := newIdeaFixture(t, true)
	a := f.idea(t, f.official, "Avoin data", "Julkaistaan tietoja")
	b := f.idea(t, f.official, "Selkokieli", "Selkeää kieltä")
	theme, err := f.s.CreateTheme(f.official, f.round.ID, participation.NewTheme{Title: "Avoin tieto"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		ideas, err := f.s.SetIdeaTheme(f.official, &theme.ID, a.ID, b.ID)
		if err != nil || len(ideas) != 2 || *ideas[0].ThemeID != theme.ID {
			t.Fatalf("%v %v", ideas, err)
		}
		themes, _ := f.s.FindThemes(context.Background(), f.round.ID)
		if len(themes) != 1 || themes[0].IdeaCount != 2 {
			t.Fatalf("themes %+v", themes)
		}
		list, total, err := f.s.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: f.round.ID, ThemeID: &theme.ID, Limit: 10})
		if err != nil || total != 2 || len(list) != 2 {
			t.Fatalf("by theme: %d %v", total, err)
		}
		if _, err := f.s.SetIdeaTheme(f.official, nil, b.ID); err != nil {
			t.Fatal(err)
		}
		_, total, _ = f.s.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: f.round.ID, Unthemed: true, Limit: 10})
		if total != 1 {
			t.Fatalf("unthemed %d", total)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
		_, err := f.s.SetIdeaTheme(citizen, &theme.ID, a.ID)
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = f.s.CreateTheme(citizen, f.round.ID, participation.NewTheme{Title: "x"})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.SetIdeaTheme(f.official, ptr(int64(999999)), a.ID)
		wantCode(t, err, participation.EINVALID)
		_, err = f.s.SetIdeaTheme(f.official, &theme.ID, 999999)
		wantCode(t, err, participation.ENOTFOUND)
	})
}

func TestUpdateTheme(t *testing.T) {
	f := newIdeaFixture(t, true)
	theme, err := f.s.CreateTheme(f.official, f.round.ID, participation.NewTheme{Title: "Avoin tieto"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		title, desc := "Avoin data", "Data ja rajapinnat."
		got, err := f.s.UpdateTheme(f.official, theme.ID, participation.ThemePatch{Title: &title, Description: &desc,
			Translations: &participation.Translations{"sv": {"title": "Öppna data"}}})
		if err != nil || got.Title != title || got.Description != desc || got.Translations.Get("sv", "title") != "Öppna data" {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		empty := ""
		_, err := f.s.UpdateTheme(f.official, theme.ID, participation.ThemePatch{Title: &empty})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.UpdateTheme(f.official, 999999, participation.ThemePatch{})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
		_, err := f.s.UpdateTheme(citizen, theme.ID, participation.ThemePatch{})
		wantCode(t, err, participation.EFORBIDDEN)
	})
}

func TestMergeTheme(t *testing.T) {
	f := newCommitmentFixture(t)
	from, into, third := f.themes[1], f.themes[0], f.themes[2]
	// Votes in a closed poll: from 5, into 2, third 1.
	options := castVotes(t, f.s, f.processID, "Tärkeimmät", "closed", []int64{into.ID, from.ID, third.ID}, []int{2, 5, 1})
	viaTheme := f.draft(t, "Teemasta", nil, []int64{from.ID})
	moved := f.ideas[1]  // in from
	stayed := f.ideas[0] // in into
	merge := func(ctx context.Context, id, into int64) (*participation.Theme, error) {
		return f.s.MergeTheme(ctx, id, participation.ThemeMerge{IntoID: &into})
	}

	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := merge(f.citizen, from.ID, into.ID)
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrConflict itself", func(t *testing.T) {
		_, err := merge(f.official, from.ID, from.ID)
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.MergeTheme(f.official, from.ID, participation.ThemeMerge{})
		wantCode(t, err, participation.EINVALID)
		_, err = merge(f.official, from.ID, 999999)
		wantCode(t, err, participation.EINVALID)
		// A theme of another round.
		opens, closes := f.clk.t.Add(-time.Hour), f.clk.t.Add(time.Hour)
		r, err := f.s.CreateIdeaRound(f.official, "avoin-hallinto", participation.NewIdeaRound{Title: "Toinen", OpensAt: &opens, ClosesAt: &closes})
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := f.s.CreateTheme(f.official, r.ID, participation.NewTheme{Title: "Muualla"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = merge(f.official, from.ID, foreign.ID)
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := merge(f.official, 999999, into.ID)
		wantCode(t, err, participation.ENOTFOUND)
	})
	mustRun(t, "OK", func(t *testing.T) {
		target, err := merge(f.official, from.ID, into.ID)
		if err != nil {
			t.Fatal(err)
		}
		if target.ID != into.ID || target.IdeaCount != 4 || target.MergedInto != nil {
			t.Fatalf("target %+v", target)
		}
		themes, _ := f.s.FindThemes(context.Background(), f.round.ID)
		if len(themes) != 2 || themes[0].ID != into.ID || themes[1].ID != third.ID {
			t.Fatalf("themes %+v", themes)
		}
		gone, err := f.s.FindTheme(context.Background(), from.ID)
		if err != nil || gone.MergedInto == nil || *gone.MergedInto != into.ID || gone.IdeaCount != 0 {
			t.Fatalf("merged theme %+v %v", gone, err)
		}
		// Commitment sources that name it still resolve.
		c, err := f.s.FindCommitment(context.Background(), viaTheme.ID)
		if err != nil || len(c.Sources.Themes) != 1 || c.Sources.Themes[0].ID != from.ID {
			t.Fatalf("sources %+v %v", c, err)
		}
	})
	t.Run("the trace still finds the merged theme's results and commitments", func(t *testing.T) {
		tr, err := f.s.FindTrace(context.Background(), moved.ID)
		if err != nil || tr.Theme == nil || tr.Theme.ID != into.ID {
			t.Fatalf("trace %+v %v", tr, err)
		}
		var optionIDs []int64
		for _, p := range tr.Polls {
			optionIDs = append(optionIDs, p.OptionID)
		}
		if !slices.Contains(optionIDs, options[1]) || !slices.Contains(optionIDs, options[0]) {
			t.Fatalf("polls %+v, want the options of both themes", tr.Polls)
		}
		if len(tr.Commitments) != 1 || tr.Commitments[0].ID != viaTheme.ID || tr.Commitments[0].Via != participation.ViaTheme {
			t.Fatalf("commitments %+v", tr.Commitments)
		}
		// An idea that was in the target all along did not come through it.
		tr, err = f.s.FindTrace(context.Background(), stayed.ID)
		if err != nil || len(tr.Polls) != 1 || tr.Polls[0].OptionID != options[0] || len(tr.Commitments) != 0 {
			t.Fatalf("the target's own idea: %+v %v", tr, err)
		}
		// Placed by hand elsewhere, it no longer came through it either.
		if _, err := f.s.SetIdeaTheme(f.official, &third.ID, moved.ID); err != nil {
			t.Fatal(err)
		}
		tr, err = f.s.FindTrace(context.Background(), moved.ID)
		if err != nil || len(tr.Polls) != 1 || tr.Polls[0].OptionID != options[2] || len(tr.Commitments) != 0 {
			t.Fatalf("moved by hand: %+v %v", tr, err)
		}
	})
	t.Run("ErrConflict merged", func(t *testing.T) {
		_, err := merge(f.official, from.ID, third.ID)
		wantCode(t, err, participation.ECONFLICT)
		_, err = merge(f.official, third.ID, from.ID)
		wantCode(t, err, participation.ECONFLICT)
		title := "Uusi nimi"
		_, err = f.s.UpdateTheme(f.official, from.ID, participation.ThemePatch{Title: &title})
		wantCode(t, err, participation.ECONFLICT)
		_, err = f.s.SetIdeaTheme(f.official, &from.ID, stayed.ID)
		wantCode(t, err, participation.EINVALID)
	})
}
