package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// SignUp registers a citizen account and writes it a welcome email with a
// link to confirm its address; when
// the email already has an account, it writes that account's owner a word
// of the attempt instead (unless one went within
// participation.AccountExistsInterval). Both ways hash the password first,
// which takes tens of milliseconds, and then write in one short
// transaction (the taken way has one indexed lookup more), so that neither
// the answer nor its time tells whether the address has an account.
func (s *Store) SignUp(ctx context.Context, n participation.NewAccount) error {
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	hash, err := participation.HashPassword(ctx, n.Password)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var created []int64
	if err := tx.SelectContext(ctx, &created, `
		INSERT INTO accounts (email, password_hash, name, municipality, roles, created_at, lang)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (email) DO NOTHING
		RETURNING id`,
		n.Email, hash, n.Name, n.Municipality, pq.Array([]string{participation.RoleCitizen}), tx.now, n.Lang); err != nil {
		return storeErr(err, "account")
	}
	if len(created) == 1 {
		if err := sendAccountLink(ctx, tx, created[0], participation.TokenConfirmEmail, n.Email); err != nil {
			return err
		}
		return tx.Commit()
	}
	// The owner is told in their own language, not the visitor's.
	var owner []int64
	if err := tx.SelectContext(ctx, &owner, `
		SELECT a.id FROM accounts a
		WHERE a.email = $1 AND NOT EXISTS (
			SELECT 1 FROM outbox o WHERE o.account_id = a.id AND o.kind = $2 AND o.created_at > $3)`,
		n.Email, participation.MessageAccountExists, tx.now.Add(-participation.AccountExistsInterval)); err != nil {
		return fmt.Errorf("find account: %w", err)
	}
	if len(owner) == 0 {
		return tx.Commit() // told a moment ago
	}
	msg := participation.Message{Channel: participation.ChannelEmail, Kind: participation.MessageAccountExists,
		SubjectKind: participation.SubjectAccount, SubjectID: owner[0]}
	msg.AccountID = &msg.SubjectID
	if err := enqueue(ctx, tx, msg); err != nil {
		return err
	}
	return tx.Commit()
}
