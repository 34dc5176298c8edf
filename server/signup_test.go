package server_test

import (
	"net/url"
	"testing"

	"osallistu/server"
)

func TestSignUpLimitPerAddress(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) { c.SignUpAddressLimit = 3 })
	// Sign-ups that pass are not counted: a class may sign up together.
	for i := 0; i < 5; i++ {
		ts.do("POST", "/api/v1/accounts", map[string]any{"email": "oppilas" + itoa(int64(i)) + "@example.fi", "password": "correct horse battery", "name": "Oppilas"}, "").want(t, 201)
	}
	// Trying which emails are taken is.
	for i := 0; i < 3; i++ {
		r := ts.do("POST", "/api/v1/accounts", map[string]any{"email": "oppilas" + itoa(int64(i)) + "@example.fi", "password": "correct horse battery", "name": "Kokeilija"}, "").want(t, 409)
		r.wantCode(t, "conflict")
	}
	r := ts.do("POST", "/api/v1/accounts", map[string]any{"email": "oppilas3@example.fi", "password": "correct horse battery", "name": "Kokeilija"}, "").want(t, 429)
	r.wantCode(t, "rate_limited")
	// The registration page shares nothing with the API's count, but is
	// limited the same way. A taken email is no refusal there: the page
	// answers it as a new one (TestRegisterPage), so it tells nothing to count.
	pc := ts.client("")
	taken := url.Values{"email": {"oppilas0@example.fi"}, "name": {"K"}, "password": {"correct horse battery"}, "password_again": {"correct horse battery"}}
	pc.post(t, "/register", "/register", taken).want(t, 200)
	refused := url.Values{"email": {"oppilas0@example.fi"}, "name": {"K"}, "password": {"correct horse battery"}, "password_again": {"another horse battery"}}
	for i := 0; i < 3; i++ {
		pc.post(t, "/register", "/register", refused).want(t, 422)
	}
	pc.post(t, "/register", "/register", taken).want(t, 429)
}

func TestSignUpRefusesWeakPasswords(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, tc := range []struct {
		email, name, password, message string
	}{
		{"a@example.fi", "A", "password123", "is one of the most common passwords: choose another"},
		{"b@example.fi", "B", "QwertyUiop", "is one of the most common passwords: choose another"},
		{"aino.virtanen@example.fi", "A", "aino.virtanen", "must not contain your name or email address"},
		{"av@example.fi", "Aino Virtanen", "Virtanen-1987", "must not contain your name or email address"},
	} {
		r := ts.do("POST", "/api/v1/accounts", map[string]any{"email": tc.email, "password": tc.password, "name": tc.name}, "").want(t, 422)
		fields, _ := r.json(t)["error"].(map[string]any)["fields"].(map[string]any)
		if fields["password"] != tc.message {
			t.Errorf("%s: fields %v", tc.password, fields)
		}
	}
	for lang, want := range map[string][2]string{
		"fi": {"yksi yleisimmistä salasanoista", "Salasanassa ei saa olla nimeäsi"},
		"sv": {"ett av de vanligaste lösenorden", "Lösenordet får inte innehålla ditt namn"},
		"en": {"one of the most common passwords", "The password must not contain your name"},
	} {
		pc := ts.client("")
		r := pc.post(t, "/register?lang="+lang, "/register", url.Values{"email": {"c@example.fi"}, "name": {"C"}, "password": {"Qwerty1234"}, "password_again": {"Qwerty1234"}}).want(t, 422)
		r.contains(t, want[0])
		r = pc.post(t, "/register?lang="+lang, "/register", url.Values{"email": {"pekka.saaksjarvi@example.fi"}, "name": {"Pekka"}, "password": {"pekka.saaksjarvi"}, "password_again": {"pekka.saaksjarvi"}}).want(t, 422)
		r.contains(t, want[1])
	}
}
