package server_test

import (
	"strings"
	"testing"
	"time"
)

func TestIdeaRoundsAPI(t *testing.T) {
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	now := time.Now().UTC()
	rounds := "/api/v1/processes/avoin/idea-rounds"
	body := map[string]any{"title": "x", "opens_at": now, "closes_at": now.Add(time.Hour)}

	t.Run("Create", func(t *testing.T) {
		ts.checkStatuses(t, []statusCase{
			{name: "a citizen may not", method: "POST", path: rounds, body: body, token: citizen, status: 403},
			{name: "signed out", method: "POST", path: rounds, body: body, status: 401},
			{name: "an unknown process", method: "POST", path: "/api/v1/processes/nope/idea-rounds", body: body, token: official, status: 404},
			{name: "closing before opening", method: "POST", path: rounds, body: map[string]any{"title": "x", "opens_at": now, "closes_at": now.Add(-time.Hour)}, token: official, status: 422},
			{name: "not a time", method: "POST", path: rounds, body: map[string]any{"title": "x", "opens_at": "tomorrow"}, token: official, status: 400},
		})
	})
	t.Run("the round is an open step of the process", func(t *testing.T) {
		p := decode[processJSON](t, ts.do("GET", "/api/v1/processes/avoin", nil, "").want(t, 200))
		if len(p.Steps) != 1 || p.Steps[0].Kind != "idea_round" || p.Steps[0].Status != "open" {
			t.Errorf("steps %+v", p.Steps)
		}
	})

	ideas := "/api/v1/idea-rounds/" + round + "/ideas"
	postIdea(t, ts, round, map[string]any{"title": "Avoin data", "body": "Julkaistaan\nenemmän", "author_name": "Liisa", "municipality": "Espoo"}, "")
	postIdea(t, ts, round, map[string]any{"title": "Toinen idea", "body": "Kirjastot mukaan"}, citizen)
	t.Run("List", func(t *testing.T) {
		for _, c := range []struct {
			query, why string
			total      int
		}{
			{"?sort=new", "newest first", 2},
			{"?q=kirjastojen", "an inflected form finds the idea", 1},
		} {
			if l := decode[list[ideaJSON]](t, ts.do("GET", ideas+c.query, nil, "").want(t, 200)); l.Total != c.total {
				t.Errorf("%s (%s): total %d, want %d", c.query, c.why, l.Total, c.total)
			}
		}
		ts.checkStatuses(t, []statusCase{
			{name: "an unknown sort", method: "GET", path: ideas + "?sort=best", status: 422},
			{name: "a theme id that is not a number", method: "GET", path: ideas + "?theme_id=x", status: 400},
		})
	})
	t.Run("CSV export for officials", func(t *testing.T) {
		csv := ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas.csv", nil, official).want(t, 200)
		if !strings.HasPrefix(string(csv.body), "\ufeffid,title,body,theme,supports") || !strings.Contains(string(csv.body), "Espoo") {
			t.Errorf("csv %s", csv.body)
		}
		if !strings.HasPrefix(string(csv.body), "\ufeffid,title,body,theme,supports,signed_in_supports,comments,") {
			t.Errorf("the csv lacks signed_in_supports: %s", csv.body)
		}
		ts.do("GET", "/api/v1/idea-rounds/"+round+"/ideas.csv", nil, citizen).want(t, 403)
	})
}

func TestIdeaRoundRequiresAccount(t *testing.T) {
	ts := newTestServer(t)
	_, round := openRound(t, ts, false)
	citizen, _ := ts.signUp("citizen@example.fi")
	t.Run("anonymous is 401", func(t *testing.T) {
		ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Anonyymi", "body": "x"}, "").want(t, 401)
	})
	t.Run("signed in is 201", func(t *testing.T) {
		ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Kirjautunut", "body": "x"}, citizen).want(t, 201)
	})
}
