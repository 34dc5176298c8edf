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

func TestUpdatePoll(t *testing.T) {
	f := newWorkshopFixture(t)
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	keep := f.option(2)
	t.Run("OK", func(t *testing.T) {
		q := "Mitkä kolme ensin?"
		p, err := f.s.UpdatePoll(f.official, f.poll.ID, participation.PollPatch{Question: &q, MaxChoices: ptr(3), Options: &[]participation.PollOptionPatch{
			{ID: &keep, Label: "C, tarkemmin"}, {Label: "E"}, {Label: "F", Translations: participation.Translations{"sv": {"label": "F på svenska"}}}},
			Translations: &participation.Translations{"en": {"question": "Which three first?"}}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.s.FindPoll(context.Background(), f.poll.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Question != q || got.MaxChoices != 3 || len(got.Options) != 3 || got.Options[0].ID != keep || got.Options[0].Label != "C, tarkemmin" ||
			got.Options[1].Label != "E" || got.Options[2].Translations.Get("sv", "label") != "F på svenska" ||
			got.Translations.Get("en", "question") != "Which three first?" || got.Status != participation.PollDraft || p.Question != q {
			t.Fatalf("poll %+v", got)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.UpdatePoll(f.official, f.poll.ID, participation.PollPatch{MaxChoices: ptr(9)})
		wantCode(t, err, participation.EINVALID)
		if got, _ := f.s.FindPoll(context.Background(), f.poll.ID); got.MaxChoices != 3 {
			t.Errorf("a refused change was stored: %+v", got)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.UpdatePoll(citizen, f.poll.ID, participation.PollPatch{MaxChoices: ptr(1)})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.UpdatePoll(f.official, 999, participation.PollPatch{MaxChoices: ptr(1)})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrConflict once opened", func(t *testing.T) {
		if _, err := f.s.OpenPoll(f.official, f.poll.ID); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.UpdatePoll(f.official, f.poll.ID, participation.PollPatch{MaxChoices: ptr(1)})
		wantCode(t, err, participation.ECONFLICT)
		// State before content: an invalid change of an open poll is a conflict too.
		_, err = f.s.UpdatePoll(f.official, f.poll.ID, participation.PollPatch{MaxChoices: ptr(99)})
		wantCode(t, err, participation.ECONFLICT)
	})
}
