package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"osallistu/server"
)

func TestHealth(t *testing.T) {
	ts := newTestServer(t, func(c *server.Config) { c.MetricsToken = "scrape-token" })
	ts.do("GET", "/healthz", nil, "").want(t, 200)
	ts.do("GET", "/readyz", nil, "").want(t, 200)
	ts.do("GET", "/api/v1/processes", nil, "").want(t, 200)
	m := ts.do("GET", "/metrics", nil, "scrape-token").want(t, 200)
	for _, want := range []string{`osallistu_http_requests_total{method="GET",route="/api/v1/processes",status="200"} 1`, "osallistu_http_request_duration_seconds_bucket"} {
		if !strings.Contains(string(m.body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestErrorShape(t *testing.T) {
	ts := newTestServer(t, func(c *server.Config) { c.BodyLimit = 1024 })
	r := ts.do("GET", "/api/v1/no-such-thing", nil, "").want(t, 404)
	if r.errorCode(t) != "not_found" || r.json(t)["error"].(map[string]any)["message"] == "" {
		t.Fatalf("body %s", r.body)
	}
	// A body over the limit is refused while it is read, so it needs a real connection.
	res, err := http.Post(ts.listen()+"/api/v1/accounts", "application/json", strings.NewReader(`{"name": "`+strings.Repeat("x", 4096)+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	r = response{status: res.StatusCode, body: body}.want(t, 413)
	if r.errorCode(t) != "too_large" {
		t.Fatalf("body %s", r.body)
	}
	// Pages get an error page, not JSON.
	r = ts.do("GET", "/no-such-page", nil, "").want(t, 404)
	if !strings.Contains(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("content type %s", r.header.Get("Content-Type"))
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	r := ts.do("GET", "/", nil, "").want(t, 200)
	csp := r.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") == "" {
		t.Errorf("headers %v", r.header)
	}
}

// TestOpenAPICoversRoutes fails when a registered /api/v1 route is missing
// from the OpenAPI document, or the document names a route that is not there.
func TestOpenAPICoversRoutes(t *testing.T) {
	ts := newTestServer(t)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(ts.do("GET", "/api/v1/openapi.json", nil, "").want(t, 200).body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	registered := map[string]bool{}
	for _, r := range ts.App.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == "HEAD" {
			continue
		}
		path := param.ReplaceAllString(r.Path, "{$1}")
		key := strings.ToLower(r.Method) + " " + path
		registered[key] = true
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is not in the OpenAPI document", r.Method, path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			if !registered[method+" "+path] {
				t.Errorf("the OpenAPI document describes %s %s, which is not registered", method, path)
			}
		}
	}
}

func TestWriteRateLimit(t *testing.T) {
	ts := newTestServer(t, func(c *server.Config) { c.WriteLimit = 2 })
	for i := 0; i < 2; i++ {
		ts.do("POST", "/api/v1/accounts", map[string]any{"email": "w" + itoa(int64(i)) + "@example.fi", "password": "0123456789", "name": "W"}, "").want(t, 201)
	}
	r := ts.do("POST", "/api/v1/accounts", map[string]any{"email": "w9@example.fi", "password": "0123456789", "name": "W"}, "").want(t, 429)
	if r.errorCode(t) != "rate_limited" {
		t.Fatal(r.errorCode(t))
	}
	// Reads are not limited.
	ts.do("GET", "/api/v1/processes", nil, "").want(t, 200)
	// Nothing was stored by the refused request.
	if _, err := ts.store.CreateSession(context.Background(), "w9@example.fi", "0123456789"); err == nil {
		t.Fatal("the refused registration was stored")
	}
}
