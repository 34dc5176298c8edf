package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
)

// TestDeleteEventAnswers registers two people with answers to an event,
// lets the clock run past it, and deletes the answers only once the
// retention after its end has passed: the registrations stay, the answers
// go, the event says when, and a second run deletes nothing.
func TestDeleteEventAnswers(t *testing.T) {
	s, clk := newStore(t)
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	citizen, _ := mustAccount(t, s, "citizen@example.fi")
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "avoin", Title: "Avoin hallinto"}); err != nil {
		t.Fatal(err)
	}
	starts := clk.t.Add(48 * time.Hour)
	ends := starts.Add(3 * time.Hour)
	e, err := s.CreateEvent(official, "avoin", participation.NewEvent{Title: "Treffit", Location: "Mariankatu 9", StartsAt: &starts, EndsAt: &ends,
		Questions: []participation.NewEventQuestion{{Prompt: "Erityisruokavalio", Required: true}}})
	if err != nil {
		t.Fatal(err)
	}
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
	s, clk := newStore(t)
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	citizen, _ := mustAccount(t, s, "citizen@example.fi")
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "avoin", Title: "Avoin hallinto"}); err != nil {
		t.Fatal(err)
	}
	starts := clk.t.Add(30 * time.Hour)
	ends := starts.Add(3 * time.Hour)
	e, err := s.CreateEvent(official, "avoin", participation.NewEvent{Title: "Treffit", Location: "Mariankatu 9", StartsAt: &starts, EndsAt: &ends})
	if err != nil {
		t.Fatal(err)
	}
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
