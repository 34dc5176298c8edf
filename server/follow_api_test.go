package server_test

import "testing"

// TestFollowAPI: a citizen follows the idea that fed C through its theme,
// and A; C's approval and A's milestone changes become notifications.
func TestFollowAPI(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts, official, citizen := w.ts, w.official, w.citizen
	s := w.scenario(t)
	follow := "/api/v1/ideas/" + itoa(w.ideas[2]) + "/follow"
	followA := "/api/v1/commitments/" + itoa(s.a.ID) + "/follow"
	type followJSON struct {
		Following bool `json:"following"`
	}

	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "PUT", path: follow, status: 401},
		{name: "an unknown idea", method: "PUT", path: "/api/v1/ideas/999999/follow", token: citizen, status: 404},
		{name: "an unknown commitment", method: "PUT", path: "/api/v1/commitments/999999/follow", token: citizen, status: 404},
	})
	mustRun(t, "a citizen follows an idea and a commitment", func(t *testing.T) {
		if r := decode[followJSON](t, ts.do("PUT", follow, nil, citizen).want(t, 200)); !r.Following {
			t.Errorf("follow %+v", r)
		}
		ts.do("PUT", follow, nil, citizen).want(t, 200)
		ts.do("PUT", followA, nil, citizen).want(t, 200)
	})
	t.Run("notifications need a bearer", func(t *testing.T) {
		ts.do("GET", "/api/v1/me/notifications", nil, "").want(t, 401)
	})

	// C's approval (through the idea's theme), A's milestone twice.
	mustRun(t, "what the citizen follows moves", func(t *testing.T) {
		ts.do("POST", "/api/v1/commitments/"+itoa(s.c.ID)+"/approve", nil, official).want(t, 200)
		mid := itoa(s.a.Milestones[1].ID)
		ts.do("PUT", "/api/v1/milestones/"+mid, map[string]any{"status": "on_track", "note": "Selvitys käynnissä"}, official).want(t, 200)
		ts.do("PUT", "/api/v1/milestones/"+mid, map[string]any{"status": "done"}, official).want(t, 200)
	})
	type notificationJSON struct {
		ID           int64   `json:"id"`
		Kind         string  `json:"kind"`
		CommitmentID int64   `json:"commitment_id"`
		MilestoneID  *int64  `json:"milestone_id"`
		Status       *string `json:"status"`
		Link         string  `json:"link"`
		ReadAt       *string `json:"read_at"`
	}
	var first notificationJSON
	mustRun(t, "three notifications, newest first", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/me/notifications", nil, citizen).want(t, 200)
		n, raw := decode[list[notificationJSON]](t, r), decode[list[object]](t, r)
		if n.Total != 3 || len(n.Items) == 0 {
			t.Fatalf("notifications %s", r.body)
		}
		raw.Items[0].has(t, "notification", "id", "kind", "commitment_id", "commitment_title", "milestone_id", "milestone_title", "status", "link", "created_at", "read_at")
		first = n.Items[0]
		if first.Kind != "milestone_status" || first.Status == nil || *first.Status != "done" || first.ReadAt != nil {
			t.Errorf("notification %+v", first)
		}
		// The server makes the links from the subject: the milestone on its commitment's page, the commitment.
		mid := s.a.Milestones[1].ID
		if first.CommitmentID != s.a.ID || first.MilestoneID == nil || *first.MilestoneID != mid || first.Link != "/commitments/"+itoa(s.a.ID)+"#milestone-"+itoa(mid) {
			t.Errorf("notification %+v", first)
		}
		if last := n.Items[len(n.Items)-1]; last.Kind != "commitment_approved" || last.MilestoneID != nil || last.Link != "/commitments/"+itoa(s.c.ID) {
			t.Errorf("notification %+v", last)
		}
	})
	t.Run("unread, a page", func(t *testing.T) {
		if n := decode[list[notificationJSON]](t, ts.do("GET", "/api/v1/me/notifications?unread=true&limit=1", nil, citizen).want(t, 200)); n.Total != 3 || len(n.Items) != 1 {
			t.Errorf("unread %+v", n)
		}
	})
	t.Run("Read", func(t *testing.T) {
		type readJSON struct {
			Unread int `json:"unread"`
		}
		if r := decode[readJSON](t, ts.do("POST", "/api/v1/me/notifications/read", map[string]any{"ids": []int64{first.ID}}, citizen).want(t, 200)); r.Unread != 2 {
			t.Errorf("read one: %+v", r)
		}
		ts.do("POST", "/api/v1/me/notifications/read", `{"ids": "all"}`, citizen).want(t, 400)
		if r := decode[readJSON](t, ts.do("POST", "/api/v1/me/notifications/read", nil, citizen).want(t, 200)); r.Unread != 0 {
			t.Errorf("read all: %+v", r)
		}
		ts.do("POST", "/api/v1/me/notifications/read", nil, "").want(t, 401)
	})
	t.Run("Unfollow", func(t *testing.T) {
		if r := decode[followJSON](t, ts.do("DELETE", follow, nil, citizen).want(t, 200)); r.Following {
			t.Errorf("unfollow %+v", r)
		}
		ts.do("DELETE", followA, nil, citizen).want(t, 200)
		ts.do("DELETE", follow, nil, "").want(t, 401)
	})
}
