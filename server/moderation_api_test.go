package server_test

import (
	"strings"
	"testing"
	"time"
)

func TestModerationAPI(t *testing.T) {
	t.Parallel()
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

// queueItemJSON is an item of the moderation queue, with its text and place.
type queueItemJSON struct {
	Kind        string   `json:"kind"`
	ID          int64    `json:"id"`
	Reports     int      `json:"reports"`
	Reasons     []string `json:"reasons"`
	IdeaID      *int64   `json:"idea_id"`
	Title       *string  `json:"title"`
	Text        *string  `json:"text"`
	RoundID     *int64   `json:"round_id"`
	ProcessSlug *string  `json:"process_slug"`
	AuthorID    *int64   `json:"author_id"`
}

// pendingItemJSON is an idea or comment waiting for approval.
type pendingItemJSON struct {
	Kind  string  `json:"kind"`
	ID    int64   `json:"id"`
	Title *string `json:"title"`
	Text  *string `json:"text"`
}

// logEntryJSON is an entry of the moderation log.
type logEntryJSON struct {
	Kind        string  `json:"kind"`
	Action      string  `json:"action"`
	Reason      string  `json:"reason"`
	Text        *string `json:"text"`
	AccountName *string `json:"account_name"`
}

func TestModerationAPIDismiss(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	citizen, author := ts.signUp("citizen@example.fi")
	idea := postIdea(t, ts, round, map[string]any{"title": "Avoin data", "body": "Julkaistaan kaikki data avoimesti."}, citizen)
	ideaPath := "/api/v1/ideas/" + itoa(idea.ID)
	ts.do("POST", ideaPath+"/reports", map[string]any{"reason": "Mainos"}, "").want(t, 202)

	t.Run("the queue shows the text and where it is", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/moderation/queue", nil, official).want(t, 200)
		q := decode[list[queueItemJSON]](t, r)
		if q.Total != 1 {
			t.Fatalf("queue %s", r.body)
		}
		it := q.Items[0]
		if it.Kind != "idea" || it.ID != idea.ID || it.Title == nil || *it.Title != "Avoin data" || it.Text == nil || *it.Text != "Julkaistaan kaikki data avoimesti." ||
			it.RoundID == nil || itoa(*it.RoundID) != round || it.ProcessSlug == nil || *it.ProcessSlug != "avoin" || it.AuthorID == nil || *it.AuthorID != author.ID ||
			len(it.Reasons) != 1 || it.Reasons[0] != "Mainos" {
			t.Errorf("queue item %s", r.body)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "citizens do not dismiss", method: "POST", path: ideaPath + "/dismiss", body: map[string]any{"reason": "Asiallinen"}, token: citizen, status: 403},
		{name: "a dismissal needs a reason", method: "POST", path: ideaPath + "/dismiss", body: map[string]any{"reason": " "}, token: official, status: 422},
		{name: "dismiss", method: "POST", path: ideaPath + "/dismiss", body: map[string]any{"reason": "Asiallinen"}, token: official, status: 200},
		{name: "nothing left to dismiss", method: "POST", path: ideaPath + "/dismiss", body: map[string]any{"reason": "Asiallinen"}, token: official, status: 409},
		{name: "the idea stays public", method: "GET", path: ideaPath, status: 200},
	})
	t.Run("it leaves the queue until reported again", func(t *testing.T) {
		if q := decode[list[queueItemJSON]](t, ts.do("GET", "/api/v1/moderation/queue", nil, official).want(t, 200)); q.Total != 0 {
			t.Errorf("queue after dismissal %+v", q.Items)
		}
		ts.do("POST", ideaPath+"/reports", map[string]any{"reason": "Mainos taas"}, "").want(t, 202)
		q := decode[list[queueItemJSON]](t, ts.do("GET", "/api/v1/moderation/queue", nil, official).want(t, 200))
		if q.Total != 1 || q.Items[0].Reports != 1 || q.Items[0].Reasons[0] != "Mainos taas" {
			t.Errorf("queue after a new report %+v", q.Items)
		}
	})
	t.Run("the log keeps the dismissal with its reason and the text", func(t *testing.T) {
		l := decode[list[logEntryJSON]](t, ts.do("GET", "/api/v1/moderation/log", nil, official).want(t, 200))
		if l.Total != 1 || l.Items[0].Action != "dismiss" || l.Items[0].Reason != "Asiallinen" || l.Items[0].Text == nil || *l.Items[0].Text != idea.Body {
			t.Errorf("log %+v", l.Items)
		}
	})
}

