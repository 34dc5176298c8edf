package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
)

func TestCreateSessionLockoutPerAddress(t *testing.T) {
	s, clk := newStore(t)
	var asked []int
	s.SetLoginDelay(func(failures int) time.Duration {
		asked = append(asked, failures)
		return 0
	})
	if _, err := s.CreateAccount(context.Background(), participation.NewAccount{Email: "omistaja@example.fi", Password: "oma-salasana-2017", Name: "Omistaja"}); err != nil {
		t.Fatal(err)
	}
	attacker := participation.NewContextWithAddress(context.Background(), "198.51.100.66")
	owner := participation.NewContextWithAddress(context.Background(), "192.0.2.10")

	for i := 0; i < participation.LoginFailureLimit; i++ {
		_, err := s.CreateSession(attacker, "omistaja@example.fi", "guess-"+string(rune('a'+i)))
		wantCode(t, err, participation.EUNAUTHENTICATED)
	}
	t.Run("AttackerLocked", func(t *testing.T) {
		_, err := s.CreateSession(attacker, "omistaja@example.fi", "oma-salasana-2017")
		wantCode(t, err, participation.ERATELIMITED)
	})
	t.Run("OwnerSignsIn", func(t *testing.T) {
		asked = nil
		if _, err := s.CreateSession(owner, "OMISTAJA@example.fi", "oma-salasana-2017"); err != nil {
			t.Fatalf("the owner's address is locked out: %v", err)
		}
		// Slowed down by every address's failures, not refused.
		if len(asked) != 1 || asked[0] != participation.LoginFailureLimit {
			t.Fatalf("delay asked for %v failures, want [%d]", asked, participation.LoginFailureLimit)
		}
	})
	t.Run("AttackerStillLocked", func(t *testing.T) {
		// The owner's sign-in clears the owner's failures, not the attacker's.
		_, err := s.CreateSession(attacker, "omistaja@example.fi", "oma-salasana-2017")
		wantCode(t, err, participation.ERATELIMITED)
	})
	t.Run("OtherAccountsOpen", func(t *testing.T) {
		_, err := s.CreateSession(attacker, "someone-else@example.fi", "guess")
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("AfterTheWindow", func(t *testing.T) {
		clk.t = clk.t.Add(participation.LoginFailureWindow + time.Second)
		if _, err := s.CreateSession(attacker, "omistaja@example.fi", "oma-salasana-2017"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestCreateSessionWaitsLoginDelay(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.CreateAccount(context.Background(), participation.NewAccount{Email: "hidas@example.fi", Password: "oma-salasana-2017", Name: "Hidas"}); err != nil {
		t.Fatal(err)
	}
	const delay = 150 * time.Millisecond
	s.SetLoginDelay(func(failures int) time.Duration {
		if failures > 0 {
			return delay
		}
		return 0
	})
	ctx := participation.NewContextWithAddress(context.Background(), "198.51.100.66")
	if _, err := s.CreateSession(ctx, "hidas@example.fi", "guess"); participation.ErrorCode(err) != participation.EUNAUTHENTICATED {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := s.CreateSession(participation.NewContextWithAddress(context.Background(), "192.0.2.10"), "hidas@example.fi", "oma-salasana-2017"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < delay {
		t.Fatalf("a sign-in after a failure took %v, want at least %v", took, delay)
	}
	// A request that ends while it waits stops waiting.
	ended, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if _, err := s.CreateSession(ended, "hidas@example.fi", "oma-salasana-2017"); err == nil {
		t.Fatal("a sign-in went on after its request ended")
	}
}
