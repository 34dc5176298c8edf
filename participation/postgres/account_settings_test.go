package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// linkToken reads the token of the newest message of kind written to an
// address (as an address, or to the account that has it), as its
// recipient finds it in the link; "" when there is none.
func linkToken(t *testing.T, s *postgres.Store, kind, address string) string {
	t.Helper()
	var tokens []string
	if err := s.DB().Select(&tokens, `
		SELECT o.params->>'token' FROM outbox o LEFT JOIN accounts a ON a.id = o.account_id
		WHERE o.kind = $1 AND coalesce(o.email, a.email) = $2 ORDER BY o.id DESC LIMIT 1`, kind, address); err != nil {
		t.Fatal(err)
	}
	if len(tokens) == 0 {
		return ""
	}
	return tokens[0]
}

// newAccount registers an account as people's sign-ups do: its address
// not yet confirmed, a link to confirm it sent.
func newAccount(t *testing.T, s *postgres.Store, email string) (context.Context, *participation.Account) {
	t.Helper()
	a, err := s.CreateAccount(context.Background(), participation.NewAccount{Email: email, Password: "correct horse battery",
		Name: "Test " + email, SendConfirmation: true})
	if err != nil {
		t.Fatal(err)
	}
	return participation.NewContextWithAccount(context.Background(), a), a
}

