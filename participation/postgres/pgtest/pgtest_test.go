package pgtest

import (
	"os"
	"strings"
	"testing"

	"osallistu/participation/postgres"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestDatabasesAreIsolated(t *testing.T) {
	t.Parallel()
	a, b := New(t), New(t)
	if _, err := a.ExecContext(t.Context(), `INSERT INTO accounts (email, created_at) VALUES ('a@example.org', now())`); err != nil {
		t.Fatal(err)
	}
	for db, want := range map[string]int{"a": 1, "b": 0} {
		handle := a
		if db == "b" {
			handle = b
		}
		var n int
		if err := handle.GetContext(t.Context(), &n, `SELECT count(*) FROM accounts`); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("database %s has %d accounts, want %d", db, n, want)
		}
	}
}

func TestSchemaIsMigrated(t *testing.T) {
	t.Parallel()
	db := New(t)
	var exists bool
	if err := db.GetContext(t.Context(), &exists, `SELECT to_regclass('accounts') IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if !exists {
		t.Error("table accounts is missing")
	}
}

func TestNewURL(t *testing.T) {
	t.Parallel()
	dsn := NewURL(t)
	db, err := postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var name string
	if err := db.GetContext(t.Context(), &name, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, "osallistu_test_") {
		t.Errorf("connected to %s, want a test database", name)
	}
}

// Many tests at once, as a package with many parallel database tests has.
func TestManyInParallel(t *testing.T) {
	for i := range 12 {
		t.Run(string(rune('a'+i)), func(t *testing.T) {
			t.Parallel()
			db := New(t)
			if _, err := db.ExecContext(t.Context(), `INSERT INTO accounts (email, created_at) VALUES ('x@example.org', now())`); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestWithDatabase(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "postgres://postgres@127.0.0.1:5432/x?sslmode=disable"},
		{"postgresql://u:p%40ss@db.example:6543?sslmode=require", "postgresql://u:p%40ss@db.example:6543/x?sslmode=require"},
		{"postgres://u@h/old?dbname=other&sslmode=disable", "postgres://u@h/x?sslmode=disable"},
		{"host=/tmp/s port=5432 user=postgres dbname=postgres sslmode=disable", "host=/tmp/s port=5432 user=postgres sslmode=disable dbname=x"},
		{"host='/tmp/with space' password='it\\'s' dbname = old", `host='/tmp/with space' password='it\'s' dbname=x`},
		{"user=postgres", "user=postgres dbname=x"},
	} {
		if got := withDatabase(c.in, "x"); got != c.want {
			t.Errorf("withDatabase(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
