package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

func insertMilestone(ctx context.Context, tx *Tx, commitmentID int64, position int, m participation.MilestoneText) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO milestones (commitment_id, origin_commitment_id, position, title, due, responsible, language, translations, created_at)
		VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8)`,
		commitmentID, position, m.Title, m.Due, m.Responsible, m.Language, m.Translations, tx.now); err != nil {
		return storeErr(err, "milestone")
	}
	return nil
}

type milestoneRow struct {
	participation.Milestone
	EvidenceLinks pq.StringArray `db:"evidence_links"`
}

const milestoneColumns = `m.id, m.commitment_id, m.origin_commitment_id, m.title, m.due::text AS due, m.responsible,
	m.status, m.note, m.evidence_links, m.updated_at, m.language, m.translations, m.note_language, m.note_translations`

func (r *milestoneRow) milestone(tx *Tx) participation.Milestone {
	m := r.Milestone
	m.EvidenceLinks = []string(r.EvidenceLinks)
	if m.EvidenceLinks == nil {
		m.EvidenceLinks = []string{}
	}
	if m.UpdatedAt != nil { // only a status report sets it
		on := participation.DateOf(*m.UpdatedAt)
		m.ReportedOn = &on
	}
	m.Judge(participation.DateOf(tx.now))
	return m
}

// replaceMilestones makes ms the commitment's milestones: those with an id
// are changed, those without are added, and those left out are removed,
// unless they have a status history (every change is kept): that is
// ECONFLICT.
func replaceMilestones(ctx context.Context, tx *Tx, c *participation.Commitment, ms []participation.MilestoneText) error {
	gone, err := participation.RemovedMilestones(c.Milestones, ms)
	if err != nil {
		return err
	}
	if len(gone) > 0 {
		var reported int
		if err := tx.GetContext(ctx, &reported, `SELECT count(*) FROM milestone_changes WHERE milestone_id = ANY($1)`, pq.Array(gone)); err != nil {
			return fmt.Errorf("check milestone history: %w", err)
		}
		if reported > 0 {
			return participation.Errorf(participation.ECONFLICT, "A milestone with status reports cannot be removed; its history is kept.")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM milestones WHERE id = ANY($1)`, pq.Array(gone)); err != nil {
			return fmt.Errorf("remove milestones: %w", err)
		}
	}
	for i, m := range ms {
		if m.ID == 0 {
			if err := insertMilestone(ctx, tx, c.ID, i, m); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE milestones SET title = $2, due = $3, responsible = $4, position = $5, language = $6, translations = $7
			WHERE id = $1`,
			m.ID, m.Title, m.Due, m.Responsible, i, m.Language, m.Translations); err != nil {
			return storeErr(err, "milestone")
		}
	}
	return nil
}

// UpdateMilestone sets a milestone's status, note and evidence links
// (officials only). Every change is kept with its author and time; when the
// status changes, the followers are told.
func (s *Store) UpdateMilestone(ctx context.Context, id int64, u participation.MilestoneUpdate) (*participation.Milestone, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireProcessOfficial(ctx, tx, participation.RefTo(participation.RefMilestone, id)); err != nil {
		return nil, err
	}
	var old milestoneRow
	if err := tx.GetContext(ctx, &old, `SELECT `+milestoneColumns+` FROM milestones m WHERE m.id = $1 FOR UPDATE`, id); err != nil {
		return nil, storeErr(err, "milestone")
	}
	current := old.milestone(tx)
	u.KeepNoteTexts(&current)
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE milestones SET status = $2, note = $3, evidence_links = $4, updated_at = $5, note_language = $6, note_translations = $7
		WHERE id = $1`,
		id, u.Status, u.Note, pq.Array(u.EvidenceLinks), tx.now, u.Language, u.Translations); err != nil {
		return nil, storeErr(err, "milestone")
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO milestone_changes (milestone_id, status, note, evidence_links, author_id, created_at, language, translations)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		id, u.Status, u.Note, pq.Array(u.EvidenceLinks), me.ID, tx.now, u.Language, u.Translations); err != nil {
		return nil, storeErr(err, "milestone change")
	}
	var row milestoneRow
	if err := tx.GetContext(ctx, &row, `SELECT `+milestoneColumns+` FROM milestones m WHERE m.id = $1`, id); err != nil {
		return nil, storeErr(err, "milestone")
	}
	m := row.milestone(tx)
	if old.Status != u.Status {
		c, err := findCommitment(ctx, tx, m.CommitmentID, false)
		if err != nil {
			return nil, err
		}
		if err := notifyFollowers(ctx, tx, participation.MessageMilestoneStatus, c, &m, me.ID); err != nil {
			return nil, err
		}
	}
	return &m, tx.Commit()
}

// FindMilestone returns one milestone.
func (s *Store) FindMilestone(ctx context.Context, id int64) (*participation.Milestone, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var row milestoneRow
	if err := tx.GetContext(ctx, &row, `SELECT `+milestoneColumns+` FROM milestones m WHERE m.id = $1`, id); err != nil {
		return nil, storeErr(err, "milestone")
	}
	m := row.milestone(tx)
	return &m, tx.Commit()
}

type changeRow struct {
	participation.MilestoneChange
	EvidenceLinks pq.StringArray `db:"evidence_links"`
}

const changeSelect = `
	SELECT mc.id, mc.milestone_id, mc.status, mc.note, mc.evidence_links, mc.author_id, a.name AS author_name, mc.created_at,
		mc.language, mc.translations
	FROM milestone_changes mc LEFT JOIN accounts a ON a.id = mc.author_id`

func changes(rows []changeRow) []*participation.MilestoneChange {
	out := make([]*participation.MilestoneChange, len(rows))
	for i := range rows {
		c := rows[i].MilestoneChange
		c.EvidenceLinks = []string(rows[i].EvidenceLinks)
		if c.EvidenceLinks == nil {
			c.EvidenceLinks = []string{}
		}
		out[i] = &c
	}
	return out
}

// FindMilestoneChanges lists every status report of a milestone, newest first.
func (s *Store) FindMilestoneChanges(ctx context.Context, milestoneID int64) ([]*participation.MilestoneChange, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var exists bool
	if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM milestones WHERE id = $1)`, milestoneID); err != nil {
		return nil, fmt.Errorf("find milestone: %w", err)
	} else if !exists {
		return nil, participation.Errorf(participation.ENOTFOUND, "milestone not found")
	}
	var rows []changeRow
	if err := tx.SelectContext(ctx, &rows, changeSelect+` WHERE mc.milestone_id = $1 ORDER BY mc.id DESC`, milestoneID); err != nil {
		return nil, fmt.Errorf("find milestone changes: %w", err)
	}
	return changes(rows), tx.Commit()
}

// FindCommitmentChanges lists the status reports of every milestone that a
// commitment has now (moved ones with their history), newest first.
func (s *Store) FindCommitmentChanges(ctx context.Context, commitmentID int64) ([]*participation.MilestoneChange, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var rows []changeRow
	if err := tx.SelectContext(ctx, &rows, changeSelect+`
		JOIN milestones m ON m.id = mc.milestone_id WHERE m.commitment_id = $1 ORDER BY mc.id DESC`, commitmentID); err != nil {
		return nil, fmt.Errorf("find milestone changes: %w", err)
	}
	return changes(rows), tx.Commit()
}
