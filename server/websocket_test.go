package server

import (
	"net"
	"testing"
	"time"
)

// deadlineRecorder is a connection that records the write deadlines set on it.
type deadlineRecorder struct {
	net.Conn
	set []time.Time
}

func (r *deadlineRecorder) SetWriteDeadline(t time.Time) error {
	r.set = append(r.set, t)
	return nil
}

func TestDeadlineConn(t *testing.T) {
	t.Parallel()
	rec := &deadlineRecorder{}
	c := &deadlineConn{Conn: rec}
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		deadline time.Time
		applied  bool
	}{
		{t0, true},                              // the first one
		{t0.Add(100 * time.Millisecond), false}, // later by less than a second
		{t0.Add(900 * time.Millisecond), false},
		{t0.Add(time.Second), true},              // a second later
		{t0.Add(500 * time.Millisecond), true},   // sooner than the one in force
		{time.Time{}, true},                      // none
		{t0.Add(600 * time.Millisecond), true},   // after none
		{t0.Add(600 * time.Millisecond), false},  // the same again
		{t0.Add(599 * time.Millisecond), true},   // a moment sooner
		{t0.Add(1599 * time.Millisecond), true},  // a second later than in force
		{t0.Add(2598 * time.Millisecond), false}, // just under a second later
		{t0.Add(-time.Hour), true},               // in the past: writes fail at once
	}
	want := 0
	for i, s := range steps {
		if err := c.SetWriteDeadline(s.deadline); err != nil {
			t.Fatal(err)
		}
		if s.applied {
			want++
		}
		if len(rec.set) != want || (s.applied && !rec.set[want-1].Equal(s.deadline)) {
			t.Fatalf("step %d (%v): applied %v, want applied %v", i, s.deadline, rec.set, s.applied)
		}
	}
}
