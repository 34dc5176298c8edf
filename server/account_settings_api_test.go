package server_test

import (
	"testing"

	"osallistu/participation"
)

// linkToken reads the token of the newest message of kind to an address
// (written to the address, or to the account that has it), as its
// recipient finds it in the emailed link; "" when there is none.
func linkToken(t *testing.T, ts *testServer, kind, address string) string {
	t.Helper()
	var tokens []string
	if err := ts.store.DB().Select(&tokens, `
		SELECT o.params->>'token' FROM outbox o LEFT JOIN accounts a ON a.id = o.account_id
		WHERE o.kind = $1 AND coalesce(o.email, a.email) = $2 ORDER BY o.id DESC LIMIT 1`, kind, address); err != nil {
		t.Fatal(err)
	}
	if len(tokens) == 0 {
		return ""
	}
	return tokens[0]
}

// TestEmailConfirmationAPI: an account signed up through the API works at
// once, as API.md says, and gets a link that confirms its address; the
// link works once, and can be sent again while the address is unconfirmed.
func TestEmailConfirmationAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	a := decode[accountJSON](t, ts.do("POST", "/api/v1/accounts", map[string]any{"email": "Aino@Example.fi", "password": "correct horse battery", "name": "Aino"}, "").want(t, 201))
	if a.EmailConfirmed {
		t.Fatalf("confirmed at once: %+v", a)
	}
	token := mustSession(t, ts, "aino@example.fi")
	// Unconfirmed, it does everything API.md allows.
	ts.do("POST", "/api/v1/organisations", map[string]any{"name": "Aino ry"}, token).want(t, 201)
	link := linkToken(t, ts, participation.MessageEmailConfirmation, "aino@example.fi")
	if link == "" {
		t.Fatal("no confirmation link")
	}
	mustRun(t, "send again", func(t *testing.T) {
		ts.do("POST", "/api/v1/me/email-confirmation", nil, token).want(t, 202)
		ts.do("POST", "/api/v1/me/email-confirmation", nil, "").want(t, 401)
		if again := linkToken(t, ts, participation.MessageEmailConfirmation, "aino@example.fi"); again == link || again == "" {
			t.Fatalf("the link sent again %q", again)
		}
	})
	mustRun(t, "confirm", func(t *testing.T) {
		got := decode[accountJSON](t, ts.do("POST", "/api/v1/email-confirmations", map[string]any{"token": link}, "").want(t, 200))
		if !got.EmailConfirmed || got.ID != a.ID || got.Email != "aino@example.fi" {
			t.Fatalf("%+v", got)
		}
		if me := decode[accountJSON](t, ts.do("GET", "/api/v1/me", nil, token).want(t, 200)); !me.EmailConfirmed {
			t.Fatalf("me %+v", me)
		}
	})
	t.Run("ErrUsedOrUnknown", func(t *testing.T) {
		ts.do("POST", "/api/v1/email-confirmations", map[string]any{"token": link}, "").want(t, 404).wantCode(t, "not_found")
		ts.do("POST", "/api/v1/email-confirmations", map[string]any{"token": "guess"}, "").want(t, 404).wantCode(t, "not_found")
		ts.do("POST", "/api/v1/email-confirmations", map[string]any{}, "").want(t, 422).wantCode(t, "invalid")
		ts.do("POST", "/api/v1/me/email-confirmation", nil, token).want(t, 409).wantCode(t, "conflict")
	})
}

// TestChangeEmailAPI: the new address is the account's once the link sent
// to it is opened; a taken one, in any case, is 409.
func TestChangeEmailAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token, a := ts.signUp("aino@example.fi")
	ts.signUp("taken@example.fi")
	ts.do("POST", "/api/v1/me/email", map[string]any{"email": "TAKEN@example.fi"}, token).want(t, 409).wantCode(t, "conflict").wantFields(t, "email")
	ts.do("POST", "/api/v1/me/email", map[string]any{"email": "not an address"}, token).want(t, 422).wantCode(t, "invalid").wantFields(t, "email")
	ts.do("POST", "/api/v1/me/email", map[string]any{"email": "x@example.fi"}, "").want(t, 401)
	ts.do("POST", "/api/v1/me/email", map[string]any{"email": "Aino.Uusi@example.fi"}, token).want(t, 202)
	if me := decode[accountJSON](t, ts.do("GET", "/api/v1/me", nil, token).want(t, 200)); me.Email != "aino@example.fi" {
		t.Fatalf("changed before the link: %+v", me)
	}
	link := linkToken(t, ts, participation.MessageEmailChange, "aino.uusi@example.fi")
	got := decode[accountJSON](t, ts.do("POST", "/api/v1/email-confirmations", map[string]any{"token": link}, "").want(t, 200))
	if got.ID != a.ID || got.Email != "aino.uusi@example.fi" || !got.EmailConfirmed {
		t.Fatalf("%+v", got)
	}
	ts.do("POST", "/api/v1/session", map[string]any{"email": "aino.uusi@example.fi", "password": "correct horse battery"}, "").want(t, 200)
	ts.do("POST", "/api/v1/session", map[string]any{"email": "aino@example.fi", "password": "correct horse battery"}, "").want(t, 401)
}

