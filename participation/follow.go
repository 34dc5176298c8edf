package participation

import "context"

// Following: what a signed-in person can follow.
const (
	FollowIdea       = "idea"
	FollowCommitment = "commitment"
)

// FollowService lets signed-in people follow ideas and commitments. What
// following brings are messages in the outbox (OutboxService): in the app
// for every follower, by email for those who asked for it.
type FollowService interface {
	// Follow makes the signed-in account follow an idea or a commitment; repeating is harmless.
	Follow(ctx context.Context, kind string, id int64) error
	// Unfollow ends following; harmless when not following.
	Unfollow(ctx context.Context, kind string, id int64) error
	// IsFollowing reports whether the signed-in account follows the item (false when signed out).
	IsFollowing(ctx context.Context, kind string, id int64) (bool, error)
}
