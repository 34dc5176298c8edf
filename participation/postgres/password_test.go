package postgres_test

import (
	"context"
	"testing"

	"osallistu/participation"
)

func TestCreateAccountHashesTakenEmail(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.CreateAccount(context.Background(), participation.NewAccount{Email: "varattu@example.fi", Password: "oma-salasana-2017", Name: "Varattu"}); err != nil {
		t.Fatal(err)
	}
	// With no time left to wait for a hash slot, a sign-up of a taken email
	// is refused as unavailable, not as a conflict: it hashes before it looks
	// the email up, so that both answers take as long.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.CreateAccount(ctx, participation.NewAccount{Email: "varattu@example.fi", Password: "toinen-salasana-2017", Name: "Muu"})
	wantCode(t, err, participation.EUNAVAILABLE)
	_, err = s.CreateAccount(context.Background(), participation.NewAccount{Email: "varattu@example.fi", Password: "toinen-salasana-2017", Name: "Muu"})
	wantCode(t, err, participation.ECONFLICT)
}
