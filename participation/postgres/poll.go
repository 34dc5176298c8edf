package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// notifyPollChange tells every server instance, when tx commits, that a poll
// (or, with PollID 0, the whole workshop) changed. Within the transaction, so
// that no listener hears of a change it cannot see yet, and none is missed.
func notifyPollChange(ctx context.Context, tx *Tx, c participation.PollChange) error {
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, PollChannel, c.Encode()); err != nil {
		return fmt.Errorf("notify poll change: %w", err)
	}
	return nil
}

const pollSelect = `
	SELECT p.id, p.workshop_id, p.question, p.max_choices, p.status, p.position, p.idea_round_id, p.opened_at, p.closed_at,
	       p.language, p.translations
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
		SELECT id, poll_id, label, theme_id, language, translations FROM poll_options WHERE poll_id = ANY($1) ORDER BY poll_id, position`,
		pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("find poll options: %w", err)
	}
	for _, o := range opts {
		byID[o.PollID].Options = append(byID[o.PollID].Options, o)
	}
	return polls, nil
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
		SELECT r.id, r.title, r.language, r.translations, (SELECT count(*) FROM themes t WHERE t.round_id = r.id) AS themes
		FROM idea_rounds r JOIN workshops w ON w.process_id = r.process_id
		WHERE w.id = $1 ORDER BY r.opens_at, r.id`, workshopID); err != nil {
		return nil, fmt.Errorf("find idea rounds: %w", err)
	}
	return refs, tx.Commit()
}

// CreatePoll adds a draft poll at the end of a workshop's polls (officials).
func (s *Store) CreatePoll(ctx context.Context, workshopID int64, n participation.NewPoll) (*participation.Poll, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefWorkshop, workshopID))
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
			SELECT t.id, t.round_id, t.title, t.description, t.language, t.translations FROM themes t JOIN idea_rounds r ON r.id = t.round_id
			WHERE t.round_id = $1 AND r.process_id = $2 AND t.merged_into IS NULL ORDER BY t.id`, *n.OptionsFromIdeaRound, processID); err != nil {
			return nil, fmt.Errorf("find themes: %w", err)
		}
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var pollID int64
	if err := tx.GetContext(ctx, &pollID, `
		INSERT INTO polls (workshop_id, question, max_choices, position, idea_round_id, language, translations, created_at)
		VALUES ($1, $2, $3, (SELECT coalesce(max(position), 0) + 1 FROM polls WHERE workshop_id = $1), $4, $5, $6, $7)
		RETURNING id`, workshopID, n.Question, *n.MaxChoices, n.OptionsFromIdeaRound, n.Texts.Language, n.Texts.Translations, tx.now); err != nil {
		return nil, storeErr(err, "poll")
	}
	for i, o := range n.NewOptions() {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO poll_options (poll_id, label, theme_id, position, language, translations) VALUES ($1, $2, $3, $4, $5, $6)`,
			pollID, o.Label, o.ThemeID, i+1, o.Language, o.Translations); err != nil {
			return nil, storeErr(err, "poll option")
		}
	}
	if err := notifyPollChange(ctx, tx, participation.PollChange{WorkshopID: workshopID, PollID: pollID}); err != nil {
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
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefPoll, id))
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
	if to == participation.PollOpen {
		w, err := findWorkshopWindow(ctx, tx, p.WorkshopID)
		if err != nil {
			return nil, err
		}
		if err := w.CheckOpenPoll(); err != nil {
			return nil, err
		}
	}
	column := "opened_at"
	if to == participation.PollClosed {
		column = "closed_at"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE polls SET status = $2, `+column+` = $3 WHERE id = $1`, id, to, tx.now); err != nil {
		return nil, fmt.Errorf("set poll status: %w", err)
	}
	if err := notifyPollChange(ctx, tx, participation.PollChange{WorkshopID: p.WorkshopID, PollID: p.ID}); err != nil {
		return nil, err
	}
	if p, err = findPoll(ctx, tx, id); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// findWorkshopWindow loads what a workshop's state depends on (its window,
// the official's end and whether a poll is open), with the state at the
// transaction's time.
func findWorkshopWindow(ctx context.Context, tx *Tx, id int64) (*participation.Workshop, error) {
	var w struct {
		participation.Workshop
		PollOpen bool `db:"poll_open"`
	}
	if err := tx.GetContext(ctx, &w, `
		SELECT id, starts_at, ends_at, ended_at,
		       EXISTS (SELECT 1 FROM polls p WHERE p.workshop_id = w.id AND p.status = 'open') AS poll_open
		FROM workshops w WHERE id = $1`, id); err != nil {
		return nil, storeErr(err, "workshop")
	}
	w.State = participation.WorkshopState(w.StartsAt, w.EndsAt, w.EndedAt, w.PollOpen, tx.now)
	return &w.Workshop, nil
}

// UpdatePoll changes a draft poll (officials), checked as a new poll is:
// ECONFLICT once it has opened (whatever the change holds). The options
// are rewritten in their new order; kept ones keep their ids and themes.
func (s *Store) UpdatePoll(ctx context.Context, id int64, u participation.PollPatch) (*participation.Poll, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefPoll, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// The status lock: an opening waits for the change, or the change sees it.
	if err := lockPoll(ctx, tx, id, true); err != nil {
		return nil, err
	}
	p, err := findPoll(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := p.CheckEdit(); err != nil {
		return nil, err
	}
	if err := u.Apply(p); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE polls SET question = $2, max_choices = $3, language = $4, translations = $5 WHERE id = $1`,
		id, p.Question, p.MaxChoices, p.Language, p.Translations); err != nil {
		return nil, fmt.Errorf("update poll: %w", err)
	}
	keep := make([]int64, 0, len(p.Options))
	for _, o := range p.Options {
		if o.ID != 0 {
			keep = append(keep, o.ID)
		}
	}
	// Positions are unique: the kept options step aside before taking their new places.
	if _, err := tx.ExecContext(ctx, `DELETE FROM poll_options WHERE poll_id = $1 AND NOT (id = ANY($2))`, id, pq.Array(keep)); err != nil {
		return nil, fmt.Errorf("update poll options: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE poll_options SET position = -position WHERE poll_id = $1`, id); err != nil {
		return nil, fmt.Errorf("update poll options: %w", err)
	}
	for i, o := range p.Options {
		if o.ID != 0 {
			_, err = tx.ExecContext(ctx, `
				UPDATE poll_options SET label = $2, position = $3, language = $4, translations = $5 WHERE id = $1`,
				o.ID, o.Label, i+1, o.Language, o.Translations)
		} else {
			_, err = tx.ExecContext(ctx, `
				INSERT INTO poll_options (poll_id, label, position, language, translations) VALUES ($1, $2, $3, $4, $5)`,
				id, o.Label, i+1, o.Language, o.Translations)
		}
		if err != nil {
			return nil, storeErr(err, "poll option")
		}
	}
	if err := notifyPollChange(ctx, tx, participation.PollChange{WorkshopID: p.WorkshopID, PollID: p.ID}); err != nil {
		return nil, err
	}
	if p, err = findPoll(ctx, tx, id); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}
