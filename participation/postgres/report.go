package postgres

import (
	"context"
	"fmt"

	"osallistu/participation"
)

// FindReport returns the implementation report of a process: its approved
// commitments with their milestones, and the milestones counted by status.
func (s *Store) FindReport(ctx context.Context, slug string) (*participation.ImplementationReport, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	var list []*participation.Commitment
	if err := tx.SelectContext(ctx, &list, commitmentSelect+`
		WHERE c.process_id = $1 AND c.status = 'approved' ORDER BY c.id`, processID); err != nil {
		return nil, fmt.Errorf("find commitments: %w", err)
	}
	if err := fillCommitments(ctx, tx, list); err != nil {
		return nil, err
	}
	return participation.NewImplementationReport(processID, list, tx.now), tx.Commit()
}
