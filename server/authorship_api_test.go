package server_test

import (
	"strings"
	"testing"

	"osallistu/participation"
)

// authoredCommentJSON is a comment with what its author did to it.
type authoredCommentJSON struct {
	ID         int64   `json:"id"`
	Body       *string `json:"body"`
	AuthorName *string `json:"author_name"`
	EditedAt   *string `json:"edited_at"`
	Deleted    bool    `json:"deleted"`
	Hidden     bool    `json:"hidden"`
}

func TestAuthorNamesAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	_, round := openRound(t, ts, true)
	citizen, acc := ts.signUp("citizen@example.fi")
	t.Run("a signed-in writer gets the account's name", func(t *testing.T) {
		idea := postIdea(t, ts, round, map[string]any{"title": "Nimellä", "body": "x"}, citizen)
		if idea.AuthorName == nil || *idea.AuthorName != acc.Name {
			t.Fatalf("author name %v, want %q", idea.AuthorName, acc.Name)
		}
		c := decode[authoredCommentJSON](t, ts.do("POST", "/api/v1/ideas/"+itoa(idea.ID)+"/comments", map[string]any{"body": "Samoin."}, citizen).want(t, 201))
		if c.AuthorName == nil || *c.AuthorName != acc.Name {
			t.Errorf("comment's author name %v, want %q", c.AuthorName, acc.Name)
		}
		anon := decode[authoredCommentJSON](t, ts.do("POST", "/api/v1/ideas/"+itoa(idea.ID)+"/comments", map[string]any{"body": "Nimettä.", "anonymous": true}, citizen).want(t, 201))
		if anon.AuthorName != nil {
			t.Errorf("an anonymous comment is named %q", *anon.AuthorName)
		}
	})
	t.Run("anonymously where not allowed is 422", func(t *testing.T) {
		ts2 := newTestServer(t)
		_, closedRound := openRound(t, ts2, false)
		member, _ := ts2.signUp("member@example.fi")
		ts2.do("POST", "/api/v1/idea-rounds/"+closedRound+"/ideas", map[string]any{"title": "Nimettömänä", "body": "x", "anonymous": true}, member).
			want(t, 422).wantCode(t, "invalid").wantFields(t, "anonymous")
		if n := decode[struct{ Total int }](t, ts2.do("GET", "/api/v1/idea-rounds/"+closedRound+"/ideas", nil, "").want(t, 200)).Total; n != 0 {
			t.Errorf("%d ideas stored", n)
		}
	})
}

func TestWithdrawSupportAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	_, round := openRound(t, ts, true)
	author, _ := ts.signUp("author@example.fi")
	citizen, _ := ts.signUp("citizen@example.fi")
	token := issueRespondent(t, ts)
	idea := postIdea(t, ts, round, map[string]any{"title": "Tuettava", "body": "x"}, author)
	supports := "/api/v1/ideas/" + itoa(idea.ID) + "/supports"
	counts := func(t *testing.T, r response) [2]int {
		t.Helper()
		c := decode[struct {
			Supports         int `json:"supports"`
			SignedInSupports int `json:"signed_in_supports"`
		}](t, r)
		return [2]int{c.Supports, c.SignedInSupports}
	}
	t.Run("the author may not support their own idea", func(t *testing.T) {
		r := ts.do("POST", supports, nil, author).want(t, 403)
		if e := r.wantCode(t, "forbidden"); !strings.Contains(e.Error.Message, "your own idea") {
			t.Errorf("message %q", e.Error.Message)
		}
		mine := decode[ideaJSON](t, ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Tokenilla", "body": "x"}, "", "X-Respondent-Token", token).want(t, 201))
		ts.do("POST", "/api/v1/ideas/"+itoa(mine.ID)+"/supports", nil, "", "X-Respondent-Token", token).want(t, 403).wantCode(t, "forbidden")
	})
	t.Run("supports and withdrawals keep the counts exact", func(t *testing.T) {
		if got := counts(t, ts.do("POST", supports, nil, citizen).want(t, 200)); got != [2]int{1, 1} {
			t.Fatalf("after the account's support %v", got)
		}
		if got := counts(t, ts.do("POST", supports, nil, "", "X-Respondent-Token", token).want(t, 200)); got != [2]int{2, 1} {
			t.Fatalf("after the token's support %v", got)
		}
		for range 2 { // a second withdrawal is harmless
			if got := counts(t, ts.do("DELETE", supports, nil, citizen).want(t, 200)); got != [2]int{1, 0} {
				t.Fatalf("after the account withdrew %v", got)
			}
		}
		if got := counts(t, ts.do("DELETE", supports, nil, "", "X-Respondent-Token", token).want(t, 200)); got != [2]int{0, 0} {
			t.Fatalf("after the token withdrew %v", got)
		}
		if got := decode[ideaJSON](t, ts.do("GET", "/api/v1/ideas/"+itoa(idea.ID), nil, "").want(t, 200)); got.Supports != 0 || got.SignedInSupports != 0 {
			t.Errorf("the idea counts %d and %d", got.Supports, got.SignedInSupports)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "neither token nor account", method: "DELETE", path: supports, status: 401, code: "unauthenticated"},
		{name: "a made-up token", method: "DELETE", path: supports, headers: []string{"X-Respondent-Token", "made-up-token-0123456789"}, status: 401, code: "unauthenticated"},
		{name: "an unknown idea", method: "DELETE", path: "/api/v1/ideas/999999/supports", token: citizen, status: 404},
	})
}

func TestAuthorEditsAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	_, round := openRound(t, ts, true)
	author, _ := ts.signUp("author@example.fi")
	citizen, _ := ts.signUp("citizen@example.fi")
	official, _ := ts.signUp("moderator@example.fi", "official")
	token := issueRespondent(t, ts)
	idea := postIdea(t, ts, round, map[string]any{"title": "Avoin data", "body": "Julkaistaan."}, author)
	path := "/api/v1/ideas/" + itoa(idea.ID)
	comment := decode[authoredCommentJSON](t, ts.do("POST", path+"/comments", map[string]any{"body": "Hyvä."}, "", "X-Respondent-Token", token).want(t, 201))
	cpath := "/api/v1/comments/" + itoa(comment.ID)

	t.Run("the author edits: shown as edited", func(t *testing.T) {
		r := ts.do("PATCH", path, map[string]any{"body": "Julkaistaan kaikki data."}, author).want(t, 200)
		decode[object](t, r).has(t, "idea", "edited_at")
		got := decode[struct {
			ideaJSON
			EditedAt *string `json:"edited_at"`
		}](t, r)
		if got.EditedAt == nil || got.Body != "Julkaistaan kaikki data." || got.Title != "Avoin data" {
			t.Fatalf("edited idea %s", r.body)
		}
		c := decode[authoredCommentJSON](t, ts.do("PATCH", cpath, map[string]any{"body": "Erinomainen."}, "", "X-Respondent-Token", token).want(t, 200))
		if c.EditedAt == nil || *c.Body != "Erinomainen." {
			t.Fatalf("edited comment %+v", c)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "another account", method: "PATCH", path: path, body: map[string]any{"title": "Kaapattu"}, token: citizen, status: 403, code: "forbidden"},
		{name: "an official", method: "DELETE", path: path, token: official, status: 403, code: "forbidden"},
		{name: "another respondent", method: "PATCH", path: cpath, body: map[string]any{"body": "x"}, headers: []string{"X-Respondent-Token", issueRespondent(t, ts)}, status: 403, code: "forbidden"},
		{name: "nobody", method: "DELETE", path: cpath, status: 401, code: "unauthenticated"},
		{name: "a broken rule", method: "PATCH", path: path, body: map[string]any{"title": "ab"}, token: author, status: 422, code: "invalid"},
		{name: "a comment without its body", method: "PATCH", path: cpath, body: map[string]any{}, headers: []string{"X-Respondent-Token", token}, status: 422, code: "invalid"},
		{name: "a removal request of someone else's", method: "POST", path: path + "/removal-request", token: citizen, status: 403, code: "forbidden"},
	})

	t.Run("after the window: 403, and a removal request instead", func(t *testing.T) {
		ts.store.SetEditWindow(0)
		defer ts.store.SetEditWindow(participation.DefaultEditWindow)
		r := ts.do("PATCH", path, map[string]any{"title": "Myöhässä"}, author).want(t, 403)
		if e := r.wantCode(t, "forbidden"); !strings.Contains(e.Error.Message, "ask the moderators to remove it") {
			t.Errorf("message %q", e.Error.Message)
		}
		ts.do("DELETE", cpath, nil, "", "X-Respondent-Token", token).want(t, 403).wantCode(t, "forbidden")
		ts.do("POST", path+"/removal-request", map[string]any{"reason": "Muutin mieleni."}, author).want(t, 202)
		ts.do("POST", cpath+"/removal-request", nil, "", "X-Respondent-Token", token).want(t, 202)
		queue := decode[struct {
			Items []struct {
				Kind          string `json:"kind"`
				ID            int64  `json:"id"`
				AuthorRequest bool   `json:"author_request"`
			} `json:"items"`
		}](t, ts.do("GET", "/api/v1/moderation/queue", nil, official).want(t, 200))
		if len(queue.Items) != 2 || !queue.Items[0].AuthorRequest || !queue.Items[1].AuthorRequest {
			t.Errorf("queue %+v", queue.Items)
		}
	})

	t.Run("deleted: gone from lists and counts, a comment kept in place", func(t *testing.T) {
		other := postIdea(t, ts, round, map[string]any{"title": "Toinen", "body": "x"}, author)
		c := decode[authoredCommentJSON](t, ts.do("POST", path+"/comments", map[string]any{"body": "Poistan tämän."}, author).want(t, 201))
		ts.do("DELETE", "/api/v1/comments/"+itoa(c.ID), nil, author).want(t, 204)
		comments := decode[struct {
			Items []authoredCommentJSON `json:"items"`
			Total int                   `json:"total"`
		}](t, ts.do("GET", path+"/comments", nil, "").want(t, 200))
		last := comments.Items[len(comments.Items)-1]
		if last.ID != c.ID || !last.Deleted || last.Hidden || last.Body != nil || last.AuthorName != nil {
			t.Errorf("the deleted comment %+v", last)
		}
		if got := decode[ideaJSON](t, ts.do("GET", path, nil, "").want(t, 200)); got.Comments != 1 {
			t.Errorf("the idea counts %d comments, want 1", got.Comments)
		}
		ts.do("DELETE", "/api/v1/ideas/"+itoa(other.ID), nil, author).want(t, 204)
		ts.do("GET", "/api/v1/ideas/"+itoa(other.ID), nil, official).want(t, 404)
		list := decode[struct {
			Items []ideaJSON `json:"items"`
			Total int        `json:"total"`
		}](t, ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas", nil, "").want(t, 200))
		for _, i := range list.Items {
			if i.ID == other.ID {
				t.Error("the deleted idea is listed")
			}
		}
		if list.Total != len(list.Items) {
			t.Errorf("total %d for %d ideas", list.Total, len(list.Items))
		}
		ts.do("DELETE", "/api/v1/ideas/"+itoa(other.ID), nil, author).want(t, 404)
	})
}
