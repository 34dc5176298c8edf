package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// moderated is an idea or comment as moderation sees it.
type moderated struct {
	IdeaID  int64 `db:"idea_id"`
	RoundID int64 `db:"round_id"`
	Hidden  bool  `db:"hidden"`
}

func findModerated(ctx context.Context, tx *Tx, kind string, id int64, lock bool) (*moderated, error) {
	var q string
	switch kind {
	case participation.KindIdea:
		q = `SELECT id AS idea_id, round_id, hidden_at IS NOT NULL AS hidden FROM ideas WHERE id = $1 AND deleted_at IS NULL`
	case participation.KindComment:
		q = `SELECT c.idea_id, i.round_id, c.hidden_at IS NOT NULL AS hidden FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE c.id = $1 AND c.deleted_at IS NULL`
	default:
		return nil, participation.Errorf(participation.ENOTFOUND, "no such kind of item")
	}
	if lock {
		q += ` FOR UPDATE`
	}
	var m moderated
	if err := tx.GetContext(ctx, &m, q, id); err != nil {
		return nil, storeErr(err, kind)
	}
	return &m, nil
}

// ReportItem records anyone's report of a visible idea or comment; a
// signed-in person's report replaces their earlier one of the same item
// until a moderator acts on it.
func (s *Store) ReportItem(ctx context.Context, kind string, id int64, r participation.Report) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := findModerated(ctx, tx, kind, id, false)
	if err != nil {
		return err
	}
	if m.Hidden {
		return participation.Errorf(participation.ENOTFOUND, "%s not found", kind)
	}
	if err := r.Validate(); err != nil {
		return err
	}
	var reporter *int64
	if a := participation.AccountFromContext(ctx); a != nil {
		reporter = &a.ID
	}
	// A signed-in person's new report of an item that still waits for a
	// moderator replaces their earlier one: the queue counts people.
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO reports (kind, item_id, reason, reporter_id, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (kind, item_id, reporter_id) WHERE resolved_at IS NULL
		DO UPDATE SET reason = EXCLUDED.reason, created_at = EXCLUDED.created_at`,
		kind, id, r.Reason, reporter, tx.now); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return tx.Commit()
}

// HideItem hides an idea or comment from the public with a reason shown in
// its place (officials only); hiding a hidden item updates the reason.
func (s *Store) HideItem(ctx context.Context, kind string, id int64, h participation.Hide) error {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := findModerated(ctx, tx, kind, id, true)
	if err != nil {
		return err
	}
	if err := h.Validate(); err != nil {
		return err
	}
	table := kind + "s"
	if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET hidden_at = coalesce(hidden_at, $2), hidden_reason = $3 WHERE id = $1`,
		id, tx.now, h.Reason); err != nil {
		return fmt.Errorf("hide %s: %w", kind, err)
	}
	if kind == participation.KindComment && !m.Hidden {
		if err := recountDiscussion(ctx, tx, m.IdeaID); err != nil {
			return err
		}
	}
	if kind == participation.KindIdea && !m.Hidden {
		if err := countIdeas(ctx, tx, m.RoundID, -1); err != nil {
			return err
		}
	}
	if err := logModeration(ctx, tx, kind, id, "hide", h.Reason, me.ID); err != nil {
		return err
	}
	return tx.Commit()
}

// RestoreItem shows a hidden idea or comment again (officials only).
func (s *Store) RestoreItem(ctx context.Context, kind string, id int64) error {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	m, err := findModerated(ctx, tx, kind, id, true)
	if err != nil {
		return err
	}
	if !m.Hidden {
		return participation.Errorf(participation.ECONFLICT, "The %s is not hidden.", kind)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+kind+`s SET hidden_at = NULL, hidden_reason = NULL WHERE id = $1`, id); err != nil {
		return fmt.Errorf("restore %s: %w", kind, err)
	}
	if kind == participation.KindComment {
		if err := recountDiscussion(ctx, tx, m.IdeaID); err != nil {
			return err
		}
	} else if err := countIdeas(ctx, tx, m.RoundID, +1); err != nil {
		return err
	}
	if err := logModeration(ctx, tx, kind, id, "restore", "", me.ID); err != nil {
		return err
	}
	return tx.Commit()
}

