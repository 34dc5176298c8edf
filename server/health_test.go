package server_test

import (
	"strings"
	"testing"
)

func TestHealth(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/processes"} {
		t.Run(path, func(t *testing.T) { ts.do("GET", path, nil, "").want(t, 200) })
	}
	t.Run("metrics count the requests by route", func(t *testing.T) {
		m := ts.do("GET", "/metrics", nil, "").want(t, 200)
		for _, want := range []string{`osallistu_http_requests_total{method="GET",route="/api/v1/processes",status="200"} 1`, "osallistu_http_request_duration_seconds_bucket"} {
			if !strings.Contains(string(m.body), want) {
				t.Errorf("metrics lack %q", want)
			}
		}
	})
}