// TestChangePasswordAPI: the current password is needed; the token that
// changed it stays, the account's other sessions end.
func TestChangePasswordAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token, _ := ts.signUp("aino@example.fi")
	other := mustSession(t, ts, "aino@example.fi")
	ts.do("PUT", "/api/v1/me/password", map[string]any{"current_password": "wrong horse battery", "new_password": "a brand new passphrase"}, token).
		want(t, 422).wantCode(t, "invalid").wantFields(t, "current_password")
	ts.do("PUT", "/api/v1/me/password", map[string]any{"current_password": "correct horse battery", "new_password": "password1"}, token).
		want(t, 422).wantCode(t, "invalid").wantFields(t, "new_password")
	ts.do("PUT", "/api/v1/me/password", map[string]any{"current_password": "correct horse battery"}, token).want(t, 422)
	ts.do("GET", "/api/v1/me", nil, other).want(t, 200)
	ts.do("PUT", "/api/v1/me/password", map[string]any{"current_password": "correct horse battery", "new_password": "a brand new passphrase"}, token).want(t, 204)
	ts.do("GET", "/api/v1/me", nil, token).want(t, 200)
	ts.do("GET", "/api/v1/me", nil, other).want(t, 401)
	ts.do("POST", "/api/v1/session", map[string]any{"email": "aino@example.fi", "password": "a brand new passphrase"}, "").want(t, 200)
	ts.do("POST", "/api/v1/session", map[string]any{"email": "aino@example.fi", "password": "correct horse battery"}, "").want(t, 401)
}

// TestUpdateMeDetails: PATCH /me changes the name and municipality beside
// the message settings; null removes the municipality, a field left out
// stays; bad input saves nothing.
func TestUpdateMeDetails(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token, _ := ts.signUp("aino@example.fi")
	got := decode[accountJSON](t, ts.do("PATCH", "/api/v1/me", map[string]any{"name": " Aino Aalto ", "municipality": "Helsingfors"}, token).want(t, 200))
	if got.Name != "Aino Aalto" || got.Municipality == nil || *got.Municipality != "Helsinki" || !got.EmailConfirmed {
		t.Fatalf("%+v", got)
	}
	got = decode[accountJSON](t, ts.do("PATCH", "/api/v1/me", map[string]any{"lang": "sv"}, token).want(t, 200))
	if got.Name != "Aino Aalto" || got.Municipality == nil {
		t.Fatalf("a field left out changed: %+v", got)
	}
	ts.do("PATCH", "/api/v1/me", map[string]any{"name": "", "lang": "en"}, token).want(t, 422).wantCode(t, "invalid").wantFields(t, "name")
	ts.do("PATCH", "/api/v1/me", map[string]any{"name": "Uusi", "lang": "de"}, token).want(t, 422).wantCode(t, "invalid").wantFields(t, "lang")
	ts.do("PATCH", "/api/v1/me", map[string]any{"name": 5}, token).want(t, 400)
	got = decode[accountJSON](t, ts.do("PATCH", "/api/v1/me", map[string]any{"municipality": nil}, token).want(t, 200))
	if got.Name != "Aino Aalto" || got.Municipality != nil {
		t.Fatalf("after bad input and a null municipality: %+v", got)
	}
	var lang string
	if err := ts.store.DB().Get(&lang, `SELECT lang FROM accounts WHERE email = 'aino@example.fi'`); err != nil || lang != "sv" {
		t.Fatalf("a refused update saved the language: %q %v", lang, err)
	}
}
