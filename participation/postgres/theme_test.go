package postgres_test

import (
	"context"
	"testing"

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
