package server_test

import (
	"net/url"
	"testing"
)

// TestMilestonePages: officials set a milestone's status from the
// commitment page; a bad link is shown on the milestone's own page.
func TestMilestonePages(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	s := w.scenario(t)
	official, citizen, anon := w.ts.client(w.official), w.ts.client(w.citizen), w.ts.client("")
	loc := "/commitments/" + itoa(s.a.ID)
	mid := itoa(s.a.Milestones[0].ID)

	t.Run("a bad link", func(t *testing.T) {
		official.post(t, loc, "/milestones/"+mid, url.Values{"milestone_status": {"done"}, "evidence_links": {"not a link"}}).want(t, 422).
			contains(t, `id="evidence_links-error"`, `class="error-summary"`)
	})
	mustRun(t, "done, with a note and links", func(t *testing.T) {
		official.post(t, loc, "/milestones/"+mid, url.Values{"milestone_status": {"done"}, "milestone_note": {"Järjestettiin 14.11.2017"},
			"evidence_links": {"https://lapsiasia.fi\nhttps://www.mll.fi"}}).redirectsTo(t, loc+"#milestone-"+mid)
	})
	t.Run("the milestone page shows them and the history", func(t *testing.T) {
		anon.get("/milestones/"+mid+"?lang=en").want(t, 200).contains(t, "Järjestettiin 14.11.2017", "https://www.mll.fi", "Status history")
	})
	t.Run("an unknown milestone", func(t *testing.T) {
		anon.get("/milestones/999999").want(t, 404)
	})
	t.Run("only officials", func(t *testing.T) {
		citizen.post(t, loc, "/milestones/"+mid, url.Values{"milestone_status": {"late"}}).want(t, 403)
	})
}
