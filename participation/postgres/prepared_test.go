package postgres_test

import (
	"context"
	"testing"
	"time"
)

// TestPreparedDoesNotWaitForAnother: a statement whose first preparation
// waits (on a table another transaction holds locked) holds up no other
// statement's.
func TestPreparedDoesNotWaitForAnother(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	lock, err := s.DB().BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.ExecContext(ctx, `LOCK TABLE ballots IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	waiting := make(chan error, 1)
	go func() { waiting <- s.Prepare(ctx, `SELECT count(*) FROM ballots WHERE poll_id = $1`) }()
	time.Sleep(200 * time.Millisecond) // the first preparation is waiting on the lock
	done := make(chan error, 1)
	go func() { done <- s.Prepare(ctx, `SELECT count(*) FROM processes WHERE id = $1`) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("preparing a statement waited for another's preparation")
	}
	select {
	case err := <-waiting:
		t.Fatalf("the statement on the locked table was prepared before the lock ended: %v", err)
	default:
	}
	lock.Rollback()
	if err := <-waiting; err != nil {
		t.Fatal(err)
	}
}
