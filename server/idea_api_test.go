package server_test

import (
	"strings"
	"testing"
)

func TestIdeasAPI(t *testing.T) {
	ts := newTestServer(t)
	_, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	ideas := "/api/v1/idea-rounds/" + round + "/ideas"

	var ideaID string
	mustRun(t, "an anonymous idea, with every field present", func(t *testing.T) {
		r := ts.do("POST", ideas, map[string]any{"title": "Avoin data", "body": "Julkaistaan\nenemmän", "author_name": "Liisa", "municipality": "Espoo"}, "").want(t, 201)
		decode[object](t, r).has(t, "idea", "id", "round_id", "title", "body", "author_name", "municipality", "theme_id", "supports", "comments", "created_at")
		idea := decode[ideaJSON](t, r)
		if idea.ThemeID != nil || idea.Supports != 0 || !strings.HasSuffix(idea.CreatedAt, "Z") {
			t.Errorf("idea %s", r.body)
		}
		ideaID = itoa(idea.ID)
	})
	t.Run("broken rules name their fields", func(t *testing.T) {
		ts.do("POST", ideas, map[string]any{"title": "ab", "body": ""}, "").want(t, 422).wantCode(t, "invalid").wantFields(t, "title", "body")
	})
	ts.checkStatuses(t, []statusCase{
		{name: "a wrong type", method: "POST", path: ideas, body: map[string]any{"title": 7}, status: 400},
		{name: "an unknown round", method: "POST", path: "/api/v1/idea-rounds/999999/ideas", body: map[string]any{"title": "Avoin data", "body": "x"}, status: 404},
		{name: "signed in", method: "POST", path: ideas, body: map[string]any{"title": "Toinen idea", "body": "Kirjastot mukaan"}, token: citizen, status: 201},
		{name: "read one", method: "GET", path: "/api/v1/ideas/" + ideaID, status: 200},
	})

	t.Run("Supports", func(t *testing.T) {
		supports := "/api/v1/ideas/" + ideaID + "/supports"
		type supportsJSON struct {
			Supports int `json:"supports"`
		}
		ts.checkStatuses(t, []statusCase{
			{name: "neither token nor account", method: "POST", path: supports, status: 401},
			{name: "a malformed token", method: "POST", path: supports, headers: []string{"X-Respondent-Token", "short"}, status: 400},
		})
		t.Run("once per token", func(t *testing.T) {
			for i := 0; i < 2; i++ {
				r := ts.do("POST", supports, nil, "", "X-Respondent-Token", "browser-token-0123456789").want(t, 200)
				if s := decode[supportsJSON](t, r); s.Supports != 1 {
					t.Errorf("support %d: %s", i+1, r.body)
				}
			}
		})
		t.Run("and per account", func(t *testing.T) {
			r := ts.do("POST", supports, nil, citizen).want(t, 200)
			if s := decode[supportsJSON](t, r); s.Supports != 2 {
				t.Errorf("supports %s", r.body)
			}
		})
	})
}
