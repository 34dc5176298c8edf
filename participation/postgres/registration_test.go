package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// TestDeleteEventAnswers registers two people with answers to an event,
// lets the clock run past it, and deletes the answers only once the
// retention after its end has passed: the registrations stay, the answers
// go, the event says when, and a second run deletes nothing.
// eventFixture is a store with a process, its official, an event of it and a citizen.
type eventFixture struct {
	s                 *postgres.Store
	clk               *clock
	e                 *participation.Event
	official, citizen context.Context
}

// newEventFixture makes an eventFixture whose event starts in starts and
// lasts three hours, with the questions.
func newEventFixture(t *testing.T, starts time.Duration, questions ...participation.NewEventQuestion) eventFixture {
	t.Helper()
	s, clk := newStore(t)
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	citizen, _ := mustAccount(t, s, "citizen@example.fi")
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "avoin", Title: "Avoin hallinto"}); err != nil {
		t.Fatal(err)
	}
	at := clk.t.Add(starts)
	ends := at.Add(3 * time.Hour)
	e, err := s.CreateEvent(official, "avoin", participation.NewEvent{Title: "Treffit", Location: "Mariankatu 9", StartsAt: &at, EndsAt: &ends, Questions: questions})
	if err != nil {
		t.Fatal(err)
	}
	return eventFixture{s: s, clk: clk, e: e, official: official, citizen: citizen}
}

