package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"osallistu/server"
)

func TestAccountsAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)

	mustRun(t, "Register", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/accounts", map[string]any{"email": "Aino@Example.fi", "password": "0123456789", "name": "Aino", "municipality": "Tampere"}, "").want(t, 201)
		decode[object](t, r).has(t, "account", "id", "email", "name", "roles", "municipality")
		a := decode[accountJSON](t, r)
		if a.Email != "aino@example.fi" || a.Name != "Aino" || a.Municipality == nil || *a.Municipality != "Tampere" {
			t.Errorf("account %s", r.body)
		}
		if !slices.Equal(a.Roles, []string{"citizen"}) {
			t.Errorf("roles %v", a.Roles)
		}
	})
	t.Run("municipality is null when not given", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/accounts", map[string]any{"email": "x@example.fi", "password": "0123456789", "name": "X"}, "").want(t, 201)
		if !decode[object](t, r).isNull("municipality") {
			t.Errorf("municipality must be present as null: %s", r.body)
		}
	})
	t.Run("RegisterErrors", func(t *testing.T) {
		ts.checkStatuses(t, []statusCase{
			{name: "email taken in another case", method: "POST", path: "/api/v1/accounts", body: map[string]any{"email": "AINO@example.fi", "password": "0123456789", "name": "Aino"}, status: 409, code: "conflict"},
			{name: "wrong type", method: "POST", path: "/api/v1/accounts", body: `{"email": 5}`, status: 400},
			{name: "not JSON", method: "POST", path: "/api/v1/accounts", body: `{not json`, status: 400, code: "invalid"},
			{name: "no body", method: "POST", path: "/api/v1/accounts", status: 400},
		})
		t.Run("broken rules name their fields", func(t *testing.T) {
			r := ts.do("POST", "/api/v1/accounts", map[string]any{"email": "b@example.fi", "password": "short", "name": ""}, "").want(t, 422)
			r.wantCode(t, "invalid").wantFields(t, "password", "name")
		})
	})
	t.Run("Session", func(t *testing.T) {
		t.Run("unknown email and wrong password answer alike", func(t *testing.T) {
			ts.do("POST", "/api/v1/session", map[string]any{"email": "aino@example.fi", "password": "wrong-password"}, "").want(t, 401)
			unknown := ts.do("POST", "/api/v1/session", map[string]any{"email": "nobody@example.fi", "password": "wrong-password"}, "").want(t, 401)
			wrong := ts.do("POST", "/api/v1/session", map[string]any{"email": "aino@example.fi", "password": "wrong-password"}, "").want(t, 401)
			if string(unknown.body) != string(wrong.body) {
				t.Errorf("unknown email and wrong password answer differently: %s / %s", unknown.body, wrong.body)
			}
		})
		var token string
		mustRun(t, "sign in, the email in any case", func(t *testing.T) {
			r := ts.do("POST", "/api/v1/session", map[string]any{"email": "AINO@example.fi", "password": "0123456789"}, "").want(t, 200)
			s := decode[struct {
				Token   string      `json:"token"`
				Account accountJSON `json:"account"`
			}](t, r)
			if s.Token == "" || s.Account.Email != "aino@example.fi" {
				t.Fatalf("session %s", r.body)
			}
			token = s.Token
		})
		t.Run("me with the token", func(t *testing.T) {
			if me := decode[accountJSON](t, ts.do("GET", "/api/v1/me", nil, token).want(t, 200)); me.Email != "aino@example.fi" {
				t.Errorf("me %+v", me)
			}
		})
		ts.checkStatuses(t, []statusCase{
			{name: "me without a token", method: "GET", path: "/api/v1/me", status: 401},
			{name: "me with a garbage token", method: "GET", path: "/api/v1/me", token: "garbage", status: 401},
			{name: "sign out", method: "DELETE", path: "/api/v1/session", token: token, status: 204},
			{name: "me after signing out", method: "GET", path: "/api/v1/me", token: token, status: 401},
			{name: "sign out without a token", method: "DELETE", path: "/api/v1/session", status: 401},
		})
	})
}

