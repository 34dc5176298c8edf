package participation

import (
	"context"
	"testing"
	"time"
)

func TestLoginDelay(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {1, 0}, {2, 0},
		{3, 250 * time.Millisecond},
		{4, 500 * time.Millisecond},
		{5, time.Second},
		{6, 2 * time.Second},
		{7, 4 * time.Second},
		{10, 4 * time.Second},
		{1000, 4 * time.Second},
	} {
		if got := LoginDelay(tc.failures); got != tc.want {
			t.Errorf("LoginDelay(%d) = %v, want %v", tc.failures, got, tc.want)
		}
	}
}

func TestAddressContext(t *testing.T) {
	if a := AddressFromContext(context.Background()); a != "" {
		t.Fatalf("address %q without one", a)
	}
	if a := AddressFromContext(NewContextWithAddress(context.Background(), "192.0.2.7")); a != "192.0.2.7" {
		t.Fatalf("address %q", a)
	}
}
