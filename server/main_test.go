package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
	"osallistu/server"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testServer is a server on a fresh database.
type testServer struct {
	*server.Server
	store *postgres.Store
	t     testing.TB
}

func newTestServer(t testing.TB, configure ...func(*server.Config)) *testServer {
	t.Helper()
	return newTestServerOn(t, pgtest.NewURL(t), configure...)
}

// newTestServerOn is newTestServer on the database at url. Each call makes
// an instance of its own (connection pool, poll listener, live hub), as on
// separate machines behind a load balancer.
func newTestServerOn(t testing.TB, url string, configure ...func(*server.Config)) *testServer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	listener, err := postgres.NewListener(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listener.Close() })
	store := postgres.NewStore(db, nil)
	cfg := server.DefaultConfig()
	for _, f := range configure {
		f(&cfg)
	}
	srv, err := server.New(cfg, server.Services{
		Accounts:    store,
		Processes:   store,
		Ideas:       store,
		Commitments: store,
		Workshops:   store,
		PollChanges: listener.Events(),
		Ping:        store.DB().PingContext,
		CSRFStorage: store.TokenStore(),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Shutdown also closes the live hub's WebSockets, which fiber's does not.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return &testServer{Server: srv, store: store, t: t}
}

// listen serves the app on a free loopback port until the test ends and
// returns its base URL, for tests that need a real connection.
func (ts *testServer) listen() string {
	ts.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ts.t.Fatal(err)
	}
	go ts.App.Listener(ln)
	ts.t.Cleanup(func() { ts.App.Shutdown() })
	return "http://" + ln.Addr().String()
}

// response is a finished test request.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// errorCode returns the code of an API error body.
func (r response) errorCode(t testing.TB) string {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// do sends a request through app.Test. body is JSON-encoded unless it is a
// string or []byte; token, when set, is sent as a bearer.
func (ts *testServer) do(method, path string, body any, token string, headers ...string) response {
	ts.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			ts.t.Fatal(err)
		}
		r = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := ts.App.Test(req, -1)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// want fails unless the response has status.
func (r response) want(t testing.TB, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	return r
}

// signUp registers an account with roles and returns its bearer token.
func (ts *testServer) signUp(email string, roles ...string) (string, *participation.Account) {
	ts.t.Helper()
	ctx := context.Background()
	a, err := ts.store.CreateAccount(ctx, participation.NewAccount{Email: email, Password: "correct horse battery", Name: "Name of " + email})
	if err != nil {
		ts.t.Fatal(err)
	}
	if len(roles) > 0 {
		root, err := ts.store.EnsureAdmin(ctx, "root@example.fi", "correct horse battery", "Root")
		if err != nil {
			ts.t.Fatal(err)
		}
		if a, err = ts.store.SetRoles(participation.NewContextWithAccount(ctx, root), a.ID, roles); err != nil {
			ts.t.Fatal(err)
		}
	}
	sess, err := ts.store.CreateSession(ctx, email, "correct horse battery")
	if err != nil {
		ts.t.Fatal(err)
	}
	return sess.Token, a
}