func TestExportAndDeleteMe(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token, _ := ts.signUp("leaving@example.fi", "official")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "kept", "title": "Kept", "description": ""}, token).want(t, 201)

	t.Run("export holds the account and its process", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/me/export", nil, token).want(t, 200)
		x := decode[struct {
			Data struct {
				Processes []json.RawMessage `json:"processes"`
				Accounts  []struct {
					Email string `json:"email"`
				} `json:"accounts"`
			} `json:"data"`
		}](t, r)
		if len(x.Data.Processes) != 1 || len(x.Data.Accounts) == 0 || x.Data.Accounts[0].Email != "leaving@example.fi" {
			t.Errorf("export %s", r.body)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "export needs a bearer", method: "GET", path: "/api/v1/me/export", status: 401},
		{name: "erase", method: "DELETE", path: "/api/v1/me", token: token, status: 204},
		{name: "the session ended", method: "GET", path: "/api/v1/me", token: token, status: 401},
		{name: "no more sign-in", method: "POST", path: "/api/v1/session", body: map[string]any{"email": "leaving@example.fi", "password": "correct horse battery"}, status: 401},
		{name: "the process stays", method: "GET", path: "/api/v1/processes/kept", status: http.StatusOK},
	})
}

func TestLoginThrottlePerAddress(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) { c.LoginAddressLimit = 3 })
	for i := 0; i < 3; i++ {
		ts.do("POST", "/api/v1/session", map[string]any{"email": "x" + itoa(int64(i)) + "@example.fi", "password": "wrong-password"}, "").want(t, 401)
	}
	ts.do("POST", "/api/v1/session", map[string]any{"email": "y@example.fi", "password": "wrong-password"}, "").want(t, 429).wantCode(t, "rate_limited")
}

// TestUpdateMe: PATCH /api/v1/me changes the message settings it is given
// and answers the account with them; a field left out stays.
func TestUpdateMe(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token, _ := ts.signUp("liisa@example.fi")
	type meJSON struct {
		accountJSON
		EmailNotifications bool   `json:"email_notifications"`
		Lang               string `json:"lang"`
	}
	mustRun(t, "both", func(t *testing.T) {
		me := decode[meJSON](t, ts.do("PATCH", "/api/v1/me", map[string]any{"email_notifications": true, "lang": "en"}, token).want(t, 200))
		if !me.EmailNotifications || me.Lang != "en" || me.Email != "liisa@example.fi" || !slices.Equal(me.Roles, []string{"citizen"}) {
			t.Errorf("me %+v", me)
		}
	})
	t.Run("one, the other stays", func(t *testing.T) {
		if me := decode[meJSON](t, ts.do("PATCH", "/api/v1/me", map[string]any{"lang": "sv"}, token).want(t, 200)); !me.EmailNotifications || me.Lang != "sv" {
			t.Errorf("me %+v", me)
		}
		if me := decode[meJSON](t, ts.do("PATCH", "/api/v1/me", map[string]any{}, token).want(t, 200)); !me.EmailNotifications || me.Lang != "sv" {
			t.Errorf("me %+v", me)
		}
	})
	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "PATCH", path: "/api/v1/me", body: map[string]any{"lang": "fi"}, status: 401},
		{name: "wrong type", method: "PATCH", path: "/api/v1/me", body: `{"email_notifications": "yes"}`, token: token, status: 400, code: "invalid"},
		{name: "no body", method: "PATCH", path: "/api/v1/me", token: token, status: 400},
	})
	t.Run("a language without messages", func(t *testing.T) {
		ts.do("PATCH", "/api/v1/me", map[string]any{"email_notifications": false, "lang": "de"}, token).want(t, 422).wantCode(t, "invalid").wantFields(t, "lang")
		// Nothing was changed: the whole request is refused.
		if me := decode[meJSON](t, ts.do("PATCH", "/api/v1/me", map[string]any{}, token).want(t, 200)); !me.EmailNotifications || me.Lang != "sv" {
			t.Errorf("me %+v", me)
		}
	})
}
