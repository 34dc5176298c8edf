package participation

import (
	"testing"
	"time"
)

func TestLoginLockout(t *testing.T) {
	var l LoginLockout
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	const email, attacker, owner = "omistaja@example.fi", "198.51.100.66", "192.0.2.10"
	for i := 0; i < LoginFailureLimit; i++ {
		if l.Locked(email, attacker, now) {
			t.Fatalf("locked after %d failures", i)
		}
		l.Fail(email, attacker, now.Add(time.Duration(i)*time.Second))
	}
	now = now.Add(LoginFailureLimit * time.Second)
	for _, c := range []struct {
		name           string
		email, address string
		at             time.Time
		want           bool
	}{
		{"the address that failed", email, attacker, now, true},
		{"another address", email, owner, now, false},
		{"another account", "toinen@example.fi", attacker, now, false},
		{"after the window", email, attacker, now.Add(LoginFailureWindow), false},
	} {
		if got := l.Locked(c.email, c.address, c.at); got != c.want {
			t.Errorf("%s: locked %v, want %v", c.name, got, c.want)
		}
	}
	// The sweep after the window forgot the address altogether.
	if len(l.failures) != 0 {
		t.Errorf("%d addresses kept after their window", len(l.failures))
	}
	l.Fail(email, attacker, now)
	l.Clear(email, attacker)
	if len(l.failures) != 0 {
		t.Error("an address kept after its owner signed in")
	}
	// Only the latest LoginFailureLimit failures are kept per address.
	for i := 0; i < 3*LoginFailureLimit; i++ {
		l.Fail(email, attacker, now)
	}
	if n := len(l.failures[lockoutKey{email, attacker}]); n != LoginFailureLimit {
		t.Errorf("%d failures kept, want %d", n, LoginFailureLimit)
	}
}
