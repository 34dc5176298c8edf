package server_test

import (
	"net/url"
	"testing"
)

func TestSignInRedirectStaysOnSite(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.signUp("kirjautuja@example.fi")
	for _, tc := range []struct{ next, want string }{
		{"/account", "/account"},
		{"/\t/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/%2F/evil.example", "/"},
		{"/ /evil.example", "/"},
		{"/\\evil.example", "/"},
		{"//evil.example", "/"},
		{"/%2e%2e//evil.example", "/"},
		{"javascript:alert(1)", "/"},
	} {
		pc := ts.client("")
		r := pc.post(t, "/login", "/login", url.Values{"email": {"kirjautuja@example.fi"}, "password": {"correct horse battery"}, "next": {tc.next}}).want(t, 303)
		if loc := r.header.Get("Location"); loc != tc.want {
			t.Errorf("next %q: Location %q, want %q", tc.next, loc, tc.want)
		}
	}
	// The sign-in page does not carry a bad next into its form either.
	ts.do("GET", "/login?next=/%09/evil.example", nil, "").want(t, 200).contains(t, `name="next" value="/"`)
}
