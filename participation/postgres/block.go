package postgres

import (
	"context"
	"fmt"
	"time"

	"osallistu/participation"
)

// activeBlock is the block in force of the account a.id at $2 (now): the
// one that ends last, if several were set.
const activeBlock = `SELECT id, until, reason, created_at FROM account_blocks
	WHERE account_id = a.id AND lifted_at IS NULL AND until > $2 ORDER BY until DESC LIMIT 1`

// blockColumns are the columns of activeBlock as joined to an account (b).
const blockColumns = `b.id AS "block.id", b.until AS "block.until", b.reason AS "block.reason", b.created_at AS "block.created_at"`

// blockRow is an account's block as joined, all null when it has none.
type blockRow struct {
	ID        *int64     `db:"id"`
	Until     *time.Time `db:"until"`
	Reason    *string    `db:"reason"`
	CreatedAt *time.Time `db:"created_at"`
}

func (r blockRow) block() *participation.AccountBlock {
	if r.ID == nil {
		return nil
	}
	return &participation.AccountBlock{ID: *r.ID, Until: *r.Until, Reason: *r.Reason, CreatedAt: *r.CreatedAt}
}

// BlockAccount blocks an account from writing until a time, with a reason
// it is shown, replacing a block in force (officials only).
func (s *Store) BlockAccount(ctx context.Context, accountID int64, n participation.NewBlock) (*participation.AccountBlock, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := lockAccount(ctx, tx, accountID); err != nil {
		return nil, err
	}
	if err := participation.CheckBlocker(me, accountID); err != nil {
		return nil, err
	}
	if err := n.Validate(tx.now); err != nil {
		return nil, err
	}
	if err := liftBlocks(ctx, tx, accountID, me.ID); err != nil {
		return nil, err
	}
	b := participation.AccountBlock{AccountID: accountID, Until: *n.Until, Reason: n.Reason, CreatedAt: tx.now}
	if err := tx.GetContext(ctx, &b.ID, `
		INSERT INTO account_blocks (account_id, until, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		accountID, n.Until, n.Reason, me.ID, tx.now); err != nil {
		return nil, storeErr(err, "block")
	}
	if err := logModeration(ctx, tx, participation.KindAccount, accountID, participation.ActionBlock, n.Reason, me.ID); err != nil {
		return nil, err
	}
	return &b, tx.Commit()
}

// UnblockAccount lifts an account's block before its end (officials only);
// an account without one is ECONFLICT.
func (s *Store) UnblockAccount(ctx context.Context, accountID int64, d participation.Decision) error {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := lockAccount(ctx, tx, accountID); err != nil {
		return err
	}
	if err := d.Validate(participation.ActionUnblock); err != nil {
		return err
	}
	if _, err := findBlock(ctx, tx, accountID); err != nil {
		if participation.ErrorCode(err) == participation.ENOTFOUND {
			return participation.Errorf(participation.ECONFLICT, "The account is not blocked.")
		}
		return err
	}
	if err := liftBlocks(ctx, tx, accountID, me.ID); err != nil {
		return err
	}
	if err := logModeration(ctx, tx, participation.KindAccount, accountID, participation.ActionUnblock, d.Reason, me.ID); err != nil {
		return err
	}
	return tx.Commit()
}

// FindAccountBlock returns an account's block in force (officials only);
// none is ENOTFOUND.
func (s *Store) FindAccountBlock(ctx context.Context, accountID int64) (*participation.AccountBlock, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	b, err := findBlock(ctx, tx, accountID)
	if err != nil {
		return nil, err
	}
	return b, tx.Commit()
}

// lockAccount takes an account's row lock, so that blocks of one account
// are set one at a time; an erased or unknown account is ENOTFOUND.
func lockAccount(ctx context.Context, tx *Tx, accountID int64) error {
	var id int64
	if err := tx.GetContext(ctx, &id, `SELECT id FROM accounts WHERE id = $1 AND erased_at IS NULL FOR UPDATE`, accountID); err != nil {
		return storeErr(err, "account")
	}
	return nil
}

func findBlock(ctx context.Context, tx *Tx, accountID int64) (*participation.AccountBlock, error) {
	var b participation.AccountBlock
	if err := tx.GetContext(ctx, &b, `SELECT b.id, a.id AS account_id, b.until, b.reason, b.created_at
		FROM accounts a JOIN LATERAL (`+activeBlock+`) b ON true WHERE a.id = $1`, accountID, tx.now); err != nil {
		return nil, storeErr(err, "block")
	}
	return &b, nil
}

// liftBlocks ends every block in force of an account.
func liftBlocks(ctx context.Context, tx *Tx, accountID, by int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE account_blocks SET lifted_at = $2, lifted_by = $3
		WHERE account_id = $1 AND lifted_at IS NULL AND until > $2`, accountID, tx.now, by); err != nil {
		return fmt.Errorf("lift blocks: %w", err)
	}
	return nil
}
