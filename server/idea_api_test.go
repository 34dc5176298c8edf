package server_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestIdeasAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	_, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	ideas := "/api/v1/idea-rounds/" + round + "/ideas"

	var ideaID string
	mustRun(t, "an anonymous idea, with every field present", func(t *testing.T) {
		r := ts.do("POST", ideas, map[string]any{"title": "Avoin data", "body": "Julkaistaan\nenemmän", "author_name": "Liisa", "municipality": "Espoo"}, "").want(t, 201)
		decode[object](t, r).has(t, "idea", "id", "round_id", "title", "body", "author_name", "municipality", "theme_id", "supports", "signed_in_supports", "comments", "created_at")
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
			Supports         int `json:"supports"`
			SignedInSupports int `json:"signed_in_supports"`
		}
		// A token the server did not issue is refused, whatever it looks like.
		ts.checkStatuses(t, []statusCase{
			{name: "neither token nor account", method: "POST", path: supports, status: 401, code: "unauthenticated"},
			{name: "a malformed token", method: "POST", path: supports, headers: []string{"X-Respondent-Token", "short"}, status: 401, code: "unauthenticated"},
			{name: "a made-up token", method: "POST", path: supports, headers: []string{"X-Respondent-Token", "browser-token-0123456789"}, status: 401, code: "unauthenticated"},
		})
		t.Run("once per token", func(t *testing.T) {
			token := issueRespondent(t, ts)
			for i := 0; i < 2; i++ {
				r := ts.do("POST", supports, nil, "", "X-Respondent-Token", token).want(t, 200)
				decode[object](t, r).has(t, "supports", "supports", "signed_in_supports")
				if s := decode[supportsJSON](t, r); s != (supportsJSON{Supports: 1, SignedInSupports: 0}) {
					t.Errorf("support %d: %s", i+1, r.body)
				}
			}
		})
		t.Run("and per account", func(t *testing.T) {
			for i := 0; i < 2; i++ {
				r := ts.do("POST", supports, nil, citizen).want(t, 200)
				if s := decode[supportsJSON](t, r); s != (supportsJSON{Supports: 2, SignedInSupports: 1}) {
					t.Errorf("support %d: %s", i+1, r.body)
				}
			}
		})
		t.Run("200 made-up tokens add nothing", func(t *testing.T) {
			for i := range 200 {
				ts.do("POST", supports, nil, "", "X-Respondent-Token", fmt.Sprintf("made-up-token-%06d", i)).want(t, 401)
			}
			idea := decode[ideaJSON](t, ts.do("GET", "/api/v1/ideas/"+ideaID, nil, "").want(t, 200))
			if idea.Supports != 2 || idea.SignedInSupports != 1 {
				t.Errorf("supports %d, signed in %d; want 2 and 1", idea.Supports, idea.SignedInSupports)
			}
		})
		t.Run("a made-up token is refused wherever tokens are taken", func(t *testing.T) {
			bad := []string{"X-Respondent-Token", "made-up-token-0123456789"}
			ts.checkStatuses(t, []statusCase{
				{name: "an idea", method: "POST", path: ideas, body: map[string]any{"title": "Keksitty", "body": "x"}, headers: bad, status: 401, code: "unauthenticated"},
				{name: "a comment", method: "POST", path: "/api/v1/ideas/" + ideaID + "/comments", body: map[string]any{"body": "x"}, headers: bad, status: 401, code: "unauthenticated"},
				{name: "reading the idea", method: "GET", path: "/api/v1/ideas/" + ideaID, headers: bad, status: 401, code: "unauthenticated"},
			})
		})
		t.Run("an issued token sends ideas and comments", func(t *testing.T) {
			token := []string{"X-Respondent-Token", issueRespondent(t, ts)}
			ts.checkStatuses(t, []statusCase{
				{name: "an idea", method: "POST", path: ideas, body: map[string]any{"title": "Myönnetty", "body": "x"}, headers: token, status: 201},
				{name: "a comment", method: "POST", path: "/api/v1/ideas/" + ideaID + "/comments", body: map[string]any{"body": "x"}, headers: token, status: 201},
			})
		})
	})
}

func TestSupportsWithoutAnonymity(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, round := openRound(t, ts, false)
	citizen, _ := ts.signUp("citizen@example.fi")
	// The official writes it: its author may not support it.
	idea := postIdea(t, ts, round, map[string]any{"title": "Vain kirjautuneille", "body": "x"}, official)
	supports := "/api/v1/ideas/" + itoa(idea.ID) + "/supports"
	ts.checkStatuses(t, []statusCase{
		{name: "an issued token where anonymity is not allowed", method: "POST", path: supports, headers: []string{"X-Respondent-Token", issueRespondent(t, ts)}, status: 401, code: "unauthenticated"},
		{name: "neither token nor account", method: "POST", path: supports, status: 401, code: "unauthenticated"},
		{name: "an account", method: "POST", path: supports, token: citizen, status: 200},
	})
	if got := decode[ideaJSON](t, ts.do("GET", "/api/v1/ideas/"+itoa(idea.ID), nil, "").want(t, 200)); got.Supports != 1 || got.SignedInSupports != 1 {
		t.Errorf("supports %d, signed in %d; want 1 and 1", got.Supports, got.SignedInSupports)
	}
}