// recountDiscussion sets an idea's count of visible comments and the words
// its search finds in them, after a comment is hidden or restored.
func recountDiscussion(ctx context.Context, tx *Tx, ideaID int64) error {
	if _, err := tx.ExecContext(ctx, `
		UPDATE ideas i SET (comments, discussion) = (
			SELECT count(*), coalesce(osallistu_tsvector_agg(to_tsvector(osallistu_tsconfig(c.language), c.body) ORDER BY c.id), '')
			FROM comments c WHERE c.idea_id = i.id AND c.hidden_at IS NULL)
		WHERE i.id = $1`, ideaID); err != nil {
		return fmt.Errorf("recount discussion: %w", err)
	}
	return nil
}

// logModeration keeps a moderation action in the audit log and settles the
// item's open reports.
func logModeration(ctx context.Context, tx *Tx, kind string, id int64, action, reason string, actor int64) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO moderation_log (kind, item_id, action, reason, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		kind, id, action, reason, actor, tx.now); err != nil {
		return fmt.Errorf("log moderation: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE reports SET resolved_at = $3 WHERE kind = $1 AND item_id = $2 AND resolved_at IS NULL`,
		kind, id, tx.now); err != nil {
		return fmt.Errorf("resolve reports: %w", err)
	}
	return nil
}

// FindModerationQueue lists reported items that are not hidden and have
// reports no moderator has acted on, most reported first (officials only).
func (s *Store) FindModerationQueue(ctx context.Context, limit, offset int) ([]*participation.ModerationItem, int, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	const queue = `
		SELECT r.kind, r.item_id AS id, count(*) AS reports, array_agg(r.reason ORDER BY r.id) AS reasons,
		       max(r.id) AS last_report, bool_or(r.by_author) AS author_request,
		       coalesce(i.id, c.idea_id) AS idea_id, left(coalesce(i.title, c.body), 200) AS excerpt
		FROM reports r
		LEFT JOIN ideas i ON r.kind = 'idea' AND i.id = r.item_id
		LEFT JOIN comments c ON r.kind = 'comment' AND c.id = r.item_id
		WHERE r.resolved_at IS NULL AND i.hidden_at IS NULL AND c.hidden_at IS NULL
		GROUP BY r.kind, r.item_id, i.id, c.idea_id, i.title, c.body`
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM (`+queue+`) q`); err != nil {
		return nil, 0, fmt.Errorf("count moderation queue: %w", err)
	}
	var rows []struct {
		participation.ModerationItem
		Reasons    pq.StringArray `db:"reasons"`
		LastReport int64          `db:"last_report"`
	}
	if err := tx.SelectContext(ctx, &rows, queue+` ORDER BY reports DESC, last_report DESC LIMIT $1 OFFSET $2`, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("find moderation queue: %w", err)
	}
	list := make([]*participation.ModerationItem, len(rows))
	for i := range rows {
		item := rows[i].ModerationItem
		item.Reasons = rows[i].Reasons
		list[i] = &item
	}
	return list, total, tx.Commit()
}

// FindModerationLog lists moderation actions, newest first (officials only).
func (s *Store) FindModerationLog(ctx context.Context, limit, offset int) ([]*participation.ModerationAction, int, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM moderation_log`); err != nil {
		return nil, 0, fmt.Errorf("count moderation log: %w", err)
	}
	var list []*participation.ModerationAction
	if err := tx.SelectContext(ctx, &list, `
		SELECT m.id, m.kind, m.item_id, coalesce(c.idea_id, m.item_id) AS idea_id, m.action, m.reason,
		       a.name AS actor_name, m.created_at
		FROM moderation_log m LEFT JOIN accounts a ON a.id = m.actor_id
		LEFT JOIN comments c ON m.kind = 'comment' AND c.id = m.item_id
		ORDER BY m.id DESC LIMIT $1 OFFSET $2`, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("find moderation log: %w", err)
	}
	return list, total, tx.Commit()
}
