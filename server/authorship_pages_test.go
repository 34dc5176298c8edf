package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
)

// TestAuthorshipPages: without JavaScript, a signed-in writer's forms carry
// their account's name (and, where the round allows it, the choice to post
// without it); a supporter withdraws their support; an author is offered no
// support of their own idea, edits and deletes it within the edit window,
// and after it asks the moderators to remove it.
func TestAuthorshipPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	token, acc := ts.signUp("citizen@example.fi")
	b := ts.client(token)
	newForm := f.path + "/ideas/new?lang=en"

	var ideaPath string
	mustRun(t, "the idea form carries the account's name", func(t *testing.T) {
		b.get(newForm).want(t, 200).contains(t, `value="`+acc.Name+`"`, `name="anonymous"`, "Post without my name")
		ideaPath = b.post(t, newForm, f.path+"/ideas", url.Values{"title": {"Oma idea"}, "body": {"Teksti."}, "author_name": {acc.Name}}).redirectsTo(t, "/ideas/")
		page := b.get(ideaPath+"?lang=en").want(t, 200)
		page.contains(t, acc.Name, "This is your idea: others can support it.", "Edit or delete your idea")
		if strings.Contains(string(page.body), `action="`+ideaPath+`/support"`) {
			t.Error("the author is offered to support their own idea")
		}
	})
	t.Run("a comment without the name where anonymity is allowed", func(t *testing.T) {
		b.post(t, ideaPath, ideaPath+"/comments", url.Values{"body": {"Nimettä."}, "author_name": {acc.Name}, "anonymous": {"yes"}}).redirectsTo(t, ideaPath)
		id := mustID(t, strings.TrimPrefix(ideaPath, "/ideas/"))
		list, _, err := ts.store.FindComments(context.Background(), id, 10, 0)
		if err != nil || len(list) != 1 || list[0].AuthorName != nil {
			t.Fatalf("comments %+v %v", list, err)
		}
	})
	t.Run("a signed-in person's form where anonymity is not allowed offers no choice", func(t *testing.T) {
		members := f.newRound(t, ts, "Vain kirjautuneille", -time.Hour, time.Hour, false)
		page := b.get(fmt.Sprintf("/idea-rounds/%d/ideas/new?lang=en", members.ID)).want(t, 200)
		if strings.Contains(string(page.body), `name="anonymous"`) {
			t.Error("the choice to post without a name is offered where anonymity is not allowed")
		}
	})
	t.Run("support and withdraw", func(t *testing.T) {
		other := f.idea(t, ts, "Toisen idea", "x")
		path := "/ideas/" + itoa(other.ID)
		b.post(t, path, path+"/support", nil).redirectsTo(t, path)
		b.get(path+"?lang=en").contains(t, "You support this idea.", `action="`+path+`/support/withdraw"`, "Withdraw support")
		b.post(t, path, path+"/support/withdraw", nil).redirectsTo(t, path)
		b.get(path+"?lang=en").contains(t, "Your support has been withdrawn.", `action="`+path+`/support"`)
		if got, _ := ts.store.FindIdea(context.Background(), other.ID); got.Supports != 0 || got.SignedInSupports != 0 {
			t.Errorf("after withdrawing: %d and %d supports", got.Supports, got.SignedInSupports)
		}
		// Posted anyway, the author's own support is refused.
		b.post(t, ideaPath, ideaPath+"/support", nil).want(t, 403)
	})
	t.Run("edit within the window: shown as edited", func(t *testing.T) {
		edit := ideaPath + "/edit"
		b.get(edit+"?lang=en").want(t, 200).contains(t, `value="Oma idea"`, "You can edit or delete it until", `action="`+ideaPath+`/delete"`)
		b.post(t, edit, edit, url.Values{"title": {"ab"}, "body": {"Teksti."}}).want(t, 422).contains(t, `href="#title"`, `value="ab"`)
		b.post(t, edit, edit, url.Values{"title": {"Oma idea, parempi"}, "body": {"Uusi teksti."}}).redirectsTo(t, ideaPath)
		b.get(ideaPath+"?lang=en").contains(t, "Your idea has been changed.", "Oma idea, parempi", "Uusi teksti.", `class="edited"`, "edited ")
		ts.client("").get(edit).want(t, 403)
		other, _ := ts.signUp("other@example.fi")
		ts.client(other).get(edit).want(t, 403)
	})
	t.Run("edit and delete a comment", func(t *testing.T) {
		b.post(t, ideaPath, ideaPath+"/comments", url.Values{"body": {"Korjaan tämän."}}).redirectsTo(t, ideaPath)
		id := mustID(t, strings.TrimPrefix(ideaPath, "/ideas/"))
		list, _, _ := ts.store.FindComments(context.Background(), id, 10, 0)
		c := list[len(list)-1]
		if c.AuthorName == nil || *c.AuthorName != acc.Name {
			t.Fatalf("the comment is named %v, want the account's name", c.AuthorName)
		}
		edit := fmt.Sprintf("/comments/%d/edit", c.ID)
		b.post(t, edit, edit, url.Values{"body": {"Korjattu."}}).redirectsTo(t, ideaPath)
		b.get(ideaPath+"?lang=en").contains(t, "Your comment has been changed.", "Korjattu.")
		b.post(t, edit, fmt.Sprintf("/comments/%d/delete", c.ID), nil).redirectsTo(t, ideaPath)
		page := b.get(ideaPath+"?lang=en").contains(t, "Your comment has been deleted.", "Deleted by its author.")
		if strings.Contains(string(page.body), "Korjattu.") {
			t.Error("the deleted comment's text is shown")
		}
	})
	t.Run("after the window: a removal request", func(t *testing.T) {
		ts.store.SetEditWindow(0)
		defer ts.store.SetEditWindow(participation.DefaultEditWindow)
		edit := ideaPath + "/edit"
		b.get(ideaPath+"?lang=en").contains(t, "Ask for your idea to be removed")
		page := b.get(edit+"?lang=en").want(t, 200).contains(t, `action="`+ideaPath+`/removal-request"`)
		if strings.Contains(string(page.body), `action="`+ideaPath+`/delete"`) {
			t.Error("deleting is offered after the window")
		}
		b.post(t, edit+"?lang=en", edit, url.Values{"title": {"Myöhässä"}, "body": {"x"}}).want(t, 403).contains(t, "You can ask the moderators to remove it.")
		b.post(t, edit, ideaPath+"/removal-request", url.Values{"reason": {"Muutin mieleni."}}).redirectsTo(t, ideaPath)
		b.get(ideaPath+"?lang=en").contains(t, "Your request has been sent to the moderators.")
		ts.client(f.official).get("/moderation?lang=en").want(t, 200).contains(t, "The author asks for removal", "Muutin mieleni.")
	})
	t.Run("delete the idea", func(t *testing.T) {
		mine := b.post(t, newForm, f.path+"/ideas", url.Values{"title": {"Poistettava"}, "body": {"x"}}).redirectsTo(t, "/ideas/")
		before := countIdeas(t, ts, f.round.ID)
		b.post(t, mine+"/edit", mine+"/delete", nil).redirectsTo(t, f.path)
		b.get(f.path+"?lang=en").contains(t, "Your idea has been deleted.")
		if n := countIdeas(t, ts, f.round.ID); n != before-1 {
			t.Errorf("%d ideas listed, want %d", n, before-1)
		}
		b.get(mine).want(t, 404)
	})
}

