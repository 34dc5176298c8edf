package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
	"osallistu/server"
)

// doOn sends a request to app (the metrics app) with an optional
// Authorization header.
func doOn(t *testing.T, app *fiber.App, path, authorization string) response {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func TestMetricsAccess(t *testing.T) {
	t.Parallel()
	t.Run("NotPublic", func(t *testing.T) {
		ts := newTestServer(t)
		ts.do("GET", "/api/v1/processes", nil, "").want(t, 200)
		ts.do("GET", "/metrics", nil, "").want(t, 404)
		// The metrics address serves them, and nothing else.
		m := doOn(t, ts.MetricsApp, "/metrics", "").want(t, 200)
		if !strings.Contains(string(m.body), `osallistu_http_requests_total{method="GET",route="/api/v1/processes",status="200"} 1`) {
			t.Errorf("metrics:\n%s", m.body)
		}
		doOn(t, ts.MetricsApp, "/api/v1/processes", "").want(t, 404)
		doOn(t, ts.MetricsApp, "/healthz", "").want(t, 404)
	})
	t.Run("Token", func(t *testing.T) {
		const token = "scrape-token-0123456789"
		ts := newTestServer(t, func(c *server.Config) { c.MetricsToken = token })
		for _, app := range []*fiber.App{ts.App, ts.MetricsApp} {
			for _, bad := range []string{"", "Bearer ", "Bearer wrong", "Bearer " + token + "x", "Bearer " + token[:5], token, "Basic " + token} {
				r := doOn(t, app, "/metrics", bad).want(t, 401)
				if r.header.Get("WWW-Authenticate") == "" || strings.Contains(string(r.body), "osallistu_") {
					t.Errorf("%q: %v %s", bad, r.header, r.body)
				}
			}
			if m := doOn(t, app, "/metrics", "Bearer "+token).want(t, 200); !strings.Contains(string(m.body), "osallistu_http_request_duration_seconds") {
				t.Errorf("metrics:\n%s", m.body)
			}
		}
	})
	t.Run("MetricsAddress", func(t *testing.T) {
		ts := newTestServer(t)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		errc := make(chan error, 1)
		go func() { errc <- ts.ListenMetrics(addr) }()
		var res *http.Response
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if res, err = http.Get("http://" + addr + "/metrics"); err == nil || time.Now().After(deadline) {
				break
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := ts.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		if err := <-errc; err != nil {
			t.Fatalf("ListenMetrics after Shutdown: %v", err)
		}
	})
}

// unavailablePages are a word of the 503 page's title in each language.
var unavailablePages = map[string]string{"fi": "tilapäisesti", "sv": "tillfälligt", "en": "temporarily"}

// wantUnavailable checks the API's and the pages' answer while the
// database cannot be reached: 503, unavailable, and when to try again.
func (ts *testServer) wantUnavailable(t *testing.T, token string) {
	t.Helper()
	for _, r := range []response{
		ts.do("GET", "/api/v1/processes", nil, ""),
		ts.do("GET", "/api/v1/me", nil, token),
		ts.do("POST", "/api/v1/accounts", map[string]any{"email": "new@example.fi", "password": "correct horse battery", "name": "New"}, ""),
	} {
		r.want(t, 503)
		if e := r.wantCode(t, "unavailable"); e.Error.Message == "" || r.header.Get("Retry-After") == "" {
			t.Fatalf("body %s, headers %v", r.body, r.header)
		}
	}
	for lang, word := range unavailablePages {
		r := ts.do("GET", "/?lang="+lang, nil, "").want(t, 503)
		if !strings.Contains(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), word) {
			t.Fatalf("%s page: %s", lang, r.body)
		}
	}
	ts.do("GET", "/healthz", nil, "").want(t, 200)
	ts.do("GET", "/readyz", nil, "").want(t, 503)
}

// TestDatabaseOutage takes the database away under a running server (a
// proxy refuses connections and cuts the open ones) and brings it back.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	proxy := pgtest.NewProxy(t, pgtest.NewURL(t))
	ts := newTestServerOn(t, proxy.URL())
	token, _ := ts.signUp("citizen@example.fi")
	ts.do("GET", "/api/v1/me", nil, token).want(t, 200)

	proxy.Stop()
	ts.wantUnavailable(t, token)

	proxy.Start()
	ts.do("GET", "/readyz", nil, "").want(t, 200)
	ts.do("GET", "/api/v1/me", nil, token).want(t, 200)
	ts.do("GET", "/", nil, "").want(t, 200)
}

// TestNotReady: until Services.Ready says so, everything that needs the
// database answers 503 unavailable, signing in included; health checks
// and static files do not wait.
func TestNotReady(t *testing.T) {
	t.Parallel()
	store := postgres.NewStore(pgtest.New(t), nil)
	var ready atomic.Bool
	srv, err := server.New(server.DefaultConfig(), server.Services{
		Accounts: store, Processes: store, Ideas: store, Commitments: store, Workshops: store,
		Ping: store.DB().PingContext, Ready: ready.Load,
	})
	if err != nil {
		t.Fatal(err)
	}
	giveSecret(t, srv, store)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	ts := &testServer{Server: srv, store: store, t: t}
	token, _ := ts.signUp("citizen@example.fi")

	ts.wantUnavailable(t, token)
	ts.do("GET", "/static/css/site.css", nil, "").want(t, 200)
	doOn(t, ts.MetricsApp, "/metrics", "").want(t, 200)

	ready.Store(true)
	ts.do("GET", "/readyz", nil, "").want(t, 200)
	ts.do("GET", "/api/v1/me", nil, token).want(t, 200)
	ts.do("GET", "/api/v1/processes", nil, "").want(t, 200)
	ts.do("GET", "/", nil, "").want(t, 200)
}

func TestHealth(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) { c.MetricsToken = "scrape-token" })
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/processes"} {
		t.Run(path, func(t *testing.T) { ts.do("GET", path, nil, "").want(t, 200) })
	}
	t.Run("metrics count the requests by route", func(t *testing.T) {
		m := ts.do("GET", "/metrics", nil, "scrape-token").want(t, 200)
		for _, want := range []string{`osallistu_http_requests_total{method="GET",route="/api/v1/processes",status="200"} 1`, "osallistu_http_request_duration_seconds_bucket"} {
			if !strings.Contains(string(m.body), want) {
				t.Errorf("metrics lack %q", want)
			}
		}
	})
}
