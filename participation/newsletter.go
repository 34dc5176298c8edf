package participation

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The newsletter: anyone subscribes by email (double opt-in) to a process
// or to the whole platform, and gets a digest of what happened there, built
// from the records of the period, monthly or weekly.

// Digest frequencies.
const (
	FrequencyMonthly = "monthly"
	FrequencyWeekly  = "weekly"
)

// Frequencies lists the frequencies in the order pages show them.
var Frequencies = []string{FrequencyMonthly, FrequencyWeekly}

// Message kinds of the newsletter, and what they are about.
const (
	// MessageSubscriptionConfirmation carries the link that confirms a
	// subscription: the only email before it is opened.
	MessageSubscriptionConfirmation = "subscription_confirmation"
	// MessageNewsletterDigest is one period's digest.
	MessageNewsletterDigest = "newsletter_digest"
	SubjectSubscription     = "subscription"
)

// NewSubscription is what a subscriber gives: an address, a process (its
// slug; empty for the whole platform), a language and a frequency.
type NewSubscription struct {
	Email     string `json:"email"`
	Process   string `json:"process"`
	Language  string `json:"language"`
	Frequency string `json:"frequency"`
}

// Normalize trims the address and fills the defaults: monthly.
func (n *NewSubscription) Normalize() {
	n.Email = NormalizeEmail(n.Email)
	n.Process = strings.TrimSpace(n.Process)
	if n.Frequency == "" {
		n.Frequency = FrequencyMonthly
	}
}

// Validate checks the subscription before it is written.
func (n *NewSubscription) Validate() error {
	f := FieldErrors{}
	ValidateEmail(f, "email", n.Email)
	if !slices.Contains(MessageLanguages, n.Language) {
		f.Add("language", RuleChoice, 0)
	}
	if !slices.Contains(Frequencies, n.Frequency) {
		f.Add("frequency", RuleChoice, 0)
	}
	if len(n.Process) > 200 {
		f.Add("process", RuleFormat, 0)
	}
	return f.Err()
}

// Subscription is one subscriber's subscription. Its address is never
// shown, not even to officials: only counted.
type Subscription struct {
	ID          int64      `json:"id" db:"id"`
	ProcessID   *int64     `json:"process_id" db:"process_id"`
	Title       string     `json:"title" db:"title"` // the process's, or empty for the platform
	Lang        string     `json:"language" db:"lang"`
	Frequency   string     `json:"frequency" db:"frequency"`
	CreatedAt   time.Time  `json:"created_at" db:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at" db:"confirmed_at"`
}

// Digest item kinds, in the order a digest tells them.
const (
	DigestStepOpened         = "step_opened"
	DigestStepClosed         = "step_closed"
	DigestResults            = "results"
	DigestCommitmentApproved = "commitment_approved"
	DigestMilestoneStatus    = "milestone_status"
)

// DigestKinds lists the item kinds in the order a digest tells them.
var DigestKinds = []string{DigestStepOpened, DigestStepClosed, DigestResults, DigestCommitmentApproved, DigestMilestoneStatus}

// DigestItem is one thing that happened in a digest's period: a step (of
// StepKind, with ID) that opened or closed or whose results came out, a
// commitment (ID) approved, or a milestone of one that changed status.
type DigestItem struct {
	Kind           string    `json:"kind" db:"kind"`
	StepKind       string    `json:"step_kind,omitempty" db:"step_kind"`
	ID             int64     `json:"id" db:"id"`
	Title          string    `json:"title" db:"title"`
	MilestoneID    int64     `json:"milestone_id,omitempty" db:"milestone_id"`
	MilestoneTitle string    `json:"milestone_title,omitempty" db:"milestone_title"`
	Status         string    `json:"status,omitempty" db:"status"`
	At             time.Time `json:"at" db:"at"`
}

// Digest is one period's news of a process (ProcessID) or of the platform.
type Digest struct {
	ProcessID   *int64       `json:"process_id"`
	Slug        string       `json:"process,omitempty"`
	Title       string       `json:"title,omitempty"`
	Frequency   string       `json:"frequency"`
	PeriodStart Date         `json:"period_start"`
	PeriodEnd   Date         `json:"period_end"` // the last day
	Intro       string       `json:"intro,omitempty"`
	Items       []DigestItem `json:"items"`
}

