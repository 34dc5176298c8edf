package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// accountToken is an account_tokens row as a link's opening finds it.
type accountToken struct {
	ID        int64  `db:"id"`
	AccountID int64  `db:"account_id"`
	Purpose   string `db:"purpose"`
	Email     string `db:"email"`
}

// linkMessages are the message kinds of each purpose's link.
var linkMessages = map[string]string{
	participation.TokenConfirmEmail:  participation.MessageEmailConfirmation,
	participation.TokenChangeEmail:   participation.MessageEmailChange,
	participation.TokenResetPassword: participation.MessagePasswordReset,
}

// sendAccountLink writes a personal link of purpose for the account, to
// email, and its message through the outbox: a new address is written to
// as an address (in the account's language), the account's own as the
// account. Only the token's hash is kept.
func sendAccountLink(ctx context.Context, tx *Tx, accountID int64, purpose, email string) error {
	token, err := newToken()
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO account_tokens (account_id, purpose, email, token_hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		accountID, purpose, email, hashToken(token), tx.now, tx.now.Add(participation.TokenLifetime(purpose))); err != nil {
		return fmt.Errorf("write %s link: %w", purpose, err)
	}
	msg := participation.Message{Channel: participation.ChannelEmail, Kind: linkMessages[purpose],
		SubjectKind: participation.SubjectAccount, SubjectID: accountID, Params: participation.MessageParams{Token: token}}
	if purpose == participation.TokenChangeEmail {
		msg.Email = email
		if err := tx.GetContext(ctx, &msg.Lang, `SELECT lang FROM accounts WHERE id = $1`, accountID); err != nil {
			return storeErr(err, "account")
		}
	} else {
		msg.AccountID = &accountID
	}
	return enqueue(ctx, tx, msg)
}

// useAccountToken finds the live link with the token among purposes, locks
// it and marks it used: a link works once. An unknown, used or expired one
// is participation.ErrLinkInvalid.
func useAccountToken(ctx context.Context, tx *Tx, token string, purposes ...string) (*accountToken, error) {
	t, err := findAccountToken(ctx, tx, token, " FOR UPDATE OF t", purposes...)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE account_tokens SET used_at = $2 WHERE id = $1`, t.ID, tx.now); err != nil {
		return nil, fmt.Errorf("use link: %w", err)
	}
	return t, nil
}

// findAccountToken finds the live link with the token among purposes.
func findAccountToken(ctx context.Context, tx *Tx, token, lock string, purposes ...string) (*accountToken, error) {
	if token == "" {
		return nil, participation.ErrLinkInvalid()
	}
	var t accountToken
	err := tx.GetContext(ctx, &t, `
		SELECT t.id, t.account_id, t.purpose, t.email FROM account_tokens t JOIN accounts a ON a.id = t.account_id
		WHERE t.token_hash = $1 AND t.purpose = ANY($2) AND t.used_at IS NULL AND t.expires_at > $3
		  AND a.erased_at IS NULL`+lock,
		hashToken(token), pq.Array(purposes), tx.now)
	if err == errNoRows {
		return nil, participation.ErrLinkInvalid()
	} else if err != nil {
		return nil, fmt.Errorf("find link: %w", err)
	}
	return &t, nil
}

// findAccount returns one account as the transaction sees it.
func findAccount(ctx context.Context, tx *Tx, id int64) (*participation.Account, error) {
	var row accountRow
	if err := tx.GetContext(ctx, &row, `SELECT `+accountColumns+` FROM accounts WHERE id = $1 AND erased_at IS NULL`, id); err != nil {
		return nil, storeErr(err, "account")
	}
	return row.account(), nil
}

// UpdateAccount changes the signed-in account's name and municipality.
func (s *Store) UpdateAccount(ctx context.Context, u participation.AccountUpdate) (*participation.Account, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var row accountRow
	if err := tx.GetContext(ctx, &row, `
		UPDATE accounts SET name = coalesce($2, name),
			municipality = CASE WHEN $3 THEN NULL ELSE coalesce($4, municipality) END
		WHERE id = $1 AND erased_at IS NULL RETURNING `+accountColumns,
		me.ID, u.Name, u.ClearMunicipality, u.Municipality); err != nil {
		return nil, storeErr(err, "account")
	}
	return row.account(), tx.Commit()
}

// ChangePassword checks the current password (wrong ones count as failed
// sign-ins, so that a session left open does not let anyone guess it) and
// sets the new one. Every other session of the account ends, and unused
// reset links stop working.
func (s *Store) ChangePassword(ctx context.Context, p participation.PasswordChange, keepToken string) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	if err := p.Validate(me); err != nil {
		return err
	}
	address := participation.AddressFromContext(ctx)
	if s.lockout.Locked(me.Email, address, s.now()) {
		return participation.Errorf(participation.ERATELIMITED, "Too many failed attempts. Try again in 15 minutes.")
	}
	var old *string
	if err := s.db.GetContext(ctx, &old, `SELECT password_hash FROM accounts WHERE id = $1`, me.ID); err != nil {
		return storeErr(err, "account")
	}
	ok, err := participation.CheckPasswordOrDummy(ctx, old, p.CurrentPassword)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if !ok {
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (email, failed_at) VALUES ($1, $2)`,
			me.Email, tx.now); err != nil {
			return fmt.Errorf("record failure: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		s.lockout.Fail(me.Email, address, tx.now)
		f := participation.FieldErrors{}
		f.Add("current_password", participation.RuleWrongPassword, 0)
		return &participation.Error{Code: participation.EINVALID, Message: "The current password is wrong.", Fields: f}
	}
	hash, err := participation.HashPassword(ctx, p.NewPassword)
	if err != nil {
		return err
	}
	if err := setPassword(ctx, tx, me.ID, hash, keepToken); err != nil {
		return err
	}
	return tx.Commit()
}

