package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// CreateIdeaRound opens an idea round in a process (officials only).
func (s *Store) CreateIdeaRound(ctx context.Context, slug string, n participation.NewIdeaRound) (*participation.IdeaRound, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireProcessOfficial(ctx, tx, participation.RefToProcess(slug)); err != nil {
		return nil, err
	}
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO idea_rounds (process_id, title, description, opens_at, closes_at, allow_anonymous, language, translations, created_by, created_at, premoderated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		processID, n.Title, n.Description, n.OpensAt, n.ClosesAt, n.AllowAnonymous, n.Texts.Language, n.Texts.Translations, me.ID, tx.now, n.Premoderated); err != nil {
		return nil, storeErr(err, "idea round")
	}
	r, err := findIdeaRound(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return r, tx.Commit()
}

// UpdateIdeaRound changes a round (officials only), by the rules of a new
// one; a change of its window is recorded with who made it and when.
func (s *Store) UpdateIdeaRound(ctx context.Context, id int64, p participation.IdeaRoundPatch) (*participation.IdeaRound, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireProcessOfficial(ctx, tx, participation.RefTo(participation.RefIdeaRound, id)); err != nil {
		return nil, err
	}
	var locked int64
	if err := tx.GetContext(ctx, &locked, `SELECT id FROM idea_rounds WHERE id = $1 FOR UPDATE`, id); err != nil {
		return nil, storeErr(err, "idea round")
	}
	r, err := findIdeaRound(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	n, err := p.Apply(r)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE idea_rounds SET title = $2, description = $3, opens_at = $4, closes_at = $5, allow_anonymous = $6,
		       language = $7, translations = $8, premoderated = $9
		WHERE id = $1`,
		id, n.Title, n.Description, n.OpensAt, n.ClosesAt, n.AllowAnonymous, n.Texts.Language, n.Texts.Translations, n.Premoderated); err != nil {
		return nil, storeErr(err, "idea round")
	}
	if w := r.WindowChangeTo(n); w != nil {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO idea_round_window_changes (round_id, opens_at_before, opens_at, closes_at_before, closes_at, changed_by, changed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			id, w.OpensAtBefore, w.OpensAt, w.ClosesAtBefore, w.ClosesAt, me.ID, tx.now); err != nil {
			return nil, fmt.Errorf("record window change: %w", err)
		}
	}
	if r, err = findIdeaRound(ctx, tx, id); err != nil {
		return nil, err
	}
	return r, tx.Commit()
}

// FindIdeaRound returns one round with its status and count of visible ideas.
func (s *Store) FindIdeaRound(ctx context.Context, id int64) (*participation.IdeaRound, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := findIdeaRound(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return r, tx.Commit()
}

// FindIdeaRounds returns a process's rounds, earliest first.
func (s *Store) FindIdeaRounds(ctx context.Context, processID int64) ([]*participation.IdeaRound, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var list []*participation.IdeaRound
	if err := tx.SelectContext(ctx, &list, ideaRoundSelect+` WHERE r.process_id = $1 ORDER BY r.opens_at, r.id`, processID); err != nil {
		return nil, fmt.Errorf("find idea rounds: %w", err)
	}
	ids := make([]int64, len(list))
	for i, r := range list {
		r.Status = participation.WindowStatus(&r.OpensAt, &r.ClosesAt, tx.now)
		ids[i] = r.ID
	}
	changes, err := findWindowChanges(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		r.WindowChanges = changes[r.ID]
	}
	return list, tx.Commit()
}

// roundIdeaCount is the count of visible ideas of the round r: the sum of
// its shards (countIdeas, addToCount).
const roundIdeaCount = `(SELECT coalesce(sum(c.n), 0) FROM idea_round_counts c WHERE c.round_id = r.id)`

const ideaRoundSelect = `
	SELECT r.id, r.process_id, r.title, r.description, r.opens_at, r.closes_at, r.allow_anonymous, r.premoderated, r.created_at,
	       ` + roundIdeaCount + ` AS idea_count, r.language, r.translations, p.slug AS process_slug, p.title AS process_title,
	       p.language AS "process.language", p.translations AS "process.translations"
	FROM idea_rounds r JOIN processes p ON p.id = r.process_id`

// findIdeaRound reads a round with the changes of its window.
func findIdeaRound(ctx context.Context, tx *Tx, id int64) (*participation.IdeaRound, error) {
	r, err := findRoundRules(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	changes, err := findWindowChanges(ctx, tx, []int64{id})
	if err != nil {
		return nil, err
	}
	r.WindowChanges = changes[id]
	return r, nil
}

// findRoundRules reads a round without the changes of its window: what a
// write into it checks (who may write, until when, whether it is held for
// a moderator), in one round trip.
func findRoundRules(ctx context.Context, tx *Tx, id int64) (*participation.IdeaRound, error) {
	var r participation.IdeaRound
	if err := tx.GetContext(ctx, &r, ideaRoundSelect+` WHERE r.id = $1`, id); err != nil {
		return nil, storeErr(err, "idea round")
	}
	r.Status = participation.WindowStatus(&r.OpensAt, &r.ClosesAt, tx.now)
	return &r, nil
}

// findWindowChanges returns the window changes of the rounds ids, by round,
// earliest first; every round has a list, empty when its window never moved.
func findWindowChanges(ctx context.Context, tx *Tx, ids []int64) (map[int64][]participation.WindowChange, error) {
	var rows []struct {
		RoundID int64 `db:"round_id"`
		participation.WindowChange
	}
	if err := tx.SelectContext(ctx, &rows, `
		SELECT c.round_id, c.opens_at_before, c.opens_at, c.closes_at_before, c.closes_at, a.name AS author_name, c.changed_at
		FROM idea_round_window_changes c LEFT JOIN accounts a ON a.id = c.changed_by
		WHERE c.round_id = ANY($1) ORDER BY c.changed_at, c.id`, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("find window changes: %w", err)
	}
	out := make(map[int64][]participation.WindowChange, len(ids))
	for _, id := range ids {
		out[id] = []participation.WindowChange{}
	}
	for _, row := range rows {
		out[row.RoundID] = append(out[row.RoundID], row.WindowChange)
	}
	return out, nil
}

// countIdeas keeps a round's count of visible ideas, in the transaction
// that adds, hides or restores one.
func countIdeas(ctx context.Context, tx *Tx, roundID int64, delta int) error {
	return addToCount(ctx, tx, roundIdeaCounts, roundID, delta)
}
