package server_test

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// addressClient is an HTTP client whose connections come from the loopback
// address local, so that a test can be two people on two addresses.
func addressClient(t *testing.T, local string) *http.Client {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	return &http.Client{
		Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true},
		Timeout:   30 * time.Second,
	}
}

// postJSON sends body as JSON and returns the status.
func postJSON(t *testing.T, client *http.Client, url string, body any) int {
	t.Helper()
	status, _ := sendFrom(t, client, "POST", url, body)
	return status
}

func TestSignInLockoutPerAddress(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.store.SetLoginDelay(func(int) time.Duration { return 0 }) // the store's tests time the delay
	ts.signUp("omistaja@example.fi")
	base := ts.listen()
	attacker, owner := addressClient(t, "127.0.0.2"), addressClient(t, "127.0.0.3")

	for i := 0; i < 10; i++ {
		if st := postJSON(t, attacker, base+"/api/v1/session", map[string]any{"email": "omistaja@example.fi", "password": "guess-number-" + itoa(int64(i))}); st != 401 {
			t.Fatalf("guess %d: status %d", i, st)
		}
	}
	// The attacker's address is locked out of the account, even with the right password ...
	if st := postJSON(t, attacker, base+"/api/v1/session", map[string]any{"email": "omistaja@example.fi", "password": "correct horse battery"}); st != 429 {
		t.Fatalf("the attacker's address: status %d, want 429", st)
	}
	// ... while the owner's address signs in.
	if st := postJSON(t, owner, base+"/api/v1/session", map[string]any{"email": "omistaja@example.fi", "password": "correct horse battery"}); st != 200 {
		t.Fatalf("the owner's address: status %d, want 200", st)
	}
}

func TestSignInRotatesCSRF(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.signUp("kirjautuja@example.fi")
	pc := ts.client("")
	pc.get("/login").want(t, 200)
	old := pc.cookies["osallistu_csrf"]
	if old == "" {
		t.Fatal("no CSRF cookie")
	}
	pc.post(t, "/login", "/login", url.Values{"email": {"kirjautuja@example.fi"}, "password": {"correct horse battery"}}).redirectsTo(t, "/")
	if pc.cookies["osallistu_csrf"] == old {
		t.Fatal("the CSRF cookie is the same after signing in")
	}
	// A form sent with the token from before the sign-in is refused ...
	cookies := pc.cookieHeader()
	if !strings.Contains(cookies, "osallistu_csrf=") {
		cookies += "; osallistu_csrf=" + old
	} else {
		cookies = strings.Replace(cookies, "osallistu_csrf="+pc.cookies["osallistu_csrf"], "osallistu_csrf="+old, 1)
	}
	ts.do("POST", "/logout", url.Values{"_csrf": {old}}.Encode(), "", "Cookie", cookies, "Content-Type", "application/x-www-form-urlencoded").want(t, 403)
	// ... and one with a token given after it is taken.
	pc.post(t, "/account", "/logout", nil).redirectsTo(t, "/")
}