// setPassword gives the account a new password hash and ends its sessions
// but keepToken's ("" ends them all) and its unused reset links.
func setPassword(ctx context.Context, tx *Tx, accountID int64, hash, keepToken string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $2 WHERE id = $1 AND erased_at IS NULL`, accountID, hash); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2`, accountID, hashToken(keepToken)); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE account_tokens SET used_at = $2 WHERE account_id = $1 AND purpose = $3 AND used_at IS NULL`,
		accountID, tx.now, participation.TokenResetPassword); err != nil {
		return fmt.Errorf("end reset links: %w", err)
	}
	return nil
}

// RequestEmailChange sends a link to the new address; the account keeps its
// address until the link is opened.
func (s *Store) RequestEmailChange(ctx context.Context, email string) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	email = participation.NormalizeEmail(email)
	f := participation.FieldErrors{}
	participation.ValidateEmail(f, "email", email)
	if err := f.Err(); err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := checkEmailFree(ctx, tx, email); err != nil {
		return err
	}
	if err := sendAccountLink(ctx, tx, me.ID, participation.TokenChangeEmail, email); err != nil {
		return err
	}
	return tx.Commit()
}

// checkEmailFree is ECONFLICT when an account has the address (its own
// included): addresses are unique, compared case-insensitively.
func checkEmailFree(ctx context.Context, tx *Tx, email string) error {
	var taken bool
	if err := tx.GetContext(ctx, &taken, `SELECT EXISTS (SELECT 1 FROM accounts WHERE email = $1)`, email); err != nil {
		return fmt.Errorf("find account: %w", err)
	}
	if taken {
		return emailTaken()
	}
	return nil
}

func emailTaken() error {
	f := participation.FieldErrors{}
	f.Add("email", participation.RuleTaken, 0)
	return &participation.Error{Code: participation.ECONFLICT, Message: "An account with this email already exists.", Fields: f}
}

// SendEmailConfirmation sends the signed-in account a new link to confirm
// its address.
func (s *Store) SendEmailConfirmation(ctx context.Context) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	if me.EmailConfirmed {
		return participation.Errorf(participation.ECONFLICT, "Your email address is confirmed already.")
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := sendAccountLink(ctx, tx, me.ID, participation.TokenConfirmEmail, me.Email); err != nil {
		return err
	}
	return tx.Commit()
}

// ConfirmEmail opens a link that confirms the account's address, or a new
// address, which then becomes the account's, confirmed. A confirmation of
// an address the account no longer has is refused like a used link.
func (s *Store) ConfirmEmail(ctx context.Context, token string) (*participation.Account, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t, err := useAccountToken(ctx, tx, token, participation.TokenConfirmEmail, participation.TokenChangeEmail)
	if err != nil {
		return nil, err
	}
	switch t.Purpose {
	case participation.TokenConfirmEmail:
		res, err := tx.ExecContext(ctx, `
			UPDATE accounts SET email_confirmed_at = coalesce(email_confirmed_at, $3) WHERE id = $1 AND email = $2`,
			t.AccountID, t.Email, tx.now)
		if err != nil {
			return nil, fmt.Errorf("confirm email: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil, participation.ErrLinkInvalid()
		}
	case participation.TokenChangeEmail:
		var old string
		if err := tx.GetContext(ctx, &old, `SELECT email FROM accounts WHERE id = $1`, t.AccountID); err != nil {
			return nil, storeErr(err, "account")
		}
		_, err := tx.ExecContext(ctx, `UPDATE accounts SET email = $2, email_confirmed_at = $3 WHERE id = $1`, t.AccountID, t.Email, tx.now)
		if participation.ErrorCode(storeErr(err, "account")) == participation.ECONFLICT {
			return nil, emailTaken()
		} else if err != nil {
			return nil, fmt.Errorf("change email: %w", err)
		}
		// Links sent to the old address stop working; failed sign-ins
		// counted by it go with it.
		if _, err := tx.ExecContext(ctx, `
			UPDATE account_tokens SET used_at = $2 WHERE account_id = $1 AND used_at IS NULL`, t.AccountID, tx.now); err != nil {
			return nil, fmt.Errorf("end links: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE email = $1`, old); err != nil {
			return nil, fmt.Errorf("clear login failures: %w", err)
		}
		// The old address hears of it, in case the change was not its owner's.
		notice := participation.Message{Channel: participation.ChannelEmail, Kind: participation.MessageEmailChanged,
			Email: old, SubjectKind: participation.SubjectAccount, SubjectID: t.AccountID}
		if err := tx.GetContext(ctx, &notice.Lang, `SELECT lang FROM accounts WHERE id = $1`, t.AccountID); err != nil {
			return nil, storeErr(err, "account")
		}
		if err := enqueue(ctx, tx, notice); err != nil {
			return nil, err
		}
	}
	a, err := findAccount(ctx, tx, t.AccountID)
	if err != nil {
		return nil, err
	}
	return a, tx.Commit()
}
