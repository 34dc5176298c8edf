package participation

import (
	"context"
	"strings"
	"time"
)

// ReasonMax is the longest reason of a report or of hiding, in characters.
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
)

// ModerationItem is a reported item waiting for a moderator.
type ModerationItem struct {
	Kind    string   `json:"kind" db:"kind"`
	ID      int64    `json:"id" db:"id"`
	Reports int      `json:"reports" db:"reports"`
	Reasons []string `json:"reasons" db:"-"`
	IdeaID  int64    `json:"idea_id" db:"idea_id"` // the idea itself, or the one commented on
	Excerpt string   `json:"excerpt" db:"excerpt"`
	// AuthorRequest says that its author asked for its removal (RequestRemoval).
	AuthorRequest bool `json:"author_request" db:"author_request"`
}

// ModerationAction is one entry of the moderation audit log.
type ModerationAction struct {
	ID        int64     `json:"id" db:"id"`
	Kind      string    `json:"kind" db:"kind"`
	ItemID    int64     `json:"item_id" db:"item_id"`
	IdeaID    int64     `json:"idea_id" db:"idea_id"` // the idea itself, or the one commented on
	Action    string    `json:"action" db:"action"`   // hide or restore
	Reason    string    `json:"reason" db:"reason"`
	ActorName *string   `json:"actor_name" db:"actor_name"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
}

// ModerationService takes reports of ideas and comments and lets
// moderators hide and restore them, keeping every action in a log.
type ModerationService interface {
	// ReportItem records anyone's report of a visible idea or comment.
	ReportItem(ctx context.Context, kind string, id int64, r Report) error
	// HideItem hides an idea or comment with a reason shown in its place (officials).
	HideItem(ctx context.Context, kind string, id int64, h Hide) error
	// RestoreItem shows a hidden idea or comment again (officials).
	RestoreItem(ctx context.Context, kind string, id int64) error
	// FindModerationQueue lists reported items waiting for a moderator, most reported first (officials).
	FindModerationQueue(ctx context.Context, limit, offset int) ([]*ModerationItem, int, error)
	// FindModerationLog lists moderation actions, newest first (officials).
	FindModerationLog(ctx context.Context, limit, offset int) ([]*ModerationAction, int, error)
}
