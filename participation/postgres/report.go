package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"osallistu/participation"
)

// FindReport returns the implementation report of a process judged at the
// filter's day: the commitments approved by the day's end, their milestones
// that existed by then with the status reports then in force, and the
// milestones counted by status.
func (s *Store) FindReport(ctx context.Context, f participation.ReportFilter) (*participation.ImplementationReport, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := f.Validate(tx.now); err != nil {
		return nil, err
	}
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, f.ProcessSlug); err != nil {
		return nil, storeErr(err, "process")
	}
	until := f.Until()
	var list []*participation.Commitment
	if err := tx.SelectContext(ctx, &list, commitmentSelect+`
		WHERE c.process_id = $1 AND c.status = 'approved' AND c.approved_at < $2 ORDER BY c.id`, processID, until); err != nil {
		return nil, fmt.Errorf("find commitments: %w", err)
	}
	if err := fillCommitments(ctx, tx, list); err != nil {
		return nil, err
	}
	reports, err := milestoneReportsAt(ctx, tx, list, until)
	if err != nil {
		return nil, err
	}
	return participation.NewImplementationReport(processID, list, reports, f.AsOf, tx.now), tx.Commit()
}

// milestoneReportsAt returns the status report in force at until of every
// milestone of the commitments that existed by then (nil: none reported).
func milestoneReportsAt(ctx context.Context, tx *Tx, list []*participation.Commitment, until time.Time) (map[int64]*participation.MilestoneReport, error) {
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	var rows []struct {
		MilestoneID   int64          `db:"milestone_id"`
		Status        *string        `db:"status"`
		Note          *string        `db:"note"`
		EvidenceLinks pq.StringArray `db:"evidence_links"`
		ReportedAt    *time.Time     `db:"reported_at"`
		participation.Translatable
	}
	if err := tx.SelectContext(ctx, &rows, `
		SELECT m.id AS milestone_id, r.status, r.note, r.evidence_links, r.created_at AS reported_at,
			coalesce(r.language, 'fi') AS language, r.translations
		FROM milestones m LEFT JOIN LATERAL (
			SELECT mc.status, mc.note, mc.evidence_links, mc.created_at, mc.language, mc.translations FROM milestone_changes mc
			WHERE mc.milestone_id = m.id AND mc.created_at < $2 ORDER BY mc.created_at DESC, mc.id DESC LIMIT 1
		) r ON true
		WHERE m.commitment_id = ANY($1) AND m.created_at < $2`, pq.Array(ids), until); err != nil {
		return nil, fmt.Errorf("find milestone reports: %w", err)
	}
	reports := make(map[int64]*participation.MilestoneReport, len(rows))
	for _, r := range rows {
		reports[r.MilestoneID] = nil
		if r.Status != nil && r.ReportedAt != nil {
			reports[r.MilestoneID] = &participation.MilestoneReport{MilestoneID: r.MilestoneID, Status: *r.Status, Note: r.Note,
				EvidenceLinks: []string(r.EvidenceLinks), ReportedAt: *r.ReportedAt, Translatable: r.Translatable}
		}
	}
	return reports, nil
}
