package postgres

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lib/pq"

	"osallistu/participation"
)

// registrationRow is a registration as the store reads it, with what
// deciding who may act on it needs.
type registrationRow struct {
	participation.Registration
	Email       string `db:"email"`
	Lang        string `db:"lang"`
	CancelHash  []byte `db:"cancel_hash"`
	ConfirmHash []byte `db:"confirm_hash"`
}

const registrationColumns = `id, event_id, status, created_at, account_id, email, lang, cancel_hash, confirm_hash`

// Register registers the signed-in account, or a name and an email, for
// the event: with a seat while one is free, else on the waiting list; an
// emailed registration stays unconfirmed, holding no seat, until its link
// is opened. The seats are counted under the event's lock (lockEvent).
func (s *Store) Register(ctx context.Context, eventID int64, n participation.NewRegistration) (*participation.Registration, error) {
	me := participation.AccountFromContext(ctx)
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	e, err := findEvent(ctx, tx, eventID, true)
	if err != nil {
		return nil, err
	}
	if err := e.CheckRegistrationOpen(tx.now); err != nil {
		return nil, err
	}
	if err := n.Validate(e, me != nil); err != nil {
		return nil, err
	}
	var accountID *int64
	name, email, status := "", "", participation.RegistrationUnconfirmed
	if me != nil {
		accountID, name, email, status = &me.ID, me.Name, participation.NormalizeEmail(me.Email), participation.SeatStatus(e)
	} else {
		name, email = *n.Name, *n.Email
	}
	var taken bool
	if err := tx.GetContext(ctx, &taken, `
		SELECT EXISTS (SELECT 1 FROM registrations WHERE event_id = $1 AND status <> 'cancelled' AND (email = $2 OR account_id = $3))`,
		eventID, email, accountID); err != nil {
		return nil, fmt.Errorf("check registration: %w", err)
	}
	if taken {
		return nil, participation.Errorf(participation.ECONFLICT, "This person is already registered for the event.")
	}
	cancelToken, err := newToken()
	if err != nil {
		return nil, err
	}
	var confirmToken string
	var confirmHash []byte
	if me == nil {
		if confirmToken, err = newToken(); err != nil {
			return nil, err
		}
		confirmHash = hashToken(confirmToken)
	}
	answers, _ := json.Marshal(n.Answers) // ids and strings always marshal
	r := participation.Registration{EventID: eventID, Status: status, CancelToken: &cancelToken, AccountID: accountID}
	if err := tx.GetContext(ctx, &r, `
		WITH r AS (
			INSERT INTO registrations (event_id, account_id, name, email, lang, status, cancel_hash, confirm_hash, created_at, confirmed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $6 <> 'unconfirmed' THEN $9::timestamptz END)
			RETURNING id, created_at),
		a AS (
			INSERT INTO registration_answers (registration_id, question_id, text)
			SELECT r.id, a.question_id, a.text FROM r, jsonb_to_recordset($10::jsonb) AS a(question_id bigint, text text))
		SELECT id, created_at FROM r`,
		eventID, accountID, name, email, n.Lang, status, hashToken(cancelToken), confirmHash, tx.now, string(answers)); err != nil {
		return nil, storeErr(err, "registration")
	}
	var m participation.Message
	if me != nil {
		m = participation.EventMessageOf(participation.MessageRegistrationConfirmed, e, r.ID, status == participation.RegistrationWaitlisted, cancelToken)
	} else {
		m = participation.EventMessageOf(participation.MessageRegistrationAddress, e, r.ID, false, confirmToken)
	}
	if err := enqueue(ctx, tx, addressed(m, accountID, email, n.Lang)); err != nil {
		return nil, err
	}
	r.RegisteredAt = r.RegisteredAt.UTC()
	return &r, tx.Commit()
}

// addressed is m to the account, or else to the address in lang.
func addressed(m participation.Message, accountID *int64, email, lang string) participation.Message {
	if accountID != nil {
		m.AccountID = accountID
	} else {
		m.Email, m.Lang = email, lang
	}
	return m
}

