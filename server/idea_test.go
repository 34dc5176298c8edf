package server_test

import (
	"strings"
	"testing"
	"time"
)

// openRound creates a process with an open idea round through the API and
// returns the official's token and the round id.
func openRound(t *testing.T, ts *testServer, anonymous bool) (string, string) {
	t.Helper()
	official, _ := ts.signUp("official@example.fi", "official")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin", "description": ""}, official).want(t, 201)
	now := time.Now().UTC()
	r := ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{
		"title": "Ennakkotehtävä", "description": "Kerro ideasi", "opens_at": now.Add(-time.Hour), "closes_at": now.Add(time.Hour), "allow_anonymous": anonymous,
	}, official).want(t, 201).json(t)
	if r["status"] != "open" || r["allow_anonymous"] != anonymous {
		t.Fatalf("round %v", r)
	}
	return official, itoa(int64(r["id"].(float64)))
}

func TestIdeaRoundsAPI(t *testing.T) {
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	now := time.Now().UTC()

	ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{"title": "x", "opens_at": now, "closes_at": now.Add(time.Hour)}, citizen).want(t, 403)
	ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{"title": "x", "opens_at": now, "closes_at": now.Add(time.Hour)}, "").want(t, 401)
	ts.do("POST", "/api/v1/processes/nope/idea-rounds", map[string]any{"title": "x", "opens_at": now, "closes_at": now.Add(time.Hour)}, official).want(t, 404)
	ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{"title": "x", "opens_at": now, "closes_at": now.Add(-time.Hour)}, official).want(t, 422)
	ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{"title": "x", "opens_at": "tomorrow"}, official).want(t, 400)

	p := ts.do("GET", "/api/v1/processes/avoin", nil, "").want(t, 200).json(t)
	steps := p["steps"].([]any)
	if len(steps) != 1 || steps[0].(map[string]any)["kind"] != "idea_round" || steps[0].(map[string]any)["status"] != "open" {
		t.Fatalf("steps %v", steps)
	}

	// Ideas: anonymous, with every field present.
	idea := ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Avoin data", "body": "Julkaistaan\nenemmän", "author_name": "Liisa", "municipality": "Espoo"}, "").want(t, 201).json(t)
	for _, k := range []string{"id", "round_id", "title", "body", "author_name", "municipality", "theme_id", "supports", "comments", "created_at"} {
		if _, ok := idea[k]; !ok {
			t.Errorf("idea lacks %s", k)
		}
	}
	if idea["theme_id"] != nil || idea["supports"] != 0.0 || !strings.HasSuffix(idea["created_at"].(string), "Z") {
		t.Fatalf("idea %v", idea)
	}
	ideaID := itoa(int64(idea["id"].(float64)))
	r := ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "ab", "body": ""}, "").want(t, 422)
	if f := r.json(t)["error"].(map[string]any)["fields"].(map[string]any); f["title"] == nil || f["body"] == nil {
		t.Fatalf("fields %v", f)
	}
	ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": 7}, "").want(t, 400)
	ts.do("POST", "/api/v1/idea-rounds/999999/ideas", map[string]any{"title": "Avoin data", "body": "x"}, "").want(t, 404)
	ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Toinen idea", "body": "Kirjastot mukaan"}, citizen).want(t, 201)

	list := ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas?sort=new", nil, "").want(t, 200).json(t)
	if list["total"] != 2.0 {
		t.Fatalf("list %v", list)
	}
	ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas?sort=best", nil, "").want(t, 422)
	ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas?theme_id=x", nil, "").want(t, 400)
	if l := ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas?q=kirjastojen", nil, "").want(t, 200).json(t); l["total"] != 1.0 {
		t.Fatalf("search %v", l)
	}
	ts.do("GET", "/api/v1/ideas/"+ideaID, nil, "").want(t, 200)

	// Supports: once per token or account; neither is 401.
	ts.do("POST", "/api/v1/ideas/"+ideaID+"/supports", nil, "").want(t, 401)
	ts.do("POST", "/api/v1/ideas/"+ideaID+"/supports", nil, "", "X-Respondent-Token", "short").want(t, 400)
	for i := 0; i < 2; i++ {
		r := ts.do("POST", "/api/v1/ideas/"+ideaID+"/supports", nil, "", "X-Respondent-Token", "browser-token-0123456789").want(t, 200).json(t)
		if r["supports"] != 1.0 {
			t.Fatalf("supports %v", r)
		}
	}
	if r := ts.do("POST", "/api/v1/ideas/"+ideaID+"/supports", nil, citizen).want(t, 200).json(t); r["supports"] != 2.0 {
		t.Fatalf("supports %v", r)
	}

	// Themes.
	theme := ts.do("POST", "/api/v1/idea-rounds/"+round+"/themes", map[string]any{"title": "Avoin tieto", "description": "Tiedon avaaminen"}, official).want(t, 201).json(t)
	themeID := theme["id"].(float64)
	ts.do("POST", "/api/v1/idea-rounds/"+round+"/themes", map[string]any{"title": "x"}, citizen).want(t, 403)
	ts.do("POST", "/api/v1/idea-rounds/"+round+"/themes", map[string]any{"title": ""}, official).want(t, 422)
	if r := ts.do("PUT", "/api/v1/ideas/"+ideaID+"/theme", map[string]any{"theme_id": themeID}, official).want(t, 200).json(t); r["theme_id"] != themeID {
		t.Fatalf("idea %v", r)
	}
	ts.do("PUT", "/api/v1/ideas/"+ideaID+"/theme", map[string]any{"theme_id": themeID}, citizen).want(t, 403)
	ts.do("PUT", "/api/v1/ideas/999999/theme", map[string]any{"theme_id": themeID}, official).want(t, 404)
	ts.do("PUT", "/api/v1/ideas/"+ideaID+"/theme", map[string]any{"theme_id": 999999}, official).want(t, 422)
	themes := ts.do("GET", "/api/v1/idea-rounds/"+round+"/themes", nil, "").want(t, 200).json(t)
	if items := themes["items"].([]any); len(items) != 1 || items[0].(map[string]any)["idea_count"] != 1.0 {
		t.Fatalf("themes %v", themes)
	}
	if l := ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas?theme_id="+itoa(int64(themeID)), nil, "").want(t, 200).json(t); l["total"] != 1.0 {
		t.Fatalf("by theme %v", l)
	}
	if r := ts.do("PUT", "/api/v1/ideas/"+ideaID+"/theme", map[string]any{"theme_id": nil}, official).want(t, 200).json(t); r["theme_id"] != nil {
		t.Fatalf("cleared %v", r)
	}

	// Comments and moderation.
	c := ts.do("POST", "/api/v1/ideas/"+ideaID+"/comments", map[string]any{"body": "Hyvä idea", "author_name": "Matti"}, "").want(t, 201).json(t)
	commentID := itoa(int64(c["id"].(float64)))
	ts.do("POST", "/api/v1/ideas/"+ideaID+"/comments", map[string]any{"body": ""}, "").want(t, 422)
	ts.do("POST", "/api/v1/ideas/"+ideaID+"/reports", map[string]any{"reason": "Asiaton"}, "").want(t, 202)
	ts.do("POST", "/api/v1/ideas/"+ideaID+"/reports", map[string]any{"reason": ""}, "").want(t, 422)
	ts.do("POST", "/api/v1/comments/"+commentID+"/reports", map[string]any{"reason": "Loukkaava"}, "").want(t, 202)
	ts.do("POST", "/api/v1/comments/"+commentID+"/reports", map[string]any{"reason": "Loukkaava"}, "").want(t, 202)
	q := ts.do("GET", "/api/v1/moderation/queue", nil, official).want(t, 200).json(t)
	items := q["items"].([]any)
	if q["total"] != 2.0 || items[0].(map[string]any)["kind"] != "comment" || items[0].(map[string]any)["reports"] != 2.0 {
		t.Fatalf("queue %v", q)
	}
	ts.do("GET", "/api/v1/moderation/queue", nil, citizen).want(t, 403)
	ts.do("POST", "/api/v1/comments/"+commentID+"/hide", map[string]any{"reason": "Loukkaava"}, citizen).want(t, 403)
	ts.do("POST", "/api/v1/comments/"+commentID+"/hide", map[string]any{"reason": "Loukkaava"}, official).want(t, 200)
	comments := ts.do("GET", "/api/v1/ideas/"+ideaID+"/comments", nil, "").want(t, 200).json(t)
	hidden := comments["items"].([]any)[0].(map[string]any)
	if hidden["hidden"] != true || hidden["body"] != nil || hidden["author_name"] != nil || hidden["hidden_reason"] != "Loukkaava" {
		t.Fatalf("hidden comment %v", hidden)
	}
	if i := ts.do("GET", "/api/v1/ideas/"+ideaID, nil, "").want(t, 200).json(t); i["comments"] != 0.0 {
		t.Fatalf("comments count %v", i["comments"])
	}
	ts.do("POST", "/api/v1/ideas/"+ideaID+"/hide", map[string]any{"reason": "Asiaton"}, official).want(t, 200)
	ts.do("GET", "/api/v1/ideas/"+ideaID, nil, "").want(t, 404)
	ts.do("GET", "/api/v1/ideas/"+ideaID, nil, official).want(t, 200)
	if l := ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas", nil, "").want(t, 200).json(t); l["total"] != 1.0 {
		t.Fatalf("hidden idea listed: %v", l)
	}
	ts.do("POST", "/api/v1/ideas/"+ideaID+"/restore", nil, official).want(t, 200)
	ts.do("POST", "/api/v1/ideas/"+ideaID+"/restore", nil, official).want(t, 409)
	if l := ts.do("GET", "/api/v1/moderation/log", nil, official).want(t, 200).json(t); l["total"] != 3.0 {
		t.Fatalf("log %v", l)
	}

	// CSV export for officials.
	csv := ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas.csv", nil, official).want(t, 200)
	if !strings.HasPrefix(string(csv.body), "\ufeffid,title,body,theme,supports") || !strings.Contains(string(csv.body), "Espoo") {
		t.Fatalf("csv %s", csv.body)
	}
	ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas.csv", nil, citizen).want(t, 403)
}

func TestIdeaRoundRequiresAccount(t *testing.T) {
	ts := newTestServer(t)
	_, round := openRound(t, ts, false)
	ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Anonyymi", "body": "x"}, "").want(t, 401)
	citizen, _ := ts.signUp("citizen@example.fi")
	ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Kirjautunut", "body": "x"}, citizen).want(t, 201)
}
