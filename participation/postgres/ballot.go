package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// CastBallot records or replaces a participant's ballot: the store's step
// of the path of a ballot (participation/ballot.go). It is the hot path of
// a workshop (hundreds a second), so it makes two round trips and no
// transaction of its own: checkBallot reads who votes and in which poll,
// for the checks in the API's order (who, which poll, whose workshop, open,
// then content: b.ContentErr or the rules); storeBallot stores it and
// announceBallot, in the same statement, tells every instance. That
// statement takes the poll's shared lock (see lockPoll) and reads the poll's
// status again with FOR SHARE, which sees the newest status even when a
// close committed while it waited for the lock; a poll closed meanwhile
// stores nothing, and the answer is the closed error. The upsert leaves one
// row however many ballots of a participant come at once, and its
// notification is sent on commit.
func (s *Store) CastBallot(ctx context.Context, pollID int64, token string, b participation.Ballot) (*participation.Ballot, error) {
	if token == "" {
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "Join the workshop first.")
	}
	var row struct {
		ParticipantID  int64         `db:"participant_id"`
		JoinedWorkshop int64         `db:"joined_workshop"`
		PollID         *int64        `db:"id"`
		WorkshopID     *int64        `db:"workshop_id"`
		Status         *string       `db:"status"`
		MaxChoices     *int          `db:"max_choices"`
		OptionIDs      pq.Int64Array `db:"option_ids"`
		ProcessStatus  *string       `db:"process_status"`
	}
	check, err := s.prepared(ctx, checkBallot)
	if err != nil {
		return nil, err
	}
	err = check.GetContext(ctx, &row, hashToken(token), pollID)
	if err == errNoRows {
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "The participant token is not known. Join the workshop again.")
	} else if err != nil {
		return nil, fmt.Errorf("find participant: %w", err)
	}
	if row.PollID == nil {
		return nil, participation.Errorf(participation.ENOTFOUND, "poll not found")
	}
	p := &participation.Poll{ID: *row.PollID, WorkshopID: *row.WorkshopID, Status: *row.Status, MaxChoices: *row.MaxChoices}
	for _, id := range row.OptionIDs {
		p.Options = append(p.Options, participation.PollOption{ID: id})
	}
	voter := participation.Participant{ID: row.ParticipantID, WorkshopID: row.JoinedWorkshop}
	if err := voter.CheckPoll(p); err != nil {
		return nil, err
	}
	if err := p.CheckOpen(); err != nil {
		return nil, err
	}
	// An archived process is read only, though a poll of it was left open.
	if err := (&participation.Process{Status: *row.ProcessStatus}).CheckOpen(); err != nil {
		return nil, err
	}
	b.PollID = p.ID
	if err := b.Validate(p); err != nil {
		return nil, err
	}
	store, err := s.prepared(ctx, storeBallot)
	if err != nil {
		return nil, err
	}
	res, err := store.ExecContext(ctx,
		p.ID, row.ParticipantID, pq.Array(b.OptionIDs), s.now().UTC(), pollLockSpace, int32(p.ID), PollChannel,
		participation.PollChange{WorkshopID: p.WorkshopID, PollID: p.ID}.Encode())
	if err != nil {
		return nil, storeErr(err, "ballot")
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("ballot: %w", err)
	} else if n == 0 {
		return nil, participation.Errorf(participation.ECLOSED, "The poll has closed.")
	}
	return &b, nil
}

// The statements of CastBallot. checkBallot: the participant by token ($1)
// and the poll ($2) with its option ids and its process's status. storeBallot: the poll's ($1)
// shared lock ($5, $6), its status read again FOR SHARE, and the upsert of
// the participant's ($2) choices ($3) at $4; it ends in announceBallot, the
// NOTIFY on channel $7 of the change $8 (a participation.PollChange) that
// every instance's listener hears once the ballot is committed.
const (
	checkBallot = `
		SELECT pa.id AS participant_id, pa.workshop_id AS joined_workshop,
		       p.id, p.workshop_id, p.status, p.max_choices,
		       array(SELECT o.id FROM poll_options o WHERE o.poll_id = p.id) AS option_ids,
		       pr.status AS process_status
		FROM participant_tokens t JOIN participants pa ON pa.id = t.participant_id
		     LEFT JOIN polls p ON p.id = $2
		     LEFT JOIN workshops w ON w.id = p.workshop_id
		     LEFT JOIN processes pr ON pr.id = w.process_id
		WHERE t.token_hash = $1`
	storeBallot = `
		WITH locked AS (SELECT pg_advisory_xact_lock_shared($5, $6::integer)),
		open AS (SELECT p.id FROM polls p, locked WHERE p.id = $1 AND p.status = 'open' FOR SHARE OF p),
		up AS (
			INSERT INTO ballots (poll_id, participant_id, option_ids, created_at, updated_at)
			SELECT id, $2, $3, $4, $4 FROM open
			ON CONFLICT (poll_id, participant_id) DO UPDATE SET option_ids = EXCLUDED.option_ids, updated_at = EXCLUDED.updated_at
			RETURNING poll_id)
		` + announceBallot
	announceBallot = `SELECT pg_notify($7, $8) FROM up`
)

// FindBallots returns a participant's standing ballots by poll.
func (s *Store) FindBallots(ctx context.Context, token string) (map[int64][]int64, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	who, err := findParticipant(ctx, tx, token)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		PollID    int64         `db:"poll_id"`
		OptionIDs pq.Int64Array `db:"option_ids"`
	}
	if err := tx.SelectContext(ctx, &rows, `SELECT poll_id, option_ids FROM ballots WHERE participant_id = $1`, who.ID); err != nil {
		return nil, fmt.Errorf("find ballots: %w", err)
	}
	out := make(map[int64][]int64, len(rows))
	for _, r := range rows {
		out[r.PollID] = r.OptionIDs
	}
	return out, tx.Commit()
}
