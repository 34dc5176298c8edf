package postgres_test

import (
	"context"
	"sync/atomic"
	"testing"

	"osallistu/participation"
)

// TestSignUp: a new address gets an account and a welcome email with a
// link to confirm the address, in the visitor's language; a taken one gets its owner a word of the attempt, in
// the owner's language, at most once in participation.AccountExistsInterval.
// Neither says which it was.
func TestSignUp(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	admin := outboxAdmin(t, s)
	var pokes atomic.Int32
	s.OnEmail(func() { pokes.Add(1) })
	emails := func() []*participation.Message {
		t.Helper()
		list, _, err := s.FindMessages(admin, participation.MessageFilter{Channel: participation.ChannelEmail, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	aino := participation.NewAccount{Email: " Aino@Example.FI ", Password: "correct horse battery", Name: "Aino", Lang: "sv"}

	t.Run("Welcome", func(t *testing.T) {
		if err := s.SignUp(context.Background(), aino); err != nil {
			t.Fatal(err)
		}
		sess, err := s.CreateSession(context.Background(), "aino@example.fi", "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		if st, err := s.FindMessageSettings(participation.NewContextWithAccount(context.Background(), sess.Account)); err != nil || st.Lang != "sv" || st.EmailNotifications {
			t.Fatalf("settings %+v %v", st, err)
		}
		got := emails()
		if len(got) != 1 || got[0].Kind != participation.MessageEmailConfirmation || *got[0].AccountID != sess.Account.ID || got[0].Address != "aino@example.fi" ||
			got[0].Lang != "sv" || got[0].SubjectKind != participation.SubjectAccount || got[0].SubjectID != sess.Account.ID || got[0].Params.Token == "" {
			t.Fatalf("emails %+v", got)
		}
		if n := pokes.Load(); n != 1 {
			t.Fatalf("poked %d times", n)
		}
	})
	t.Run("Taken", func(t *testing.T) {
		again := aino
		again.Password, again.Name, again.Lang = "another long password", "Someone", "en"
		if err := s.SignUp(context.Background(), again); err != nil {
			t.Fatal(err)
		}
		got := emails()
		if len(got) != 2 || got[0].Kind != participation.MessageAccountExists || *got[0].AccountID != *got[1].AccountID || got[0].Lang != "sv" {
			t.Fatalf("emails %+v", got)
		}
		// The password of the account is still its own.
		if _, err := s.CreateSession(context.Background(), "aino@example.fi", "another long password"); participation.ErrorCode(err) != participation.EUNAUTHENTICATED {
			t.Fatalf("the second sign-up's password signs in: %v", err)
		}
		// Told once an interval, however often the address is tried.
		if err := s.SignUp(context.Background(), again); err != nil {
			t.Fatal(err)
		}
		if got := emails(); len(got) != 2 {
			t.Fatalf("told twice: %+v", got)
		}
		clk.t = clk.t.Add(participation.AccountExistsInterval)
		if err := s.SignUp(context.Background(), again); err != nil {
			t.Fatal(err)
		}
		if got := emails(); len(got) != 3 || got[0].Kind != participation.MessageAccountExists {
			t.Fatalf("after the interval: %+v", got)
		}
		if n := pokes.Load(); n != 3 {
			t.Fatalf("poked %d times", n)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, n := range []participation.NewAccount{
			{Email: "b@example.fi", Password: "short", Name: "B"},
			{Email: "c@example.fi", Password: "correct horse battery", Name: "C", Lang: "de"},
			{Email: "aino@example.fi", Password: "short", Name: "Taken and short"},
		} {
			wantCode(t, s.SignUp(context.Background(), n), participation.EINVALID)
		}
		if got := emails(); len(got) != 3 {
			t.Fatalf("a refused sign-up wrote %+v", got)
		}
	})
}
