package server_test

import (
	"testing"

	"osallistu/participation"
	"osallistu/server"
)

// TestPasswordResetAPI: asking for a reset link answers the same whether
// or not the address has an account; the link sets a new password once,
// ending every session; asking is limited per address.
func TestPasswordResetAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) { c.PasswordResetAddressLimit = 6 })
	token, _ := ts.signUp("aino@example.fi")
	known := ts.do("POST", "/api/v1/password-resets", map[string]any{"email": "Aino@Example.fi"}, "").want(t, 202)
	unknown := ts.do("POST", "/api/v1/password-resets", map[string]any{"email": "nobody@example.fi"}, "").want(t, 202)
	if string(known.body) != string(unknown.body) {
		t.Errorf("the answers differ: %q and %q", known.body, unknown.body)
	}
	if linkToken(t, ts, participation.MessagePasswordReset, "nobody@example.fi") != "" {
		t.Error("a link to an address without an account")
	}
	ts.do("POST", "/api/v1/password-resets", map[string]any{"email": "not an address"}, "").want(t, 422).wantCode(t, "invalid").wantFields(t, "email")
	link := linkToken(t, ts, participation.MessagePasswordReset, "aino@example.fi")
	if link == "" {
		t.Fatal("no link")
	}
	ts.do("POST", "/api/v1/password-resets/confirm", map[string]any{"token": link, "password": "short"}, "").want(t, 422).wantCode(t, "invalid").wantFields(t, "password")
	ts.do("POST", "/api/v1/password-resets/confirm", map[string]any{"token": link, "password": "a brand new passphrase"}, "").want(t, 204)
	ts.do("GET", "/api/v1/me", nil, token).want(t, 401)
	ts.do("POST", "/api/v1/session", map[string]any{"email": "aino@example.fi", "password": "a brand new passphrase"}, "").want(t, 200)
	ts.do("POST", "/api/v1/password-resets/confirm", map[string]any{"token": link, "password": "another passphrase here"}, "").want(t, 404).wantCode(t, "not_found")
	ts.do("POST", "/api/v1/password-resets/confirm", map[string]any{"token": "guess", "password": "another passphrase here"}, "").want(t, 404)
	t.Run("limited per address", func(t *testing.T) {
		// Three asks so far; the limit is six a minute, whatever the addresses.
		for range 3 {
			ts.do("POST", "/api/v1/password-resets", map[string]any{"email": "someone@example.fi"}, "").want(t, 202)
		}
		ts.do("POST", "/api/v1/password-resets", map[string]any{"email": "someone.else@example.fi"}, "").want(t, 429).wantCode(t, "rate_limited")
	})
}
