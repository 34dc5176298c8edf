package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/lib/pq"

	"osallistu/participation"
)

// PollChannel is the NOTIFY channel of poll changes. The payload is
// "<workshop_id>:<poll_id>" (ids only, so it stays far below NOTIFY's 8000
// bytes and says nothing private); poll 0 means the whole workshop.
const PollChannel = "osallistu_poll"

// notifyPollChange tells every server instance, when tx commits, that a poll
// (or with pollID 0 the whole workshop) changed. Within the transaction, so
// that no listener hears of a change it cannot see yet, and none is missed.
func notifyPollChange(ctx context.Context, tx *Tx, workshopID, pollID int64) error {
	payload := strconv.FormatInt(workshopID, 10) + ":" + strconv.FormatInt(pollID, 10)
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, PollChannel, payload); err != nil {
		return fmt.Errorf("notify poll change: %w", err)
	}
	return nil
}

// workshopCodeAttempts is how often CreateWorkshop draws a new join code after
// a clash with an existing one.
const workshopCodeAttempts = 5

// CreateWorkshop adds a workshop with a fresh join code to a process (officials).
func (s *Store) CreateWorkshop(ctx context.Context, slug string, n participation.NewWorkshop) (*participation.Workshop, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		w, err := s.createWorkshop(ctx, me.ID, slug, n)
		if participation.ErrorCode(err) == participation.ECONFLICT && attempt < workshopCodeAttempts {
			continue // the join code was taken: draw another
		}
		return w, err
	}
}

