package participation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// ReasonMax is the longest reason of a report or of a moderation action, in characters.
const ReasonMax = 1000

// Hide says why a moderator hides an item.
type Hide struct {
	Reason string `json:"reason"`
}

// Validate checks a moderation reason.
func (h *Hide) Validate() error {
	h.Reason = strings.TrimSpace(h.Reason)
	f := FieldErrors{}
	f.Text("reason", h.Reason, 1, ReasonMax)
	return f.Err()
}

// Report is anyone's report of an idea or comment to the moderators.
type Report struct {
	Reason  string `json:"reason"`
	Website string `json:"-"`
}

// Validate checks a report.
func (r *Report) Validate() error {
	r.Reason = strings.TrimSpace(r.Reason)
	f := FieldErrors{}
	checkHoneypot(f, r.Website)
	f.Text("reason", r.Reason, 1, ReasonMax)
	return f.Err()
}

// MaySeeHidden reports whether viewer (nil when signed out) may see hidden
// ideas and comments: officials only, who moderate them.
func MaySeeHidden(viewer *Account) bool { return viewer.HasRole(RoleOfficial) }

// Moderation item kinds.
const (
	KindIdea    = "idea"
	KindComment = "comment"
	KindAccount = "account" // in the log only: blocks of accounts
)

// The statuses of an idea or comment: published (shown unless hidden),
// pending (waiting for a moderator's approval in a pre-moderated round) or
// rejected (a moderator refused it; it never showed).
const (
	ItemPublished = "published"
	ItemPending   = "pending"
	ItemRejected  = "rejected"
)

// Moderation actions, as the log keeps them.
const (
	ActionHide    = "hide"
	ActionRestore = "restore"
	ActionDismiss = "dismiss" // the reports of an item were dismissed
	ActionApprove = "approve"
	ActionReject  = "reject"
	ActionBlock   = "block"
	ActionUnblock = "unblock"
)

// Decision says why a moderator dismisses the reports of an item, restores
// it, approves or rejects it. Only an approval may go without a reason.
type Decision struct {
	Reason string `json:"reason"`
}

// Validate checks a decision's reason for action.
func (d *Decision) Validate(action string) error {
	d.Reason = strings.TrimSpace(d.Reason)
	min := 1
	if action == ActionApprove || action == ActionUnblock {
		min = 0
	}
	f := FieldErrors{}
	f.Text("reason", d.Reason, min, ReasonMax)
	return f.Err()
}

// ModeratedState is what moderation rules look at in an idea or comment.
type ModeratedState struct {
	Hidden      bool   `db:"hidden"`
	Status      string `db:"status"`
	OpenReports int    `db:"open_reports"` // reports no moderator has acted on
}

// CheckAction returns why action may not be taken on an item in state s,
// or nil: a pending item is only approved or rejected; only hidden or
// rejected items are restored; only reports waiting are dismissed.
func (s ModeratedState) CheckAction(action string) error {
	if s.Status == ItemPending && action != ActionApprove && action != ActionReject {
		return Errorf(ECONFLICT, "This item waits for approval: approve or reject it.")
	}
	switch action {
	case ActionApprove, ActionReject:
		if s.Status != ItemPending {
			return Errorf(ECONFLICT, "This item does not wait for approval.")
		}
	case ActionRestore:
		if !s.Hidden {
			return Errorf(ECONFLICT, "This item is not hidden.")
		}
	case ActionDismiss:
		if s.OpenReports == 0 {
			return Errorf(ECONFLICT, "No reports of this item wait for a moderator.")
		}
	}
	return nil
}