// findRegistration reads a registration and checks that the asking person
// may act on it: its account, or whoever holds its cancel token or its
// emailed link's token (EUNAUTHENTICATED with neither, EFORBIDDEN with
// another's). lock takes the event's lock first, for a change.
func findRegistration(ctx context.Context, tx *Tx, id int64, token string, lock bool) (*registrationRow, *participation.Event, error) {
	var eventID int64
	if err := tx.GetContext(ctx, &eventID, `SELECT event_id FROM registrations WHERE id = $1`, id); err != nil {
		return nil, nil, storeErr(err, "registration")
	}
	e, err := findEvent(ctx, tx, eventID, lock)
	if err != nil {
		return nil, nil, err
	}
	var r registrationRow
	if err := tx.GetContext(ctx, &r, `SELECT `+registrationColumns+` FROM registrations WHERE id = $1`, id); err != nil {
		return nil, nil, storeErr(err, "registration")
	}
	r.RegisteredAt = r.RegisteredAt.UTC()
	me := participation.AccountFromContext(ctx)
	switch {
	case me != nil && r.AccountID != nil && *r.AccountID == me.ID:
	case token != "" && (sameHash(r.CancelHash, token) || sameHash(r.ConfirmHash, token)):
	case token == "" && me == nil:
		return nil, nil, participation.Errorf(participation.EUNAUTHENTICATED, "Sign in, or use the link of your registration's email.")
	default:
		return nil, nil, participation.Errorf(participation.EFORBIDDEN, "This registration is not yours.")
	}
	return &r, e, nil
}

// sameHash reports whether token's hash is hash, in constant time.
func sameHash(hash []byte, token string) bool {
	return len(hash) > 0 && subtle.ConstantTimeCompare(hash, hashToken(token)) == 1
}

// FindRegistration returns a registration to its account or a holder of its token.
func (s *Store) FindRegistration(ctx context.Context, id int64, token string) (*participation.Registration, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, _, err := findRegistration(ctx, tx, id, token, false)
	if err != nil {
		return nil, err
	}
	return &r.Registration, tx.Commit()
}

// ConfirmRegistration counts an unconfirmed registration whose emailed
// link's token is given: with a seat if one is free by then, else on the
// waiting list; the registrant is told which, with the calendar file. A
// registration already counted, or asked for by its own account, is
// returned as it is.
func (s *Store) ConfirmRegistration(ctx context.Context, id int64, token string) (*participation.Registration, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, e, err := findRegistration(ctx, tx, id, token, true)
	if err != nil {
		return nil, err
	}
	if !sameHash(r.ConfirmHash, token) {
		// Its account's own registration needs no confirming: it is
		// returned as it is. Its cancel token confirms no address.
		if me := participation.AccountFromContext(ctx); me == nil || r.AccountID == nil || *r.AccountID != me.ID {
			return nil, participation.Errorf(participation.EFORBIDDEN, "This is not the registration's confirmation link.")
		}
		return &r.Registration, tx.Commit()
	}
	switch r.Status {
	case participation.RegistrationCancelled:
		return nil, participation.Errorf(participation.ECONFLICT, "The registration has been cancelled.")
	case participation.RegistrationUnconfirmed:
	default:
		return &r.Registration, tx.Commit()
	}
	if !tx.now.Before(e.StartsAt) {
		return nil, participation.Errorf(participation.ECLOSED, "The event has already started.")
	}
	r.Status = participation.SeatStatus(e)
	if _, err := tx.ExecContext(ctx, `UPDATE registrations SET status = $2, confirmed_at = $3 WHERE id = $1`, id, r.Status, tx.now); err != nil {
		return nil, storeErr(err, "registration")
	}
	m := participation.EventMessageOf(participation.MessageRegistrationConfirmed, e, id, r.Status == participation.RegistrationWaitlisted, token)
	if err := enqueue(ctx, tx, addressed(m, nil, r.Email, r.Lang)); err != nil {
		return nil, err
	}
	return &r.Registration, tx.Commit()
}

