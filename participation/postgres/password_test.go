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

func TestCreateAccountRefusesWeakPasswords(t *testing.T) {
	s, _ := newStore(t)
	for _, tc := range []struct {
		n    participation.NewAccount
		rule string
	}{
		{participation.NewAccount{Email: "a@example.fi", Name: "A", Password: "password123"}, participation.RuleCommonPassword},
		{participation.NewAccount{Email: "b@example.fi", Name: "B", Password: "QWERTYUIOP"}, participation.RuleCommonPassword},
		{participation.NewAccount{Email: "liisa.laine@example.fi", Name: "L", Password: "liisa.laine"}, participation.RulePersonalPassword},
		{participation.NewAccount{Email: "ll@example.fi", Name: "Liisa Laine", Password: "Liisa-2017!"}, participation.RulePersonalPassword},
	} {
		_, err := s.CreateAccount(context.Background(), tc.n)
		wantCode(t, err, participation.EINVALID)
		if e := err.(*participation.Error); e.Fields["password"].Rule != tc.rule {
			t.Errorf("%s: %v, want rule %s", tc.n.Password, err, tc.rule)
		}
	}
	// The operator's admin keeps the configured password, weak or not.
	if _, err := s.EnsureAdmin(context.Background(), "admin@example.fi", "admin-password-1", "Admin"); err != nil {
		t.Fatal(err)
	}
}
