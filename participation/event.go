package participation

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Events: a meeting of a process (a step on its timeline, from its start
// to its end) that people register for. An official of the process adds
// it, with its place, an optional online link, a capacity (nil is
// unlimited), a registration deadline and questions to the registrants,
// each saying why it is asked; the answers are deleted a set time after the
// event (DefaultEventAnswerRetention).

// StepEvent is an event's kind among a process's steps.
const StepEvent = "event"

// RefEvent names an event as a thing of a process (ProcessRef).
const RefEvent = "event"

// Longest texts of an event, in characters.
const (
	EventTitleMax       = 200
	EventDescriptionMax = 10000
	EventLocationMax    = 500
	EventURLMax         = 2000
	EventQuestionsMax   = 20
	EventPromptMax      = 500
	EventAnswerMax      = 2000
	EventCapacityMax    = 100000
)

// DefaultEventAnswerRetention is how long after an event its registrants'
// answers are kept: long enough for the organiser to settle what followed
// (catering bills, accessibility feedback), and no longer.
const DefaultEventAnswerRetention = 30 * 24 * time.Hour

// eventTranslated are the fields of an event that translations may carry.
var eventTranslated = map[string]int{"title": EventTitleMax, "description": EventDescriptionMax}

// EventQuestion is a question asked of every registrant.
type EventQuestion struct {
	ID       int64  `json:"id" db:"id"`
	Prompt   string `json:"prompt" db:"prompt"`
	Required bool   `json:"required" db:"required"`
}

// Event is an event with its questions and its counts (never names).
type Event struct {
	ID                   int64           `json:"id" db:"id"`
	ProcessID            int64           `json:"process_id" db:"process_id"`
	ProcessSlug          string          `json:"process_slug" db:"process_slug"`
	Title                string          `json:"title" db:"title"`
	Description          string          `json:"description" db:"description"`
	StartsAt             time.Time       `json:"starts_at" db:"starts_at"`
	EndsAt               time.Time       `json:"ends_at" db:"ends_at"`
	Location             string          `json:"location" db:"location"`
	OnlineURL            *string         `json:"online_url" db:"online_url"`
	Capacity             *int            `json:"capacity" db:"capacity"`
	RegistrationClosesAt *time.Time      `json:"registration_closes_at" db:"registration_closes_at"`
	Questions            []EventQuestion `json:"questions" db:"-"`
	// Registered holds a seat; Waitlisted waits for one.
	Registered int `json:"registered" db:"registered"`
	Waitlisted int `json:"waitlisted" db:"waitlisted"`
	// AnswersDeletedAt is when the registrants' answers were deleted.
	AnswersDeletedAt *time.Time `json:"answers_deleted_at" db:"answers_deleted_at"`
	Translatable
}

// RegistrationDeadline is when registration closes: the deadline given,
// or the start.
func (e *Event) RegistrationDeadline() time.Time {
	if e.RegistrationClosesAt != nil && e.RegistrationClosesAt.Before(e.StartsAt) {
		return *e.RegistrationClosesAt
	}
	return e.StartsAt
}

// CheckRegistrationOpen is ECLOSED once the registration deadline or the
// start has passed.
func (e *Event) CheckRegistrationOpen(now time.Time) error {
	if !now.Before(e.RegistrationDeadline()) {
		return Errorf(ECLOSED, "Registration for this event has closed.")
	}
	return nil
}

// HasSeat reports whether one more registration gets a seat.
func (e *Event) HasSeat() bool { return e.Capacity == nil || e.Registered < *e.Capacity }

// Ended reports whether the event is over at now.
func (e *Event) Ended(now time.Time) bool { return !now.Before(e.EndsAt) }

// NewEventQuestion is a question as an official gives it.
type NewEventQuestion struct {
	Prompt   string `json:"prompt"`
	Required bool   `json:"required"`
}

// NewEvent is what an official gives to add an event to a process.
type NewEvent struct {
	Title                string             `json:"title"`
	Description          string             `json:"description"`
	StartsAt             *time.Time         `json:"starts_at"`
	EndsAt               *time.Time         `json:"ends_at"`
	Location             string             `json:"location"`
	OnlineURL            *string            `json:"online_url"`
	Capacity             *int               `json:"capacity"`
	RegistrationClosesAt *time.Time         `json:"registration_closes_at"`
	Questions            []NewEventQuestion `json:"questions"`
	TranslationInput
	// Texts are the language and translations that Validate accepted.
	Texts Translatable `json:"-"`
}

// Validate trims and checks n.
func (n *NewEvent) Validate() error {
	f := FieldErrors{}
	n.Title, n.Location = strings.TrimSpace(n.Title), strings.TrimSpace(n.Location)
	n.Description = strings.TrimSpace(n.Description)
	f.Text("title", n.Title, 1, EventTitleMax)
	f.Text("description", n.Description, 0, EventDescriptionMax)
	f.Text("location", n.Location, 1, EventLocationMax)
	switch {
	case n.StartsAt == nil:
		f.Add("starts_at", RuleRequired, 0)
	case n.EndsAt == nil:
		f.Add("ends_at", RuleRequired, 0)
	case !n.EndsAt.After(*n.StartsAt):
		f.Add("ends_at", RuleAfterOpen, 0)
	}
	n.OnlineURL = trimOptional(n.OnlineURL)
	if n.OnlineURL != nil && (len(*n.OnlineURL) > EventURLMax || !validWebAddress(*n.OnlineURL)) {
		f.Add("online_url", RuleFormat, 0)
	}
	if n.Capacity != nil && (*n.Capacity < 1 || *n.Capacity > EventCapacityMax) {
		f.Add("capacity", RuleFormat, 0)
	}
	if len(n.Questions) > EventQuestionsMax {
		f.Add("questions", RuleMaxChoices, EventQuestionsMax)
	}
	for i := range n.Questions {
		q := &n.Questions[i]
		q.Prompt = strings.TrimSpace(q.Prompt)
		f.Text("questions["+strconv.Itoa(i)+"].prompt", q.Prompt, 1, EventPromptMax)
	}
	n.Texts = n.Check(f, eventTranslated)
	return f.Err()
}

// EventService adds events to processes and takes registrations for them.
type EventService interface {
	// CreateEvent adds an event to the process of slug (its officials).
	CreateEvent(ctx context.Context, slug string, n NewEvent) (*Event, error)
	// FindEvent returns an event with its counts.
	FindEvent(ctx context.Context, id int64) (*Event, error)
	// FindProcessEvents lists a process's events, first first.
	FindProcessEvents(ctx context.Context, slug string) ([]*Event, error)
	RegistrationService
}
