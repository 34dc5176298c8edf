package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
)

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
