package server_test

import (
	"slices"
	"strings"
	"testing"
)

func TestCommitmentsAPI(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts, official, citizen := w.ts, w.official, w.citizen
	base := "/api/v1/processes/avoin/commitments"
	draft := w.draftA()

	t.Run("Create", func(t *testing.T) {
		ts.checkStatuses(t, []statusCase{
			{name: "signed out", method: "POST", path: base, body: draft, status: 401},
			{name: "a citizen may not", method: "POST", path: base, body: draft, token: citizen, status: 403},
			{name: "an unknown process", method: "POST", path: "/api/v1/processes/nope/commitments", body: draft, token: official, status: 404},
			{name: "not JSON", method: "POST", path: base, body: `{"title": `, token: official, status: 400},
			{name: "a wrong type", method: "POST", path: base, body: map[string]any{"title": 5}, token: official, status: 400},
			{name: "a due date of a wrong type", method: "POST", path: base, body: map[string]any{"title": "x", "milestones": []map[string]any{{"title": "m", "due": 20181231}}}, token: official, status: 400},
		})
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, c := range []struct {
			name string
			body map[string]any
		}{
			{"no title", map[string]any{"title": ""}},
			{"an unknown source idea", map[string]any{"title": "x", "source_idea_ids": []int64{999999}}},
			{"a due date in the wrong format", map[string]any{"title": "x", "milestones": []map[string]any{{"title": "m", "due": "31.12.2018"}}}},
			{"a milestone without a title", map[string]any{"title": "x", "milestones": []map[string]any{{"title": "", "due": "2018-12-31"}}}},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := ts.do("POST", base, c.body, official).want(t, 422)
				if e := r.wantCode(t, "invalid"); len(e.Error.Fields) == 0 {
					t.Errorf("error without fields: %s", r.body)
				}
			})
		}
	})

	var a, b, c commitmentJSON
	mustRun(t, "official drafts a commitment, every field present", func(t *testing.T) {
		r := ts.do("POST", base, draft, official).want(t, 201)
		o := decode[object](t, r)
		o.has(t, "commitment", "id", "status", "version", "title", "problem", "description", "lead_agency", "how_it_addresses", "relevance",
			"other_actors", "starts_on", "ends_on", "sources", "milestones", "merged_from", "merged_into", "statements", "survey_results", "completion")
		a = decode[commitmentJSON](t, r)
		if a.Status != "draft" || a.Version != 1 || a.MergedInto != nil || len(a.MergedFrom) != 0 ||
			len(a.Statements) != 0 || len(a.SurveyResults) != 0 || a.StartsOn != nil {
			t.Errorf("created %s", r.body)
		}
		if ideas := a.Sources.Ideas; len(ideas) != 1 || ideas[0].Title != "Lasten osallisuus" {
			t.Errorf("sources %+v", a.Sources)
		}
		if themes := a.Sources.Themes; len(themes) != 1 || themes[0].ID != w.themes[0] {
			t.Errorf("sources %+v", a.Sources)
		}
		var ms []object
		if decodeInto(t, o["milestones"], &ms); len(ms) == 0 {
			t.Fatalf("milestones %s", o["milestones"])
		}
		ms[0].has(t, "milestone", "id", "title", "due", "status", "note")
		if ms := a.Milestones; len(ms) != 2 || ms[0].Status != "not_started" || ms[0].Due != "2017-11-14" || ms[0].Note != nil {
			t.Errorf("milestones %+v", a.Milestones)
		}
	})
	mustRun(t, "two more drafts", func(t *testing.T) {
		b, c = w.draft(t, w.draftB()), w.draft(t, w.draftC())
	})
	aID, bID, cID := itoa(a.ID), itoa(b.ID), itoa(c.ID)

	t.Run("Read", func(t *testing.T) {
		if got := decode[commitmentJSON](t, ts.do("GET", "/api/v1/commitments/"+aID, nil, "").want(t, 200)); got.Title != draft["title"] {
			t.Errorf("got %+v", got)
		}
		ts.do("GET", "/api/v1/commitments/999999", nil, "").want(t, 404)
		ts.do("GET", "/api/v1/commitments/abc", nil, "").want(t, 404)
	})

	t.Run("Patch", func(t *testing.T) {
		ts.checkStatuses(t, []statusCase{
			{name: "signed out", method: "PATCH", path: "/api/v1/commitments/" + aID, body: patchA, status: 401},
			{name: "a citizen may not", method: "PATCH", path: "/api/v1/commitments/" + aID, body: patchA, token: citizen, status: 403},
			{name: "an unknown commitment", method: "PATCH", path: "/api/v1/commitments/999999", body: patchA, token: official, status: 404},
			{name: "not an object", method: "PATCH", path: "/api/v1/commitments/" + aID, body: `[1]`, token: official, status: 400},
			{name: "an empty title", method: "PATCH", path: "/api/v1/commitments/" + aID, body: map[string]any{"title": ""}, token: official, status: 422},
			{name: "ending before starting", method: "PATCH", path: "/api/v1/commitments/" + aID, body: map[string]any{"starts_on": "2019-01-01", "ends_on": "2018-01-01"}, token: official, status: 422},
		})
		mustRun(t, "a new version", func(t *testing.T) {
			r := ts.do("PATCH", "/api/v1/commitments/"+aID, patchA, official).want(t, 200)
			p := decode[commitmentJSON](t, r)
			if p.Version != 2 || p.Title != patchA["title"] || p.StartsOn == nil || *p.StartsOn != "2017-07-01" || p.Problem != draft["problem"] {
				t.Errorf("patched %s", r.body)
			}
		})
	})

	t.Run("Versions", func(t *testing.T) {
		type versionJSON struct {
			Version       int      `json:"version"`
			AuthorName    *string  `json:"author_name"`
			ChangeNote    *string  `json:"change_note"`
			ChangedFields []string `json:"changed_fields"`
			CreatedAt     string   `json:"created_at"`
		}
		r := ts.do("GET", "/api/v1/commitments/"+aID+"/versions", nil, "").want(t, 200)
		vs, raw := decode[list[versionJSON]](t, r), decode[list[object]](t, r)
		if vs.Total != 2 || len(vs.Items) != 2 {
			t.Fatalf("versions %s", r.body)
		}
		raw.Items[1].has(t, "version", "version", "author_id", "author_name", "created_at", "change_note", "changed_fields")
		v2 := vs.Items[1]
		if v2.Version != 2 || v2.ChangeNote == nil || *v2.ChangeNote != "Lausuntojen pohjalta" || v2.AuthorName == nil || *v2.AuthorName != "Name of official@example.fi" ||
			!slices.Equal(v2.ChangedFields, []string{"title", "starts_on"}) || !strings.HasSuffix(v2.CreatedAt, "Z") {
			t.Errorf("version %+v", v2)
		}
		if v := decode[list[versionJSON]](t, ts.do("GET", "/api/v1/commitments/"+aID+"/versions?limit=1&offset=1", nil, "").want(t, 200)); len(v.Items) != 1 {
			t.Errorf("page %+v", v)
		}
		ts.do("GET", "/api/v1/commitments/999999/versions", nil, "").want(t, 404)
		ts.do("GET", "/api/v1/commitments/"+aID+"/versions?limit=x", nil, "").want(t, 400)
	})

	t.Run("Merge", func(t *testing.T) {
		merge := func(from string) string { return "/api/v1/commitments/" + from + "/merge" }
		ts.checkStatuses(t, []statusCase{
			{name: "signed out", method: "POST", path: merge(bID), body: map[string]any{"into_id": a.ID}, status: 401},
			{name: "a citizen may not", method: "POST", path: merge(bID), body: map[string]any{"into_id": a.ID}, token: citizen, status: 403},
			{name: "an unknown commitment", method: "POST", path: merge("999999"), body: map[string]any{"into_id": a.ID}, token: official, status: 404},
			{name: "not JSON", method: "POST", path: merge(bID), body: `{`, token: official, status: 400},
			{name: "no target", method: "POST", path: merge(bID), body: map[string]any{}, token: official, status: 422},
			{name: "an unknown target", method: "POST", path: merge(bID), body: map[string]any{"into_id": 999999}, token: official, status: 422},
			{name: "into itself", method: "POST", path: merge(bID), body: map[string]any{"into_id": b.ID}, token: official, status: 409, code: "conflict"},
		})
		mustRun(t, "B into A", func(t *testing.T) {
			r := ts.do("POST", merge(bID), map[string]any{"into_id": a.ID, "note": "Yhdistetty lausuntojen pohjalta"}, official).want(t, 200)
			if mb := decode[commitmentJSON](t, r); mb.Status != "merged" || mb.MergedInto == nil || *mb.MergedInto != a.ID {
				t.Errorf("merged %s", r.body)
			}
		})
		ts.checkStatuses(t, []statusCase{
			{name: "merging a merged one", method: "POST", path: merge(bID), body: map[string]any{"into_id": c.ID}, token: official, status: 409},
			{name: "into a merged one", method: "POST", path: merge(cID), body: map[string]any{"into_id": b.ID}, token: official, status: 409},
			{name: "editing a merged one", method: "PATCH", path: "/api/v1/commitments/" + bID, body: map[string]any{"title": "Muutos"}, token: official, status: 409},
			{name: "approving a merged one", method: "POST", path: "/api/v1/commitments/" + bID + "/approve", token: official, status: 409},
		})
		t.Run("the target gains B's sources, milestones and text as a new version", func(t *testing.T) {
			r := ts.do("GET", "/api/v1/commitments/"+aID, nil, "").want(t, 200)
			got := decode[commitmentJSON](t, r)
			if got.Version != 3 || !slices.Equal(got.MergedFrom, []int64{b.ID}) || len(got.Milestones) != 3 ||
				len(got.Sources.Ideas) != 3 || !strings.Contains(got.Problem, "Haavoittuvat ryhmät:\nHeikoimmat eivät osallistu.") {
				t.Errorf("target %s", r.body)
			}
		})
	})

	t.Run("Approve", func(t *testing.T) {
		approve := "/api/v1/commitments/" + aID + "/approve"
		ts.checkStatuses(t, []statusCase{
			{name: "signed out", method: "POST", path: approve, status: 401},
			{name: "a citizen may not", method: "POST", path: approve, token: citizen, status: 403},
			{name: "an unknown commitment", method: "POST", path: "/api/v1/commitments/999999/approve", token: official, status: 404},
		})
		mustRun(t, "a draft", func(t *testing.T) {
			if r := decode[commitmentJSON](t, ts.do("POST", approve, nil, official).want(t, 200)); r.Status != "approved" {
				t.Errorf("approved %+v", r)
			}
		})
		t.Run("not twice", func(t *testing.T) { ts.do("POST", approve, nil, official).want(t, 409) })
	})

	t.Run("List", func(t *testing.T) {
		for _, l := range []struct {
			query        string
			total, items int
		}{
			{"", 3, 3},
			{"?status=approved", 1, 1},
			{"?status=merged", 1, 1},
			{"?status=draft", 1, 1},
			{"?limit=1&offset=2", 3, 1},
		} {
			got := decode[list[commitmentJSON]](t, ts.do("GET", base+l.query, nil, "").want(t, 200))
			if got.Total != l.total || len(got.Items) != l.items {
				t.Errorf("%q: total %d, %d items; want %d, %d", l.query, got.Total, len(got.Items), l.total, l.items)
			}
		}
		ts.checkStatuses(t, []statusCase{
			{name: "an unknown status", method: "GET", path: base + "?status=deleted", status: 422},
			{name: "a negative limit", method: "GET", path: base + "?limit=-1", status: 400},
			{name: "an unknown process", method: "GET", path: "/api/v1/processes/nope/commitments", status: 404},
		})
	})

	t.Run("the drafting page's ranking puts the best-voted theme first", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/processes/avoin/drafting-sources", nil, "").want(t, 200)
		d := decode[struct {
			Themes []struct {
				ID       int64 `json:"id"`
				BestRank *int  `json:"best_rank"`
			} `json:"themes"`
		}](t, r)
		if len(d.Themes) == 0 || d.Themes[0].ID != w.themes[1] || d.Themes[0].BestRank == nil || *d.Themes[0].BestRank != 1 {
			t.Errorf("drafting %s", r.body)
		}
		ts.do("GET", "/api/v1/processes/nope/drafting-sources", nil, "").want(t, 404)
	})
}
