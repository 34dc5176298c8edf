package postgres_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/localpg"
	"osallistu/participation/postgres/pgtest"
)

// TestOutage takes the database away under a store and a listener, through
// a proxy that refuses connections and cuts the open ones.
func TestOutage(t *testing.T) {
	t.Parallel()
	proxy := pgtest.NewProxy(t, pgtest.NewURL(t))
	checkOutage(t, proxy.URL(), proxy.Stop, proxy.Start)
}

// TestOutageServerStopped stops a real server under them, as its
// administrator would: open connections end with "terminating connection
// due to administrator command" and its socket goes away.
func TestOutageServerStopped(t *testing.T) {
	if _, err := localpg.Find(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	t.Parallel()
	dir := t.TempDir()
	if os.Geteuid() == 0 { // the server runs as postgres, who must get through t's folders
		for _, d := range []string{dir, filepath.Dir(dir)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir = filepath.Join(dir, "pg")
	start := func() *localpg.Instance {
		inst, err := localpg.Start(context.Background(), dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { inst.Stop() })
		return inst
	}
	inst := start()
	db, err := postgres.Open(t.Context(), inst.URL(localpg.Database))
	if err != nil {
		t.Fatal(err)
	}
	err = postgres.Migrate(t.Context(), db)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	checkOutage(t, inst.URL(localpg.Database),
		func() {
			if err := inst.Stop(); err != nil {
				t.Fatal(err)
			}
		},
		func() { inst = start() })
}

// checkOutage checks that while the database at url is down every kind of
// store call fails with EUNAVAILABLE, and that once it is up again the
// store and the listener work without being made anew.
func checkOutage(t *testing.T, url string, down, up func()) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l, err := postgres.NewListener(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s := postgres.NewStore(db, nil)
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	sess, err := s.CreateSession(ctx, "official@example.fi", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}

	down()
	// A transaction, a statement of its own (the pool's connections are
	// all dead by now), a write, and a connection-less check of the pool.
	_, _, err = s.FindProcesses(ctx, participation.ProcessFilter{Limit: 10})
	wantCode(t, err, participation.EUNAVAILABLE)
	_, err = s.FindAccountByToken(ctx, sess.Token)
	wantCode(t, err, participation.EUNAVAILABLE)
	_, err = s.CreateProcess(official, participation.NewProcess{Slug: "katkos", Title: "Katkos"})
	wantCode(t, err, participation.EUNAVAILABLE)
	err = postgres.Migrate(ctx, db)
	wantCode(t, err, participation.EUNAVAILABLE)

	up()
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "katkos", Title: "Katkos"}); err != nil {
		t.Fatalf("after the outage: %v", err)
	}
	if _, err := s.FindAccountByToken(ctx, sess.Token); err != nil {
		t.Fatalf("after the outage: %v", err)
	}
	// The listener connects again by itself and says that it may have
	// missed changes (nil); then it hears them again.
	select {
	case ev := <-l.Events():
		if ev != nil {
			t.Fatalf("event %+v, want nil first", ev)
		}
	case <-ctx.Done():
		t.Fatal("the listener did not reconnect")
	}
	if _, err := db.ExecContext(ctx, `SELECT pg_notify($1, '5:6')`, postgres.PollChannel); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-l.Events():
		if ev == nil || *ev != (participation.PollChange{WorkshopID: 5, PollID: 6}) {
			t.Fatalf("event %+v", ev)
		}
	case <-ctx.Done():
		t.Fatal("no event after reconnecting")
	}
}