// countMessages counts the outbox's messages of kind on channel to an account.
func countMessages(t *testing.T, s *postgres.Store, accountID int64, kind, channel string) int {
	t.Helper()
	var n int
	if err := s.DB().Get(&n, `SELECT count(*) FROM outbox WHERE account_id = $1 AND kind = $2 AND channel = $3`, accountID, kind, channel); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEmailConfirmation: a new account is sent a link that confirms its
// address, once; until then, the news of what it follows comes only in the
// app, even when it asked for email.
func TestEmailConfirmation(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx, a := newAccount(t, s, "aino@example.fi")
	if a.EmailConfirmed {
		t.Fatal("a new account's address is confirmed")
	}
	token := linkToken(t, s, participation.MessageEmailConfirmation, "aino@example.fi")
	if token == "" {
		t.Fatal("no confirmation link")
	}
	if err := s.SetEmailNotifications(ctx, true); err != nil {
		t.Fatal(err)
	}
	news := participation.Message{Kind: participation.MessageCommitmentApproved, SubjectKind: participation.SubjectCommitment,
		SubjectID: 1, Params: participation.MessageParams{Title: "Avoin data"}}
	t.Run("no news by email before", func(t *testing.T) {
		if err := s.Enqueue(context.Background(), news.ToAccounts([]int64{a.ID})...); err != nil {
			t.Fatal(err)
		}
		if in, mail := countMessages(t, s, a.ID, news.Kind, "in_app"), countMessages(t, s, a.ID, news.Kind, "email"); in != 1 || mail != 0 {
			t.Fatalf("in the app %d, by email %d", in, mail)
		}
	})
	mustRun(t, "Confirm", func(t *testing.T) {
		got, err := s.ConfirmEmail(context.Background(), token)
		if err != nil || !got.EmailConfirmed || got.ID != a.ID {
			t.Fatalf("%+v %v", got, err)
		}
		me, err := s.FindAccountByID(context.Background(), a.ID)
		if err != nil || !me.EmailConfirmed {
			t.Fatalf("%+v %v", me, err)
		}
	})
	t.Run("news by email after", func(t *testing.T) {
		if err := s.Enqueue(context.Background(), news.ToAccounts([]int64{a.ID})...); err != nil {
			t.Fatal(err)
		}
		if mail := countMessages(t, s, a.ID, news.Kind, "email"); mail != 1 {
			t.Fatalf("by email %d", mail)
		}
	})
	t.Run("ErrUsedOnce", func(t *testing.T) {
		_, err := s.ConfirmEmail(context.Background(), token)
		wantCode(t, err, participation.ENOTFOUND)
		_, err = s.ConfirmEmail(context.Background(), "not-a-token")
		wantCode(t, err, participation.ENOTFOUND)
		_, err = s.ConfirmEmail(context.Background(), "")
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrConfirmedAlready", func(t *testing.T) {
		confirmed, err := s.FindAccountByID(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.SendEmailConfirmation(participation.NewContextWithAccount(context.Background(), confirmed)), participation.ECONFLICT)
	})
	t.Run("SendAgain", func(t *testing.T) {
		ctx, b := newAccount(t, s, "bertta@example.fi")
		first := linkToken(t, s, participation.MessageEmailConfirmation, "bertta@example.fi")
		if err := s.SendEmailConfirmation(ctx); err != nil {
			t.Fatal(err)
		}
		second := linkToken(t, s, participation.MessageEmailConfirmation, "bertta@example.fi")
		if second == "" || second == first || countMessages(t, s, b.ID, participation.MessageEmailConfirmation, "email") != 2 {
			t.Fatalf("sent again: %q after %q", second, first)
		}
		// A link stops working after its week.
		clk.t = clk.t.Add(participation.ConfirmEmailLifetime + time.Minute)
		_, err := s.ConfirmEmail(context.Background(), second)
		wantCode(t, err, participation.ENOTFOUND)
	})
}

// TestChangeEmail: a new address is the account's only once the link sent
// to it is opened; a taken address (in any case) is refused.
func TestChangeEmail(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx, a := mustAccount(t, s, "aino@example.fi")
	mustAccount(t, s, "taken@example.fi")
	t.Run("ErrTaken", func(t *testing.T) {
		wantCode(t, s.RequestEmailChange(ctx, " TAKEN@example.fi "), participation.ECONFLICT)
		wantCode(t, s.RequestEmailChange(ctx, "aino@example.fi"), participation.ECONFLICT)
		wantCode(t, s.RequestEmailChange(ctx, "not an address"), participation.EINVALID)
		wantCode(t, s.RequestEmailChange(context.Background(), "x@example.fi"), participation.EUNAUTHENTICATED)
	})
	var token string
	mustRun(t, "Request", func(t *testing.T) {
		if err := s.RequestEmailChange(ctx, "Aino.Uusi@Example.fi"); err != nil {
			t.Fatal(err)
		}
		token = linkToken(t, s, participation.MessageEmailChange, "aino.uusi@example.fi")
		if token == "" {
			t.Fatal("no link to the new address")
		}
		me, err := s.FindAccountByID(context.Background(), a.ID)
		if err != nil || me.Email != "aino@example.fi" {
			t.Fatalf("changed before the link was opened: %+v %v", me, err)
		}
	})
	mustRun(t, "Confirm", func(t *testing.T) {
		me, err := s.ConfirmEmail(context.Background(), token)
		if err != nil || me.Email != "aino.uusi@example.fi" || !me.EmailConfirmed {
			t.Fatalf("%+v %v", me, err)
		}
		if _, err := s.CreateSession(context.Background(), "aino.uusi@example.fi", "correct horse battery"); err != nil {
			t.Fatalf("the new address does not sign in: %v", err)
		}
		_, err = s.CreateSession(context.Background(), "aino@example.fi", "correct horse battery")
		wantCode(t, err, participation.EUNAUTHENTICATED)
		_, err = s.ConfirmEmail(context.Background(), token)
		wantCode(t, err, participation.ENOTFOUND)
		var notices int
		if err := s.DB().Get(&notices, `SELECT count(*) FROM outbox WHERE kind = $1 AND email = 'aino@example.fi' AND account_id IS NULL`,
			participation.MessageEmailChanged); err != nil || notices != 1 {
			t.Errorf("notices to the old address: %d (%v), want 1", notices, err)
		}
	})
	t.Run("ErrTakenMeanwhile", func(t *testing.T) {
		ctx, _ := mustAccount(t, s, "bertta@example.fi")
		if err := s.RequestEmailChange(ctx, "vapaa@example.fi"); err != nil {
			t.Fatal(err)
		}
		token := linkToken(t, s, participation.MessageEmailChange, "vapaa@example.fi")
		mustAccount(t, s, "vapaa@example.fi")
		_, err := s.ConfirmEmail(context.Background(), token)
		wantCode(t, err, participation.ECONFLICT)
	})
}

// TestChangePassword: the current password is needed; the new one signs
// in, and every other session of the account ends.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx, a := mustAccount(t, s, "aino@example.fi")
	here, err := s.CreateSession(context.Background(), "aino@example.fi", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := s.CreateSession(context.Background(), "aino@example.fi", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrWrongCurrent", func(t *testing.T) {
		err := s.ChangePassword(ctx, participation.PasswordChange{CurrentPassword: "wrong horse battery", NewPassword: "a brand new passphrase"}, here.Token)
		wantCode(t, err, participation.EINVALID)
		if f := err.(*participation.Error).Fields; f["current_password"].Rule != participation.RuleWrongPassword {
			t.Errorf("fields %v", f)
		}
		if _, err := s.FindAccountByToken(context.Background(), elsewhere.Token); err != nil {
			t.Errorf("a refused change ended a session: %v", err)
		}
	})
	t.Run("ErrWeak", func(t *testing.T) {
		for _, p := range []string{"short", "password123", "aino-aino-aino"} {
			err := s.ChangePassword(ctx, participation.PasswordChange{CurrentPassword: "correct horse battery", NewPassword: p}, here.Token)
			wantCode(t, err, participation.EINVALID)
		}
	})
	mustRun(t, "OK", func(t *testing.T) {
		if err := s.ChangePassword(ctx, participation.PasswordChange{CurrentPassword: "correct horse battery", NewPassword: "a brand new passphrase"}, here.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindAccountByToken(context.Background(), here.Token); err != nil {
			t.Errorf("the session that changed it ended: %v", err)
		}
		_, err := s.FindAccountByToken(context.Background(), elsewhere.Token)
		wantCode(t, err, participation.EUNAUTHENTICATED)
		if _, err := s.CreateSession(context.Background(), "aino@example.fi", "a brand new passphrase"); err != nil {
			t.Errorf("the new password does not sign in: %v", err)
		}
		_, err = s.CreateSession(context.Background(), "aino@example.fi", "correct horse battery")
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	_ = a
}

// TestUpdateAccount: the name and municipality change; a known
// municipality is written in Finnish; an empty one, or none, removes it.
func TestUpdateAccount(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx, _ := mustAccount(t, s, "aino@example.fi")
	got, err := s.UpdateAccount(ctx, participation.AccountUpdate{Name: ptr("  Aino Aalto "), Municipality: ptr("helsingfors")})
	if err != nil || got.Name != "Aino Aalto" || got.Municipality == nil || *got.Municipality != "Helsinki" {
		t.Fatalf("%+v %v", got, err)
	}
	got, err = s.UpdateAccount(ctx, participation.AccountUpdate{})
	if err != nil || got.Name != "Aino Aalto" || got.Municipality == nil {
		t.Fatalf("an empty update changed %+v %v", got, err)
	}
	got, err = s.UpdateAccount(ctx, participation.AccountUpdate{Municipality: ptr(" ")})
	if err != nil || got.Municipality != nil || got.Name != "Aino Aalto" {
		t.Fatalf("%+v %v", got, err)
	}
	_, err = s.UpdateAccount(ctx, participation.AccountUpdate{Name: ptr(" "), Municipality: ptr("Tampere")})
	wantCode(t, err, participation.EINVALID)
	if me, _ := s.FindAccountByID(context.Background(), got.ID); me.Municipality != nil {
		t.Errorf("a refused update saved %+v", me)
	}
	_, err = s.UpdateAccount(context.Background(), participation.AccountUpdate{Name: ptr("X")})
	wantCode(t, err, participation.EUNAUTHENTICATED)
}

// TestPasswordReset: a reset link goes to an account's address (a few an
// hour at most) and to no other, the same answer either way; it sets a new
// password once, within its hour, and ends every session.
func TestPasswordReset(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	_, a := newAccount(t, s, "aino@example.fi")
	sess, err := s.CreateSession(context.Background(), "aino@example.fi", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("an unknown address gets nothing, and no error", func(t *testing.T) {
		if err := s.RequestPasswordReset(context.Background(), "nobody@example.fi", 3); err != nil {
			t.Fatal(err)
		}
		if tok := linkToken(t, s, participation.MessagePasswordReset, "nobody@example.fi"); tok != "" {
			t.Fatal("a link to an address without an account")
		}
		wantCode(t, s.RequestPasswordReset(context.Background(), "not an address", 3), participation.EINVALID)
	})
	t.Run("limited per email", func(t *testing.T) {
		for range 3 {
			if err := s.RequestPasswordReset(context.Background(), " AINO@example.fi", 2); err != nil {
				t.Fatal(err)
			}
		}
		if n := countMessages(t, s, a.ID, participation.MessagePasswordReset, "email"); n != 2 {
			t.Fatalf("%d links, want 2", n)
		}
		clk.t = clk.t.Add(time.Hour + time.Minute) // the first two expire
		if err := s.RequestPasswordReset(context.Background(), "aino@example.fi", 2); err != nil {
			t.Fatal(err)
		}
		if n := countMessages(t, s, a.ID, participation.MessagePasswordReset, "email"); n != 3 {
			t.Fatalf("%d links after the hour, want 3", n)
		}
	})
	token := linkToken(t, s, participation.MessagePasswordReset, "aino@example.fi")
	t.Run("ErrWeak", func(t *testing.T) {
		if err := s.FindPasswordReset(context.Background(), token); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.ResetPassword(context.Background(), participation.PasswordReset{Token: token, Password: "password123"}), participation.EINVALID)
		if err := s.FindPasswordReset(context.Background(), token); err != nil {
			t.Fatalf("a refused password used the link: %v", err)
		}
	})
	mustRun(t, "OK", func(t *testing.T) {
		if err := s.ResetPassword(context.Background(), participation.PasswordReset{Token: token, Password: "a brand new passphrase"}); err != nil {
			t.Fatal(err)
		}
		_, err := s.FindAccountByToken(context.Background(), sess.Token)
		wantCode(t, err, participation.EUNAUTHENTICATED)
		if _, err := s.CreateSession(context.Background(), "aino@example.fi", "a brand new passphrase"); err != nil {
			t.Fatal(err)
		}
		// Opening the link proved the address.
		if me, _ := s.FindAccountByID(context.Background(), a.ID); !me.EmailConfirmed {
			t.Error("the address is not confirmed")
		}
	})
	t.Run("ErrOnce", func(t *testing.T) {
		wantCode(t, s.ResetPassword(context.Background(), participation.PasswordReset{Token: token, Password: "yet another passphrase"}), participation.ENOTFOUND)
		wantCode(t, s.FindPasswordReset(context.Background(), token), participation.ENOTFOUND)
		wantCode(t, s.ResetPassword(context.Background(), participation.PasswordReset{Token: "", Password: "yet another passphrase"}), participation.ENOTFOUND)
	})
	t.Run("ErrExpired", func(t *testing.T) {
		if err := s.RequestPasswordReset(context.Background(), "aino@example.fi", 10); err != nil {
			t.Fatal(err)
		}
		token := linkToken(t, s, participation.MessagePasswordReset, "aino@example.fi")
		clk.t = clk.t.Add(participation.ResetPasswordLifetime + time.Second)
		wantCode(t, s.ResetPassword(context.Background(), participation.PasswordReset{Token: token, Password: "yet another passphrase"}), participation.ENOTFOUND)
	})
}

// TestAccountLinksErased: erasing an account erases its links and the
// emails to a new address, which name no account.
func TestAccountLinksErased(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx, a := mustAccount(t, s, "aino@example.fi")
	if err := s.RequestEmailChange(ctx, "aino.uusi@example.fi"); err != nil {
		t.Fatal(err)
	}
	x, err := s.ExportAccount(ctx)
	if err != nil || len(x.Data["account_tokens"]) < 10 {
		t.Fatalf("export %s %v", x.Data["account_tokens"], err)
	}
	if err := s.EraseAccount(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.DB().Get(&n, `SELECT (SELECT count(*) FROM account_tokens WHERE account_id = $1) + (SELECT count(*) FROM outbox WHERE email = 'aino.uusi@example.fi')`, a.ID); err != nil || n != 0 {
		t.Fatalf("%d left, %v", n, err)
	}
}