// CancelRegistration cancels a registration (its account, or a holder of
// its token) and deletes its answers; the seat it held goes to the first
// waitlisted, who is told. The person may register again. Cancelling a
// cancelled registration changes nothing.
func (s *Store) CancelRegistration(ctx context.Context, id int64, token string) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, e, err := findRegistration(ctx, tx, id, token, true)
	if err != nil {
		return err
	}
	if r.Status == participation.RegistrationCancelled {
		return tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, `
		WITH a AS (DELETE FROM registration_answers WHERE registration_id = $1)
		UPDATE registrations SET status = 'cancelled', cancelled_at = $2 WHERE id = $1`, id, tx.now); err != nil {
		return storeErr(err, "registration")
	}
	if r.Status == participation.RegistrationRegistered {
		e.Registered--
	}
	if err := moveUp(ctx, tx, e); err != nil {
		return err
	}
	return tx.Commit()
}

// moveUp gives the free seats of e (locked, its counts current) to the
// first waitlisted, in the order they came, and tells each.
func moveUp(ctx context.Context, tx *Tx, e *participation.Event) error {
	if !tx.now.Before(e.StartsAt) {
		return nil // a seat freed once the event began is no use to anyone
	}
	for e.HasSeat() {
		var next []registrationRow
		if err := tx.SelectContext(ctx, &next, `
			SELECT `+registrationColumns+` FROM registrations WHERE event_id = $1 AND status = 'waitlisted'
			ORDER BY created_at, id LIMIT 1`, e.ID); err != nil {
			return fmt.Errorf("find waitlisted: %w", err)
		}
		if len(next) == 0 {
			return nil
		}
		r := next[0]
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET status = 'registered' WHERE id = $1`, r.ID); err != nil {
			return storeErr(err, "registration")
		}
		e.Registered++
		m := participation.EventMessageOf(participation.MessageRegistrationMovedUp, e, r.ID, false, "")
		if err := enqueue(ctx, tx, addressed(m, r.AccountID, r.Email, r.Lang)); err != nil {
			return err
		}
	}
	return nil
}

// lockSeatsOf locks the events where the account, or its address, holds a
// seat, in the order of their ids, and returns them: erasing the account
// deletes its registrations, and refillSeats then gives those seats on.
func lockSeatsOf(ctx context.Context, tx *Tx, accountID int64) ([]int64, error) {
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, `
		SELECT DISTINCT event_id FROM registrations
		WHERE (account_id = $1 OR email = `+accountEmail+`) AND status = 'registered' ORDER BY event_id`, accountID); err != nil {
		return nil, fmt.Errorf("find seats of account: %w", err)
	}
	for _, id := range ids {
		if err := lockEvent(ctx, tx, id); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// refillSeats gives the free seats of the events (locked by lockSeatsOf)
// to their first waitlisted, as a cancel does (moveUp).
func refillSeats(ctx context.Context, tx *Tx, eventIDs []int64) error {
	for _, id := range eventIDs {
		e, err := findEvent(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if err := moveUp(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

// FindRegistrants lists an event's registrations but the cancelled, in the
// order they came, with their answers (its officials).
func (s *Store) FindRegistrants(ctx context.Context, eventID int64) ([]*participation.Registrant, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireManager(ctx, tx, participation.RefTo(participation.RefEvent, eventID)); err != nil {
		return nil, err
	}
	var rows []struct {
		participation.Registrant
		Answers []byte `db:"answers"`
	}
	if err := tx.SelectContext(ctx, &rows, `
		SELECT r.id, r.name, r.email, r.status, r.created_at, r.attended,
		       (SELECT coalesce(jsonb_object_agg(a.question_id::text, a.text), '{}') FROM registration_answers a WHERE a.registration_id = r.id) AS answers
		FROM registrations r WHERE r.event_id = $1 AND r.status <> 'cancelled' ORDER BY r.created_at, r.id`, eventID); err != nil {
		return nil, fmt.Errorf("find registrants: %w", err)
	}
	list := make([]*participation.Registrant, len(rows))
	for i := range rows {
		reg := rows[i].Registrant
		reg.RegisteredAt = reg.RegisteredAt.UTC()
		if err := json.Unmarshal(rows[i].Answers, &reg.Answers); err != nil {
			return nil, fmt.Errorf("read answers: %w", err)
		}
		list[i] = &reg
	}
	return list, tx.Commit()
}

// MarkAttendance records who came, by registration id (its officials);
// only once the event has started, and only of its own registrations.
func (s *Store) MarkAttendance(ctx context.Context, eventID int64, attended map[int64]bool) error {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefEvent, eventID))
	if err != nil {
		return err
	}
	defer tx.Rollback()
	e, err := findEvent(ctx, tx, eventID, false)
	if err != nil {
		return err
	}
	if tx.now.Before(e.StartsAt) {
		return participation.Errorf(participation.ECLOSED, "Attendance is marked once the event has started.")
	}
	var came, missed []int64
	for id, ok := range attended {
		if ok {
			came = append(came, id)
		} else {
			missed = append(missed, id)
		}
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE registrations SET attended = id = ANY($2)
		WHERE event_id = $1 AND status = 'registered' AND (id = ANY($2) OR id = ANY($3))`,
		eventID, pq.Array(came), pq.Array(missed)); err != nil {
		return storeErr(err, "attendance")
	}
	return tx.Commit()
}

