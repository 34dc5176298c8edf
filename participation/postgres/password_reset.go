package postgres

import (
	"context"
	"fmt"
	"time"

	"osallistu/participation"
)

// RequestPasswordReset sends a reset link to the account with the address,
// at most perHour within an hour (participation.DefaultPasswordResetsPerHour
// when not positive). An address without an account, and one over its
// limit, get nothing, and the answer is the same: nil.
func (s *Store) RequestPasswordReset(ctx context.Context, email string, perHour int) error {
	email = participation.NormalizeEmail(email)
	f := participation.FieldErrors{}
	participation.ValidateEmail(f, "email", email)
	if err := f.Err(); err != nil {
		return err
	}
	if perHour <= 0 {
		perHour = participation.DefaultPasswordResetsPerHour
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var due []int64
	if err := tx.SelectContext(ctx, &due, `
		SELECT a.id FROM accounts a
		WHERE a.email = $1 AND a.erased_at IS NULL
		  AND (SELECT count(*) FROM account_tokens t
		       WHERE t.account_id = a.id AND t.purpose = $2 AND t.created_at > $3) < $4`,
		email, participation.TokenResetPassword, tx.now.Add(-time.Hour), perHour); err != nil {
		return fmt.Errorf("find account: %w", err)
	}
	if len(due) == 1 {
		if err := sendAccountLink(ctx, tx, due[0], participation.TokenResetPassword, email); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// FindPasswordReset checks that a reset link works, without using it.
func (s *Store) FindPasswordReset(ctx context.Context, token string) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findAccountToken(ctx, tx, token, "", participation.TokenResetPassword); err != nil {
		return err
	}
	return tx.Commit()
}

// ResetPassword sets a new password with a reset link, which then works no
// more; every session of the account ends. Opening the link proves the
// address, so an unconfirmed one becomes confirmed.
func (s *Store) ResetPassword(ctx context.Context, p participation.PasswordReset) error {
	// The password is checked and hashed before the transaction, which
	// then checks the link again.
	var a *participation.Account
	err := func() error {
		tx, err := s.begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		t, err := findAccountToken(ctx, tx, p.Token, "", participation.TokenResetPassword)
		if err != nil {
			return err
		}
		a, err = findAccount(ctx, tx, t.AccountID)
		return err
	}()
	if err != nil {
		return err
	}
	if err := p.Validate(a); err != nil {
		return err
	}
	hash, err := participation.HashPassword(ctx, p.Password)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t, err := useAccountToken(ctx, tx, p.Token, participation.TokenResetPassword)
	if err != nil {
		return err
	}
	if err := setPassword(ctx, tx, t.AccountID, hash, ""); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE accounts SET email_confirmed_at = coalesce(email_confirmed_at, $3) WHERE id = $1 AND email = $2`,
		t.AccountID, t.Email, tx.now); err != nil {
		return fmt.Errorf("confirm email: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE email = $1`, t.Email); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return tx.Commit()
}
