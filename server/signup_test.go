package server_test

import (
	"net/url"
	"testing"
)

func TestSignUpRefusesWeakPasswords(t *testing.T) {
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
		pc := ts.client(t, "")
		r := pc.post("/register?lang="+lang, "/register", url.Values{"email": {"c@example.fi"}, "name": {"C"}, "password": {"Qwerty1234"}, "password_again": {"Qwerty1234"}}).want(t, 422)
		r.contains(t, want[0])
		r = pc.post("/register?lang="+lang, "/register", url.Values{"email": {"pekka.saaksjarvi@example.fi"}, "name": {"Pekka"}, "password": {"pekka.saaksjarvi"}, "password_again": {"pekka.saaksjarvi"}}).want(t, 422)
		r.contains(t, want[1])
	}
}
