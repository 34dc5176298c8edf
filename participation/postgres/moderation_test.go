package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"osallistu/participation"
)

func TestModeration(t *testing.T) {
	f := newIdeaFixture(t, true)
	anon := context.Background()
	idea := f.idea(t, anon, "Asiallinen idea", "Hyvä ajatus")
	bad := f.idea(t, anon, "Asiaton idea", "Roskaa")
	c1, err := f.s.CreateComment(anon, idea.ID, participation.NewComment{Body: "Hyvä kommentti", AuthorName: ptr("Matti")}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateComment(anon, idea.ID, participation.NewComment{Body: "Vastaus", ParentID: &c1.ID}, "fi"); err != nil {
		t.Fatal(err)
	}
	reply2, err := f.s.CreateComment(anon, idea.ID, participation.NewComment{Body: "Vastaus vastaukseen"}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.s.CreateComment(anon, idea.ID, participation.NewComment{Body: "Liian syvä", ParentID: ptr(reply2.ID + 1000)}, "fi")
	wantCode(t, err, participation.EINVALID)

	for i := 0; i < 3; i++ {
		if err := f.s.ReportItem(anon, participation.KindIdea, bad.ID, participation.Report{Reason: fmt.Sprint("asiaton ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.ReportItem(anon, participation.KindComment, c1.ID, participation.Report{Reason: "loukkaava"}); err != nil {
		t.Fatal(err)
	}
	// A signed-in person's reports of one item count once, with the latest reason.
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	for _, reason := range []string{"mainos", "mainos ja roskaa"} {
		if err := f.s.ReportItem(citizen, participation.KindIdea, bad.ID, participation.Report{Reason: reason}); err != nil {
			t.Fatal(err)
		}
	}
	queue, total, err := f.s.FindModerationQueue(f.official, 10, 0)
	if err != nil || total != 2 || queue[0].ID != bad.ID || queue[0].Reports != 4 || len(queue[0].Reasons) != 4 || queue[1].Kind != "comment" {
		t.Fatalf("queue %+v %v", queue, err)
	}
	if !slices.Contains(queue[0].Reasons, "mainos ja roskaa") || slices.Contains(queue[0].Reasons, "mainos") {
		t.Fatalf("reasons %q: want the citizen's latest only", queue[0].Reasons)
	}
	_, _, err = f.s.FindModerationQueue(anon, 10, 0)
	wantCode(t, err, participation.EUNAUTHENTICATED)

	if err := f.s.HideItem(f.official, participation.KindIdea, bad.ID, participation.Hide{Reason: "Asiaton sisältö"}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.HideItem(f.official, participation.KindComment, c1.ID, participation.Hide{Reason: "Loukkaava"}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.s.HideItem(f.official, participation.KindIdea, idea.ID, participation.Hide{}), participation.EINVALID)
	_, err = f.s.FindIdea(anon, bad.ID)
	wantCode(t, err, participation.ENOTFOUND)
	if got, err := f.s.FindIdea(f.official, bad.ID); err != nil || !got.Hidden || *got.HiddenReason != "Asiaton sisältö" {
		t.Fatalf("official view %+v %v", got, err)
	}
	list, total, _ := f.s.FindIdeas(anon, participation.IdeaFilter{RoundID: f.round.ID, Limit: 10})
	if total != 1 || list[0].ID != idea.ID || list[0].Comments != 2 {
		t.Fatalf("public list %d %+v", total, list)
	}
	if r, _ := f.s.FindIdeaRound(anon, f.round.ID); r.IdeaCount != 1 {
		t.Fatalf("round counts %d visible ideas, want 1", r.IdeaCount)
	}
	if _, total, _ := f.s.FindIdeas(anon, participation.IdeaFilter{RoundID: f.round.ID, Limit: 10, Offset: 10}); total != 1 {
		t.Fatalf("a page past the end counts %d", total)
	}
	comments, _, _ := f.s.FindComments(anon, idea.ID, 50, 0)
	if len(comments) != 3 || !comments[0].Hidden || comments[0].Body != nil || comments[0].AuthorName != nil || *comments[0].HiddenReason != "Loukkaava" {
		t.Fatalf("comments %+v", comments[0])
	}
	if queue, total, _ = f.s.FindModerationQueue(f.official, 10, 0); total != 0 {
		t.Fatalf("queue after hiding %+v", queue)
	}

	if err := f.s.RestoreItem(f.official, participation.KindComment, c1.ID, participation.Decision{Reason: "Asiallinen"}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.s.RestoreItem(f.official, participation.KindComment, c1.ID, participation.Decision{Reason: "Asiallinen"}), participation.ECONFLICT)
	if got, _ := f.s.FindIdea(anon, idea.ID); got.Comments != 3 {
		t.Fatalf("comments after restore %d", got.Comments)
	}
	log, total, err := f.s.FindModerationLog(f.official, 10, 0)
	if err != nil || total != 3 || log[0].Action != "restore" || log[2].Action != "hide" || *log[2].ActorName == "" {
		t.Fatalf("log %+v %v", log, err)
	}
	// Hidden items take no reports.
	wantCode(t, f.s.ReportItem(anon, participation.KindIdea, bad.ID, participation.Report{Reason: "x"}), participation.ENOTFOUND)
}

func TestModerationPremoderated(t *testing.T) {
	f := newIdeaFixture(t, true)
	opens, closes := f.clk.t.Add(-time.Hour), f.clk.t.Add(time.Hour)
	r, err := f.s.CreateIdeaRound(f.official, "avoin-hallinto", participation.NewIdeaRound{
		Title: "Ennakkomoderoitu", OpensAt: &opens, ClosesAt: &closes, AllowAnonymous: true, Premoderated: true,
	})
	if err != nil || !r.Premoderated {
		t.Fatalf("round %+v %v", r, err)
	}
	anon := context.Background()
	idea, err := f.s.CreateIdea(anon, r.ID, participation.NewIdea{Title: "Odottava", Body: "Teksti"}, "fi")
	if err != nil || idea.Status != participation.ItemPending || !idea.Hidden {
		t.Fatalf("idea %+v %v", idea, err)
	}
	t.Run("not counted nor listed", func(t *testing.T) {
		if got, _ := f.s.FindIdeaRound(anon, r.ID); got.IdeaCount != 0 {
			t.Errorf("round counts %d", got.IdeaCount)
		}
		_, err := f.s.FindIdea(anon, idea.ID)
		wantCode(t, err, participation.ENOTFOUND)
		wantCode(t, f.s.ReportItem(anon, participation.KindIdea, idea.ID, participation.Report{Reason: "x"}), participation.ENOTFOUND)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		wantCode(t, f.s.HideItem(f.official, participation.KindIdea, idea.ID, participation.Hide{Reason: "x"}), participation.ECONFLICT)
		wantCode(t, f.s.RestoreItem(f.official, participation.KindIdea, idea.ID, participation.Decision{Reason: "x"}), participation.ECONFLICT)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
		wantCode(t, f.s.ApproveItem(citizen, participation.KindIdea, idea.ID, participation.Decision{}), participation.EFORBIDDEN)
		_, _, err := f.s.FindPendingItems(citizen, 10, 0)
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("OK", func(t *testing.T) {
		list, total, err := f.s.FindPendingItems(f.official, 10, 0)
		if err != nil || total != 1 || list[0].ID != idea.ID || *list[0].RoundTitle != "Ennakkomoderoitu" || *list[0].ProcessSlug != "avoin-hallinto" {
			t.Fatalf("pending %+v %d %v", list, total, err)
		}
		if err := f.s.ApproveItem(f.official, participation.KindIdea, idea.ID, participation.Decision{}); err != nil {
			t.Fatal(err)
		}
		if got, err := f.s.FindIdea(anon, idea.ID); err != nil || got.Status != participation.ItemPublished || got.Hidden {
			t.Fatalf("approved %+v %v", got, err)
		}
		if got, _ := f.s.FindIdeaRound(anon, r.ID); got.IdeaCount != 1 {
			t.Errorf("round counts %d", got.IdeaCount)
		}
	})
	t.Run("a rejected comment never shows, and restored it counts", func(t *testing.T) {
		c, err := f.s.CreateComment(anon, idea.ID, participation.NewComment{Body: "Mainos"}, "fi")
		if err != nil || c.Status != participation.ItemPending {
			t.Fatalf("comment %+v %v", c, err)
		}
		wantCode(t, f.s.RejectItem(f.official, participation.KindComment, c.ID, participation.Decision{}), participation.EINVALID)
		if err := f.s.RejectItem(f.official, participation.KindComment, c.ID, participation.Decision{Reason: "Mainos"}); err != nil {
			t.Fatal(err)
		}
		if list, total, _ := f.s.FindComments(anon, idea.ID, 10, 0); total != 0 || len(list) != 0 {
			t.Errorf("comments %+v", list)
		}
		_, err = f.s.FindComment(anon, c.ID)
		wantCode(t, err, participation.ENOTFOUND)
		if err := f.s.RestoreItem(f.official, participation.KindComment, c.ID, participation.Decision{Reason: "Sittenkin asiallinen"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.s.FindIdea(anon, idea.ID); got.Comments != 1 {
			t.Errorf("comments counted %d", got.Comments)
		}
	})
	log, _, err := f.s.FindModerationLog(f.official, 10, 0)
	if err != nil || len(log) != 3 || log[0].Action != participation.ActionRestore || log[1].Action != participation.ActionReject || log[2].Action != participation.ActionApprove ||
		*log[1].Text != "Mainos" || *log[1].Title != "Odottava" {
		t.Errorf("log %+v %v", log, err)
	}
}

func TestModerationBlock(t *testing.T) {
	f := newIdeaFixture(t, true)
	_, person := mustAccount(t, f.s, "citizen@example.fi")
	sess, err := f.s.CreateSession(context.Background(), "citizen@example.fi", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	until := f.clk.t.Add(24 * time.Hour)
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.BlockAccount(f.official, person.ID, participation.NewBlock{Until: &f.clk.t, Reason: "x"})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.BlockAccount(f.official, person.ID+1000, participation.NewBlock{Until: &until, Reason: "x"})
		wantCode(t, err, participation.ENOTFOUND)
		wantCode(t, f.s.UnblockAccount(f.official, person.ID, participation.Decision{}), participation.ECONFLICT)
	})
	t.Run("OK", func(t *testing.T) {
		b, err := f.s.BlockAccount(f.official, person.ID, participation.NewBlock{Until: &until, Reason: "Kiroilua"})
		if err != nil || b.AccountID != person.ID || !b.Until.Equal(until) {
			t.Fatalf("block %+v %v", b, err)
		}
		a, err := f.s.FindAccountByToken(context.Background(), sess.Token)
		if err != nil || a.Block == nil || a.Block.Reason != "Kiroilua" {
			t.Fatalf("the session's account %+v %v", a, err)
		}
		ctx := participation.NewContextWithAccount(context.Background(), a)
		_, err = f.s.CreateIdea(ctx, f.round.ID, participation.NewIdea{Title: "Uusi idea", Body: "x"}, "fi")
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("it ends by itself", func(t *testing.T) {
		f.clk.t = until
		if a, err := f.s.FindAccountByToken(context.Background(), sess.Token); err != nil || a.Block != nil {
			t.Fatalf("after the end %+v %v", a, err)
		}
		f.clk.t = until.Add(-time.Hour)
	})
	t.Run("lifted early", func(t *testing.T) {
		if err := f.s.UnblockAccount(f.official, person.ID, participation.Decision{Reason: "Sovittu"}); err != nil {
			t.Fatal(err)
		}
		if a, _ := f.s.FindAccountByToken(context.Background(), sess.Token); a.Block != nil {
			t.Errorf("still blocked %+v", a.Block)
		}
		_, err := f.s.FindAccountBlock(f.official, person.ID)
		wantCode(t, err, participation.ENOTFOUND)
	})
}
