package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"osallistu/participation/postgres/pgtest"
)

// lockedBuffer is a bytes.Buffer for a log that goroutines write to.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr returns a loopback address that nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// call sends a request with an optional JSON body and bearer token and
// returns the status and body; a failed connection is status 0.
func call(method, url, token string, body any) (int, []byte) {
	var header map[string]string
	if token != "" {
		header = map[string]string{"Authorization": "Bearer " + token}
	}
	return send(http.DefaultClient, method, url, header, body)
}

// eventually waits until f is true, failing t after a while.
func eventually(t *testing.T, what string, f func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !f(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain: %s", what)
		}
	}
}

// TestServeWithoutDatabase starts the server while nothing listens at the
// database's address (a stopped proxy), then brings the database up, takes
// it away and brings it back.
func TestServeWithoutDatabase(t *testing.T) {
	proxy := pgtest.NewProxy(t, pgtest.NewURL(t))
	proxy.Stop()
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	base := "http://" + addr
	e := env(map[string]string{
		"DATABASE_URL": proxy.URL(), "OSALLISTU_ADDR": addr, "OSALLISTU_METRICS_ADDR": metricsAddr,
		"OSALLISTU_ADMIN_EMAIL": "admin@example.fi", "OSALLISTU_ADMIN_PASSWORD": "admin-password-1",
	})
	var logs lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, e, strings.NewReader(""), io.Discard, &logs) }()
	defer func() {
		if t.Failed() {
			t.Logf("log:\n%s", logs.String())
		}
	}()

	wantUnavailable := func() {
		t.Helper()
		status, body := call("GET", base+"/api/v1/processes", "", nil)
		if status != 503 || !strings.Contains(string(body), `"unavailable"`) {
			t.Fatalf("without the database: %d %s", status, body)
		}
	}
	eventually(t, "/healthz answers", func() bool { s, _ := call("GET", base+"/healthz", "", nil); return s == 200 })
	if s, _ := call("GET", base+"/readyz", "", nil); s != 503 {
		t.Fatalf("/readyz %d without the database", s)
	}
	wantUnavailable()
	// Metrics: on their own address, not on the public one.
	if s, _ := call("GET", "http://"+metricsAddr+"/metrics", "", nil); s != 200 {
		t.Fatalf("metrics address: %d", s)
	}
	if s, _ := call("GET", base+"/metrics", "", nil); s != 404 {
		t.Fatalf("/metrics on the public address: %d", s)
	}
	eventually(t, "a logged retry", func() bool {
		return strings.Contains(logs.String(), "level=WARN msg=\"the database cannot be reached; trying again\"")
	})

	proxy.Start()
	eventually(t, "/readyz answers 200", func() bool { s, _ := call("GET", base+"/readyz", "", nil); return s == 200 })
	// The pages too: the server has its secret for their forms.
	if s, body := call("GET", base+"/login", "", nil); s != 200 || !strings.Contains(string(body), `name="_csrf"`) {
		t.Fatalf("sign-in page: %d %.200s", s, body)
	}
	// The admin account was made once the database came up.
	status, body := call("POST", base+"/api/v1/session", "", map[string]string{"email": "admin@example.fi", "password": "admin-password-1"})
	var sess struct{ Token string }
	if status != 200 || json.Unmarshal(body, &sess) != nil || sess.Token == "" {
		t.Fatalf("sign in: %d %s", status, body)
	}
	if status, body := call("POST", base+"/api/v1/processes", sess.Token, map[string]string{"slug": "katkon-jalkeen", "title": "Katkon jälkeen", "description": "Tietokanta palasi."}); status != 201 {
		t.Fatalf("create process: %d %s", status, body)
	}

	proxy.Stop()
	wantUnavailable()
	proxy.Start()
	eventually(t, "the API after the outage", func() bool {
		s, body := call("GET", base+"/api/v1/processes", "", nil)
		return s == 200 && strings.Contains(string(body), "katkon-jalkeen")
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// startServe runs serve with the environment e, on an address of its own,
// until the test ends, and returns its base URL once it is ready.
func startServe(t *testing.T, e map[string]string) string {
	t.Helper()
	addr := freeAddr(t)
	e["OSALLISTU_ADDR"] = addr
	var logs lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, env(e), strings.NewReader(""), io.Discard, &logs) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if t.Failed() {
			t.Logf("log of %s:\n%s", addr, logs.String())
		}
	})
	base := "http://" + addr
	eventually(t, "/readyz answers 200", func() bool { s, _ := call("GET", base+"/readyz", "", nil); return s == 200 })
	return base
}

// TestServeSecret: with OSALLISTU_SECRET, instances sign their forms with
// it, not with their database's secret: an instance on another database
// takes a form that one served.
func TestServeSecret(t *testing.T) {
	secret := strings.Repeat("jaettu salaisuus ", 3)
	a := startServe(t, map[string]string{"DATABASE_URL": pgtest.NewURL(t), "OSALLISTU_SECRET": secret})
	b := startServe(t, map[string]string{"DATABASE_URL": pgtest.NewURL(t), "OSALLISTU_SECRET": secret})
	c := startServe(t, map[string]string{"DATABASE_URL": pgtest.NewURL(t)})

	res, err := http.Get(a + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "osallistu_csrf" {
			cookie = c
		}
	}
	if cookie == nil || !strings.Contains(string(body), `name="_csrf" value="`+cookie.Value+`"`) {
		t.Fatalf("no CSRF token in the sign-in page: %v %.300s", res.Cookies(), body)
	}
	form := url.Values{"_csrf": {cookie.Value}, "email": {"nobody@example.fi"}, "password": {"wrong password"}}
	post := func(base string) int {
		t.Helper()
		req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(cookie)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// The sign-in itself fails (no such account): the form was taken.
	if s := post(b); s == http.StatusForbidden || s >= 500 {
		t.Errorf("the other instance with the same secret: status %d", s)
	}
	if s := post(c); s != http.StatusForbidden {
		t.Errorf("an instance with its database's secret: status %d, want 403", s)
	}
}
