package postgres_test

import (
	"context"
	"os"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// clock is a settable time for the store under test.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// newStore returns a store on a fresh database and its clock.
func newStore(t testing.TB) (*postgres.Store, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)}
	return postgres.NewStore(pgtest.New(t), c.now), c
}

// mustAccount registers an account with the given roles and returns a
// context signed in as it.
func mustAccount(t testing.TB, s *postgres.Store, email string, roles ...string) (context.Context, *participation.Account) {
	t.Helper()
	ctx := context.Background()
	a, err := s.CreateAccount(ctx, participation.NewAccount{Email: email, Password: "correct horse battery", Name: "Test " + email})
	if err != nil {
		t.Fatalf("create account: %v", err)
	}
	// An everyday account: its owner has confirmed the address (tests of
	// confirmation make their accounts with CreateAccount).
	if _, err := s.DB().Exec(`UPDATE accounts SET email_confirmed_at = created_at WHERE id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	a.EmailConfirmed = true
	if len(roles) > 0 {
		admin, err := s.EnsureAdmin(ctx, "root-"+email, "correct horse battery", "Root")
		if err != nil {
			t.Fatal(err)
		}
		if a, err = s.SetRoles(participation.NewContextWithAccount(ctx, admin), a.ID, roles); err != nil {
			t.Fatal(err)
		}
	}
	return participation.NewContextWithAccount(ctx, a), a
}

// wantCode fails unless err carries the domain error code want.
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := participation.ErrorCode(err); got != want {
		t.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
}

func ptr[T any](v T) *T { return &v }
