package server_test

import (
	"fmt"
	"testing"
)

func TestPollsAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	citizen, _ := ts.signUp("citizen@example.fi")
	polls := fmt.Sprintf("/api/v1/workshops/%d/polls", ws.id)
	body := map[string]any{"question": "Mitkä kolme ovat tärkeimmät?", "max_choices": 3,
		"options": []map[string]any{{"label": "A"}, {"label": "B"}, {"label": "C"}, {"label": "D"}}}

	t.Run("Create", func(t *testing.T) {
		ts.checkStatuses(t, []statusCase{
			{name: "signed out", method: "POST", path: polls, body: body, status: 401},
			{name: "a citizen may not", method: "POST", path: polls, body: body, token: citizen, status: 403},
			{name: "an unknown workshop", method: "POST", path: "/api/v1/workshops/9999/polls", body: body, token: ws.official, status: 404},
			{name: "a wrong type", method: "POST", path: polls, body: `{"question": "Q", "max_choices": "three"}`, token: ws.official, status: 400},
		})
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, c := range []struct {
			name string
			body map[string]any
		}{
			{"no question", map[string]any{"question": "", "max_choices": 1, "options": []map[string]any{{"label": "A"}, {"label": "B"}}}},
			{"more choices than options", map[string]any{"question": "Q", "max_choices": 5, "options": []map[string]any{{"label": "A"}, {"label": "B"}}}},
			{"one option", map[string]any{"question": "Q", "max_choices": 1, "options": []map[string]any{{"label": "A"}}}},
			{"no options", map[string]any{"question": "Q", "max_choices": 1}},
			{"options from an unknown round", map[string]any{"question": "Q", "max_choices": 1, "options_from_idea_round": 9999}},
		} {
			t.Run(c.name, func(t *testing.T) { ts.do("POST", polls, c.body, ws.official).want(t, 422) })
		}
	})
	var id int64
	mustRun(t, "official creates a draft poll", func(t *testing.T) {
		r := ts.do("POST", polls, body, ws.official).want(t, 201)
		p := decode[pollJSON](t, r)
		if p.Status != "draft" || p.WorkshopID != ws.id || p.MaxChoices != 3 || len(p.Options) != 4 {
			t.Fatalf("poll %s", r.body)
		}
		if o := p.Options[0]; o.Label != "A" || o.ID == 0 || o.ThemeID != nil {
			t.Errorf("option %+v", o)
		}
		id = p.ID
	})

	t.Run("options from an idea round's themes carry the theme", func(t *testing.T) {
		round := decode[ideaRoundJSON](t, ts.do("POST", "/api/v1/processes/"+ws.processSlug(t)+"/idea-rounds", map[string]any{
			"title": "Ideat", "description": "", "opens_at": "2017-01-01T00:00:00Z", "closes_at": "2017-02-01T00:00:00Z", "allow_anonymous": true,
		}, ws.official).want(t, 201))
		var themes []int64
		for _, title := range []string{"Avoimuus", "Osallisuus"} {
			th := decode[themeJSON](t, ts.do("POST", fmt.Sprintf("/api/v1/idea-rounds/%d/themes", round.ID), map[string]any{"title": title, "description": ""}, ws.official).want(t, 201))
			themes = append(themes, th.ID)
		}
		tp := decode[pollJSON](t, ts.do("POST", polls, map[string]any{"question": "Teemat", "max_choices": 1, "options_from_idea_round": round.ID}, ws.official).want(t, 201))
		if len(tp.Options) != len(themes) {
			t.Fatalf("options %+v for themes %v", tp.Options, themes)
		}
		for i, o := range tp.Options {
			if o.ThemeID == nil || *o.ThemeID != themes[i] {
				t.Errorf("theme option %+v, want theme %d", o, themes[i])
			}
		}
	})

	t.Run("OpenAndClose", func(t *testing.T) {
		open := fmt.Sprintf("/api/v1/polls/%d/open", id)
		closePath := fmt.Sprintf("/api/v1/polls/%d/close", id)
		ts.checkStatuses(t, []statusCase{
			{name: "signed out", method: "POST", path: open, status: 401},
			{name: "a citizen may not", method: "POST", path: open, token: citizen, status: 403},
			{name: "an unknown poll", method: "POST", path: "/api/v1/polls/9999/open", token: ws.official, status: 404},
			{name: "a draft cannot be closed", method: "POST", path: closePath, token: ws.official, status: 409},
		})
		for _, step := range []struct{ path, status string }{{open, "open"}, {closePath, "closed"}} {
			if got := decode[pollJSON](t, ts.do("POST", step.path, nil, ws.official).want(t, 200)); got.Status != step.status {
				t.Errorf("POST %s: %+v", step.path, got)
			}
		}
		ts.do("POST", open, nil, ws.official).want(t, 409).wantCode(t, "conflict")
	})
}

// TestUpdatePollAPI: a draft poll changes with the rules of a new poll;
// once it has opened, any change is 409 conflict.
func TestUpdatePollAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	citizen, _ := ts.signUp("citizen@example.fi")
	id, opts := ws.poll(t, 2, "A", "B", "C")
	path := fmt.Sprintf("/api/v1/polls/%d", id)
	body := map[string]any{"question": "Mitkä kaksi ensin?", "max_choices": 1,
		"options": []map[string]any{{"id": opts[2], "label": "C tarkemmin"}, {"label": "D", "translations": map[string]any{"sv": map[string]any{"label": "D på svenska"}}}}}
	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "PATCH", path: path, body: body, status: 401},
		{name: "a citizen may not", method: "PATCH", path: path, body: body, token: citizen, status: 403},
		{name: "an unknown poll", method: "PATCH", path: "/api/v1/polls/9999", body: body, token: ws.official, status: 404},
		{name: "a wrong type", method: "PATCH", path: path, body: `{"max_choices": "two"}`, token: ws.official, status: 400},
	})
	t.Run("broken rules: 422 with fields, nothing stored", func(t *testing.T) {
		ts.do("PATCH", path, map[string]any{"question": "", "max_choices": 4}, ws.official).want(t, 422).wantCode(t, "invalid").wantFields(t, "question", "max_choices")
		ts.do("PATCH", path, map[string]any{"options": []map[string]any{{"id": 99999, "label": "X"}, {"label": "Y"}}}, ws.official).want(t, 422).wantCode(t, "invalid").wantFields(t, "options[0].id")
		ts.do("PATCH", path, map[string]any{"options": []map[string]any{{"label": "X"}}}, ws.official).want(t, 422).wantCode(t, "invalid").wantFields(t, "options")
	})
	mustRun(t, "official changes the draft", func(t *testing.T) {
		r := ts.do("PATCH", path, body, ws.official).want(t, 200)
		p := decode[pollJSON](t, r)
		if p.MaxChoices != 1 || len(p.Options) != 2 || p.Options[0].ID != opts[2] || p.Options[0].Label != "C tarkemmin" || p.Options[1].Label != "D" || p.Status != "draft" {
			t.Fatalf("changed %s", r.body)
		}
		if o := decode[object](t, r); string(o["question"]) != `"Mitkä kaksi ensin?"` {
			t.Errorf("question %s", o["question"])
		}
	})
	ts.do("POST", path+"/open", nil, ws.official).want(t, 200)
	t.Run("once opened: 409 conflict, whatever the change holds", func(t *testing.T) {
		ts.do("PATCH", path, map[string]any{"max_choices": 1}, ws.official).want(t, 409).wantCode(t, "conflict")
		ts.do("PATCH", path, map[string]any{"max_choices": 99}, ws.official).want(t, 409).wantCode(t, "conflict")
	})
}