// TestBallotPageKeepsChoices: without JavaScript, a ballot with too many
// choices comes back with the choices kept and a message that says so;
// nothing is stored.
func TestBallotPageKeepsChoices(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	poll, options := ws.poll(t, 2, "Avoin data", "Selkokieli", "Lapset")
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	b := ts.client("")
	b.cookies["osallistu_participant"] = ws.join(t)
	b.get("/vote?lang=en").want(t, 200).contains(t, `data-max-choices="2"`, `data-ballot-limit`, staticPath(t, "js/ballot.js"))
	vote := fmt.Sprintf("/vote/%d", poll)
	r := b.post(t, "/vote?lang=en", vote+"?lang=en", url.Values{"option": {itoa(options[0]), itoa(options[1]), itoa(options[2])}}).want(t, 422)
	r.contains(t, "You chose too many: choose at most 2.", "Your choices are kept")
	for _, id := range options {
		if !strings.Contains(string(r.body), fmt.Sprintf(`id="option-%d" name="option" value="%d" checked`, id, id)) {
			t.Errorf("option %d is not kept checked", id)
		}
	}
	if tally, err := ts.store.FindTally(context.Background(), poll); err != nil || tally.Ballots != 0 {
		t.Fatalf("tally %+v %v, want no ballot", tally, err)
	}
	b.post(t, "/vote", vote, url.Values{"option": {itoa(options[0]), itoa(options[2])}}).redirectsTo(t, "/vote")
	if tally, err := ts.store.FindTally(context.Background(), poll); err != nil || tally.Ballots != 1 {
		t.Fatalf("tally %+v %v, want one ballot", tally, err)
	}
}
