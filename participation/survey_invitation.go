package participation

import (
	"slices"
	"strconv"
	"time"
)

// Invitation is a personal link to answer a survey, sent to one address:
// it answers once, without an account. Only a hash of its token is kept.
type Invitation struct {
	ID         int64      `json:"id" db:"id"`
	SurveyID   int64      `json:"survey_id" db:"survey_id"`
	Email      string     `json:"email" db:"email"`
	CreatedAt  time.Time  `json:"created_at" db:"created_at"`
	RemindedAt *time.Time `json:"reminded_at" db:"reminded_at"`
	AnsweredAt *time.Time `json:"answered_at" db:"answered_at"`
}

// InvitationsMax is the most addresses one request invites.
const InvitationsMax = 1000

// NewInvitations are the addresses an official invites, and the language
// their emails are written in (the survey's own unless given).
type NewInvitations struct {
	Emails []string `json:"emails"`
	Lang   *string  `json:"lang"`
}

// Validate normalises the addresses (each once) and checks them.
func (n *NewInvitations) Validate(surveyLang string) error {
	f := FieldErrors{}
	switch {
	case len(n.Emails) == 0:
		f.Add("emails", RuleRequired, 0)
	case len(n.Emails) > InvitationsMax:
		f.Add("emails", RuleMaxChoices, InvitationsMax)
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(n.Emails))
	for i, e := range n.Emails {
		e = NormalizeEmail(e)
		ValidateEmail(f, "emails["+strconv.Itoa(i)+"]", e)
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	n.Emails = out
	if n.Lang == nil {
		l := surveyLang
		if !slices.Contains(MessageLanguages, l) {
			l = "fi"
		}
		n.Lang = &l
	} else if !slices.Contains(MessageLanguages, *n.Lang) {
		f.Add("lang", RuleChoice, 0)
	}
	return f.Err()
}

// Invited says how an invitation request went: Invited addresses got a
// link; addresses invited before are not invited again.
type Invited struct {
	Invited        int `json:"invited"`
	AlreadyInvited int `json:"already_invited"`
}

// SurveyProgress is how answering goes, for the official running it.
type SurveyProgress struct {
	SurveyID  int64  `json:"survey_id" db:"-"`
	Status    string `json:"status" db:"-"`
	Responses int    `json:"responses" db:"-"`   // submitted
	Drafts    int    `json:"drafts" db:"drafts"` // saved, not yet submitted
	// PerDay counts submissions per day (Helsinki time), oldest first,
	// days without any left out.
	PerDay          []DayCount `json:"per_day" db:"-"`
	Invited         int        `json:"invited" db:"invited"`
	InvitedAnswered int        `json:"invited_answered" db:"invited_answered"`
	LastReminderAt  *time.Time `json:"last_reminder_at" db:"last_reminder_at"`
}

// DayCount is a count on one day.
type DayCount struct {
	Date  Date `json:"date" db:"date"`
	Count int  `json:"count" db:"count"`
}
