package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"osallistu/participation"
)

func TestCreateProcess(t *testing.T) {
	s, _ := newStore(t)
	ctx, _ := mustAccount(t, s, "official@example.fi", "official")
	citizenCtx, _ := mustAccount(t, s, "citizen@example.fi")
	n := participation.NewProcess{Slug: "avoin-hallinto-2017", Title: "Avoin hallinto", Description: "Toimintaohjelma"}
	t.Run("OK", func(t *testing.T) {
		p, err := s.CreateProcess(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || p.Slug != n.Slug || p.Steps == nil || p.Stats == nil {
			t.Fatalf("process = %+v", p)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := s.CreateProcess(ctx, n)
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := s.CreateProcess(citizenCtx, participation.NewProcess{Slug: "other", Title: "x"})
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = s.CreateProcess(context.Background(), participation.NewProcess{Slug: "other", Title: "x"})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, slug := range []string{"ab", "Upper", "double--hyphen", "-lead", "trail-", "with space", "ääkköset", fmt.Sprintf("%065d", 0)} {
			_, err := s.CreateProcess(ctx, participation.NewProcess{Slug: slug, Title: "x"})
			wantCode(t, err, participation.EINVALID)
		}
	})
}

func TestFindProcesses(t *testing.T) {
	s, _ := newStore(t)
	ctx, _ := mustAccount(t, s, "official@example.fi", "official")
	for i := 0; i < 5; i++ {
		if _, err := s.CreateProcess(ctx, participation.NewProcess{Slug: fmt.Sprintf("process-%d", i), Title: fmt.Sprint("P", i)}); err != nil {
			t.Fatal(err)
		}
	}
	list, total, err := s.FindProcesses(ctx, participation.ProcessFilter{Limit: 2, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if total != 5 || len(list) != 2 || list[0].Slug != "process-3" || list[1].Slug != "process-2" {
		t.Fatalf("total %d, list %v", total, list)
	}
	_, err = s.FindProcessBySlug(ctx, "nope")
	wantCode(t, err, participation.ENOTFOUND)
}

func TestProcessStats(t *testing.T) {
	f := newIdeaFixture(t, true)
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	anon := context.Background()
	i1, _ := f.s.CreateIdea(citizen, f.round.ID, participation.NewIdea{Title: "Yksi idea", Body: "x", Municipality: ptr("Helsinki")}, "fi")
	first := respondentCtx(t, f.s)
	f.s.CreateIdea(first, f.round.ID, participation.NewIdea{Title: "Toinen idea", Body: "x", Municipality: ptr("Helsingfors")}, "fi")
	f.s.CreateIdea(first, f.round.ID, participation.NewIdea{Title: "Kolmas idea", Body: "x", Municipality: ptr("Oulu")}, "fi")
	f.s.CreateComment(citizen, i1.ID, participation.NewComment{Body: "oma kommentti"}, "fi")
	f.s.SupportIdea(respondentCtx(t, f.s), i1.ID)
	p, err := f.s.FindProcessBySlug(anon, "avoin-hallinto")
	if err != nil {
		t.Fatal(err)
	}
	want := participation.Stats{Participants: 3, Ideas: 3, Comments: 1, Municipalities: 2}
	if got := *p.Stats; got.Participants != want.Participants || got.Ideas != want.Ideas || got.Comments != want.Comments || got.Municipalities != want.Municipalities {
		t.Fatalf("stats %+v, want %+v", got, want)
	}
}
