package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"osallistu/server"
)

// rawRequest sends raw bytes over a real connection and reads the status
// and body of the answer: fasthttp refuses oversized headers and bodies
// while it reads them, before any routing, which app.Test does not go
// through.
func rawRequest(t *testing.T, base, request string) (int, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	go conn.Write([]byte(request)) // the server may answer before it has read it all
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

// TestHostileSizes sends requests over TCP whose headers or body are too
// large: headers over 8 KiB are 431 and bodies over the limit 413, both
// with the JSON error shape, too_large, on the API; JSON bodies on the API
// are limited to 1 MiB; headers under 8 KiB pass.
func TestHostileSizes(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) { c.BodyLimit = 4 << 20 })
	base := ts.listen()
	get := func(path, header string) string {
		return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + header + "\r\nConnection: close\r\n\r\n"
	}
	post := func(path string, body []byte) string {
		return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", path, len(body), body)
	}
	tooLarge := func(t *testing.T, status int, body []byte, want int) {
		t.Helper()
		if status != want {
			t.Fatalf("status %d, want %d; body %.300s", status, want, body)
		}
		if p := errorShape(body); p != "" {
			t.Fatalf("%s: %.300s", p, body)
		}
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		if json.Unmarshal(body, &e); e.Error.Code != "too_large" {
			t.Fatalf("code %q, want too_large", e.Error.Code)
		}
	}
	t.Run("headers under 8 KiB", func(t *testing.T) {
		if status, body := rawRequest(t, base, get("/api/v1/processes", strings.Repeat("a", 7<<10))); status != 200 {
			t.Fatalf("status %d; body %.300s", status, body)
		}
	})
	t.Run("headers over 8 KiB", func(t *testing.T) {
		status, body := rawRequest(t, base, get("/api/v1/processes", strings.Repeat("a", 9<<10)))
		tooLarge(t, status, body, 431)
	})
	t.Run("many headers over 8 KiB", func(t *testing.T) {
		var h strings.Builder
		for i := range 200 {
			fmt.Fprintf(&h, "X-H%d: %s\r\n", i, strings.Repeat("b", 50))
		}
		status, body := rawRequest(t, base, "GET /api/v1/processes HTTP/1.1\r\nHost: localhost\r\n"+h.String()+"Connection: close\r\n\r\n")
		tooLarge(t, status, body, 431)
	})
	t.Run("body over the limit", func(t *testing.T) {
		status, body := rawRequest(t, base, post("/api/v1/accounts", bytes.Repeat([]byte("a"), 5<<20)))
		tooLarge(t, status, body, 413)
	})
	t.Run("JSON body over 1 MiB", func(t *testing.T) {
		big, _ := json.Marshal(map[string]any{"email": "big@example.fi", "password": "correct horse battery", "name": strings.Repeat("a", 1<<20)})
		status, body := rawRequest(t, base, post("/api/v1/accounts", big))
		tooLarge(t, status, body, 413)
	})
	t.Run("page with headers over 8 KiB", func(t *testing.T) {
		// The request line is not read then: pages get the same answer.
		status, body := rawRequest(t, base, get("/processes/new", strings.Repeat("a", 9<<10)))
		tooLarge(t, status, body, 431)
	})
	t.Run("NUL in a page's form", func(t *testing.T) {
		form := "email=a%00b%40example.fi&password=x"
		status, body := rawRequest(t, base, fmt.Sprintf("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(form), form))
		if status != 400 || !bytes.Contains(body, []byte("<html")) {
			t.Fatalf("status %d, want 400 with the error page; body %.300s", status, body)
		}
	})
}