func TestDeleteEventAnswers(t *testing.T) {
	f := newEventFixture(t, 48*time.Hour, participation.NewEventQuestion{Prompt: "Erityisruokavalio", Required: true})
	s, clk, e, citizen := f.s, f.clk, f.e, f.citizen
	ends := e.EndsAt
	q := e.Questions[0].ID
	if _, err := s.Register(citizen, e.ID, participation.NewRegistration{Answers: []participation.RegistrationAnswer{{QuestionID: q, Text: "Gluteeniton"}}}); err != nil {
		t.Fatal(err)
	}
	name, email := "Aino", "aino@example.fi"
	if _, err := s.Register(context.Background(), e.ID, participation.NewRegistration{Name: &name, Email: &email,
		Answers: []participation.RegistrationAnswer{{QuestionID: q, Text: "Vegaaninen"}}}); err != nil {
		t.Fatal(err)
	}
	count := func(t *testing.T) int {
		t.Helper()
		var n int
		if err := s.DB().Get(&n, `SELECT count(*) FROM registration_answers`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const retention = 30 * 24 * time.Hour
	purge := func(t *testing.T) participation.EventAnswerPurge {
		t.Helper()
		p, err := s.DeleteEventAnswers(context.Background(), retention)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("KeptUntilRetentionAfterEnd", func(t *testing.T) {
		clk.t = ends.Add(retention - time.Minute)
		if p := purge(t); len(p.Events) != 0 || p.Answers != 0 || count(t) != 2 {
			t.Fatalf("purged %+v, %d answers left", p, count(t))
		}
	})
	t.Run("DeletedAfter", func(t *testing.T) {
		clk.t = ends.Add(retention + time.Minute)
		if p := purge(t); len(p.Events) != 1 || p.Events[0] != e.ID || p.Answers != 2 || count(t) != 0 {
			t.Fatalf("purged %+v, %d answers left", p, count(t))
		}
		got, err := s.FindEvent(context.Background(), e.ID)
		if err != nil || got.AnswersDeletedAt == nil || got.Registered != 1 {
			t.Fatalf("event %+v (%v)", got, err)
		}
		if p := purge(t); len(p.Events) != 0 || p.Answers != 0 {
			t.Fatalf("second run purged %+v", p)
		}
	})
}

// TestSendEventReminders reminds the registrants with a seat of an event
// that starts within a day, once, and no one of an event further off.
func TestSendEventReminders(t *testing.T) {
	f := newEventFixture(t, 30*time.Hour)
	s, clk, e, citizen := f.s, f.clk, f.e, f.citizen
	starts := e.StartsAt
	if _, err := s.Register(citizen, e.ID, participation.NewRegistration{}); err != nil {
		t.Fatal(err)
	}
	reminders := func(t *testing.T) int {
		t.Helper()
		var n int
		if err := s.DB().Get(&n, `SELECT count(*) FROM outbox WHERE kind = 'event_reminder'`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		name         string
		at           time.Time
		events, msgs int
	}{
		{"TooEarly", starts.Add(-25 * time.Hour), 0, 0},
		{"DayBefore", starts.Add(-23 * time.Hour), 1, 1},
		{"Once", starts.Add(-22 * time.Hour), 0, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk.t = c.at
			n, err := s.SendEventReminders(context.Background())
			if err != nil || n != c.events || reminders(t) != c.msgs {
				t.Fatalf("reminded %d events (%v), %d messages; want %d, %d", n, err, reminders(t), c.events, c.msgs)
			}
		})
	}
}

// TestRegisterConcurrently: twelve people register at once for three seats;
// the event's lock lets exactly three have one, the rest wait.
func TestRegisterConcurrently(t *testing.T) {
	f := newEventFixture(t, 48*time.Hour)
	s, e := f.s, f.e
	if _, err := s.DB().Exec(`UPDATE events SET capacity = 3 WHERE id = $1`, e.ID); err != nil {
		t.Fatal(err)
	}
	const n = 12
	people := make([]context.Context, n)
	for i := range people {
		people[i], _ = mustAccount(t, s, fmt.Sprintf("person%d@example.fi", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, ctx := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Register(ctx, e.ID, participation.NewRegistration{}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, err := s.FindEvent(context.Background(), e.ID)
	if err != nil || got.Registered != 3 || got.Waitlisted != n-3 {
		t.Fatalf("event %d registered, %d waitlisted (%v); want 3, %d", got.Registered, got.Waitlisted, err, n-3)
	}
}

// TestMarkAttendance: the officials mark who came once the event has
// started, not before; a citizen may not; the door list shows it.
func TestMarkAttendance(t *testing.T) {
	f := newEventFixture(t, time.Hour)
	s, clk, e, citizen, official := f.s, f.clk, f.e, f.citizen, f.official
	r, err := s.Register(citizen, e.ID, participation.NewRegistration{})
	if err != nil {
		t.Fatal(err)
	}
	came := map[int64]bool{r.ID: true}
	t.Run("ErrClosed", func(t *testing.T) {
		if err := s.MarkAttendance(official, e.ID, came); participation.ErrorCode(err) != participation.ECLOSED {
			t.Fatalf("before the start: %v", err)
		}
	})
	clk.t = e.StartsAt.Add(time.Hour)
	t.Run("ErrForbidden", func(t *testing.T) {
		if err := s.MarkAttendance(citizen, e.ID, came); participation.ErrorCode(err) != participation.EFORBIDDEN {
			t.Fatalf("a citizen: %v", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if err := s.MarkAttendance(official, e.ID, came); err != nil {
			t.Fatal(err)
		}
		list, err := s.FindRegistrants(official, e.ID)
		if err != nil || len(list) != 1 || !list[0].Came() {
			t.Fatalf("registrants %+v (%v)", list, err)
		}
	})
}

// TestEraseAccountMovesUp: erasing an account that holds the last seat of
// an event gives the seat to the first waitlisted, who is told; the one
// behind stays waiting.
func TestEraseAccountMovesUp(t *testing.T) {
	f := newEventFixture(t, 48*time.Hour)
	s, e := f.s, f.e
	if _, err := s.DB().Exec(`UPDATE events SET capacity = 1 WHERE id = $1`, e.ID); err != nil {
		t.Fatal(err)
	}
	next, nextAccount := mustAccount(t, s, "next@example.fi")
	last, _ := mustAccount(t, s, "last@example.fi")
	for _, ctx := range []context.Context{f.citizen, next, last} {
		if _, err := s.Register(ctx, e.ID, participation.NewRegistration{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.EraseAccount(f.citizen); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindEvent(context.Background(), e.ID)
	if err != nil || got.Registered != 1 || got.Waitlisted != 1 {
		t.Fatalf("after erasing: %d registered, %d waitlisted (%v); want 1, 1", got.Registered, got.Waitlisted, err)
	}
	var status string
	if err := s.DB().Get(&status, `SELECT status FROM registrations WHERE account_id = $1`, nextAccount.ID); err != nil || status != participation.RegistrationRegistered {
		t.Fatalf("the first waitlisted is %q (%v)", status, err)
	}
	var told int
	if err := s.DB().Get(&told, `SELECT count(*) FROM outbox WHERE kind = $1 AND account_id = $2`,
		participation.MessageRegistrationMovedUp, nextAccount.ID); err != nil || told != 1 {
		t.Fatalf("%d moved-up messages (%v); want 1", told, err)
	}
}
