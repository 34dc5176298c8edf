package server_test

import "testing"

func TestMilestonesAPI(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts, official, citizen := w.ts, w.official, w.citizen
	s := w.scenario(t)
	mid := itoa(s.a.Milestones[1].ID)
	path := "/api/v1/milestones/" + mid
	upd := map[string]any{"status": "on_track", "note": "Selvitys käynnissä", "evidence_links": []string{"https://okm.fi/teas"}}

	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "PUT", path: path, body: upd, status: 401},
		{name: "a citizen may not", method: "PUT", path: path, body: upd, token: citizen, status: 403},
		{name: "an unknown milestone", method: "PUT", path: "/api/v1/milestones/999999", body: upd, token: official, status: 404},
		{name: "not an object", method: "PUT", path: path, body: `"done"`, token: official, status: 400},
		{name: "a link that is not a web address", method: "PUT", path: path, body: map[string]any{"status": "done", "evidence_links": []string{"ftp://x"}}, token: official, status: 422},
	})
	t.Run("an unknown status", func(t *testing.T) {
		ts.do("PUT", path, map[string]any{"status": "cancelled"}, official).want(t, 422).wantCode(t, "invalid").wantFields(t, "status")
	})
	mustRun(t, "official sets the status and a note", func(t *testing.T) {
		r := ts.do("PUT", path, upd, official).want(t, 200)
		decode[object](t, r).has(t, "milestone", "id", "title", "due", "status", "note")
		if m := decode[milestoneJSON](t, r); m.Status != "on_track" || m.Note == nil || *m.Note != "Selvitys käynnissä" {
			t.Errorf("milestone %s", r.body)
		}
	})
	mustRun(t, "and then done", func(t *testing.T) {
		ts.do("PUT", path, map[string]any{"status": "done"}, official).want(t, 200)
	})
	t.Run("every change is kept, newest first, with its author", func(t *testing.T) {
		r := ts.do("GET", path+"/changes", nil, "").want(t, 200)
		ch := decode[list[struct {
			Status     string  `json:"status"`
			AuthorName *string `json:"author_name"`
		}]](t, r)
		if ch.Total != 2 || len(ch.Items) != 2 || ch.Items[0].Status != "done" || ch.Items[1].AuthorName == nil || *ch.Items[1].AuthorName != "Name of official@example.fi" {
			t.Errorf("changes %s", r.body)
		}
		ts.do("GET", "/api/v1/milestones/999999/changes", nil, "").want(t, 404)
	})
}