func (s *Store) createWorkshop(ctx context.Context, accountID int64, slug string, n participation.NewWorkshop) (*participation.Workshop, error) {
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
	code, err := participation.NewJoinCode()
	if err != nil {
		return nil, err
	}
	show := n.ShowResultsLive == nil || *n.ShowResultsLive
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO workshops (process_id, title, starts_at, join_code, show_results_live, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		processID, n.Title, n.StartsAt.UTC(), code, show, accountID, tx.now); err != nil {
		return nil, storeErr(err, "workshop join code")
	}
	w, err := findWorkshop(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	return w, tx.Commit()
}

const workshopSelect = `
	SELECT w.id, w.process_id, w.title, w.starts_at, w.join_code, w.show_results_live, w.created_at,
	       p.slug AS process_slug, p.title AS process_title
	FROM workshops w JOIN processes p ON p.id = w.process_id`

// findWorkshop loads a workshop and its polls; withCode keeps the join code.
func findWorkshop(ctx context.Context, tx *Tx, id int64, withCode bool) (*participation.Workshop, error) {
	var w participation.Workshop
	if err := tx.GetContext(ctx, &w, workshopSelect+` WHERE w.id = $1`, id); err != nil {
		return nil, storeErr(err, "workshop")
	}
	if err := fillWorkshops(ctx, tx, []*participation.Workshop{&w}, withCode); err != nil {
		return nil, err
	}
	return &w, nil
}

// fillWorkshops loads the polls of several workshops, and hides their join
// codes unless withCode.
func fillWorkshops(ctx context.Context, tx *Tx, list []*participation.Workshop, withCode bool) error {
	ids := make([]int64, len(list))
	byID := make(map[int64]*participation.Workshop, len(list))
	for i, w := range list {
		ids[i] = w.ID
		byID[w.ID] = w
		w.Polls = []*participation.Poll{}
		if !withCode {
			w.JoinCode = nil
		}
	}
	polls, err := findPolls(ctx, tx, `p.workshop_id = ANY($1)`, pq.Array(ids))
	if err != nil {
		return err
	}
	for _, p := range polls {
		byID[p.WorkshopID].Polls = append(byID[p.WorkshopID].Polls, p)
	}
	return nil
}

const pollSelect = `
	SELECT p.id, p.workshop_id, p.question, p.max_choices, p.status, p.position, p.idea_round_id, p.opened_at, p.closed_at
	FROM polls p`

// findPolls loads the polls that where selects, with their options, in
// workshop and position order.
func findPolls(ctx context.Context, tx *Tx, where string, args ...any) ([]*participation.Poll, error) {
	var polls []*participation.Poll
	if err := tx.SelectContext(ctx, &polls, pollSelect+` WHERE `+where+` ORDER BY p.workshop_id, p.position`, args...); err != nil {
		return nil, fmt.Errorf("find polls: %w", err)
	}
	if len(polls) == 0 {
		return polls, nil
	}
	ids := make([]int64, len(polls))
	byID := make(map[int64]*participation.Poll, len(polls))
	for i, p := range polls {
		ids[i] = p.ID
		byID[p.ID] = p
		p.Options = []participation.PollOption{}
	}
	var opts []participation.PollOption
	if err := tx.SelectContext(ctx, &opts, `
		SELECT id, poll_id, label, theme_id FROM poll_options WHERE poll_id = ANY($1) ORDER BY poll_id, position`,
		pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("find poll options: %w", err)
	}
	for _, o := range opts {
		byID[o.PollID].Options = append(byID[o.PollID].Options, o)
	}
	return polls, nil
}

// isOfficial reports whether the caller may see join codes.
func isOfficial(ctx context.Context) bool {
	return participation.AccountFromContext(ctx).HasRole(participation.RoleOfficial)
}

// FindWorkshop returns a workshop with its polls; the join code only for officials.
func (s *Store) FindWorkshop(ctx context.Context, id int64) (*participation.Workshop, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w, err := findWorkshop(ctx, tx, id, isOfficial(ctx))
	if err != nil {
		return nil, err
	}
	return w, tx.Commit()
}

// FindWorkshops lists a process's workshops, earliest first, with their polls.
func (s *Store) FindWorkshops(ctx context.Context, processID int64) ([]*participation.Workshop, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	list := []*participation.Workshop{}
	if err := tx.SelectContext(ctx, &list, workshopSelect+` WHERE w.process_id = $1 ORDER BY w.starts_at, w.id`, processID); err != nil {
		return nil, fmt.Errorf("find workshops: %w", err)
	}
	if err := fillWorkshops(ctx, tx, list, isOfficial(ctx)); err != nil {
		return nil, err
	}
	return list, tx.Commit()
}

// UpdateWorkshop changes a workshop's settings (officials). Every instance
// hears of it, so that pages following the workshop show or hide results.
func (s *Store) UpdateWorkshop(ctx context.Context, id int64, u participation.WorkshopUpdate) (*participation.Workshop, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `
		UPDATE workshops SET show_results_live = coalesce($2, show_results_live) WHERE id = $1`, id, u.ShowResultsLive)
	if err != nil {
		return nil, fmt.Errorf("update workshop: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, participation.Errorf(participation.ENOTFOUND, "workshop not found")
	}
	if err := notifyPollChange(ctx, tx, id, 0); err != nil {
		return nil, err
	}
	w, err := findWorkshop(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	return w, tx.Commit()
}

// FindIdeaRoundRefs lists the idea rounds of a workshop's process with their
// numbers of themes, for the control page's "one option per theme".
func (s *Store) FindIdeaRoundRefs(ctx context.Context, workshopID int64) ([]participation.IdeaRoundRef, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	refs := []participation.IdeaRoundRef{}
	if err := tx.SelectContext(ctx, &refs, `
		SELECT r.id, r.title, (SELECT count(*) FROM themes t WHERE t.round_id = r.id) AS themes
		FROM idea_rounds r JOIN workshops w ON w.process_id = r.process_id
		WHERE w.id = $1 ORDER BY r.opens_at, r.id`, workshopID); err != nil {
		return nil, fmt.Errorf("find idea rounds: %w", err)
	}
	return refs, tx.Commit()
}

// CreatePoll adds a draft poll at the end of a workshop's polls (officials).
func (s *Store) CreatePoll(ctx context.Context, workshopID int64, n participation.NewPoll) (*participation.Poll, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Lock the workshop: concurrent polls take positions one after the other.
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT process_id FROM workshops WHERE id = $1 FOR UPDATE`, workshopID); err != nil {
		return nil, storeErr(err, "workshop")
	}
	n.Themes = nil
	if n.OptionsFromIdeaRound != nil {
		// Only the rounds of the workshop's own process give options.
		if err := tx.SelectContext(ctx, &n.Themes, `
			SELECT t.id, t.round_id, t.title, t.description FROM themes t JOIN idea_rounds r ON r.id = t.round_id
			WHERE t.round_id = $1 AND r.process_id = $2 ORDER BY t.id`, *n.OptionsFromIdeaRound, processID); err != nil {
			return nil, fmt.Errorf("find themes: %w", err)
		}
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var pollID int64
	if err := tx.GetContext(ctx, &pollID, `
		INSERT INTO polls (workshop_id, question, max_choices, position, idea_round_id, created_at)
		VALUES ($1, $2, $3, (SELECT coalesce(max(position), 0) + 1 FROM polls WHERE workshop_id = $1), $4, $5)
		RETURNING id`, workshopID, n.Question, *n.MaxChoices, n.OptionsFromIdeaRound, tx.now); err != nil {
		return nil, storeErr(err, "poll")
	}
	labels := make([]string, 0, len(n.Options)+len(n.Themes))
	themes := make([]*int64, 0, len(n.Themes))
	for _, o := range n.Options {
		labels = append(labels, o.Label)
		themes = append(themes, nil)
	}
	for _, t := range n.Themes {
		labels = append(labels, t.Title)
		themes = append(themes, &t.ID)
	}
	for i := range labels {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO poll_options (poll_id, label, theme_id, position) VALUES ($1, $2, $3, $4)`,
			pollID, labels[i], themes[i], i+1); err != nil {
			return nil, storeErr(err, "poll option")
		}
	}
	if err := notifyPollChange(ctx, tx, workshopID, pollID); err != nil {
		return nil, err
	}
	p, err := findPoll(ctx, tx, pollID)
	if err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// findPoll loads one poll with its options.
func findPoll(ctx context.Context, tx *Tx, id int64) (*participation.Poll, error) {
	polls, err := findPolls(ctx, tx, `p.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(polls) == 0 {
		return nil, participation.Errorf(participation.ENOTFOUND, "poll not found")
	}
	return polls[0], nil
}

// pollLockSpace is the first key of the polls' advisory locks.
const pollLockSpace = 0x706f6c6c // "poll"

// lockPoll takes the poll's advisory lock until tx ends: shared for a
// ballot, exclusive for a change of status. Ballots run side by side, but
// not beside the opening or closing of their poll: a close waits for the
// ballots under way, and a ballot that comes later waits for the close and
// then sees it, so that the ballots counted are exactly those answered OK.
// PostgreSQL queues a shared request behind a waiting exclusive one, so a
// stream of ballots cannot starve the close (row locks would: a KEY SHARE
// joins the holders without waiting). The status must be read after the
// lock is held: by a statement of its own, whose snapshot then sees the
// change (the status change), or with FOR SHARE, which reads the newest
// version of the row whatever the statement's snapshot (a ballot).
func lockPoll(ctx context.Context, tx *Tx, id int64, exclusive bool) error {
	q := `SELECT pg_advisory_xact_lock_shared($1, $2::integer)`
	if exclusive {
		q = `SELECT pg_advisory_xact_lock($1, $2::integer)`
	}
	// Poll ids beyond 2³¹ share locks with smaller ones: a wait, never an error.
	if _, err := tx.ExecContext(ctx, q, pollLockSpace, int32(id)); err != nil {
		return fmt.Errorf("lock poll: %w", err)
	}
	return nil
}

// FindPoll returns a poll with its options.
func (s *Store) FindPoll(ctx context.Context, id int64) (*participation.Poll, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := findPoll(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// OpenPoll opens a draft poll (officials).
func (s *Store) OpenPoll(ctx context.Context, id int64) (*participation.Poll, error) {
	return s.setPollStatus(ctx, id, participation.PollOpen)
}

// ClosePoll closes an open poll (officials).
func (s *Store) ClosePoll(ctx context.Context, id int64) (*participation.Poll, error) {
	return s.setPollStatus(ctx, id, participation.PollClosed)
}

// setPollStatus moves a poll on, under the poll's exclusive lock (see lockPoll).
func (s *Store) setPollStatus(ctx context.Context, id int64, to string) (*participation.Poll, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := lockPoll(ctx, tx, id, true); err != nil {
		return nil, err
	}
	p, err := findPoll(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	changed, err := p.NextStatus(to)
	if err != nil || !changed {
		return p, err
	}
	column := "opened_at"
	if to == participation.PollClosed {
		column = "closed_at"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE polls SET status = $2, `+column+` = $3 WHERE id = $1`, id, to, tx.now); err != nil {
		return nil, fmt.Errorf("set poll status: %w", err)
	}
	if err := notifyPollChange(ctx, tx, p.WorkshopID, p.ID); err != nil {
		return nil, err
	}
	if p, err = findPoll(ctx, tx, id); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// JoinWorkshop makes a participant of the workshop with the code. The token
// is returned once; only its hash is kept.
func (s *Store) JoinWorkshop(ctx context.Context, n participation.NewParticipant) (*participation.Participant, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var p participation.Participant
	err = tx.GetContext(ctx, &p, `
		INSERT INTO participants (workshop_id, token_hash, name, municipality, created_at)
		SELECT id, $2, $3, $4, $5 FROM workshops WHERE join_code = $1
		RETURNING id, workshop_id, name, municipality`,
		n.Code, hashToken(token), n.Name, n.Municipality, tx.now)
	if err == errNoRows {
		return nil, participation.Errorf(participation.ENOTFOUND, "No workshop has this code.")
	} else if err != nil {
		return nil, storeErr(err, "participant")
	}
	p.Token = token
	return &p, tx.Commit()
}

// FindParticipant returns the participant of a token.
func (s *Store) FindParticipant(ctx context.Context, token string) (*participation.Participant, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := findParticipant(ctx, tx, token)
	if err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

func findParticipant(ctx context.Context, tx *Tx, token string) (*participation.Participant, error) {
	if token == "" {
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "Join the workshop first (X-Participant-Token).")
	}
	var p participation.Participant
	err := tx.GetContext(ctx, &p, `SELECT id, workshop_id, name, municipality FROM participants WHERE token_hash = $1`, hashToken(token))
	if err == errNoRows {
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "The participant token is not known. Join the workshop again.")
	} else if err != nil {
		return nil, fmt.Errorf("find participant: %w", err)
	}
	return &p, nil
}

// CastBallot records or replaces a participant's ballot. It is the hot path
// of a workshop (hundreds a second), so it makes two round trips and no
// transaction of its own: one statement reads who votes and in which poll,
// for the checks in the API's order (who, which poll, whose workshop, open,
// content); a second one stores the ballot. That one takes the poll's
// shared lock (see lockPoll) and reads the poll's status again with FOR
// SHARE, which sees the newest status even when a close committed while it
// waited for the lock; a poll closed meanwhile stores nothing, and the
// answer is the closed error. The upsert leaves one row however many
// ballots of a participant come at once, and its notification is sent on
// commit.
func (s *Store) CastBallot(ctx context.Context, pollID int64, token string, b participation.Ballot) (*participation.Ballot, error) {
	if token == "" {
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "Join the workshop first (X-Participant-Token).")
	}
	var row struct {
		ParticipantID  int64         `db:"participant_id"`
		JoinedWorkshop int64         `db:"joined_workshop"`
		PollID         *int64        `db:"id"`
		WorkshopID     *int64        `db:"workshop_id"`
		Status         *string       `db:"status"`
		MaxChoices     *int          `db:"max_choices"`
		OptionIDs      pq.Int64Array `db:"option_ids"`
	}
	who, err := s.prepared(ctx, ballotWhoQuery)
	if err != nil {
		return nil, err
	}
	err = who.GetContext(ctx, &row, hashToken(token), pollID)
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
	if p.WorkshopID != row.JoinedWorkshop {
		return nil, participation.Errorf(participation.EFORBIDDEN, "You joined another workshop.")
	}
	if err := p.CheckOpen(); err != nil {
		return nil, err
	}
	b.PollID = p.ID
	if err := b.Validate(p); err != nil {
		return nil, err
	}
	store, err := s.prepared(ctx, ballotStoreQuery)
	if err != nil {
		return nil, err
	}
	res, err := store.ExecContext(ctx,
		p.ID, row.ParticipantID, pq.Array(b.OptionIDs), s.now().UTC(), pollLockSpace, int32(p.ID), PollChannel,
		strconv.FormatInt(p.WorkshopID, 10)+":"+strconv.FormatInt(p.ID, 10))
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

// The statements of CastBallot. ballotWhoQuery: the participant by token
// ($1) and the poll ($2) with its option ids. ballotStoreQuery: the poll's
// ($1) shared lock ($5, $6), its status read again FOR SHARE, the upsert of
// the participant's ($2) choices ($3) at $4, and the notification ($7, $8).
const (
	ballotWhoQuery = `
		SELECT pa.id AS participant_id, pa.workshop_id AS joined_workshop,
		       p.id, p.workshop_id, p.status, p.max_choices,
		       array(SELECT o.id FROM poll_options o WHERE o.poll_id = p.id) AS option_ids
		FROM participants pa LEFT JOIN polls p ON p.id = $2
		WHERE pa.token_hash = $1`
	ballotStoreQuery = `
		WITH locked AS (SELECT pg_advisory_xact_lock_shared($5, $6::integer)),
		open AS (SELECT p.id FROM polls p, locked WHERE p.id = $1 AND p.status = 'open' FOR SHARE OF p),
		up AS (
			INSERT INTO ballots (poll_id, participant_id, option_ids, created_at, updated_at)
			SELECT id, $2, $3, $4, $4 FROM open
			ON CONFLICT (poll_id, participant_id) DO UPDATE SET option_ids = EXCLUDED.option_ids, updated_at = EXCLUDED.updated_at
			RETURNING poll_id)
		SELECT pg_notify($7, $8) FROM up`
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

// FindTally counts one poll's ballots.
func (s *Store) FindTally(ctx context.Context, pollID int64) (*participation.Tally, error) {
	list, err := s.FindTallies(ctx, participation.TallyFilter{PollIDs: []int64{pollID}})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, participation.Errorf(participation.ENOTFOUND, "poll not found")
	}
	return list[0], nil
}

// FindTallies counts the ballots of several polls from the ballots table:
// the ballots are the truth, there is no counter to drift.
func (s *Store) FindTallies(ctx context.Context, f participation.TallyFilter) ([]*participation.Tally, error) {
	return s.findTallies(ctx, `p.id = ANY($1) OR p.workshop_id = ANY($2)`, pq.Array(f.PollIDs), pq.Array(f.WorkshopIDs))
}

// FindClosedTallies returns the results of the closed polls of a process's
// workshops, in workshop and poll order.
func (s *Store) FindClosedTallies(ctx context.Context, processID int64) ([]*participation.Tally, error) {
	return s.findTallies(ctx, `w.process_id = $1 AND p.status = 'closed'`, processID)
}

// findTallies counts the polls that where selects (over polls p and
// workshops w) in one statement, a row per option: one statement sees one
// snapshot, so a tally's ballot count and its votes agree, and a recount is
// one round trip. AsOf is read before the statement starts: every ballot
// committed before it is counted.
func (s *Store) findTallies(ctx context.Context, where string, args ...any) ([]*participation.Tally, error) {
	asOf := s.now().UTC()
	var rows []struct {
		participation.Tally
		OptionID sql.NullInt64  `db:"option_id"`
		Label    sql.NullString `db:"label"`
		ThemeID  *int64         `db:"theme_id"`
		Votes    int            `db:"votes"`
	}
	count, err := s.prepared(ctx, `
		WITH p AS (
			SELECT p.id, p.workshop_id, p.question, p.max_choices, p.status, p.position,
			       p.opened_at, p.closed_at, w.show_results_live, w.starts_at,
			       (SELECT count(*) FROM ballots b WHERE b.poll_id = p.id) AS ballots
			FROM polls p JOIN workshops w ON w.id = p.workshop_id
			WHERE `+where+`),
		v AS (
			SELECT x.option_id, count(*) AS votes
			FROM ballots b CROSS JOIN unnest(b.option_ids) AS x(option_id)
			WHERE b.poll_id IN (SELECT id FROM p) GROUP BY x.option_id)
		SELECT p.id AS poll_id, p.workshop_id, p.question, p.max_choices, p.status, p.position,
		       p.opened_at, p.closed_at, p.show_results_live, p.ballots,
		       o.id AS option_id, o.label, o.theme_id, coalesce(v.votes, 0) AS votes
		FROM p LEFT JOIN poll_options o ON o.poll_id = p.id LEFT JOIN v ON v.option_id = o.id
		ORDER BY p.starts_at, p.workshop_id, p.position, o.position`)
	if err != nil {
		return nil, err
	}
	if err := count.SelectContext(ctx, &rows, args...); err != nil {
		return nil, fmt.Errorf("count ballots: %w", err)
	}
	list := []*participation.Tally{}
	for i := range rows {
		r := &rows[i]
		if len(list) == 0 || list[len(list)-1].PollID != r.PollID {
			t := r.Tally
			t.AsOf = asOf
			t.Options = []participation.TallyOption{}
			list = append(list, &t)
		}
		if r.OptionID.Valid {
			t := list[len(list)-1]
			t.Options = append(t.Options, participation.TallyOption{ID: r.OptionID.Int64, Label: r.Label.String, ThemeID: r.ThemeID, Votes: r.Votes})
		}
	}
	return list, nil
}

// FindThemeResults returns, for each theme of an idea round, its votes and
// rank in every closed poll that had it as an option: rank 1 is the most
// votes, ties share a rank (1, 2, 2, 4), as SQL's rank() counts.
// One statement: one snapshot.
func (s *Store) FindThemeResults(ctx context.Context, roundID int64) (map[int64][]participation.ThemePollResult, error) {
	var rows []struct {
		ThemeID int64 `db:"theme_id"`
		participation.ThemePollResult
	}
	if err := s.db.SelectContext(ctx, &rows, `
		WITH votes AS (
			SELECT o.poll_id, o.id AS option_id, o.theme_id,
			       (SELECT count(*) FROM ballots b WHERE b.poll_id = o.poll_id AND o.id = ANY(b.option_ids)) AS votes
			FROM poll_options o JOIN polls p ON p.id = o.poll_id
			WHERE p.status = 'closed' AND o.poll_id IN (
				SELECT o2.poll_id FROM poll_options o2 JOIN themes t ON t.id = o2.theme_id WHERE t.round_id = $1)
		), ranked AS (
			SELECT v.*, rank() OVER (PARTITION BY v.poll_id ORDER BY v.votes DESC) AS rank FROM votes v
		)
		SELECT r.theme_id, r.poll_id, p.question, r.option_id, r.votes, r.rank
		FROM ranked r JOIN polls p ON p.id = r.poll_id JOIN themes t ON t.id = r.theme_id
		WHERE t.round_id = $1
		ORDER BY r.theme_id, p.closed_at, r.poll_id`, roundID); err != nil {
		return nil, fmt.Errorf("find theme results: %w", err)
	}
	out := map[int64][]participation.ThemePollResult{}
	for _, r := range rows {
		out[r.ThemeID] = append(out[r.ThemeID], r.ThemePollResult)
	}
	return out, nil
}