func TestModerationAPIRestore(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	idea := postIdea(t, ts, round, map[string]any{"title": "Avoin data", "body": "Julkaistaan"}, "")
	ideaPath := "/api/v1/ideas/" + itoa(idea.ID)
	ts.do("POST", ideaPath+"/hide", map[string]any{"reason": "Asiaton"}, official).want(t, 200)
	ts.do("POST", ideaPath+"/restore", map[string]any{"reason": "Ilmoitus oli aiheeton"}, official).want(t, 200)
	ts.do("GET", ideaPath, nil, "").want(t, 200)
	l := decode[list[logEntryJSON]](t, ts.do("GET", "/api/v1/moderation/log", nil, official).want(t, 200))
	if l.Total != 2 || l.Items[0].Action != "restore" || l.Items[0].Reason != "Ilmoitus oli aiheeton" {
		t.Errorf("log %+v", l.Items)
	}
}

func TestModerationAPIPremoderation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	now := time.Now().UTC()
	r := ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{
		"title": "Ennakkomoderoitu", "description": "", "opens_at": now.Add(-time.Hour), "closes_at": now.Add(time.Hour),
		"allow_anonymous": true, "premoderated": true,
	}, official).want(t, 201)
	round := r.json(t)
	if round["premoderated"] != true {
		t.Fatalf("round %s", r.body)
	}
	roundPath := "/api/v1/idea-rounds/" + itoa(int64(round["id"].(float64)))

	var pending, rejected ideaJSON
	mustRun(t, "new ideas wait for approval", func(t *testing.T) {
		r := ts.do("POST", roundPath+"/ideas", map[string]any{"title": "Odottava idea", "body": "Hyväksytään"}, citizen).want(t, 201)
		if r.json(t)["status"] != "pending" {
			t.Errorf("new idea %s", r.body)
		}
		pending = decode[ideaJSON](t, r)
		rejected = decode[ideaJSON](t, ts.do("POST", roundPath+"/ideas", map[string]any{"title": "Hylättävä idea", "body": "Mainos"}, "").want(t, 201))
	})
	pendingPath, rejectedPath := "/api/v1/ideas/"+itoa(pending.ID), "/api/v1/ideas/"+itoa(rejected.ID)
	t.Run("invisible to the public and not counted", func(t *testing.T) {
		ts.do("GET", pendingPath, nil, "").want(t, 404)
		ts.do("GET", pendingPath, nil, citizen).want(t, 404)
		if l := decode[list[ideaJSON]](t, ts.do("GET", roundPath+"/ideas", nil, "").want(t, 200)); l.Total != 0 || len(l.Items) != 0 {
			t.Errorf("public list %+v", l)
		}
		if rr := ts.do("GET", roundPath, nil, "").want(t, 200).json(t); rr["idea_count"] != 0.0 {
			t.Errorf("round counts %v", rr["idea_count"])
		}
		ts.do("POST", pendingPath+"/supports", nil, citizen).want(t, 404)
		ts.do("POST", pendingPath+"/comments", map[string]any{"body": "Kommentti"}, citizen).want(t, 404)
	})
	t.Run("moderators list them, oldest first", func(t *testing.T) {
		ts.do("GET", "/api/v1/moderation/pending", nil, citizen).want(t, 403)
		l := decode[list[pendingItemJSON]](t, ts.do("GET", "/api/v1/moderation/pending", nil, official).want(t, 200))
		if l.Total != 2 || l.Items[0].ID != pending.ID || l.Items[0].Kind != "idea" || l.Items[0].Text == nil || *l.Items[0].Text != "Hyväksytään" {
			t.Errorf("pending %+v", l.Items)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "a pending idea is not hidden or restored", method: "POST", path: pendingPath + "/hide", body: map[string]any{"reason": "x"}, token: official, status: 409},
		{name: "citizens do not approve", method: "POST", path: pendingPath + "/approve", body: map[string]any{}, token: citizen, status: 403},
		{name: "approve without a reason", method: "POST", path: pendingPath + "/approve", body: map[string]any{}, token: official, status: 200},
		{name: "approved once", method: "POST", path: pendingPath + "/approve", body: map[string]any{}, token: official, status: 409},
		{name: "a rejection needs a reason", method: "POST", path: rejectedPath + "/reject", body: map[string]any{"reason": ""}, token: official, status: 422},
		{name: "reject", method: "POST", path: rejectedPath + "/reject", body: map[string]any{"reason": "Mainos"}, token: official, status: 200},
		{name: "approved, it is public", method: "GET", path: pendingPath, status: 200},
		{name: "rejected, it never shows", method: "GET", path: rejectedPath, status: 404},
	})
	t.Run("the approved idea is counted", func(t *testing.T) {
		l := decode[list[object]](t, ts.do("GET", roundPath+"/ideas", nil, "").want(t, 200))
		if l.Total != 1 || len(l.Items) != 1 || string(l.Items[0]["status"]) != `"published"` {
			t.Errorf("public list %+v", l)
		}
		if rr := ts.do("GET", roundPath, nil, "").want(t, 200).json(t); rr["idea_count"] != 1.0 {
			t.Errorf("round counts %v", rr["idea_count"])
		}
	})
	t.Run("comments wait too", func(t *testing.T) {
		r := ts.do("POST", pendingPath+"/comments", map[string]any{"body": "Odottava kommentti"}, citizen).want(t, 201)
		c := r.json(t)
		if c["status"] != "pending" {
			t.Fatalf("comment %s", r.body)
		}
		if l := decode[list[commentJSON]](t, ts.do("GET", pendingPath+"/comments", nil, "").want(t, 200)); l.Total != 0 {
			t.Errorf("a pending comment is listed: %+v", l)
		}
		if i := decode[ideaJSON](t, ts.do("GET", pendingPath, nil, "").want(t, 200)); i.Comments != 0 {
			t.Errorf("a pending comment is counted: %d", i.Comments)
		}
		commentPath := "/api/v1/comments/" + itoa(int64(c["id"].(float64)))
		ts.do("POST", commentPath+"/approve", map[string]any{"reason": "Asiallinen"}, official).want(t, 200)
		if l := decode[list[commentJSON]](t, ts.do("GET", pendingPath+"/comments", nil, "").want(t, 200)); l.Total != 1 || *l.Items[0].Body != "Odottava kommentti" {
			t.Errorf("the approved comment %+v", l)
		}
		if i := decode[ideaJSON](t, ts.do("GET", pendingPath, nil, "").want(t, 200)); i.Comments != 1 {
			t.Errorf("the approved comment is not counted: %d", i.Comments)
		}
	})
	t.Run("the log keeps the approvals and the rejection", func(t *testing.T) {
		l := decode[list[logEntryJSON]](t, ts.do("GET", "/api/v1/moderation/log", nil, official).want(t, 200))
		var actions []string
		for _, a := range l.Items {
			actions = append(actions, a.Action)
		}
		if strings.Join(actions, ",") != "approve,reject,approve" {
			t.Errorf("log %v", actions)
		}
	})
}