// SortDigestItems puts items in the digest's order: by kind, then by time,
// then by id.
func SortDigestItems(items []DigestItem) {
	slices.SortStableFunc(items, func(a, b DigestItem) int {
		if d := slices.Index(DigestKinds, a.Kind) - slices.Index(DigestKinds, b.Kind); d != 0 {
			return d
		}
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		if a.ID != b.ID {
			return int(a.ID - b.ID)
		}
		return int(a.MilestoneID - b.MilestoneID)
	})
}

// DigestPeriod is the period of the given frequency that holds t, in
// Helsinki time: its first moment and the first moment after it. A month
// starts on its first day, a week on Monday.
func DigestPeriod(frequency string, t time.Time) (start, end time.Time) {
	t = t.In(Helsinki)
	y, m, d := t.Date()
	if frequency == FrequencyWeekly {
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		start = time.Date(y, m, d-back, 0, 0, 0, 0, Helsinki)
		return start, start.AddDate(0, 0, 7)
	}
	start = time.Date(y, m, 1, 0, 0, 0, 0, Helsinki)
	return start, start.AddDate(0, 1, 0)
}

// LastDigestPeriod is the last whole period of the frequency before t:
// the one whose digest goes out once t's period has begun.
func LastDigestPeriod(frequency string, t time.Time) (start, end time.Time) {
	cur, _ := DigestPeriod(frequency, t)
	return DigestPeriod(frequency, cur.Add(-time.Hour))
}

// DigestRef names one digest: of a process (its slug) or of the platform
// (empty), of a frequency, and of the period that starts on PeriodStart
// (empty: the one running now).
type DigestRef struct {
	Process     string
	Frequency   string
	PeriodStart Date
}

// Validate checks the frequency and the period's start, which must begin
// a period of the frequency.
func (r *DigestRef) Validate() error {
	f := FieldErrors{}
	if r.Frequency == "" {
		r.Frequency = FrequencyMonthly
	}
	if !slices.Contains(Frequencies, r.Frequency) {
		f.Add("frequency", RuleChoice, 0)
	}
	if r.PeriodStart != "" {
		if !r.PeriodStart.Valid() {
			f.Add("period", RuleFormat, 0)
		} else if s, _ := DigestPeriod(r.Frequency, r.PeriodStart.Time()); DateOf(s) != r.PeriodStart {
			f.Add("period", RuleFormat, 0)
		}
	}
	return f.Err()
}

// UnconfirmedSubscriptionLifetime is how long a subscription waits for its
// confirmation: then the address asked for is deleted, with its waiting
// confirmation.
const UnconfirmedSubscriptionLifetime = 30 * 24 * time.Hour

// MaxDigestIntro is the longest introduction, in characters.
const MaxDigestIntro = 5000

// DigestPreview is a digest as its official sees it before it goes out:
// with how many confirmed subscribers it goes to, never who they are.
type DigestPreview struct {
	Digest
	Subscribers int `json:"subscribers"`
}

// NewsletterService runs the newsletter's subscriptions and digests.
type NewsletterService interface {
	// Subscribe writes an unconfirmed subscription and emails its
	// confirmation link; an address already subscribed gets nothing more,
	// and the answer is the same.
	Subscribe(ctx context.Context, n NewSubscription) error
	// ConfirmSubscription confirms a subscription with its link's token.
	ConfirmSubscription(ctx context.Context, token string) (*Subscription, error)
	// FindSubscription returns the subscription of an unsubscribe token.
	FindSubscription(ctx context.Context, token string) (*Subscription, error)
	// Unsubscribe deletes the subscription of an unsubscribe token.
	Unsubscribe(ctx context.Context, token string) error
	// PreviewDigest builds a digest as it stands (the process's officials;
	// admins for the platform's).
	PreviewDigest(ctx context.Context, ref DigestRef, lang string) (*DigestPreview, error)
	// SetDigestIntro writes the introduction of a digest not yet sent.
	SetDigestIntro(ctx context.Context, ref DigestRef, intro string) error
	// SendDigests queues the digests due now, each subscription's once a
	// period and never an empty one, and returns how many it queued. It
	// deletes the subscriptions left unconfirmed too long.
	SendDigests(ctx context.Context) (int, error)
}

// HideSubscriber blanks the address of a newsletter's message for lists
// that people read (the admins' outbox): a subscriber's address is shown
// to nobody. The sender reads it by its own way (ClaimDue).
func (m *Message) HideSubscriber() {
	if m.SubjectKind == SubjectSubscription {
		m.Email, m.Address = "", ""
	}
}
