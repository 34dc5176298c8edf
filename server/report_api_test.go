package server_test

import (
	"strings"
	"testing"
	"time"

	"osallistu/participation"
)

// TestReportAPI: the report counts the approved commitments' milestones.
func TestReportAPI(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts := w.ts
	s := w.scenario(t)
	ts.do("POST", "/api/v1/commitments/"+itoa(s.c.ID)+"/approve", nil, w.official).want(t, 200)
	ts.do("PUT", "/api/v1/milestones/"+itoa(s.a.Milestones[1].ID), map[string]any{"status": "done"}, w.official).want(t, 200)

	t.Run("the approved commitments and their milestones by status", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/processes/avoin/report", nil, "").want(t, 200)
		report := decode[struct {
			Commitments []object `json:"commitments"`
			Totals      struct {
				Done       int `json:"done"`
				OnTrack    int `json:"on_track"`
				Late       int `json:"late"`
				NotStarted int `json:"not_started"`
			} `json:"totals"`
		}](t, r)
		if tot := report.Totals; len(report.Commitments) != 2 || tot.Done != 1 || tot.NotStarted != 2 || tot.OnTrack != 0 || tot.Late != 0 {
			t.Fatalf("report %s", r.body)
		}
		report.Commitments[0].has(t, "report commitment", "id", "title", "status", "milestones")
		report.Commitments[0].array(t, "milestones")
	})
	t.Run("an unknown process", func(t *testing.T) {
		ts.do("GET", "/api/v1/processes/nope/report", nil, "").want(t, 404)
	})
}

// asOfWorld is the commitment world's scenario with A's milestones
// reported on track on 14 February 2018 (the two not due yet then) and A
// approved in 2017, the dates set in the database as if it had happened
// then; it returns A's milestone ids.
func asOfWorld(t *testing.T, w *commitmentWorld) []int64 {
	t.Helper()
	s := w.scenario(t)
	ids := []int64{s.a.Milestones[0].ID, s.a.Milestones[1].ID, s.a.Milestones[2].ID}
	for _, id := range ids[1:] {
		w.ts.do("PUT", "/api/v1/milestones/"+itoa(id), map[string]any{"status": "on_track", "note": "Etenee"}, w.official).want(t, 200)
	}
	db := w.ts.store.DB()
	db.MustExec(`UPDATE milestone_changes SET created_at = '2018-02-14T10:00:00Z'`)
	db.MustExec(`UPDATE milestones SET created_at = '2016-12-01T10:00:00Z', updated_at = CASE WHEN updated_at IS NOT NULL THEN timestamptz '2018-02-14T10:00:00Z' END`)
	db.MustExec(`UPDATE commitments SET approved_at = '2017-03-17T10:00:00Z' WHERE id = $1`, s.a.ID)
	return ids
}

// TestReportAsOfAPI: ?as_of= judges the report at a day: the statuses then
// in force, lateness at it; without it, today.
func TestReportAsOfAPI(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts := w.ts
	asOfWorld(t, w)
	type milestone struct {
		Title      string  `json:"title"`
		Due        string  `json:"due"`
		Status     string  `json:"status"`
		Note       *string `json:"note"`
		Overdue    bool    `json:"overdue"`
		ReportedOn *string `json:"reported_on"`
		Lateness   string  `json:"lateness"`
	}
	type report struct {
		AsOf        string `json:"as_of"`
		Commitments []struct {
			ID         int64       `json:"id"`
			Milestones []milestone `json:"milestones"`
		} `json:"commitments"`
		Totals struct {
			Done       int `json:"done"`
			OnTrack    int `json:"on_track"`
			Late       int `json:"late"`
			NotStarted int `json:"not_started"`
		} `json:"totals"`
		Overdue int `json:"overdue"`
	}
	get := func(t *testing.T, query string) report {
		t.Helper()
		return decode[report](t, ts.do("GET", "/api/v1/processes/avoin/report"+query, nil, "").want(t, 200))
	}
	judged := func(r report) string {
		var parts []string
		for _, m := range r.Commitments[0].Milestones {
			on := "-"
			if m.ReportedOn != nil {
				on = *m.ReportedOn
			}
			parts = append(parts, m.Due+" "+m.Status+" "+on+" "+m.Lateness)
		}
		return strings.Join(parts, ", ")
	}

	t.Run("at the review", func(t *testing.T) {
		r := get(t, "?as_of=2018-03-01")
		want := "2017-11-14 not_started - past_due, 2030-06-30 on_track 2018-02-14 none, 2018-03-07 on_track 2018-02-14 none"
		if r.AsOf != "2018-03-01" || len(r.Commitments) != 1 || judged(r) != want || r.Overdue != 1 || r.Totals.OnTrack != 2 || r.Totals.NotStarted != 1 {
			t.Fatalf("as of %s: %s; overdue %d, totals %+v", r.AsOf, judged(r), r.Overdue, r.Totals)
		}
	})
	t.Run("before any report", func(t *testing.T) {
		r := get(t, "?as_of=2018-02-13")
		if r.Totals.NotStarted != 3 || r.Commitments[0].Milestones[1].ReportedOn != nil || r.Commitments[0].Milestones[1].Note != nil {
			t.Fatalf("as of %s: %s", r.AsOf, judged(r))
		}
	})
	t.Run("before the approval", func(t *testing.T) {
		if r := get(t, "?as_of=2017-03-16"); len(r.Commitments) != 0 || r.Totals.NotStarted != 0 {
			t.Fatalf("as of %s: %d commitments", r.AsOf, len(r.Commitments))
		}
	})
	t.Run("today by default", func(t *testing.T) {
		r := get(t, "")
		want := "2017-11-14 not_started - past_due, 2030-06-30 on_track 2018-02-14 none, 2018-03-07 on_track 2018-02-14 passed_since_report"
		if r.AsOf != string(participation.DateOf(time.Now())) || judged(r) != want || r.Overdue != 2 {
			t.Fatalf("as of %s: %s, overdue %d", r.AsOf, judged(r), r.Overdue)
		}
		if m := r.Commitments[0].Milestones[2]; !m.Overdue || m.Status != "on_track" {
			t.Fatalf("%+v", m)
		}
	})
	t.Run("a bad day is 400", func(t *testing.T) {
		tomorrow := string(participation.DateOf(time.Now().AddDate(0, 0, 2)))
		for _, q := range []string{"2018-02-30", "31.8.2018", "abc", tomorrow} {
			ts.do("GET", "/api/v1/processes/avoin/report?as_of="+q, nil, "").want(t, 400).wantCode(t, "invalid").wantFields(t, "as_of")
		}
	})
}
