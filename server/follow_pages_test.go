package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestFollowPages: a citizen follows an idea from its trace page and gets
// a message when a commitment it fed moves.
func TestFollowPages(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts := w.ts
	s := w.scenario(t)
	ts.do("PUT", "/api/v1/milestones/"+itoa(s.a.Milestones[0].ID), map[string]any{"status": "done"}, w.official).want(t, 200)
	official, citizen, anon := ts.client(w.official), ts.client(w.citizen), ts.client("")
	loc := "/commitments/" + itoa(s.a.ID)
	trace := "/ideas/" + itoa(w.ideas[0]) + "/trace"
	follow := "/ideas/" + itoa(w.ideas[0]) + "/follow"

	t.Run("signed out, following is signing in first", func(t *testing.T) {
		anon.post(t, "/login", follow, url.Values{"next": {trace}}).redirectsTo(t, "/login?next="+trace)
	})
	mustRun(t, "the citizen follows the idea from its trace", func(t *testing.T) {
		citizen.post(t, trace, follow, url.Values{"next": {trace}}).redirectsTo(t, trace)
		citizen.get(trace+"?lang=en").contains(t, "You follow this idea.", "Lisätään lasten ja nuorten osallisuutta", "Done")
	})
	mustRun(t, "a milestone of the commitment it fed moves", func(t *testing.T) {
		official.post(t, loc, "/milestones/"+itoa(s.a.Milestones[1].ID), url.Values{"milestone_status": {"late"}}).redirectsTo(t, loc)
	})
	t.Run("Notifications", func(t *testing.T) {
		citizen.get("/notifications?lang=en").want(t, 200).contains(t, "is now: Late.", `class="nav-count">1<`, "Mark all as read")
		citizen.post(t, "/notifications", "/notifications/read", nil).redirectsTo(t, "/notifications")
		if strings.Contains(string(citizen.get("/notifications").body), "nav-count") {
			t.Error("unread count after reading")
		}
	})
	t.Run("signed out, the notifications page is signing in first", func(t *testing.T) {
		anon.get("/notifications").redirectsTo(t, "/login?next=/notifications")
	})
	t.Run("follow and unfollow a commitment", func(t *testing.T) {
		citizen.post(t, loc, loc+"/follow", nil).redirectsTo(t, loc)
		citizen.post(t, loc, loc+"/unfollow", nil).redirectsTo(t, loc)
	})
}
