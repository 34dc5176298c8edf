package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"osallistu/server"
)

func TestErrorShape(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) { c.BodyLimit = 1024 })
	base := ts.listen()
	t.Run("an unknown API route is not_found with a message", func(t *testing.T) {
		r := ts.do("GET", "/api/v1/no-such-thing", nil, "").want(t, 404)
		if e := r.wantCode(t, "not_found"); e.Error.Message == "" {
			t.Errorf("no message: %s", r.body)
		}
	})
	t.Run("a body over the limit is too_large", func(t *testing.T) {
		// It is refused while it is read, so it needs a real connection.
		res, err := http.Post(base+"/api/v1/accounts", "application/json", strings.NewReader(`{"name": "`+strings.Repeat("x", 4096)+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		response{status: res.StatusCode, body: body}.want(t, 413).wantCode(t, "too_large")
	})
	t.Run("pages get an error page, not JSON", func(t *testing.T) {
		r := ts.do("GET", "/no-such-page", nil, "").want(t, 404)
		if !strings.Contains(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("content type %s", r.header.Get("Content-Type"))
		}
	})
}
