package server_test

import (
	"net/http"
	"testing"

	"osallistu/server"
)

func TestAccountsAPI(t *testing.T) {
	ts := newTestServer(t)

	t.Run("Register", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/accounts", map[string]any{"email": "Aino@Example.fi", "password": "0123456789", "name": "Aino", "municipality": "Tampere"}, "").want(t, 201)
		a := r.json(t)
		if a["email"] != "aino@example.fi" || a["name"] != "Aino" || a["municipality"] != "Tampere" {
			t.Fatalf("account %v", a)
		}
		if roles := a["roles"].([]any); len(roles) != 1 || roles[0] != "citizen" {
			t.Fatalf("roles %v", roles)
		}
		for _, k := range []string{"id", "email", "name", "roles", "municipality"} {
			if _, ok := a[k]; !ok {
				t.Errorf("field %s missing", k)
			}
		}
		r = ts.do("POST", "/api/v1/accounts", map[string]any{"email": "x@example.fi", "password": "0123456789", "name": "X"}, "").want(t, 201)
		if _, ok := r.json(t)["municipality"]; !ok {
			t.Error("municipality must be present as null")
		}
	})
	t.Run("RegisterErrors", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/accounts", map[string]any{"email": "AINO@example.fi", "password": "0123456789", "name": "Aino"}, "").want(t, 409)
		if r.errorCode(t) != "conflict" {
			t.Fatalf("code %s", r.errorCode(t))
		}
		r = ts.do("POST", "/api/v1/accounts", map[string]any{"email": "b@example.fi", "password": "short", "name": ""}, "").want(t, 422)
		fields := r.json(t)["error"].(map[string]any)["fields"].(map[string]any)
		if fields["password"] == nil || fields["name"] == nil {
			t.Fatalf("fields %v", fields)
		}
		ts.do("POST", "/api/v1/accounts", `{"email": 5}`, "").want(t, 400)
		if r := ts.do("POST", "/api/v1/accounts", `{not json`, "").want(t, 400); r.errorCode(t) != "invalid" {
			t.Fatalf("code %s", r.errorCode(t))
		}
		ts.do("POST", "/api/v1/accounts", nil, "").want(t, 400)
	})
	t.Run("Session", func(t *testing.T) {
		ts.do("POST", "/api/v1/session", map[string]any{"email": "aino@example.fi", "password": "wrong-password"}, "").want(t, 401)
		unknown := ts.do("POST", "/api/v1/session", map[string]any{"email": "nobody@example.fi", "password": "wrong-password"}, "").want(t, 401)
		wrong := ts.do("POST", "/api/v1/session", map[string]any{"email": "aino@example.fi", "password": "wrong-password"}, "").want(t, 401)
		if string(unknown.body) != string(wrong.body) {
			t.Fatalf("unknown email and wrong password answer differently: %s / %s", unknown.body, wrong.body)
		}
		r := ts.do("POST", "/api/v1/session", map[string]any{"email": "AINO@example.fi", "password": "0123456789"}, "").want(t, 200)
		token, _ := r.json(t)["token"].(string)
		if token == "" || r.json(t)["account"].(map[string]any)["email"] != "aino@example.fi" {
			t.Fatalf("session %s", r.body)
		}
		if me := ts.do("GET", "/api/v1/me", nil, token).want(t, 200).json(t); me["email"] != "aino@example.fi" {
			t.Fatalf("me %v", me)
		}
		ts.do("GET", "/api/v1/me", nil, "").want(t, 401)
		ts.do("GET", "/api/v1/me", nil, "garbage").want(t, 401)
		ts.do("DELETE", "/api/v1/session", nil, token).want(t, 204)
		ts.do("GET", "/api/v1/me", nil, token).want(t, 401)
		ts.do("DELETE", "/api/v1/session", nil, "").want(t, 401)
	})
}

func TestRolesAPI(t *testing.T) {
	ts := newTestServer(t)
	adminToken, _ := ts.signUp("admin@example.fi", "admin")
	userToken, user := ts.signUp("user@example.fi")
	path := "/api/v1/accounts/" + itoa(user.ID) + "/roles"

	ts.do("PUT", path, map[string]any{"roles": []string{"official"}}, userToken).want(t, 403)
	ts.do("PUT", path, map[string]any{"roles": []string{"official"}}, "").want(t, 401)
	ts.do("PUT", path, map[string]any{"roles": []string{"emperor"}}, adminToken).want(t, 422)
	ts.do("PUT", "/api/v1/accounts/99999/roles", map[string]any{"roles": []string{}}, adminToken).want(t, 404)
	r := ts.do("PUT", path, map[string]any{"roles": []string{"official"}}, adminToken).want(t, 200)
	if roles := r.json(t)["roles"].([]any); len(roles) != 2 || roles[0] != "citizen" || roles[1] != "official" {
		t.Fatalf("roles %v", roles)
	}
	// The open session sees the change on its next request.
	me := ts.do("GET", "/api/v1/me", nil, userToken).want(t, 200).json(t)
	if len(me["roles"].([]any)) != 2 {
		t.Fatalf("me %v", me)
	}
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "now-allowed", "title": "T", "description": "D"}, userToken).want(t, 201)
}

func TestExportAndDeleteMe(t *testing.T) {
	ts := newTestServer(t)
	token, _ := ts.signUp("leaving@example.fi", "official")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "kept", "title": "Kept", "description": ""}, token).want(t, 201)
	x := ts.do("GET", "/api/v1/me/export", nil, token).want(t, 200).json(t)
	data := x["data"].(map[string]any)
	if len(data["processes"].([]any)) != 1 || data["accounts"].([]any)[0].(map[string]any)["email"] != "leaving@example.fi" {
		t.Fatalf("export %v", x)
	}
	ts.do("GET", "/api/v1/me/export", nil, "").want(t, 401)
	ts.do("DELETE", "/api/v1/me", nil, token).want(t, 204)
	ts.do("GET", "/api/v1/me", nil, token).want(t, 401)
	ts.do("POST", "/api/v1/session", map[string]any{"email": "leaving@example.fi", "password": "correct horse battery"}, "").want(t, 401)
	ts.do("GET", "/api/v1/processes/kept", nil, "").want(t, http.StatusOK)
}

func TestLoginThrottlePerAddress(t *testing.T) {
	ts := newTestServer(t, func(c *server.Config) { c.LoginAddressLimit = 3 })
	for i := 0; i < 3; i++ {
		ts.do("POST", "/api/v1/session", map[string]any{"email": "x" + itoa(int64(i)) + "@example.fi", "password": "wrong-password"}, "").want(t, 401)
	}
	r := ts.do("POST", "/api/v1/session", map[string]any{"email": "y@example.fi", "password": "wrong-password"}, "").want(t, 429)
	if r.errorCode(t) != "rate_limited" {
		t.Fatalf("code %s", r.errorCode(t))
	}
}
