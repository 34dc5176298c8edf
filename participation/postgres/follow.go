package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/lib/pq"

	"osallistu/participation"
)

// followable checks that the item exists and that the caller may see it.
func followable(ctx context.Context, tx *Tx, kind string, id int64) error {
	switch kind {
	case participation.FollowIdea:
		_, err := findVisibleIdea(ctx, tx, id, "")
		return err
	case participation.FollowCommitment:
		var exists bool
		if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM commitments WHERE id = $1)`, id); err != nil {
			return fmt.Errorf("find commitment: %w", err)
		} else if !exists {
			return participation.Errorf(participation.ENOTFOUND, "commitment not found")
		}
		return nil
	}
	return participation.Errorf(participation.ENOTFOUND, "Only ideas and commitments can be followed.")
}

// Follow makes the signed-in account follow an idea or a commitment.
func (s *Store) Follow(ctx context.Context, kind string, id int64) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := followable(ctx, tx, kind, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO follows (account_id, kind, item_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, me.ID, kind, id, tx.now); err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	return tx.Commit()
}

// Unfollow ends following an item.
func (s *Store) Unfollow(ctx context.Context, kind string, id int64) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := followable(ctx, tx, kind, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM follows WHERE account_id = $1 AND kind = $2 AND item_id = $3`, me.ID, kind, id); err != nil {
		return fmt.Errorf("unfollow: %w", err)
	}
	return tx.Commit()
}

// IsFollowing reports whether the signed-in account follows the item.
func (s *Store) IsFollowing(ctx context.Context, kind string, id int64) (bool, error) {
	me := participation.AccountFromContext(ctx)
	if me == nil {
		return false, nil
	}
	var following bool
	if err := s.db.GetContext(ctx, &following, `
		SELECT EXISTS (SELECT 1 FROM follows WHERE account_id = $1 AND kind = $2 AND item_id = $3)`, me.ID, kind, id); err != nil {
		return false, fmt.Errorf("find follow: %w", err)
	}
	return following, nil
}

const notificationColumns = `id, kind, commitment_id, commitment_title, milestone_id, milestone_title, status, link, created_at, read_at,
	commitment_language AS "commitment.language", commitment_translations AS "commitment.translations",
	milestone_language AS "milestone.language", milestone_translations AS "milestone.translations"`

// FindNotifications lists the signed-in account's notifications, newest first.
func (s *Store) FindNotifications(ctx context.Context, f participation.NotificationFilter) ([]*participation.Notification, int, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where := ` WHERE account_id = $1 AND (NOT $2 OR read_at IS NULL)`
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM notifications`+where, me.ID, f.UnreadOnly); err != nil {
		return nil, 0, fmt.Errorf("count notifications: %w", err)
	}
	list := []*participation.Notification{}
	if err := tx.SelectContext(ctx, &list, `SELECT `+notificationColumns+` FROM notifications`+where+`
		ORDER BY id DESC LIMIT $3 OFFSET $4`, me.ID, f.UnreadOnly, f.Limit, f.Offset); err != nil {
		return nil, 0, fmt.Errorf("find notifications: %w", err)
	}
	return list, total, tx.Commit()
}

// MarkNotificationsRead marks the signed-in account's notifications read:
// those of ids, or all when ids is empty. It returns how many stay unread.
// Ids that are not the account's notifications are passed over; an id
// below 1 is no id at all (EINVALID).
func (s *Store) MarkNotificationsRead(ctx context.Context, ids []int64) (int, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if ids == nil {
		ids = []int64{}
	}
	for _, id := range ids {
		if id < 1 {
			f := participation.FieldErrors{}
			f.Add("ids", participation.RuleFormat, 0)
			return 0, f.Err()
		}
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE notifications SET read_at = $2
		WHERE account_id = $1 AND read_at IS NULL AND (cardinality($3::bigint[]) = 0 OR id = ANY($3))`,
		me.ID, tx.now, pq.Array(ids)); err != nil {
		return 0, fmt.Errorf("mark notifications read: %w", err)
	}
	var unread int
	if err := tx.GetContext(ctx, &unread, `SELECT count(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL`, me.ID); err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return unread, tx.Commit()
}

// CountUnreadNotifications counts the signed-in account's unread
// notifications, for the navigation of every page: one indexed count.
func (s *Store) CountUnreadNotifications(ctx context.Context) (int, error) {
	me := participation.AccountFromContext(ctx)
	if me == nil {
		return 0, nil
	}
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL`, me.ID); err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return n, nil
}

// notifyFollowers writes a notification, once per person, to everyone who
// follows the commitment (or one merged into it) or an idea that fed it
// directly or through its theme, except the person who made the change.
func notifyFollowers(ctx context.Context, tx *Tx, kind string, c *participation.Commitment, m *participation.Milestone, actorID int64) error {
	link := "/commitments/" + strconv.FormatInt(c.ID, 10)
	var milestoneID *int64
	var milestoneTitle, status *string
	var milestoneTexts participation.Translatable
	if m != nil {
		milestoneID, milestoneTitle, status = &m.ID, &m.Title, &m.Status
		milestoneTexts = m.Translatable
		link += "#milestone-" + strconv.FormatInt(m.ID, 10)
	}
	// The commitment and every one merged into it, directly or not.
	trees, err := mergeTrees(ctx, tx, []int64{c.ID})
	if err != nil {
		return err
	}
	chain := []int64{}
	for _, n := range trees {
		if n.through(c.ID) {
			chain = append(chain, n.ID)
		}
	}
	if _, err := tx.ExecContext(ctx, `
		WITH fed(id) AS (
			SELECT s.idea_id FROM commitment_sources s WHERE s.commitment_id = ANY($10) AND s.idea_id IS NOT NULL
			UNION
			SELECT i.id FROM commitment_sources s JOIN ideas i ON i.theme_id = s.theme_id
			WHERE s.commitment_id = ANY($10)
		)
		INSERT INTO notifications (account_id, kind, commitment_id, commitment_title, milestone_id, milestone_title, status, link, created_at,
		                           commitment_language, commitment_translations, milestone_language, milestone_translations)
		SELECT DISTINCT f.account_id, $2::text, $1::bigint, $3::text, $4::bigint, $5::text, $6::text, $7::text, $8::timestamptz,
		       $11::text, $12::jsonb, $13::text, $14::jsonb
		FROM follows f
		WHERE f.account_id <> $9 AND (
			(f.kind = 'commitment' AND f.item_id = ANY($10)) OR
			(f.kind = 'idea' AND f.item_id IN (SELECT id FROM fed)))`,
		c.ID, kind, c.Title, milestoneID, milestoneTitle, status, link, tx.now, actorID, pq.Array(chain),
		c.OwnLanguage(), c.Translations, milestoneTexts.OwnLanguage(), milestoneTexts.Translations); err != nil {
		return fmt.Errorf("notify followers: %w", err)
	}
	return nil
}
