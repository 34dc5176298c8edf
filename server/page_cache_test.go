package server_test

import (
	"context"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
	"osallistu/server"
)

// TestPageCache: a page read by someone anonymous is kept while the
// database's snapshot is unchanged and for no longer than the cache's time;
// each reader gets it with their own CSRF token, and people signed in never
// get a kept page.
func TestPageCache(t *testing.T) {
	t.Parallel()
	var snapshot atomic.Value
	snapshot.Store("1")
	ts, token := newCachingServer(t, func() string { return snapshot.Load().(string) }, time.Hour)
	reader := ts.client("")
	reader.get("/processes/avoin").want(t, 200).contains(t, "Ensimmäinen nimi")
	renameProcess(t, ts, "Toinen nimi")

	t.Run("kept while the snapshot is the same", func(t *testing.T) {
		reader.get("/processes/avoin").want(t, 200).contains(t, "Ensimmäinen nimi")
		other := ts.client("")
		other.get("/processes/avoin").want(t, 200).contains(t, "Ensimmäinen nimi")
	})
	t.Run("each reader gets their own token", func(t *testing.T) {
		a, b := ts.client(""), ts.client("")
		ta, tb := a.csrfToken(t, "/login"), b.csrfToken(t, "/login") // the second is a kept page
		if ta == tb {
			t.Fatalf("two readers got the same token %q", ta)
		}
		// The kept page's form works: the wrong password is the form's
		// own error, not the expired form's 403.
		b.postWith(tb, "/login", url.Values{"email": {"official@example.fi"}, "password": {"wrong password here"}}).want(t, 401)
	})
	t.Run("never for people signed in", func(t *testing.T) {
		ts.client(token).get("/processes/avoin").want(t, 200).contains(t, "Toinen nimi")
	})
	t.Run("made anew when the snapshot changes", func(t *testing.T) {
		snapshot.Store("2")
		reader.get("/processes/avoin").want(t, 200).contains(t, "Toinen nimi")
	})
	t.Run("readers at once", func(t *testing.T) {
		// They wait for one of them to make the page, and each gets it
		// with their own token.
		snapshot.Store("3")
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pc := ts.client("")
				r := pc.get("/login")
				m := csrfInput.FindSubmatch(r.body)
				if r.status != 200 || m == nil || string(m[1]) != pc.cookies["osallistu_csrf"] {
					t.Errorf("status %d, form's token %q, cookie's %q", r.status, m, pc.cookies["osallistu_csrf"])
				}
			}()
		}
		wg.Wait()
	})
}

// TestPageCacheTime: a kept page is made anew after the cache's time, even
// when nothing was written (a round closes at its time).
func TestPageCacheTime(t *testing.T) {
	t.Parallel()
	ts, _ := newCachingServer(t, func() string { return "same" }, 50*time.Millisecond)
	reader := ts.client("")
	reader.get("/processes/avoin").want(t, 200).contains(t, "Ensimmäinen nimi")
	renameProcess(t, ts, "Toinen nimi")
	time.Sleep(60 * time.Millisecond)
	reader.get("/processes/avoin").want(t, 200).contains(t, "Toinen nimi")
}

// newCachingServer is a test server whose page cache keeps pages for ttl
// while snapshot is unchanged, with a process "avoin" named "Ensimmäinen
// nimi"; it returns the server and its official's token.
func newCachingServer(t *testing.T, snapshot func() string, ttl time.Duration) (*testServer, string) {
	t.Helper()
	ts := newTestServerWith(t, pgtest.NewURL(t), func(svc *server.Services, _ *postgres.Store) {
		svc.Snapshot = func(context.Context) (string, error) { return snapshot(), nil }
	}, func(c *server.Config) { c.PageCache = ttl })
	token, official := ts.signUp("official@example.fi", "official")
	ctx := participation.NewContextWithAccount(context.Background(), official)
	if _, err := ts.store.CreateProcess(ctx, participation.NewProcess{Slug: "avoin", Title: "Ensimmäinen nimi"}); err != nil {
		t.Fatal(err)
	}
	return ts, token
}

// renameProcess renames "avoin" straight in the database: no request of
// the server sees it.
func renameProcess(t *testing.T, ts *testServer, title string) {
	t.Helper()
	if _, err := ts.store.DB().Exec(`UPDATE processes SET title = $1 WHERE slug = 'avoin'`, title); err != nil {
		t.Fatal(err)
	}
}

// TestPageCacheSnapshot: with the store's snapshot, a write through the API
// shows on the next anonymous read.
func TestPageCacheSnapshot(t *testing.T) {
	t.Parallel()
	ts := newTestServerWith(t, pgtest.NewURL(t), func(svc *server.Services, store *postgres.Store) {
		svc.Snapshot = store.Snapshot
	})
	token, _ := ts.signUp("official@example.fi", "official")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Ensimmäinen nimi", "description": "Kuvaus"}, token).want(t, 201)
	reader := ts.client("")
	reader.get("/processes/avoin").want(t, 200).contains(t, "Ensimmäinen nimi")
	ts.do("PATCH", "/api/v1/processes/avoin", map[string]any{"title": "Toinen nimi"}, token).want(t, 200)
	reader.get("/processes/avoin").want(t, 200).contains(t, "Toinen nimi")

}
