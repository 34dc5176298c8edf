package server_test

import (
	"context"
	"strings"
	"testing"

	"osallistu/server"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	r := ts.do("GET", "/", nil, "").want(t, 200)
	t.Run("CSP: scripts from the site only, no framing", func(t *testing.T) {
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("CSP %q", csp)
		}
	})
	t.Run("nosniff and a referrer policy", func(t *testing.T) {
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") == "" {
			t.Errorf("headers %v", r.header)
		}
	})
}

func TestWriteRateLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) { c.WriteLimit = 2 })
	mustRun(t, "writes over the limit are rate_limited", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			ts.do("POST", "/api/v1/accounts", map[string]any{"email": "w" + itoa(int64(i)) + "@example.fi", "password": "0123456789", "name": "W"}, "").want(t, 201)
		}
		ts.do("POST", "/api/v1/accounts", map[string]any{"email": "w9@example.fi", "password": "0123456789", "name": "W"}, "").want(t, 429).wantCode(t, "rate_limited")
	})
	t.Run("reads are not limited", func(t *testing.T) {
		ts.do("GET", "/api/v1/processes", nil, "").want(t, 200)
	})
	t.Run("the refused request stored nothing", func(t *testing.T) {
		if _, err := ts.store.CreateSession(context.Background(), "w9@example.fi", "0123456789"); err == nil {
			t.Error("the refused registration was stored")
		}
	})
}
