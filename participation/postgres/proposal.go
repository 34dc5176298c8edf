package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"osallistu/participation"
)

// CreateCollection opens a collection in a workshop (officials): under a
// theme of the workshop's process, whose title it takes when none is given.
func (s *Store) CreateCollection(ctx context.Context, workshopID int64, n participation.NewCollection) (*participation.Collection, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefWorkshop, workshopID))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w, err := lockWorkshop(ctx, tx, workshopID)
	if err != nil {
		return nil, err
	}
	if w.StateAt(tx.now) == participation.WorkshopEnded {
		return nil, participation.Errorf(participation.ECLOSED, "The workshop has ended: reopen it to collect proposals.")
	}
	if n.ThemeID != nil {
		var title string
		err := tx.GetContext(ctx, &title, `
			SELECT t.title FROM themes t JOIN idea_rounds r ON r.id = t.round_id
			WHERE t.id = $1 AND r.process_id = $2`, *n.ThemeID, w.ProcessID)
		if err == errNoRows {
			f := participation.FieldErrors{}
			f.Add("theme_id", participation.RuleChoice, 0)
			return nil, f.Err()
		} else if err != nil {
			return nil, fmt.Errorf("find theme: %w", err)
		}
		if n.Title == "" {
			n.Title = title
		}
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO collections (workshop_id, theme_id, title, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		workshopID, n.ThemeID, n.Title, tx.now); err != nil {
		return nil, storeErr(err, "collection")
	}
	return s.finishWallChange(ctx, tx, workshopID, func() (*participation.Collection, error) { return findCollection(ctx, tx, id) })
}

