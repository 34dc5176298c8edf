package participation

import (
	"context"
	"time"
)

// Following: what a signed-in person can follow.
const (
	FollowIdea       = "idea"
	FollowCommitment = "commitment"
)

// Notification kinds.
const (
	NotifyCommitmentApproved = "commitment_approved"
	NotifyMilestoneStatus    = "milestone_status"
)

// Notification is an in-app message to a follower.
type Notification struct {
	ID              int64      `json:"id" db:"id"`
	Kind            string     `json:"kind" db:"kind"`
	CommitmentID    int64      `json:"commitment_id" db:"commitment_id"`
	CommitmentTitle string     `json:"commitment_title" db:"commitment_title"`
	MilestoneID     *int64     `json:"milestone_id" db:"milestone_id"`
	MilestoneTitle  *string    `json:"milestone_title" db:"milestone_title"`
	Status          *string    `json:"status" db:"status"`
	Link            string     `json:"link" db:"link"`
	CreatedAt       time.Time  `json:"created_at" db:"created_at"`
	ReadAt          *time.Time `json:"read_at" db:"read_at"`
	// CommitmentTexts and MilestoneTexts are the languages and translations
	// of the titles, as they were when the notification was written.
	CommitmentTexts Translatable `json:"-" db:"commitment"`
	MilestoneTexts  Translatable `json:"-" db:"milestone"`
}

// NotificationFilter selects the signed-in account's notifications.
type NotificationFilter struct {
	UnreadOnly bool
	Limit      int
	Offset     int
}

// FollowService lets signed-in people follow ideas and commitments and
// read the notifications that following brings.
type FollowService interface {
	// Follow makes the signed-in account follow an idea or a commitment; repeating is harmless.
	Follow(ctx context.Context, kind string, id int64) error
	// Unfollow ends following; harmless when not following.
	Unfollow(ctx context.Context, kind string, id int64) error
	// IsFollowing reports whether the signed-in account follows the item (false when signed out).
	IsFollowing(ctx context.Context, kind string, id int64) (bool, error)
	// FindNotifications lists the signed-in account's notifications, newest first.
	FindNotifications(ctx context.Context, f NotificationFilter) ([]*Notification, int, error)
	// MarkNotificationsRead marks the given notifications (none: all) read and returns the unread count.
	MarkNotificationsRead(ctx context.Context, ids []int64) (int, error)
	// CountUnreadNotifications counts the signed-in account's unread notifications (0 when signed out).
	CountUnreadNotifications(ctx context.Context) (int, error)
}
