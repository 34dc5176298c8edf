package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

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
