package server_test

import (
	"net/url"
	"strings"
	"testing"

	"osallistu/participation"
)

// TestAccountDetailsPages: on the account page a person changes their name
// and municipality, asks for a new address (which changes when its link is
// opened), sends the confirmation link again, and changes the password;
// bad input shows the form's own errors and saves nothing.
func TestAccountDetailsPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.do("POST", "/api/v1/accounts", map[string]any{"email": "aino@example.fi", "password": "correct horse battery", "name": "Aino"}, "").want(t, 201)
	token := mustSession(t, ts, "aino@example.fi")
	other := mustSession(t, ts, "aino@example.fi")
	pc := ts.client(token)

	t.Run("unconfirmed, the link can be sent again", func(t *testing.T) {
		pc.get("/account?lang=en").want(t, 200).contains(t, "Not confirmed", `action="/account/email-confirmation"`)
		first := linkToken(t, ts, participation.MessageEmailConfirmation, "aino@example.fi")
		pc.post(t, "/account", "/account/email-confirmation", nil).redirectsTo(t, "/account")
		pc.get("/account?lang=en").contains(t, "We sent a new confirmation link")
		again := linkToken(t, ts, participation.MessageEmailConfirmation, "aino@example.fi")
		if again == first || again == "" {
			t.Fatal("no new link")
		}
		anon := ts.client("")
		anon.get("/account/confirm-email?token="+url.QueryEscape(again)+"&lang=en").want(t, 200).contains(t, "Confirm address")
		anon.post(t, "/account/confirm-email?token="+url.QueryEscape(again), "/account/confirm-email", url.Values{"token": {again}}).redirectsTo(t, "/login?next=/account")
		pc.get("/account?lang=en").contains(t, "Confirmed")
		anon.post(t, "/account/confirm-email?token="+url.QueryEscape(again), "/account/confirm-email", url.Values{"token": {again}}).want(t, 404).
			contains(t, "link is not valid")
	})
	t.Run("details", func(t *testing.T) {
		r := pc.post(t, "/account", "/account/details", url.Values{"name": {" "}, "municipality": {"Tampere"}}).want(t, 422)
		r.contains(t, `id="name-error"`, `value="Tampere"`)
		if n := strings.Count(string(r.body), `id="error-summary-title"`); n != 1 {
			t.Errorf("%d error summaries", n)
		}
		pc.post(t, "/account", "/account/details", url.Values{"name": {"Aino Aalto"}, "municipality": {"helsingfors"}}).redirectsTo(t, "/account")
		pc.get("/account?lang=en").contains(t, "Your details have been saved.", "Aino Aalto", `value="Helsinki"`)
		pc.post(t, "/account", "/account/details", url.Values{"name": {"Aino Aalto"}, "municipality": {""}}).redirectsTo(t, "/account")
		if a, _ := ts.store.FindAccountByToken(t.Context(), token); a.Municipality != nil || a.Name != "Aino Aalto" {
			t.Errorf("%+v", a)
		}
	})
	t.Run("email", func(t *testing.T) {
		ts.signUp("taken@example.fi")
		pc.post(t, "/account", "/account/email", url.Values{"email": {"Taken@example.fi"}}).want(t, 409).contains(t, `id="email-error"`)
		pc.post(t, "/account", "/account/email", url.Values{"email": {"aino.uusi@example.fi"}}).redirectsTo(t, "/account")
		pc.get("/account?lang=en").contains(t, "We sent a link to the new address.", "aino@example.fi")
		link := linkToken(t, ts, participation.MessageEmailChange, "aino.uusi@example.fi")
		pc.post(t, "/account", "/account/confirm-email", url.Values{"token": {link}}).redirectsTo(t, "/account")
		pc.get("/account?lang=en").contains(t, "Your email address has been confirmed.", "aino.uusi@example.fi")
	})
	t.Run("password", func(t *testing.T) {
		pc.post(t, "/account", "/account/password", url.Values{"current_password": {"wrong horse battery"}, "new_password": {"a brand new passphrase"},
			"new_password_again": {"a brand new passphrase"}}).want(t, 422).contains(t, `id="current_password-error"`, "The password is wrong.")
		pc.post(t, "/account", "/account/password", url.Values{"current_password": {"correct horse battery"}, "new_password": {"a brand new passphrase"},
			"new_password_again": {"another passphrase"}}).want(t, 422).contains(t, `id="new_password_again-error"`)
		ts.do("GET", "/api/v1/me", nil, other).want(t, 200)
		pc.post(t, "/account", "/account/password", url.Values{"current_password": {"correct horse battery"}, "new_password": {"a brand new passphrase"},
			"new_password_again": {"a brand new passphrase"}}).redirectsTo(t, "/account")
		pc.get("/account?lang=en").want(t, 200).contains(t, "Your password has been changed.")
		ts.do("GET", "/api/v1/me", nil, other).want(t, 401)
	})
}

// TestPasswordResetPages: the sign-in page offers the forgotten password
// page, which answers alike whether the address has an account; the link
// sets a new password once and signs the account out everywhere.
func TestPasswordResetPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token, _ := ts.signUp("aino@example.fi")
	pc := ts.client("")
	pc.get("/login?lang=en").want(t, 200).contains(t, `href="/password/forgot"`, "Forgot your password?")
	known := pc.post(t, "/password/forgot", "/password/forgot", url.Values{"email": {"aino@example.fi"}}).want(t, 200)
	unknown := pc.post(t, "/password/forgot", "/password/forgot", url.Values{"email": {"nobody@example.fi"}}).want(t, 200)
	a := strings.ReplaceAll(string(mainOf.Find(known.body)), "aino@example.fi", "ADDRESS")
	b := strings.ReplaceAll(string(mainOf.Find(unknown.body)), "nobody@example.fi", "ADDRESS")
	if a == "" || a != b {
		t.Errorf("the answers differ:\n%s\n---\n%s", a, b)
	}
	pc.post(t, "/password/forgot", "/password/forgot", url.Values{"email": {"not an address"}}).want(t, 422).contains(t, `id="email-error"`)
	link := linkToken(t, ts, participation.MessagePasswordReset, "aino@example.fi")
	page := "/password/reset?token=" + url.QueryEscape(link)
	pc.get(page+"&lang=en").want(t, 200).contains(t, "Choose a new password")
	pc.post(t, page, "/password/reset", url.Values{"token": {link}, "password": {"a brand new passphrase"}, "password_again": {"other"}}).
		want(t, 422).contains(t, `id="password_again-error"`)
	pc.post(t, page, "/password/reset", url.Values{"token": {link}, "password": {"a brand new passphrase"}, "password_again": {"a brand new passphrase"}}).
		redirectsTo(t, "/login")
	ts.do("GET", "/api/v1/me", nil, token).want(t, 401)
	pc.get("/login?lang=en").contains(t, "Your new password has been set.")
	r := pc.get(page+"&lang=en").want(t, 404)
	r.contains(t, "This link is not valid", `href="/password/forgot"`)
	pc.get("/password/reset?lang=en").want(t, 404)
}
