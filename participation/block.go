package participation

import (
	"context"
	"strings"
	"time"
)

// AccountBlock keeps an account from writing (ideas, comments, supports,
// reports, survey answers, statements) until a time, with a reason the
// person is shown.
type AccountBlock struct {
	ID        int64     `json:"id" db:"id"`
	AccountID int64     `json:"account_id" db:"account_id"`
	Until     time.Time `json:"until" db:"until"`
	Reason    string    `json:"reason" db:"reason"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
}

// Err is the error every write of the blocked account gets.
func (b *AccountBlock) Err() error {
	return Errorf(EFORBIDDEN, "Your account is blocked from writing until %s: %s",
		b.Until.UTC().Format(time.RFC3339), b.Reason)
}

// CheckNotBlocked returns the block's error when a (nil when signed out) is
// blocked from writing at now, else nil.
func CheckNotBlocked(a *Account, now time.Time) error {
	if a == nil || a.Block == nil || !now.Before(a.Block.Until) {
		return nil
	}
	return a.Block.Err()
}

// NewBlock is what a moderator gives to block an account.
type NewBlock struct {
	Until  *time.Time `json:"until"`
	Reason string     `json:"reason"`
}

// Validate checks a block at now: it ends in the future, with a reason.
func (n *NewBlock) Validate(now time.Time) error {
	n.Reason = strings.TrimSpace(n.Reason)
	f := FieldErrors{}
	if n.Until == nil {
		f.Add("until", RuleRequired, 0)
	} else if !n.Until.After(now) {
		f.Add("until", RuleInFuture, 0)
	}
	f.Text("reason", n.Reason, 1, ReasonMax)
	return f.Err()
}

// CheckBlocker returns why moderator may not block target: nobody blocks
// themselves.
func CheckBlocker(moderator *Account, target int64) error {
	if moderator.ID == target {
		return Errorf(EFORBIDDEN, "You cannot block your own account.")
	}
	return nil
}

// BlockService blocks accounts from writing and lifts blocks (officials).
type BlockService interface {
	// BlockAccount blocks an account until a time, replacing a block it has.
	BlockAccount(ctx context.Context, accountID int64, n NewBlock) (*AccountBlock, error)
	// UnblockAccount lifts an account's block before its end.
	UnblockAccount(ctx context.Context, accountID int64, d Decision) error
	// FindAccountBlock returns the account's block in force, or ENOTFOUND.
	FindAccountBlock(ctx context.Context, accountID int64) (*AccountBlock, error)
}
