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
	participation.ModeratedState
}

func findModerated(ctx context.Context, tx *Tx, kind string, id int64, lock bool) (*moderated, error) {
	var q string
	switch kind {
	case participation.KindIdea:
		q = `SELECT id AS idea_id, round_id, hidden_at IS NOT NULL AS hidden, status FROM ideas WHERE id = $1 AND deleted_at IS NULL`
	case participation.KindComment:
		q = `SELECT c.idea_id, i.round_id, c.hidden_at IS NOT NULL AS hidden, c.status FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE c.id = $1 AND c.deleted_at IS NULL`
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
	if err := tx.GetContext(ctx, &m.OpenReports, `SELECT count(*) FROM reports WHERE kind = $1 AND item_id = $2 AND resolved_at IS NULL`,
		kind, id); err != nil {
		return nil, fmt.Errorf("count reports: %w", err)
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
	a := participation.AccountFromContext(ctx)
	if err := participation.CheckNotBlocked(a, tx.now); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	var reporter *int64
	if a != nil {
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

// moderate runs one moderation action on an idea or comment (officials
// only): it locks the item, checks the action against its state
// (participation.ModeratedState.CheckAction) and the reason, lets change
// update the item, and keeps the action in the log, which settles the
// item's open reports.
func (s *Store) moderate(ctx context.Context, kind string, id int64, action string, validate func() error, reason func() string,
	change func(tx *Tx, m *moderated) error) error {
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
	if err := m.CheckAction(action); err != nil {
		return err
	}
	if err := validate(); err != nil {
		return err
	}
	if change != nil {
		if err := change(tx, m); err != nil {
			return err
		}
	}
	if err := logModeration(ctx, tx, kind, id, action, reason(), me.ID); err != nil {
		return err
	}
	return tx.Commit()
}

// recount keeps the count of an item's round or idea after it was shown
// (delta +1) or held back (-1); an idea's search reads its comments that
// are not hidden.
func recount(ctx context.Context, tx *Tx, kind string, m *moderated, delta int) error {
	if kind == participation.KindComment {
		return countComments(ctx, tx, m.IdeaID, delta)
	}
	return countIdeas(ctx, tx, m.RoundID, delta)
}

// HideItem hides an idea or comment from the public with a reason shown in
// its place (officials only); hiding a hidden item updates the reason.
func (s *Store) HideItem(ctx context.Context, kind string, id int64, h participation.Hide) error {
	return s.moderate(ctx, kind, id, participation.ActionHide, h.Validate, func() string { return h.Reason },
		func(tx *Tx, m *moderated) error {
			if _, err := tx.ExecContext(ctx, `UPDATE `+kind+`s SET hidden_at = coalesce(hidden_at, $2), hidden_reason = $3 WHERE id = $1`,
				id, tx.now, h.Reason); err != nil {
				return fmt.Errorf("hide %s: %w", kind, err)
			}
			if m.Hidden {
				return nil
			}
			return recount(ctx, tx, kind, m, -1)
		})
}

// RestoreItem shows a hidden or rejected idea or comment again, with a
// reason kept in the log (officials only).
func (s *Store) RestoreItem(ctx context.Context, kind string, id int64, d participation.Decision) error {
	return s.moderate(ctx, kind, id, participation.ActionRestore, func() error { return d.Validate(participation.ActionRestore) },
		func() string { return d.Reason }, s.show(ctx, kind, id))
}

// ApproveItem publishes an idea or comment that waits for approval in a
// pre-moderated round (officials only); the reason may be empty.
func (s *Store) ApproveItem(ctx context.Context, kind string, id int64, d participation.Decision) error {
	return s.moderate(ctx, kind, id, participation.ActionApprove, func() error { return d.Validate(participation.ActionApprove) },
		func() string { return d.Reason }, s.show(ctx, kind, id))
}

// show makes an item public: not hidden, published, counted.
func (s *Store) show(ctx context.Context, kind string, id int64) func(tx *Tx, m *moderated) error {
	return func(tx *Tx, m *moderated) error {
		if _, err := tx.ExecContext(ctx, `UPDATE `+kind+`s SET hidden_at = NULL, hidden_reason = NULL, status = 'published' WHERE id = $1`, id); err != nil {
			return fmt.Errorf("show %s: %w", kind, err)
		}
		return recount(ctx, tx, kind, m, +1)
	}
}

// RejectItem refuses an idea or comment that waits for approval (officials
// only): it never shows, and the reason is kept with it and in the log.
func (s *Store) RejectItem(ctx context.Context, kind string, id int64, d participation.Decision) error {
	return s.moderate(ctx, kind, id, participation.ActionReject, func() error { return d.Validate(participation.ActionReject) },
		func() string { return d.Reason }, func(tx *Tx, m *moderated) error {
			if _, err := tx.ExecContext(ctx, `UPDATE `+kind+`s SET status = 'rejected', hidden_reason = $2 WHERE id = $1`, id, d.Reason); err != nil {
				return fmt.Errorf("reject %s: %w", kind, err)
			}
			return nil
		})
}

// DismissReports settles the reports of an item that waits in the queue,
// leaving the item as it is (officials only): it leaves the queue until
// someone reports it again, and the reason stays in the log.
func (s *Store) DismissReports(ctx context.Context, kind string, id int64, d participation.Decision) error {
	return s.moderate(ctx, kind, id, participation.ActionDismiss, func() error { return d.Validate(participation.ActionDismiss) },
		func() string { return d.Reason }, nil)
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

// itemContext returns the columns and joins of participation.ItemContext
// for the item named by the columns kind and id of the query's own table:
// the idea (for a comment, the idea it is on, as i), the comment (c), the
// round and the process.
func itemContext(kind, id string) (columns, joins string) {
	columns = `i.id AS idea_id, i.title, CASE WHEN ` + kind + ` = 'idea' THEN i.body ELSE c.body END AS text,
		CASE WHEN ` + kind + ` = 'idea' THEN i.language ELSE c.language END AS language,
		ro.id AS round_id, ro.title AS round_title, p.slug AS process_slug, p.title AS process_title,
		CASE WHEN ` + kind + ` = 'idea' THEN i.author_id ELSE c.author_id END AS author_id,
		CASE WHEN ` + kind + ` = 'idea' THEN i.author_name ELSE c.author_name END AS author_name`
	joins = `
		LEFT JOIN comments c ON ` + kind + ` = 'comment' AND c.id = ` + id + `
		LEFT JOIN ideas i ON i.id = CASE WHEN ` + kind + ` = 'idea' THEN ` + id + ` ELSE c.idea_id END
		LEFT JOIN idea_rounds ro ON ro.id = i.round_id
		LEFT JOIN processes p ON p.id = ro.process_id`
	return columns, joins
}

// FindModerationQueue lists reported items that are not hidden and have
// reports no moderator has acted on, most reported first (officials only),
// each with its text and where it is.
func (s *Store) FindModerationQueue(ctx context.Context, limit, offset int) ([]*participation.ModerationItem, int, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	columns, joins := itemContext("q.kind", "q.id")
	// Reports are counted per item first; the item's text and place are
	// joined to the counts.
	queue := `
		SELECT q.kind, q.id, q.reports, q.reasons, q.last_report, q.author_request,
		       left(CASE WHEN q.kind = 'idea' THEN i.title ELSE c.body END, 200) AS excerpt, ` + columns + `
		FROM (SELECT kind, item_id AS id, count(*) AS reports, array_agg(reason ORDER BY id) AS reasons, max(id) AS last_report,
		             bool_or(by_author) AS author_request
		      FROM reports WHERE resolved_at IS NULL GROUP BY kind, item_id) q` + joins + `
		WHERE CASE WHEN q.kind = 'idea' THEN i.hidden_at ELSE c.hidden_at END IS NULL`
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM (`+queue+`) q`); err != nil {
		return nil, 0, fmt.Errorf("count moderation queue: %w", err)
	}
	var rows []struct {
		participation.ModerationItem
		Reasons    pq.StringArray `db:"reasons"`
		LastReport int64          `db:"last_report"`
	}
	if err := tx.SelectContext(ctx, &rows, queue+` ORDER BY q.reports DESC, q.last_report DESC LIMIT $1 OFFSET $2`, limit, offset); err != nil {
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

// FindPendingItems lists the ideas and comments of pre-moderated rounds
// that wait for approval, oldest first (officials only).
func (s *Store) FindPendingItems(ctx context.Context, limit, offset int) ([]*participation.PendingItem, int, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	const pending = `SELECT 'idea' AS kind, id, created_at FROM ideas WHERE status = 'pending'
		UNION ALL SELECT 'comment', id, created_at FROM comments WHERE status = 'pending'`
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM (`+pending+`) q`); err != nil {
		return nil, 0, fmt.Errorf("count pending items: %w", err)
	}
	columns, joins := itemContext("q.kind", "q.id")
	list := []*participation.PendingItem{}
	if err := tx.SelectContext(ctx, &list, `SELECT q.kind, q.id, q.created_at, `+columns+`
		FROM (`+pending+`) q`+joins+` ORDER BY q.created_at, q.kind DESC, q.id LIMIT $1 OFFSET $2`, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("find pending items: %w", err)
	}
	return list, total, tx.Commit()
}

// FindModerationLog lists moderation actions, newest first (officials
// only), each with the item's text and where it is, or the account's name.
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
	columns, joins := itemContext("m.kind", "m.item_id")
	list := []*participation.ModerationAction{}
	if err := tx.SelectContext(ctx, &list, `
		SELECT m.id, m.kind, m.item_id, m.action, m.reason, a.name AS actor_name, m.created_at,
		       blocked.name AS account_name, `+columns+`
		FROM moderation_log m LEFT JOIN accounts a ON a.id = m.actor_id
		LEFT JOIN accounts blocked ON m.kind = 'account' AND blocked.id = m.item_id`+joins+`
		ORDER BY m.id DESC LIMIT $1 OFFSET $2`, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("find moderation log: %w", err)
	}
	return list, total, tx.Commit()
}