// ItemContext is where a moderated idea or comment is and what it says, so
// that a moderator need not open it: the idea's title (for a comment, the
// title of the idea it is on), the text itself in full, and the round and
// process it belongs to. Every field is null for an account.
type ItemContext struct {
	IdeaID       *int64  `json:"idea_id" db:"idea_id"` // the idea itself, or the one commented on
	Title        *string `json:"title" db:"title"`
	Text         *string `json:"text" db:"text"`
	Language     *string `json:"language" db:"language"`
	RoundID      *int64  `json:"round_id" db:"round_id"`
	RoundTitle   *string `json:"round_title" db:"round_title"`
	ProcessSlug  *string `json:"process_slug" db:"process_slug"`
	ProcessTitle *string `json:"process_title" db:"process_title"`
	// AuthorID is the writer's account (null when anonymous or erased),
	// whom a moderator may block.
	AuthorID   *int64  `json:"author_id" db:"author_id"`
	AuthorName *string `json:"author_name" db:"author_name"`
}

// Shortened reports whether the item's text is longer than n characters,
// so that a list shows it shortened with the full text a click away.
func (c ItemContext) Shortened(n int) bool {
	return c.Text != nil && utf8.RuneCountInString(*c.Text) > n
}

// ModerationItem is a reported item waiting for a moderator.
type ModerationItem struct {
	Kind    string   `json:"kind" db:"kind"`
	ID      int64    `json:"id" db:"id"`
	Reports int      `json:"reports" db:"reports"`
	Reasons []string `json:"reasons" db:"-"`
	Excerpt string   `json:"excerpt" db:"excerpt"`
	// AuthorRequest says that its author asked for its removal (RequestRemoval).
	AuthorRequest bool `json:"author_request" db:"author_request"`
	ItemContext
}

// PendingItem is a new idea or comment of a pre-moderated round waiting
// for a moderator's approval.
type PendingItem struct {
	Kind      string    `json:"kind" db:"kind"`
	ID        int64     `json:"id" db:"id"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
	ItemContext
}

// ModerationAction is one entry of the moderation audit log.
type ModerationAction struct {
	ID        int64     `json:"id" db:"id"`
	Kind      string    `json:"kind" db:"kind"` // idea, comment, account or proposal
	ItemID    int64     `json:"item_id" db:"item_id"`
	Action    string    `json:"action" db:"action"` // one of the Action constants
	Reason    string    `json:"reason" db:"reason"`
	ActorName *string   `json:"actor_name" db:"actor_name"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
	// AccountName is the blocked account's name (kind account).
	AccountName *string `json:"account_name" db:"account_name"`
	ItemContext
}

// ModerationService takes reports of ideas and comments and lets
// moderators hide, restore, approve and reject them and dismiss their
// reports, keeping every action in a log.
type ModerationService interface {
	// ReportItem records anyone's report of a visible idea or comment.
	ReportItem(ctx context.Context, kind string, id int64, r Report) error
	// HideItem hides an idea or comment with a reason shown in its place (officials).
	HideItem(ctx context.Context, kind string, id int64, h Hide) error
	// RestoreItem shows a hidden or rejected idea or comment again (officials).
	RestoreItem(ctx context.Context, kind string, id int64, d Decision) error
	// DismissReports settles an item's reports without hiding it (officials).
	DismissReports(ctx context.Context, kind string, id int64, d Decision) error
	// ApproveItem publishes a pending idea or comment (officials).
	ApproveItem(ctx context.Context, kind string, id int64, d Decision) error
	// RejectItem refuses a pending idea or comment for good (officials).
	RejectItem(ctx context.Context, kind string, id int64, d Decision) error
	// FindModerationQueue lists reported items waiting for a moderator, most reported first (officials).
	FindModerationQueue(ctx context.Context, limit, offset int) ([]*ModerationItem, int, error)
	// FindPendingItems lists ideas and comments waiting for approval, oldest first (officials).
	FindPendingItems(ctx context.Context, limit, offset int) ([]*PendingItem, int, error)
	// FindModerationLog lists moderation actions, newest first (officials).
	FindModerationLog(ctx context.Context, limit, offset int) ([]*ModerationAction, int, error)
}
