package server_test

import "testing"

func TestCommentsAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	_, round := openRound(t, ts, true)
	idea := postIdea(t, ts, round, map[string]any{"title": "Avoin data", "body": "Julkaistaan"}, "")
	comments := "/api/v1/ideas/" + itoa(idea.ID) + "/comments"

	t.Run("an anonymous comment", func(t *testing.T) {
		c := decode[commentJSON](t, ts.do("POST", comments, map[string]any{"body": "Hyvä idea", "author_name": "Matti"}, "").want(t, 201))
		if c.Body == nil || *c.Body != "Hyvä idea" || c.AuthorName == nil || *c.AuthorName != "Matti" {
			t.Errorf("comment %+v", c)
		}
	})
	t.Run("a body is required", func(t *testing.T) {
		ts.do("POST", comments, map[string]any{"body": ""}, "").want(t, 422)
	})
}
