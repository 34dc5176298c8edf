package server_test

import "testing"

// TestReportPages: the self-assessment report page charts the approved
// commitments' milestones and links its JSON.
func TestReportPages(t *testing.T) {
	w := newCommitmentWorld(t)
	w.scenario(t)
	anon := w.ts.client("")

	t.Run("the report", func(t *testing.T) {
		anon.get("/processes/avoin/report?lang=en").want(t, 200).contains(t,
			"<svg", `role="img"`, "Milestones by status", `href="/api/v1/processes/avoin/report"`, "Ymmärrettävyys", "Completion (IRM)")
	})
	t.Run("the status board", func(t *testing.T) {
		anon.get("/processes/avoin/status?lang=en").want(t, 200)
	})
	t.Run("an unknown process", func(t *testing.T) {
		anon.get("/processes/nope/report").want(t, 404)
	})
}
