package server_test

import (
	"encoding/json"
	"testing"
)

func TestProcessesAPI(t *testing.T) {
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	citizen, _ := ts.signUp("citizen@example.fi")
	body := map[string]any{"slug": "avoin-hallinto", "title": "Avoin hallinto 2017–2019", "description": "Toimintaohjelma"}

	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "POST", path: "/api/v1/processes", body: body, status: 401},
		{name: "a citizen may not", method: "POST", path: "/api/v1/processes", body: body, token: citizen, status: 403},
	})
	mustRun(t, "official creates a process", func(t *testing.T) {
		p := decode[processJSON](t, ts.do("POST", "/api/v1/processes", body, official).want(t, 201))
		if p.Slug != "avoin-hallinto" || p.Title != "Avoin hallinto 2017–2019" {
			t.Errorf("process %+v", p)
		}
	})
	t.Run("a taken slug is a conflict", func(t *testing.T) {
		ts.do("POST", "/api/v1/processes", body, official).want(t, 409).wantCode(t, "conflict")
	})
	t.Run("broken rules name their fields", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/processes", map[string]any{"slug": "Bad Slug", "title": "", "description": ""}, official).want(t, 422)
		r.wantCode(t, "invalid").wantFields(t, "slug", "title")
	})
	t.Run("a new process has no steps and zero stats", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/processes/avoin-hallinto", nil, "").want(t, 200)
		if steps := decode[object](t, r).array(t, "steps"); len(steps) != 0 {
			t.Errorf("steps %s", steps)
		}
		if p := decode[processJSON](t, r); p.Stats != (statsJSON{}) {
			t.Errorf("stats %+v", p.Stats)
		}
	})
	t.Run("an unknown slug is 404", func(t *testing.T) {
		ts.do("GET", "/api/v1/processes/nope", nil, "").want(t, 404)
	})
	t.Run("List", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			ts.do("POST", "/api/v1/processes", map[string]any{"slug": "extra-" + itoa(int64(i)), "title": "Extra", "description": ""}, official).want(t, 201)
		}
		for _, c := range []struct {
			query        string
			total, items int
		}{
			{"?limit=2&offset=1", 4, 2},
			{"?limit=100000", 4, 4},
		} {
			l := decode[list[json.RawMessage]](t, ts.do("GET", "/api/v1/processes"+c.query, nil, "").want(t, 200))
			if l.Total != c.total || len(l.Items) != c.items {
				t.Errorf("%s: total %d, %d items; want %d, %d", c.query, l.Total, len(l.Items), c.total, c.items)
			}
		}
		ts.do("GET", "/api/v1/processes?limit=abc", nil, "").want(t, 400)
	})
}