// CloseCollection closes a collection to new proposals and supports (officials).
func (s *Store) CloseCollection(ctx context.Context, id int64) (*participation.Collection, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefCollection, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := findCollection(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE collections SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'open'`, id, tx.now); err != nil {
		return nil, fmt.Errorf("close collection: %w", err)
	}
	return s.finishWallChange(ctx, tx, c.WorkshopID, func() (*participation.Collection, error) { return findCollection(ctx, tx, id) })
}

// finishWallChange loads what changed, tells every instance that the
// workshop's wall changed (sent on commit), and commits.
func (s *Store) finishWallChange(ctx context.Context, tx *Tx, workshopID int64, load func() (*participation.Collection, error)) (*participation.Collection, error) {
	c, err := load()
	if err != nil {
		return nil, err
	}
	if err := notifyPollChange(ctx, tx, participation.PollChange{WorkshopID: workshopID, Wall: true}); err != nil {
		return nil, err
	}
	return c, tx.Commit()
}

const collectionSelect = `SELECT id, workshop_id, theme_id, title, status, created_at, closed_at FROM collections`

// findCollection loads a collection with the proposals on the wall.
func findCollection(ctx context.Context, tx *Tx, id int64) (*participation.Collection, error) {
	var c participation.Collection
	if err := tx.GetContext(ctx, &c, collectionSelect+` WHERE id = $1`, id); err != nil {
		return nil, storeErr(err, "collection")
	}
	c.Proposals = []*participation.Proposal{}
	if err := tx.SelectContext(ctx, &c.Proposals, proposalSelect+`
		WHERE p.collection_id = $1 AND p.hidden_at IS NULL ORDER BY supports DESC, p.id`, id); err != nil {
		return nil, fmt.Errorf("find proposals: %w", err)
	}
	return &c, nil
}

// FindWall returns a workshop's wall; officials see the hidden proposals too.
func (s *Store) FindWall(ctx context.Context, workshopID int64) (*participation.Wall, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findWorkshop(ctx, tx, workshopID); err != nil {
		return nil, err
	}
	official := participation.AccountFromContext(ctx).HasRole(participation.RoleOfficial)
	walls, err := findWalls(ctx, tx, []int64{workshopID}, official)
	if err != nil {
		return nil, err
	}
	w := &participation.Wall{WorkshopID: workshopID, Collections: []*participation.Collection{}}
	if len(walls) > 0 {
		w = walls[0]
	}
	return w, tx.Commit()
}

// FindWalls returns the walls of workshops as everyone sees them, for the live hub.
func (s *Store) FindWalls(ctx context.Context, workshopIDs []int64) ([]*participation.Wall, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	walls, err := findWalls(ctx, tx, workshopIDs, false)
	if err != nil {
		return nil, err
	}
	return walls, tx.Commit()
}

// findWalls loads the collections of workshops, oldest first, with their
// proposals (hidden ones only withHidden), most supported first.
func findWalls(ctx context.Context, tx *Tx, workshopIDs []int64, withHidden bool) ([]*participation.Wall, error) {
	var cols []*participation.Collection
	if err := tx.SelectContext(ctx, &cols, collectionSelect+` WHERE workshop_id = ANY($1) ORDER BY workshop_id, id`, pq.Array(workshopIDs)); err != nil {
		return nil, fmt.Errorf("find collections: %w", err)
	}
	var props []*participation.Proposal
	if err := tx.SelectContext(ctx, &props, proposalSelect+`
		WHERE c.workshop_id = ANY($1) AND ($2 OR p.hidden_at IS NULL)
		ORDER BY supports DESC, p.id`, pq.Array(workshopIDs), withHidden); err != nil {
		return nil, fmt.Errorf("find proposals: %w", err)
	}
	byID := make(map[int64]*participation.Collection, len(cols))
	var walls []*participation.Wall
	for _, c := range cols {
		c.Proposals = []*participation.Proposal{}
		byID[c.ID] = c
		if len(walls) == 0 || walls[len(walls)-1].WorkshopID != c.WorkshopID {
			walls = append(walls, &participation.Wall{WorkshopID: c.WorkshopID})
		}
		w := walls[len(walls)-1]
		w.Collections = append(w.Collections, c)
	}
	for _, p := range props {
		if c := byID[p.CollectionID]; c != nil {
			c.Proposals = append(c.Proposals, p)
		}
	}
	return walls, nil
}

const proposalSelect = `
	SELECT p.id, p.collection_id, c.workshop_id, p.body, p.created_at, p.hidden_at, p.hidden_reason,
	       p.commitment_id, p.survey_item_id,
	       (SELECT count(*) FROM proposal_supports s WHERE s.proposal_id = p.id) AS supports
	FROM proposals p JOIN collections c ON c.id = p.collection_id`

func findProposal(ctx context.Context, tx *Tx, id int64) (*participation.Proposal, error) {
	var p participation.Proposal
	if err := tx.GetContext(ctx, &p, proposalSelect+` WHERE p.id = $1`, id); err != nil {
		return nil, storeErr(err, "proposal")
	}
	return &p, nil
}

// participantIn finds the collection for who, checking in the API's
// order after who: which collection, whose workshop, open (the collection
// and the process).
func participantIn(ctx context.Context, tx *Tx, who *participation.Participant, collectionID int64) (*participation.Collection, error) {
	var c participation.Collection
	if err := tx.GetContext(ctx, &c, collectionSelect+` WHERE id = $1 FOR SHARE`, collectionID); err != nil {
		return nil, storeErr(err, "collection")
	}
	if err := who.CheckCollection(&c); err != nil {
		return nil, err
	}
	if err := c.CheckOpen(); err != nil {
		return nil, err
	}
	var status string
	if err := tx.GetContext(ctx, &status, `
		SELECT pr.status FROM workshops w JOIN processes pr ON pr.id = w.process_id WHERE w.id = $1`, c.WorkshopID); err != nil {
		return nil, fmt.Errorf("find process: %w", err)
	}
	if err := (&participation.Process{Status: status}).CheckOpen(); err != nil {
		return nil, err
	}
	return &c, nil
}

// SubmitProposal adds a participant's proposal to an open collection.
func (s *Store) SubmitProposal(ctx context.Context, collectionID int64, token string, n participation.NewProposal) (*participation.Proposal, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	who, err := findParticipant(ctx, tx, token)
	if err != nil {
		return nil, err
	}
	c, err := participantIn(ctx, tx, who, collectionID)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	// The participant's row lock makes the pace count exact under bursts.
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM participants WHERE id = $1 FOR UPDATE`, who.ID); err != nil {
		return nil, fmt.Errorf("lock participant: %w", err)
	}
	var pace struct {
		LastMinute   int `db:"last_minute"`
		InCollection int `db:"in_collection"`
	}
	if err := tx.GetContext(ctx, &pace, `
		SELECT count(*) FILTER (WHERE created_at > $3) AS last_minute,
		       count(*) FILTER (WHERE collection_id = $2) AS in_collection
		FROM proposals WHERE participant_id = $1`, who.ID, c.ID, tx.now.Add(-time.Minute)); err != nil {
		return nil, fmt.Errorf("count proposals: %w", err)
	}
	if err := participation.CheckProposalPace(pace.LastMinute, pace.InCollection); err != nil {
		return nil, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO proposals (collection_id, participant_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		c.ID, who.ID, n.Body, tx.now); err != nil {
		return nil, storeErr(err, "proposal")
	}
	return s.finishProposal(ctx, tx, id, c.WorkshopID)
}

// SupportProposal adds a participant's support to a proposal, once.
func (s *Store) SupportProposal(ctx context.Context, proposalID int64, token string) (*participation.Proposal, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	who, err := findParticipant(ctx, tx, token)
	if err != nil {
		return nil, err
	}
	p, err := findProposal(ctx, tx, proposalID)
	if err != nil {
		return nil, err
	}
	if p.IsHidden() {
		return nil, participation.Errorf(participation.ENOTFOUND, "proposal not found")
	}
	if _, err := participantIn(ctx, tx, who, p.CollectionID); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO proposal_supports (proposal_id, participant_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, p.ID, who.ID, tx.now); err != nil {
		return nil, storeErr(err, "support")
	}
	return s.finishProposal(ctx, tx, p.ID, p.WorkshopID)
}

// HideProposal takes a proposal off the wall, keeping it and the reason.
func (s *Store) HideProposal(ctx context.Context, id int64, h participation.ProposalHide) (*participation.Proposal, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefProposal, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := findProposal(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := h.Validate(); err != nil {
		return nil, err
	}
	me := participation.AccountFromContext(ctx)
	res, err := tx.ExecContext(ctx, `
		UPDATE proposals SET hidden_at = $2, hidden_by = $3, hidden_reason = $4 WHERE id = $1 AND hidden_at IS NULL`,
		id, tx.now, me.ID, h.Reason)
	if err != nil {
		return nil, fmt.Errorf("hide proposal: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		if err := logModeration(ctx, tx, participation.KindProposal, id, participation.ActionHide, h.Reason, me.ID); err != nil {
			return nil, err
		}
	}
	return s.finishProposal(ctx, tx, id, p.WorkshopID)
}

// finishProposal loads the proposal, tells every instance that its wall
// changed, and commits.
func (s *Store) finishProposal(ctx context.Context, tx *Tx, id, workshopID int64) (*participation.Proposal, error) {
	p, err := findProposal(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := notifyPollChange(ctx, tx, participation.PollChange{WorkshopID: workshopID, Wall: true}); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// forwardable loads a proposal an official takes forward, checked by
// check, and its process.
func (s *Store) forwardable(ctx context.Context, id int64, check func(*participation.Proposal) error) (*Tx, *participation.Proposal, int64, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefProposal, id))
	if err != nil {
		return nil, nil, 0, err
	}
	p, err := findProposal(ctx, tx, id)
	if err == nil {
		err = check(p)
	}
	var processID int64
	if err == nil {
		err = tx.GetContext(ctx, &processID, `SELECT process_id FROM workshops WHERE id = $1`, p.WorkshopID)
	}
	if err != nil {
		_ = tx.Rollback()
		return nil, nil, 0, err
	}
	return tx, p, processID, nil
}

// ProposalToCommitment links a proposal to a draft commitment of its
// process: an existing one, or a new draft titled by the proposal.
func (s *Store) ProposalToCommitment(ctx context.Context, id int64, to participation.ProposalToCommitment) (*participation.Proposal, error) {
	tx, p, processID, err := s.forwardable(ctx, id, (*participation.Proposal).CheckToCommitment)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	commitmentID := to.CommitmentID
	if commitmentID != nil {
		var status string
		err := tx.GetContext(ctx, &status, `SELECT status FROM commitments WHERE id = $1 AND process_id = $2`, *commitmentID, processID)
		if err == errNoRows || (err == nil && status != participation.CommitmentDraft) {
			f := participation.FieldErrors{}
			f.Add("commitment_id", participation.RuleChoice, 0)
			return nil, f.Err()
		} else if err != nil {
			return nil, fmt.Errorf("find commitment: %w", err)
		}
	} else {
		n := participation.NewCommitment{}
		n.Title = p.Body // ProposalMax is within CommitmentTitleMax
		c, err := insertCommitment(ctx, tx, processID, participation.AccountFromContext(ctx).ID, n)
		if err != nil {
			return nil, err
		}
		commitmentID = &c.ID
	}
	if _, err := tx.ExecContext(ctx, `UPDATE proposals SET commitment_id = $2 WHERE id = $1`, id, *commitmentID); err != nil {
		return nil, fmt.Errorf("link proposal: %w", err)
	}
	return s.finishProposal(ctx, tx, id, p.WorkshopID)
}

// ProposalToSurveyItem adds a proposal as the last item of a grid2d
// question of a draft survey of its process.
func (s *Store) ProposalToSurveyItem(ctx context.Context, id int64, to participation.ProposalToSurveyItem) (*participation.Proposal, error) {
	tx, p, processID, err := s.forwardable(ctx, id, (*participation.Proposal).CheckToSurveyItem)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var q struct {
		Kind   string `db:"kind"`
		Status string `db:"status"`
	}
	err = tx.GetContext(ctx, &q, `
		SELECT q.kind, s.status FROM survey_questions q JOIN surveys s ON s.id = q.survey_id
		WHERE q.id = $1 AND s.process_id = $2 FOR UPDATE OF q`, to.QuestionID, processID)
	if err == errNoRows || (err == nil && q.Kind != participation.QuestionGrid2D) {
		f := participation.FieldErrors{}
		f.Add("question_id", participation.RuleChoice, 0)
		return nil, f.Err()
	} else if err != nil {
		return nil, fmt.Errorf("find question: %w", err)
	}
	if q.Status != participation.SurveyDraft {
		return nil, participation.Errorf(participation.ECONFLICT, "The survey has opened: its items no longer change.")
	}
	var itemID int64
	if err := tx.GetContext(ctx, &itemID, `
		INSERT INTO survey_choices (question_id, position, label)
		SELECT $1, coalesce(max(position) + 1, 0), $2 FROM survey_choices WHERE question_id = $1
		RETURNING id`, to.QuestionID, p.Body); err != nil {
		return nil, storeErr(err, "survey item")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE proposals SET survey_item_id = $2 WHERE id = $1`, id, itemID); err != nil {
		return nil, fmt.Errorf("link proposal: %w", err)
	}
	return s.finishProposal(ctx, tx, id, p.WorkshopID)
}

// FindProposalSources lists the workshop proposals a commitment was taken
// from, with their workshops, for its trace.
func (s *Store) FindProposalSources(ctx context.Context, commitmentID int64) ([]participation.ProposalSource, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out := []participation.ProposalSource{}
	if err := tx.SelectContext(ctx, &out, `
		SELECT p.id AS proposal_id, p.body, w.id AS workshop_id, w.title AS workshop_title, w.starts_at AS workshop_starts_at
		FROM proposals p JOIN collections c ON c.id = p.collection_id JOIN workshops w ON w.id = c.workshop_id
		WHERE p.commitment_id = $1 AND p.hidden_at IS NULL ORDER BY w.starts_at, p.id`, commitmentID); err != nil {
		return nil, fmt.Errorf("find proposal sources: %w", err)
	}
	return out, tx.Commit()
}
