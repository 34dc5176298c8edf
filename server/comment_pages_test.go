package server_test

import (
	"context"
	"net/url"
	"testing"
)

func TestCommentPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	idea := f.idea(t, ts, "Avoin data", "Julkaistaan data.")
	path := "/ideas/" + itoa(idea.ID)
	b := ts.client("")
	count := func(t *testing.T) int {
		t.Helper()
		_, n, err := ts.store.FindComments(context.Background(), idea.ID, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	var parent string
	mustRun(t, "a comment", func(t *testing.T) {
		b.post(t, path, path+"/comments", url.Values{"body": {"Hyvä idea!"}, "author_name": {"Eero"}}).redirectsTo(t, path)
		comments, _, err := ts.store.FindComments(context.Background(), idea.ID, 10, 0)
		if err != nil || len(comments) != 1 {
			t.Fatalf("comments %v, %v", comments, err)
		}
		parent = itoa(comments[0].ID)
	})
	t.Run("a reply", func(t *testing.T) {
		b.post(t, path, path+"/comments", url.Values{"body": {"Samaa mieltä."}, "parent_id": {parent}}).redirectsTo(t, path)
		b.get(path+"?lang=en").want(t, 200).contains(t, "Thank you! Your comment has been published.", "Eero", "Samaa mieltä.", `class="reply-list"`)
	})
	t.Run("a bad reply comes back on the comment page, as a reply still", func(t *testing.T) {
		r := b.post(t, path, path+"/comments", url.Values{"body": {"  "}, "parent_id": {parent}}).want(t, 422)
		r.contains(t, `class="error-summary"`, `href="#body"`, `name="parent_id" value="`+parent+`"`, "Eero")
		if n := count(t); n != 2 {
			t.Errorf("%d comments, want 2", n)
		}
	})
}
