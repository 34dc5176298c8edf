package server_test

import (
	"strings"
	"testing"
	"time"
)

func TestIdeaRoundsAPI(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// roundEditJSON is a round as the tests of its changes read it.
type roundEditJSON struct {
	Title          string            `json:"title"`
	Status         string            `json:"status"`
	OpensAt        time.Time         `json:"opens_at"`
	ClosesAt       time.Time         `json:"closes_at"`
	AllowAnonymous bool              `json:"allow_anonymous"`
	Translations   map[string]object `json:"translations"`
	WindowChanges  []struct {
		ClosesAtBefore time.Time `json:"closes_at_before"`
		ClosesAt       time.Time `json:"closes_at"`
		AuthorName     *string   `json:"author_name"`
	} `json:"window_changes"`
}

func TestIdeaRoundUpdateAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	path := "/api/v1/idea-rounds/" + round
	before := decode[roundEditJSON](t, ts.do("GET", path, nil, "").want(t, 200))
	if before.WindowChanges == nil || len(before.WindowChanges) != 0 {
		t.Fatalf("a new round's window changes: %+v", before.WindowChanges)
	}
	later := before.ClosesAt.Add(14 * 24 * time.Hour)

	ts.checkStatuses(t, []statusCase{
		{name: "a citizen may not", method: "PATCH", path: path, body: map[string]any{"closes_at": later}, token: citizen, status: 403},
		{name: "signed out", method: "PATCH", path: path, body: map[string]any{"closes_at": later}, status: 401},
		{name: "an unknown round", method: "PATCH", path: "/api/v1/idea-rounds/999999", body: map[string]any{"closes_at": later}, token: official, status: 404},
		{name: "closing before opening", method: "PATCH", path: path, body: map[string]any{"closes_at": before.OpensAt.Add(-time.Hour)}, token: official, status: 422},
		{name: "an empty title", method: "PATCH", path: path, body: map[string]any{"title": " "}, token: official, status: 422},
		{name: "not a time", method: "PATCH", path: path, body: map[string]any{"closes_at": "tomorrow"}, token: official, status: 400},
	})
	t.Run("refused changes stored nothing", func(t *testing.T) {
		r := decode[roundEditJSON](t, ts.do("GET", path, nil, "").want(t, 200))
		if !r.ClosesAt.Equal(before.ClosesAt) || r.Title != before.Title || len(r.WindowChanges) != 0 {
			t.Errorf("round %+v", r)
		}
	})
	mustRun(t, "extend the window", func(t *testing.T) {
		r := decode[roundEditJSON](t, ts.do("PATCH", path, map[string]any{"closes_at": later, "allow_anonymous": false}, official).want(t, 200))
		if !r.ClosesAt.Equal(later) || r.AllowAnonymous || r.Title != before.Title || len(r.WindowChanges) != 1 {
			t.Fatalf("round %+v", r)
		}
		if w := r.WindowChanges[0]; !w.ClosesAtBefore.Equal(before.ClosesAt) || !w.ClosesAt.Equal(later) || w.AuthorName == nil {
			t.Errorf("window change %+v", w)
		}
	})
	t.Run("texts and translations", func(t *testing.T) {
		r := decode[roundEditJSON](t, ts.do("PATCH", path, map[string]any{"title": "Ennakkotehtävä 2", "translations": map[string]any{"sv": map[string]any{"title": "Förhandsuppgift"}}}, official).want(t, 200))
		if r.Title != "Ennakkotehtävä 2" || string(r.Translations["sv"]["title"]) != `"Förhandsuppgift"` || len(r.WindowChanges) != 1 {
			t.Errorf("round %+v", r)
		}
	})
	t.Run("shortened, it closes", func(t *testing.T) {
		r := decode[roundEditJSON](t, ts.do("PATCH", path, map[string]any{"closes_at": time.Now().Add(-time.Minute)}, official).want(t, 200))
		if r.Status != "closed" || len(r.WindowChanges) != 2 {
			t.Errorf("round %+v", r)
		}
		ts.do("POST", path+"/ideas", map[string]any{"title": "Myöhässä", "body": "x"}, citizen).want(t, 409)
	})
}
