package server_test

import (
	"slices"
	"testing"
)

func TestRolesAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	adminToken, _ := ts.signUp("admin@example.fi", "admin")
	userToken, user := ts.signUp("user@example.fi")
	path := "/api/v1/accounts/" + itoa(user.ID) + "/roles"
	official := map[string]any{"roles": []string{"official"}}

	ts.checkStatuses(t, []statusCase{
		{name: "a citizen may not", method: "PUT", path: path, body: official, token: userToken, status: 403},
		{name: "signed out", method: "PUT", path: path, body: official, status: 401},
		{name: "an unknown role", method: "PUT", path: path, body: map[string]any{"roles": []string{"emperor"}}, token: adminToken, status: 422},
		{name: "an unknown account", method: "PUT", path: "/api/v1/accounts/99999/roles", body: map[string]any{"roles": []string{}}, token: adminToken, status: 404},
	})
	mustRun(t, "the admin makes an official, citizen kept", func(t *testing.T) {
		a := decode[accountJSON](t, ts.do("PUT", path, official, adminToken).want(t, 200))
		if !slices.Equal(a.Roles, []string{"citizen", "official"}) {
			t.Fatalf("roles %v", a.Roles)
		}
	})
	t.Run("the open session sees the change on its next request", func(t *testing.T) {
		if me := decode[accountJSON](t, ts.do("GET", "/api/v1/me", nil, userToken).want(t, 200)); len(me.Roles) != 2 {
			t.Errorf("me %+v", me)
		}
		ts.do("POST", "/api/v1/processes", map[string]any{"slug": "now-allowed", "title": "T", "description": ""}, userToken).want(t, 201)
	})
}
