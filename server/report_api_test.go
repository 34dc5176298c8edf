package server_test

import "testing"

// TestReportAPI: the report counts the approved commitments' milestones.
func TestReportAPI(t *testing.T) {
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
