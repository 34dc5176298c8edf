package postgres

import (
	"context"
	"fmt"

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
	for _, r := range list {
		r.Status = participation.WindowStatus(&r.OpensAt, &r.ClosesAt, tx.now)
	}
	return list, tx.Commit()
}

const ideaRoundSelect = `
	SELECT r.id, r.process_id, r.title, r.description, r.opens_at, r.closes_at, r.allow_anonymous, r.premoderated, r.created_at,
	       r.idea_count, r.language, r.translations, p.slug AS process_slug, p.title AS process_title,
	       p.language AS "process.language", p.translations AS "process.translations"
	FROM idea_rounds r JOIN processes p ON p.id = r.process_id`

func findIdeaRound(ctx context.Context, tx *Tx, id int64) (*participation.IdeaRound, error) {
	var r participation.IdeaRound
	if err := tx.GetContext(ctx, &r, ideaRoundSelect+` WHERE r.id = $1`, id); err != nil {
		return nil, storeErr(err, "idea round")
	}
	r.Status = participation.WindowStatus(&r.OpensAt, &r.ClosesAt, tx.now)
	return &r, nil
}

// countIdeas keeps a round's count of visible ideas, in the transaction
// that adds, hides or restores one.
func countIdeas(ctx context.Context, tx *Tx, roundID int64, delta int) error {
	if _, err := tx.ExecContext(ctx, `UPDATE idea_rounds SET idea_count = idea_count + $2 WHERE id = $1`, roundID, delta); err != nil {
		return fmt.Errorf("count ideas: %w", err)
	}
	return nil
}
