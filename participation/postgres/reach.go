package postgres

import (
	"context"
	"fmt"

	"osallistu/participation"
)

// FindReach returns the reach report of the process of slug: its public
// contributions (contributionsQuery), each with the municipality it names
// or else its account's, counted by participation.NewReach. A draft the
// caller may not see is ENOTFOUND, as everywhere.
func (s *Store) FindReach(ctx context.Context, slug string) (*participation.Reach, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := findProcess(ctx, tx, slug)
	if err != nil {
		return nil, err
	}
	var list []participation.Contribution
	if err := tx.SelectContext(ctx, &list, `
		SELECT c.kind, c.step_kind, c.step_id, c.who, coalesce(c.municipality, a.municipality) AS municipality, c.at
		FROM (`+contributionsQuery+`) c LEFT JOIN accounts a ON a.id = c.account_id
		WHERE c.process_id = $1`, p.ID); err != nil {
		return nil, fmt.Errorf("find contributions: %w", err)
	}
	return participation.NewReach(p.Steps, list), tx.Commit()
}
