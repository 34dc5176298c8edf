package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"osallistu/participation"
)

// CreateEvent adds an event to the process of slug (its officials), with
// its questions in the order given.
func (s *Store) CreateEvent(ctx context.Context, slug string, n participation.NewEvent) (*participation.Event, error) {
	tx, err := s.beginOfficial(ctx, participation.RefToProcess(slug))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := n.Validate(); err != nil {
		return nil, err
	}
	me := participation.AccountFromContext(ctx)
	questions, _ := json.Marshal(append([]participation.NewEventQuestion{}, n.Questions...)) // never null; strings and booleans always marshal
	var id int64
	if err := tx.GetContext(ctx, &id, `
		WITH e AS (
			INSERT INTO events (process_id, title, description, starts_at, ends_at, location, online_url, capacity,
			                    registration_closes_at, language, translations, created_by, created_at)
			SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM processes WHERE slug = $1
			RETURNING id),
		q AS (
			INSERT INTO event_questions (event_id, position, prompt, required)
			SELECT e.id, q.ordinality - 1, q.value->>'prompt', (q.value->>'required')::boolean
			FROM e, jsonb_array_elements($14::jsonb) WITH ORDINALITY q)
		SELECT id FROM e`,
		slug, n.Title, n.Description, n.StartsAt.UTC(), n.EndsAt.UTC(), n.Location, n.OnlineURL, n.Capacity,
		n.RegistrationClosesAt, n.Texts.Language, jsonText(n.Texts.Translations), me.ID, tx.now, string(questions)); err != nil {
		return nil, storeErr(err, "event")
	}
	e, err := findEvent(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	return e, tx.Commit()
}

// FindEvent returns an event with its questions and counts.
func (s *Store) FindEvent(ctx context.Context, id int64) (*participation.Event, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	e, err := findEvent(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	return e, tx.Commit()
}

// FindProcessEvents lists the events of the process of slug, first first.
func (s *Store) FindProcessEvents(ctx context.Context, slug string) ([]*participation.Event, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, `
		SELECT e.id FROM events e JOIN processes p ON p.id = e.process_id WHERE p.slug = $1 ORDER BY e.starts_at, e.id`, slug); err != nil {
		return nil, fmt.Errorf("find process events: %w", err)
	}
	list := make([]*participation.Event, 0, len(ids))
	for _, id := range ids {
		e, err := findEvent(ctx, tx, id, false)
		if err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	return list, tx.Commit()
}

// findEvent reads an event with its questions and counts. lock takes the
// event's row lock first (see lockEvent), for the writes that decide seats.
func findEvent(ctx context.Context, tx *Tx, id int64, lock bool) (*participation.Event, error) {
	if lock {
		if err := lockEvent(ctx, tx, id); err != nil {
			return nil, err
		}
	}
	var e participation.Event
	if err := tx.GetContext(ctx, &e, `
		SELECT e.id, e.process_id, p.slug AS process_slug, e.title, e.description, e.starts_at, e.ends_at, e.location,
		       e.online_url, e.capacity, e.registration_closes_at, e.answers_deleted_at, e.language, e.translations,
		       (SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered') AS registered,
		       (SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted
		FROM events e JOIN processes p ON p.id = e.process_id WHERE e.id = $1`, id); err != nil {
		return nil, storeErr(err, "event")
	}
	e.Questions = []participation.EventQuestion{}
	if err := tx.SelectContext(ctx, &e.Questions, `
		SELECT id, prompt, required FROM event_questions WHERE event_id = $1 ORDER BY position, id`, id); err != nil {
		return nil, fmt.Errorf("find event questions: %w", err)
	}
	e.StartsAt, e.EndsAt = e.StartsAt.UTC(), e.EndsAt.UTC()
	if e.RegistrationClosesAt != nil {
		t := e.RegistrationClosesAt.UTC()
		e.RegistrationClosesAt = &t
	}
	return &e, nil
}

// lockEvent takes the event's row lock until tx ends. Every write that
// decides who holds a seat (a registration, a confirmation, a cancel that
// moves someone up) takes it before it counts the seats, so that two of
// them cannot both see the last seat free: the second waits for the first
// to commit and then counts its registration. Counting alone (FOR SHARE, or
// no lock) would let both take it, and the capacity would be exceeded. The
// counts must be read after the lock is held, by a statement of its own, so
// that its snapshot sees the writes committed while it waited (READ
// COMMITTED takes a new snapshot for each statement).
func lockEvent(ctx context.Context, tx *Tx, id int64) error {
	var got int64
	if err := tx.GetContext(ctx, &got, `SELECT id FROM events WHERE id = $1 FOR UPDATE`, id); err != nil {
		return storeErr(err, "event")
	}
	return nil
}
