package postgres

import (
	"context"
	"fmt"

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

// notifyFollowers writes the news of a change (kind, one of the commitment
// message kinds) to everyone who follows the commitment (or one merged into
// it) or an idea that fed it directly or through its theme, except the
// person who made the change: in the app for each, by email for those who
// asked for it, each in their own language, in the change's transaction.
func notifyFollowers(ctx context.Context, tx *Tx, kind string, c *participation.Commitment, m *participation.Milestone, actorID int64) error {
	news := participation.Message{Kind: kind, SubjectKind: participation.SubjectCommitment, SubjectID: c.ID,
		Params: participation.MessageParams{Title: c.Title}}
	if m != nil {
		news.Params.MilestoneID, news.Params.MilestoneTitle, news.Params.Status = m.ID, m.Title, m.Status
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
	var followers []int64
	if err := tx.SelectContext(ctx, &followers, `
		WITH fed(id) AS (
			SELECT s.idea_id FROM commitment_sources s WHERE s.commitment_id = ANY($2) AND s.idea_id IS NOT NULL
			UNION
			SELECT i.id FROM commitment_sources s JOIN ideas i ON i.theme_id = s.theme_id
			WHERE s.commitment_id = ANY($2)
		)
		SELECT DISTINCT f.account_id
		FROM follows f
		WHERE f.account_id <> $1 AND (
			(f.kind = 'commitment' AND f.item_id = ANY($2)) OR
			(f.kind = 'idea' AND f.item_id IN (SELECT id FROM fed)))
		ORDER BY f.account_id`,
		actorID, pq.Array(chain)); err != nil {
		return fmt.Errorf("find followers: %w", err)
	}
	if err := enqueue(ctx, tx, news.ToAccounts(followers)...); err != nil {
		return fmt.Errorf("notify followers: %w", err)
	}
	return nil
}
