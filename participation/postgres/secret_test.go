package postgres_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
)

// TestEnsureSecret: instances that start at once on one database, each
// offering a secret of its own, all get the same one, and keep getting it.
func TestEnsureSecret(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	secrets := make([][]byte, 8)
	errs := make([]error, len(secrets))
	var wg sync.WaitGroup
	for i := range secrets {
		wg.Go(func() { secrets[i], errs[i] = postgres.NewStore(db, nil).EnsureSecret(context.Background()) })
	}
	wg.Wait()
	for i := range secrets {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if len(secrets[i]) < 32 || !bytes.Equal(secrets[i], secrets[0]) {
			t.Fatalf("instance %d got %x, instance 0 %x", i, secrets[i], secrets[0])
		}
	}
	again, err := postgres.NewStore(db, nil).EnsureSecret(context.Background())
	if err != nil || !bytes.Equal(again, secrets[0]) {
		t.Fatalf("a later start got %x (%v), want %x", again, err, secrets[0])
	}
}