// SendEventReminders writes a reminder, with the calendar file, to every
// registrant with a seat of each event that starts within a day and has
// not been reminded, and marks the event reminded: instances that sweep at
// once skip the events another is reminding (SKIP LOCKED), so each is
// reminded once.
func (s *Store) SendEventReminders(ctx context.Context) (int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, `
		SELECT id FROM events WHERE reminded_at IS NULL AND starts_at > $1 AND starts_at <= $1 + interval '1 day'
		ORDER BY starts_at FOR UPDATE SKIP LOCKED`, tx.now); err != nil {
		return 0, fmt.Errorf("find events to remind: %w", err)
	}
	for _, id := range ids {
		e, err := findEvent(ctx, tx, id, false)
		if err != nil {
			return 0, err
		}
		var rows []registrationRow
		if err := tx.SelectContext(ctx, &rows, `
			SELECT `+registrationColumns+` FROM registrations WHERE event_id = $1 AND status = 'registered' ORDER BY id`, id); err != nil {
			return 0, fmt.Errorf("find registrants to remind: %w", err)
		}
		msgs := make([]participation.Message, len(rows))
		for i, r := range rows {
			msgs[i] = addressed(participation.EventMessageOf(participation.MessageEventReminder, e, r.ID, false, ""), r.AccountID, r.Email, r.Lang)
		}
		if err := enqueue(ctx, tx, msgs...); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET reminded_at = $2 WHERE id = $1`, id, tx.now); err != nil {
			return 0, storeErr(err, "event")
		}
	}
	return len(ids), tx.Commit()
}

// DeleteEventAnswers deletes the registrants' answers of the events that
// ended more than retention ago, and marks each event's answers deleted.
func (s *Store) DeleteEventAnswers(ctx context.Context, retention time.Duration) (participation.EventAnswerPurge, error) {
	out := participation.EventAnswerPurge{Events: []int64{}}
	tx, err := s.begin(ctx)
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	if err := tx.SelectContext(ctx, &out.Events, `
		UPDATE events SET answers_deleted_at = $1
		WHERE answers_deleted_at IS NULL AND ends_at <= $2 RETURNING id`,
		tx.now, tx.now.Add(-retention)); err != nil {
		return out, fmt.Errorf("mark answers deleted: %w", err)
	}
	res, err := tx.ExecContext(ctx, `
		DELETE FROM registration_answers a USING registrations r
		WHERE r.id = a.registration_id AND r.event_id = ANY($1)`, pq.Array(out.Events))
	if err != nil {
		return out, fmt.Errorf("delete answers: %w", err)
	}
	if out.Answers, err = res.RowsAffected(); err != nil {
		return out, fmt.Errorf("delete answers: %w", err)
	}
	return out, tx.Commit()
}
