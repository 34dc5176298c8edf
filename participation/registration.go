package participation

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Registrations for events. A signed-in person registers as their account;
// anyone else gives a name and an email and stays unconfirmed, holding no
// seat, until they open the link emailed to them. A full event puts
// newcomers on its waiting list, and a cancellation moves the first of them
// up. An account and an emailed registration of the same address are the
// same person: one live registration each per event.

// Registration statuses.
const (
	RegistrationUnconfirmed = "unconfirmed"
	RegistrationRegistered  = "registered"
	RegistrationWaitlisted  = "waitlisted"
	RegistrationCancelled   = "cancelled"
)

// RegistrationNameMax is the longest name a registrant gives.
const RegistrationNameMax = 200

// Registration is one person's registration, as its registrant sees it.
// CancelToken is given once, when it is made.
type Registration struct {
	ID           int64     `json:"id" db:"id"`
	EventID      int64     `json:"event_id" db:"event_id"`
	Status       string    `json:"status" db:"status"`
	CancelToken  *string   `json:"cancel_token" db:"-"`
	RegisteredAt time.Time `json:"registered_at" db:"created_at"`
	AccountID    *int64    `json:"-" db:"account_id"`
}

// RegistrationAnswer is a registrant's answer to one question.
type RegistrationAnswer struct {
	QuestionID int64  `json:"question_id" db:"question_id"`
	Text       string `json:"text" db:"text"`
}

// NewRegistration is what a registrant gives: a name and an email unless
// signed in, and answers to the event's questions.
type NewRegistration struct {
	Name    *string              `json:"name"`
	Email   *string              `json:"email"`
	Answers []RegistrationAnswer `json:"answers"`
	// Lang is the language the registrant's emails are written in: the
	// language they registered in (the server's to set).
	Lang string `json:"-"`
}

// Validate checks n against the event's questions: a name and a valid
// email without an account, an answer to every required question, none
// to a question the event does not ask, each within its length. Blank
// answers are dropped.
func (n *NewRegistration) Validate(e *Event, signedIn bool) error {
	f := FieldErrors{}
	if !signedIn {
		name, email := "", ""
		if n.Name != nil {
			name = strings.TrimSpace(*n.Name)
		}
		if n.Email != nil {
			email = NormalizeEmail(*n.Email)
		}
		n.Name, n.Email = &name, &email
		f.Text("name", name, 1, RegistrationNameMax)
		ValidateEmail(f, "email", email)
	}
	given := map[int64]string{}
	for _, a := range n.Answers {
		a.Text = strings.TrimSpace(a.Text)
		if _, dup := given[a.QuestionID]; dup {
			f.Add("answers", RuleDuplicate, 0)
		}
		given[a.QuestionID] = a.Text
	}
	answers := []RegistrationAnswer{}
	asked := map[int64]bool{}
	for _, q := range e.Questions {
		asked[q.ID] = true
		field := "answers." + strconv.FormatInt(q.ID, 10)
		text := given[q.ID]
		if q.Required {
			f.Text(field, text, 1, EventAnswerMax)
		} else {
			f.Text(field, text, 0, EventAnswerMax)
		}
		if text != "" {
			answers = append(answers, RegistrationAnswer{QuestionID: q.ID, Text: text})
		}
	}
	for id := range given {
		if !asked[id] {
			f.Add("answers", RuleChoice, 0)
		}
	}
	n.Answers = answers
	if n.Lang == "" {
		n.Lang = "fi"
	}
	return f.Err()
}

// SeatStatus is the status a registration that counts gets now: a seat
// while one is free, else the waiting list.
func SeatStatus(e *Event) string {
	if e.HasSeat() {
		return RegistrationRegistered
	}
	return RegistrationWaitlisted
}

// Registrant is one registration as the event's officials see it: the door
// list, with the answers by question id.
type Registrant struct {
	ID           int64            `json:"id" db:"id"`
	Name         string           `json:"name" db:"name"`
	Email        string           `json:"email" db:"email"`
	Status       string           `json:"status" db:"status"`
	RegisteredAt time.Time        `json:"registered_at" db:"created_at"`
	Attended     *bool            `json:"attended" db:"attended"`
	Answers      map[int64]string `json:"answers" db:"-"`
}

// Came reports whether the registrant was marked as having come.
func (r *Registrant) Came() bool { return r.Attended != nil && *r.Attended }

// EventAnswerPurge says what one run of the answer deletion deleted.
type EventAnswerPurge struct {
	Events  []int64 // the events whose answers went
	Answers int64   // how many answers
}

// RegistrationService takes registrations, and gives their officials the
// door list.
type RegistrationService interface {
	// Register registers the signed-in account, or a name and email, for
	// the event.
	Register(ctx context.Context, eventID int64, n NewRegistration) (*Registration, error)
	// ConfirmRegistration counts an unconfirmed registration whose emailed
	// link's token is given: registered, or waitlisted if full by then.
	ConfirmRegistration(ctx context.Context, id int64, token string) (*Registration, error)
	// FindRegistration returns a registration to whoever holds its cancel
	// or confirmation token, or to its account.
	FindRegistration(ctx context.Context, id int64, token string) (*Registration, error)
	// CancelRegistration cancels a registration (its account, or whoever
	// holds its token); the first waitlisted moves up and is told.
	CancelRegistration(ctx context.Context, id int64, token string) error
	// FindRegistrants lists an event's registrations but the cancelled,
	// first first (its officials).
	FindRegistrants(ctx context.Context, eventID int64) ([]*Registrant, error)
	// MarkAttendance records who came (its officials, once it has started).
	MarkAttendance(ctx context.Context, eventID int64, attended map[int64]bool) error
	// SendEventReminders writes the reminders of the events that start
	// within a day, once per event, and returns how many events it reminded.
	SendEventReminders(ctx context.Context) (int, error)
	// DeleteEventAnswers deletes the answers of events that ended more
	// than retention ago.
	DeleteEventAnswers(ctx context.Context, retention time.Duration) (EventAnswerPurge, error)
}
