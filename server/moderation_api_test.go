package server_test

import "testing"

func TestModerationAPI(t *testing.T) {
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	idea := postIdea(t, ts, round, map[string]any{"title": "Avoin data", "body": "Julkaistaan"}, "")
	postIdea(t, ts, round, map[string]any{"title": "Toinen idea", "body": "Kirjastot mukaan"}, citizen)
	ideaPath := "/api/v1/ideas/" + itoa(idea.ID)
	var comment commentJSON
	mustRun(t, "a comment to moderate", func(t *testing.T) {
		comment = decode[commentJSON](t, ts.do("POST", ideaPath+"/comments", map[string]any{"body": "Hyvä idea", "author_name": "Matti"}, "").want(t, 201))
	})
	commentPath := "/api/v1/comments/" + itoa(comment.ID)

	ts.checkStatuses(t, []statusCase{
		{name: "anyone reports an idea", method: "POST", path: ideaPath + "/reports", body: map[string]any{"reason": "Asiaton"}, status: 202},
		{name: "a report needs a reason", method: "POST", path: ideaPath + "/reports", body: map[string]any{"reason": ""}, status: 422},
		{name: "anyone reports a comment", method: "POST", path: commentPath + "/reports", body: map[string]any{"reason": "Loukkaava"}, status: 202},
		{name: "and again", method: "POST", path: commentPath + "/reports", body: map[string]any{"reason": "Loukkaava"}, status: 202},
	})
	t.Run("the queue puts the most reported first", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/moderation/queue", nil, official).want(t, 200)
		q := decode[list[struct {
			Kind    string `json:"kind"`
			Reports int    `json:"reports"`
		}]](t, r)
		if q.Total != 2 || len(q.Items) == 0 || q.Items[0].Kind != "comment" || q.Items[0].Reports != 2 {
			t.Errorf("queue %s", r.body)
		}
		ts.do("GET", "/api/v1/moderation/queue", nil, citizen).want(t, 403)
	})

	t.Run("HideComment", func(t *testing.T) {
		ts.do("POST", commentPath+"/hide", map[string]any{"reason": "Loukkaava"}, citizen).want(t, 403)
		ts.do("POST", commentPath+"/hide", map[string]any{"reason": "Loukkaava"}, official).want(t, 200)
		t.Run("it stays in place without its text and author", func(t *testing.T) {
			r := ts.do("GET", ideaPath+"/comments", nil, "").want(t, 200)
			l, raw := decode[list[commentJSON]](t, r), decode[list[object]](t, r)
			if len(l.Items) == 0 {
				t.Fatalf("comments %s", r.body)
			}
			c, hidden := l.Items[0], raw.Items[0]
			if !c.Hidden || !hidden.isNull("body") || !hidden.isNull("author_name") || c.HiddenReason == nil || *c.HiddenReason != "Loukkaava" {
				t.Errorf("hidden comment %v", hidden)
			}
		})
		t.Run("the idea counts visible comments", func(t *testing.T) {
			if i := decode[ideaJSON](t, ts.do("GET", ideaPath, nil, "").want(t, 200)); i.Comments != 0 {
				t.Errorf("comments count %d", i.Comments)
			}
		})
	})

	t.Run("HideIdea", func(t *testing.T) {
		ts.do("POST", ideaPath+"/hide", map[string]any{"reason": "Asiaton"}, official).want(t, 200)
		ts.checkStatuses(t, []statusCase{
			{name: "gone for the public", method: "GET", path: ideaPath, status: 404},
			{name: "there for officials", method: "GET", path: ideaPath, token: official, status: 200},
		})
		t.Run("left out of the round's list", func(t *testing.T) {
			r := ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas", nil, "").want(t, 200)
			if l := decode[list[ideaJSON]](t, r); l.Total != 1 {
				t.Errorf("hidden idea listed: %s", r.body)
			}
		})
	})
	ts.checkStatuses(t, []statusCase{
		{name: "restore needs a reason", method: "POST", path: ideaPath + "/restore", body: map[string]any{"reason": ""}, token: official, status: 422},
		{name: "restore", method: "POST", path: ideaPath + "/restore", body: map[string]any{"reason": "Asiallinen"}, token: official, status: 200},
		{name: "restore what is not hidden", method: "POST", path: ideaPath + "/restore", body: map[string]any{"reason": "Asiallinen"}, token: official, status: 409},
	})
	t.Run("the log keeps every action", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/moderation/log", nil, official).want(t, 200)
		if l := decode[list[object]](t, r); l.Total != 3 {
			t.Errorf("log %s", r.body)
		}
	})
}
