package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
)

func TestAuthorNames(t *testing.T) {
	f := newIdeaFixture(t, true)
	citizen, acc := mustAccount(t, f.s, "citizen@example.fi")
	t.Run("OK", func(t *testing.T) {
		idea := f.idea(t, citizen, "Nimellä", "Tili antaa nimen.")
		if idea.AuthorName == nil || *idea.AuthorName != acc.Name {
			t.Fatalf("author name %v, want the account's %q", idea.AuthorName, acc.Name)
		}
		c, err := f.s.CreateComment(citizen, idea.ID, participation.NewComment{Body: "Samoin."}, "fi")
		if err != nil || c.AuthorName == nil || *c.AuthorName != acc.Name {
			t.Fatalf("comment %+v, %v", c, err)
		}
		anon, err := f.s.CreateComment(citizen, idea.ID, participation.NewComment{Body: "Ilman nimeä.", AuthorName: ptr("Maija"), Anonymous: true}, "fi")
		if err != nil || anon.AuthorName != nil {
			t.Fatalf("anonymous comment %+v, %v", anon, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		g := newIdeaFixture(t, false)
		citizen, _ := mustAccount(t, g.s, "citizen@example.fi")
		_, err := g.s.CreateIdea(citizen, g.round.ID, participation.NewIdea{Title: "Nimettömänä", Body: "x", Anonymous: true}, "fi")
		wantCode(t, err, participation.EINVALID)
		if n := countRoundIdeas(t, g); n != 0 {
			t.Errorf("%d ideas stored", n)
		}
	})
}

func countRoundIdeas(t *testing.T, f *ideaFixture) int {
	t.Helper()
	_, n, err := f.s.FindIdeas(f.official, participation.IdeaFilter{RoundID: f.round.ID, Limit: 10, WithHidden: true})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSupportRules(t *testing.T) {
	f := newIdeaFixture(t, true)
	author, _ := mustAccount(t, f.s, "author@example.fi")
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	resp := respondentCtx(t, f.s)
	idea := f.idea(t, author, "Oma idea", "x")
	anonIdea := f.idea(t, resp, "Anonyymi idea", "x")
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.SupportIdea(author, idea.ID)
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = f.s.SupportIdea(resp, anonIdea.ID)
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("OK", func(t *testing.T) {
		for _, ctx := range []context.Context{citizen, resp} {
			if _, err := f.s.SupportIdea(ctx, idea.ID); err != nil {
				t.Fatal(err)
			}
		}
		// Withdrawn twice: the second changes nothing.
		for range 2 {
			counts, err := f.s.WithdrawSupport(citizen, idea.ID)
			if err != nil || counts.Supports != 1 || counts.SignedInSupports != 0 {
				t.Fatalf("after withdrawing: %+v, %v", counts, err)
			}
		}
		counts, err := f.s.WithdrawSupport(resp, idea.ID)
		if err != nil || counts.Supports != 0 || counts.SignedInSupports != 0 {
			t.Fatalf("after the respondent withdrew: %+v, %v", counts, err)
		}
		// Supporting again counts again.
		if counts, err = f.s.SupportIdea(citizen, idea.ID); err != nil || counts.Supports != 1 || counts.SignedInSupports != 1 {
			t.Fatalf("supported again: %+v, %v", counts, err)
		}
		got, _ := f.s.FindIdea(citizen, idea.ID)
		if !got.Supported {
			t.Error("the supporter does not support it")
		}
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := f.s.WithdrawSupport(context.Background(), idea.ID)
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("ErrClosed", func(t *testing.T) {
		f.clk.t = f.round.ClosesAt.Add(time.Minute)
		_, err := f.s.WithdrawSupport(citizen, idea.ID)
		wantCode(t, err, participation.ECLOSED)
	})
}

func TestAuthorEdits(t *testing.T) {
	f := newIdeaFixture(t, true)
	author, _ := mustAccount(t, f.s, "author@example.fi")
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	resp := respondentCtx(t, f.s)
	start := f.clk.t
	idea := f.idea(t, author, "Avoin data", "Julkaistaan.")
	if idea.EditedAt != nil || !idea.Mine || idea.EditableUntil == nil || !idea.EditableUntil.Equal(start.Add(participation.DefaultEditWindow)) {
		t.Fatalf("a new idea: %+v", idea)
	}
	if other, _ := f.s.FindIdea(citizen, idea.ID); other.Mine || other.EditableUntil != nil {
		t.Fatalf("someone else's idea: %+v", other)
	}
	t.Run("OK", func(t *testing.T) {
		f.clk.t = start.Add(5 * time.Minute)
		got, err := f.s.UpdateIdea(author, idea.ID, participation.IdeaEdit{Body: ptr("Julkaistaan kirjastojen data.")})
		if err != nil || got.EditedAt == nil || !got.EditedAt.Equal(f.clk.t) || got.Title != "Avoin data" {
			t.Fatalf("edited: %+v, %v", got, err)
		}
		list, _, err := f.s.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: f.round.ID, Query: "kirjastojen", Limit: 10})
		if err != nil || len(list) != 1 {
			t.Fatalf("the search does not find the new text: %v, %v", list, err)
		}
		c, err := f.s.CreateComment(resp, idea.ID, participation.NewComment{Body: "Hyvä."}, "fi")
		if err != nil {
			t.Fatal(err)
		}
		if c, err = f.s.UpdateComment(resp, c.ID, participation.CommentEdit{Body: "Erinomainen."}); err != nil || c.EditedAt == nil || *c.Body != "Erinomainen." {
			t.Fatalf("comment edited: %+v, %v", c, err)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.UpdateIdea(citizen, idea.ID, participation.IdeaEdit{Title: ptr("Kaapattu")})
		wantCode(t, err, participation.EFORBIDDEN)
		wantCode(t, f.s.DeleteIdea(resp, idea.ID), participation.EFORBIDDEN)
		wantCode(t, f.s.RequestRemoval(citizen, participation.KindIdea, idea.ID, participation.RemovalRequest{}), participation.EFORBIDDEN)
		f.clk.t = start.Add(participation.DefaultEditWindow)
		_, err = f.s.UpdateIdea(author, idea.ID, participation.IdeaEdit{Title: ptr("Myöhässä")})
		wantCode(t, err, participation.EFORBIDDEN)
		wantCode(t, f.s.DeleteIdea(author, idea.ID), participation.EFORBIDDEN)
		f.s.SetEditWindow(time.Hour)
		defer f.s.SetEditWindow(participation.DefaultEditWindow)
		if _, err := f.s.UpdateIdea(author, idea.ID, participation.IdeaEdit{Title: ptr("Avoin data nyt")}); err != nil {
			t.Fatalf("within a longer window: %v", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		f.clk.t = start
		_, err := f.s.UpdateIdea(author, idea.ID, participation.IdeaEdit{Title: ptr("ab")})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("RemovalRequest", func(t *testing.T) {
		f.clk.t = start.Add(time.Hour)
		if err := f.s.RequestRemoval(author, participation.KindIdea, idea.ID, participation.RemovalRequest{Reason: "Muutin mieleni."}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.ReportItem(citizen, participation.KindIdea, idea.ID, participation.Report{Reason: "Asiaton"}); err != nil {
			t.Fatal(err)
		}
		queue, _, err := f.s.FindModerationQueue(f.official, 10, 0)
		if err != nil || len(queue) != 1 || !queue[0].AuthorRequest || queue[0].Reports != 2 {
			t.Fatalf("queue %+v, %v", queue, err)
		}
	})
}

func TestAuthorDeletes(t *testing.T) {
	f := newIdeaFixture(t, true)
	author, _ := mustAccount(t, f.s, "author@example.fi")
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	keep := f.idea(t, citizen, "Pysyy", "x")
	idea := f.idea(t, author, "Poistuu", "x")
	if _, err := f.s.SupportIdea(citizen, idea.ID); err != nil {
		t.Fatal(err)
	}
	c, err := f.s.CreateComment(author, keep.ID, participation.NewComment{Body: "Poistan tämän."}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	reply, err := f.s.CreateComment(citizen, keep.ID, participation.NewComment{Body: "Vastaus jää.", ParentID: &c.ID}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if err := f.s.DeleteIdea(author, idea.ID); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.FindIdea(f.official, idea.ID)
		wantCode(t, err, participation.ENOTFOUND)
		if n := countRoundIdeas(t, f); n != 1 {
			t.Errorf("%d ideas listed to officials, want 1", n)
		}
		r, _ := f.s.FindIdeaRound(context.Background(), f.round.ID)
		if r.IdeaCount != 1 {
			t.Errorf("round counts %d ideas, want 1", r.IdeaCount)
		}
		if err := f.s.DeleteComment(author, c.ID); err != nil {
			t.Fatal(err)
		}
		list, total, err := f.s.FindComments(context.Background(), keep.ID, 10, 0)
		if err != nil || total != 2 || !list[0].Deleted || list[0].Hidden || list[0].Body != nil || list[0].AuthorName != nil || list[1].ID != reply.ID {
			t.Fatalf("comments after deleting %+v (%d), %v", list, total, err)
		}
		if got, _ := f.s.FindIdea(context.Background(), keep.ID); got.Comments != 1 {
			t.Errorf("the idea counts %d comments, want 1", got.Comments)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, f.s.DeleteComment(author, c.ID), participation.ENOTFOUND)
		wantCode(t, f.s.HideItem(f.official, participation.KindComment, c.ID, participation.Hide{Reason: "x"}), participation.ENOTFOUND)
		wantCode(t, f.s.RestoreItem(f.official, participation.KindIdea, idea.ID, participation.Decision{Reason: "x"}), participation.ENOTFOUND)
		wantCode(t, f.s.ReportItem(citizen, participation.KindIdea, idea.ID, participation.Report{Reason: "x"}), participation.ENOTFOUND)
		_, err := f.s.SupportIdea(citizen, idea.ID)
		wantCode(t, err, participation.ENOTFOUND)
	})
}
