package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"osallistu/participation"
)

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
	code, err := participation.NewJoinCode()
	if err != nil {
		return nil, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO workshops (process_id, title, starts_at, ends_at, join_code, show_results_live, require_account, language, translations, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		processID, n.Title, n.StartsAt.UTC(), utcOrNil(n.EndsAt), code, n.ResultsLive(), n.AccountsRequired(), n.Texts.Language, n.Texts.Translations, accountID, tx.now); err != nil {
		return nil, storeErr(err, "workshop join code")
	}
	w, err := findWorkshop(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return w, tx.Commit()
}

const workshopSelect = `
	SELECT w.id, w.process_id, w.title, w.starts_at, w.ends_at, w.ended_at, w.join_code, w.show_results_live,
	       w.require_account, w.joining_open, w.created_at,
	       w.language, w.translations, p.slug AS process_slug, p.title AS process_title,
	       p.language AS "process.language", p.translations AS "process.translations"
	FROM workshops w JOIN processes p ON p.id = w.process_id`

// findWorkshop loads a workshop and its polls, as the caller may see it.
func findWorkshop(ctx context.Context, tx *Tx, id int64) (*participation.Workshop, error) {
	var w participation.Workshop
	if err := tx.GetContext(ctx, &w, workshopSelect+` WHERE w.id = $1`, id); err != nil {
		return nil, storeErr(err, "workshop")
	}
	if err := fillWorkshops(ctx, tx, []*participation.Workshop{&w}); err != nil {
		return nil, err
	}
	return &w, nil
}

// utcOrNil is t in UTC, or nil.
func utcOrNil(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// fillWorkshops loads the polls of several workshops, sets their states at
// the transaction's time and leaves out what the caller may not see
// (participation.Workshop.ShowTo).
func fillWorkshops(ctx context.Context, tx *Tx, list []*participation.Workshop) error {
	viewer := participation.AccountFromContext(ctx)
	ids := make([]int64, len(list))
	byID := make(map[int64]*participation.Workshop, len(list))
	for i, w := range list {
		ids[i] = w.ID
		byID[w.ID] = w
		w.Polls = []*participation.Poll{}
		w.ShowTo(viewer)
	}
	polls, err := findPolls(ctx, tx, `p.workshop_id = ANY($1)`, pq.Array(ids))
	if err != nil {
		return err
	}
	for _, p := range polls {
		byID[p.WorkshopID].Polls = append(byID[p.WorkshopID].Polls, p)
	}
	for _, w := range list {
		w.State = w.StateAt(tx.now)
	}
	return nil
}

// FindWorkshop returns a workshop with its polls; the join code only for officials.
func (s *Store) FindWorkshop(ctx context.Context, id int64) (*participation.Workshop, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w, err := findWorkshop(ctx, tx, id)
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
	if err := fillWorkshops(ctx, tx, list); err != nil {
		return nil, err
	}
	return list, tx.Commit()
}

// UpdateWorkshop changes a workshop's settings and texts (officials),
// checked as a new workshop's are. Every instance hears of it, so that
// pages following the workshop show what changed (results shown or hidden,
// its state).
func (s *Store) UpdateWorkshop(ctx context.Context, id int64, u participation.WorkshopUpdate) (*participation.Workshop, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefWorkshop, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w, err := lockWorkshop(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := u.Apply(w); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE workshops SET show_results_live = $2, require_account = $3, joining_open = $4,
		       title = $5, starts_at = $6, ends_at = $7, language = $8, translations = $9
		WHERE id = $1`, id, w.ShowResultsLive, w.RequireAccount, w.JoiningOpen,
		w.Title, w.StartsAt.UTC(), utcOrNil(w.EndsAt), w.Language, w.Translations); err != nil {
		return nil, fmt.Errorf("update workshop: %w", err)
	}
	return workshopChanged(ctx, tx, id)
}

// lockWorkshop loads a workshop for a change, holding its row until tx ends.
func lockWorkshop(ctx context.Context, tx *Tx, id int64) (*participation.Workshop, error) {
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM workshops WHERE id = $1 FOR UPDATE`, id); err != nil {
		return nil, fmt.Errorf("lock workshop: %w", err)
	}
	return findWorkshop(ctx, tx, id)
}

// workshopChanged announces a change of the whole workshop to every
// instance and commits tx, returning the workshop as it is now.
func workshopChanged(ctx context.Context, tx *Tx, id int64) (*participation.Workshop, error) {
	if err := notifyPollChange(ctx, tx, participation.PollChange{WorkshopID: id}); err != nil {
		return nil, err
	}
	w, err := findWorkshop(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return w, tx.Commit()
}

// EndWorkshop ends a workshop now (officials): its open polls close, under
// their locks (see lockPoll), so that their results are final; new
// participants can no longer join, and its polls no longer open.
func (s *Store) EndWorkshop(ctx context.Context, id int64) (*participation.Workshop, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefWorkshop, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w, err := lockWorkshop(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if w.EndedAt != nil {
		return w, tx.Commit()
	}
	for _, p := range w.Polls {
		if p.Status != participation.PollOpen {
			continue
		}
		if err := lockPoll(ctx, tx, p.ID, true); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE polls SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'open'`, p.ID, tx.now); err != nil {
			return nil, fmt.Errorf("end workshop: %w", err)
		}
		if err := notifyPollChange(ctx, tx, participation.PollChange{WorkshopID: id, PollID: p.ID}); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE workshops SET ended_at = $2 WHERE id = $1`, id, tx.now); err != nil {
		return nil, fmt.Errorf("end workshop: %w", err)
	}
	return workshopChanged(ctx, tx, id)
}

// ReopenWorkshop makes an ended workshop run again (officials): the
// official's end is undone, and an end time that has passed is cleared
// (else the workshop would stay ended). Reopening a running one changes
// nothing.
func (s *Store) ReopenWorkshop(ctx context.Context, id int64) (*participation.Workshop, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefWorkshop, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := lockWorkshop(ctx, tx, id); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE workshops SET ended_at = NULL, ends_at = CASE WHEN ends_at <= $2 THEN NULL ELSE ends_at END
		WHERE id = $1`, id, tx.now); err != nil {
		return nil, fmt.Errorf("reopen workshop: %w", err)
	}
	return workshopChanged(ctx, tx, id)
}

// JoinWorkshop makes a participant of the workshop with the code, or gives
// back the participant that the joiner already is: the one of n.Token (a
// browser's cookie), else the signed-in account's. A token is returned
// once; only its hash is kept, so an account joining again gets a new token
// for its participant. A new participant is announced (PollChange.Joined)
// for the official's count.
func (s *Store) JoinWorkshop(ctx context.Context, n participation.NewParticipant) (*participation.Participant, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	joiner := participation.AccountFromContext(ctx)
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var w struct {
		participation.Workshop
		PollOpen bool `db:"poll_open"`
	}
	err = tx.GetContext(ctx, &w, `
		SELECT id, require_account, joining_open, starts_at, ends_at, ended_at,
		       EXISTS (SELECT 1 FROM polls p WHERE p.workshop_id = w.id AND p.status = 'open') AS poll_open
		FROM workshops w WHERE join_code = $1`, n.Code)
	if err == errNoRows {
		return nil, participation.Errorf(participation.ENOTFOUND, "No workshop has this code.")
	} else if err != nil {
		return nil, fmt.Errorf("join workshop: %w", err)
	}
	// A code is no way into a draft process (unseen but by its officials)
	// nor into an archived one (read only), as a request naming the
	// workshop is not (the server's processAccess).
	if _, err := checkProcessAccess(ctx, tx, participation.RefTo(participation.RefWorkshop, w.ID), true); err != nil {
		return nil, err
	}
	w.State = participation.WorkshopState(w.StartsAt, w.EndsAt, w.EndedAt, w.PollOpen, tx.now)
	p, err := findJoined(ctx, tx, w.ID, n.Token, joiner)
	if err != nil {
		return nil, err
	}
	if err := w.CheckJoin(joiner, p != nil); err != nil {
		return nil, err
	}
	if p != nil && (n.Name != nil || n.Municipality != nil) {
		// What the person gives when joining again replaces what they gave before.
		if err := tx.GetContext(ctx, p, `
			UPDATE participants SET name = coalesce($2, name), municipality = coalesce($3, municipality) WHERE id = $1
			RETURNING id, workshop_id, account_id, name, municipality`, p.ID, n.Name, n.Municipality); err != nil {
			return nil, fmt.Errorf("join workshop: %w", err)
		}
	}
	if p != nil && p.Token != "" {
		return p, tx.Commit() // the browser's own token: no new one to store
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	if p != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO participant_tokens (token_hash, participant_id, created_at) VALUES ($1, $2, $3)`,
			hashToken(token), p.ID, tx.now); err != nil {
			return nil, storeErr(err, "participant token")
		}
		p.Token = token
		return p, tx.Commit()
	}
	var accountID *int64
	if joiner != nil {
		accountID = &joiner.ID
	}
	// One statement (a room joins at once): the participant, its token, and
	// the announcement for the officials' count. Two joins of one account
	// at once meet in the unique index: the second gets the first's
	// participant, with a token of its own.
	var row struct {
		participation.Participant
		Notified string `db:"notified"`
	}
	if err := tx.GetContext(ctx, &row, `
		WITH p AS (
			INSERT INTO participants (workshop_id, account_id, name, municipality, created_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (workshop_id, account_id) WHERE account_id IS NOT NULL DO UPDATE SET account_id = EXCLUDED.account_id
			RETURNING id, workshop_id, account_id, name, municipality),
		t AS (INSERT INTO participant_tokens (token_hash, participant_id, created_at) SELECT $6, id, $5 FROM p)
		SELECT p.*, pg_notify($7, $8)::text AS notified FROM p`,
		w.ID, accountID, n.Name, n.Municipality, tx.now, hashToken(token),
		PollChannel, participation.PollChange{WorkshopID: w.ID, Joined: true}.Encode()); err != nil {
		return nil, storeErr(err, "participant")
	}
	p = &row.Participant
	p.Token = token
	return p, tx.Commit()
}

// findJoined returns the participant of workshop that the joiner already
// is, or nil: the one of token, with Token set, unless it is another
// account's; else joiner's, without a token.
func findJoined(ctx context.Context, tx *Tx, workshopID int64, token string, joiner *participation.Account) (*participation.Participant, error) {
	if token != "" {
		p, err := findParticipant(ctx, tx, token)
		switch {
		case err == nil && p.IsJoinedBy(workshopID, joiner):
			p.Token = token
			return p, nil
		case err != nil && participation.ErrorCode(err) != participation.EUNAUTHENTICATED:
			return nil, err
		}
	}
	if joiner == nil {
		return nil, nil
	}
	var p participation.Participant
	err := tx.GetContext(ctx, &p, participantSelect+` WHERE workshop_id = $1 AND account_id = $2`, workshopID, joiner.ID)
	if err == errNoRows {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find participant: %w", err)
	}
	return &p, nil
}

// CountParticipants returns how many have joined each of the workshops
// (those without any are left out).
func (s *Store) CountParticipants(ctx context.Context, workshopIDs []int64) (map[int64]int, error) {
	var rows []struct {
		WorkshopID int64 `db:"workshop_id"`
		Count      int   `db:"count"`
	}
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT workshop_id, count(*) AS count FROM participants WHERE workshop_id = ANY($1) GROUP BY workshop_id`,
		pq.Array(workshopIDs)); err != nil {
		return nil, fmt.Errorf("count participants: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.WorkshopID] = r.Count
	}
	return out, nil
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

const participantSelect = `SELECT id, workshop_id, account_id, name, municipality FROM participants`

func findParticipant(ctx context.Context, tx *Tx, token string) (*participation.Participant, error) {
	if token == "" {
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "Join the workshop first.")
	}
	var p participation.Participant
	err := tx.GetContext(ctx, &p, participantSelect+`
		WHERE id = (SELECT participant_id FROM participant_tokens WHERE token_hash = $1)`, hashToken(token))
	if err == errNoRows {
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "The participant token is not known. Join the workshop again.")
	} else if err != nil {
		return nil, fmt.Errorf("find participant: %w", err)
	}
	return &p, nil
}