func TestModerationAPIBlock(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	citizen, person := ts.signUp("citizen@example.fi")
	idea := postIdea(t, ts, round, map[string]any{"title": "Avoin data", "body": "Julkaistaan"}, "")
	ideaPath, blockPath := "/api/v1/ideas/"+itoa(idea.ID), "/api/v1/accounts/"+itoa(person.ID)+"/block"
	until := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)

	ts.checkStatuses(t, []statusCase{
		{name: "citizens do not block", method: "PUT", path: blockPath, body: map[string]any{"until": until, "reason": "Kiroilua"}, token: citizen, status: 403},
		{name: "a block needs a reason", method: "PUT", path: blockPath, body: map[string]any{"until": until, "reason": ""}, token: official, status: 422},
		{name: "a block ends in the future", method: "PUT", path: blockPath, body: map[string]any{"until": time.Now().Add(-time.Hour), "reason": "Kiroilua"}, token: official, status: 422},
		{name: "no such account", method: "PUT", path: "/api/v1/accounts/999999/block", body: map[string]any{"until": until, "reason": "Kiroilua"}, token: official, status: 404},
		{name: "not blocked yet", method: "GET", path: blockPath, token: official, status: 404},
		{name: "block", method: "PUT", path: blockPath, body: map[string]any{"until": until, "reason": "Toistuvaa kiroilua"}, token: official, status: 200},
		{name: "the block in force", method: "GET", path: blockPath, token: official, status: 200},
	})
	t.Run("every write is refused with the reason and the end", func(t *testing.T) {
		writes := []statusCase{
			{name: "idea", method: "POST", path: "/api/v1/idea-rounds/" + round + "/ideas", body: map[string]any{"title": "Uusi idea", "body": "Teksti"}},
			{name: "comment", method: "POST", path: ideaPath + "/comments", body: map[string]any{"body": "Kommentti"}},
			{name: "support", method: "POST", path: ideaPath + "/supports"},
			{name: "report", method: "POST", path: ideaPath + "/reports", body: map[string]any{"reason": "Mainos"}},
		}
		for _, w := range writes {
			r := ts.do(w.method, w.path, w.body, citizen).want(t, 403)
			if !strings.Contains(string(r.body), "Toistuvaa kiroilua") || !strings.Contains(string(r.body), until.Format(time.RFC3339)) {
				t.Errorf("%s: %s", w.name, r.body)
			}
		}
	})
	t.Run("the person sees the block on their account", func(t *testing.T) {
		me := ts.do("GET", "/api/v1/me", nil, citizen).want(t, 200).json(t)
		b, _ := me["blocked"].(map[string]any)
		if b == nil || b["reason"] != "Toistuvaa kiroilua" || b["until"] != until.Format(time.RFC3339) {
			t.Errorf("me %v", me)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "nobody blocks themselves", method: "PUT", path: "/api/v1/accounts/" + itoa(accountOf(t, ts, official)) + "/block",
			body: map[string]any{"until": until, "reason": "x"}, token: official, status: 403},
		{name: "citizens do not unblock", method: "DELETE", path: blockPath, token: citizen, status: 403},
		{name: "unblock early", method: "DELETE", path: blockPath, token: official, status: 204},
		{name: "not blocked any more", method: "DELETE", path: blockPath, token: official, status: 409},
		{name: "the person writes again", method: "POST", path: ideaPath + "/comments", body: map[string]any{"body": "Kommentti"}, token: citizen, status: 201},
	})
	t.Run("the log keeps the block and its lifting", func(t *testing.T) {
		l := decode[list[logEntryJSON]](t, ts.do("GET", "/api/v1/moderation/log", nil, official).want(t, 200))
		if l.Total != 2 || l.Items[0].Action != "unblock" || l.Items[1].Action != "block" || l.Items[1].Reason != "Toistuvaa kiroilua" ||
			l.Items[1].Kind != "account" || l.Items[1].AccountName == nil || *l.Items[1].AccountName != person.Name {
			t.Errorf("log %+v", l.Items)
		}
	})
}

// accountOf returns the id of the account signed in with token.
func accountOf(t *testing.T, ts *testServer, token string) int64 {
	t.Helper()
	return int64(ts.do("GET", "/api/v1/me", nil, token).want(t, 200).json(t)["id"].(float64))
}
