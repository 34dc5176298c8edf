package participation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Message channels: shown in the app, or sent by email.
const (
	ChannelInApp = "in_app"
	ChannelEmail = "email"
)

// MessageChannels lists the channels in the order pages show them.
var MessageChannels = []string{ChannelInApp, ChannelEmail}

// Message kinds: what happened. Each has its subject kind, its parameters
// and its text in every message language (see messageKinds).
const (
	MessageCommitmentApproved = "commitment_approved"
	MessageMilestoneStatus    = "milestone_status"
	// MessageWelcome tells a new account that it is ready to sign in with.
	MessageWelcome = "welcome"
	// MessageAccountExists tells an account's owner that someone tried to
	// create an account with its address.
	MessageAccountExists = "account_exists"
	// MessageSurveyInvitation is a survey invitation's personal link.
	MessageSurveyInvitation = "survey_invitation"
	// MessageSurveyReminder reminds an invitation not yet answered.
	MessageSurveyReminder = "survey_reminder"
)

// MessageKinds lists the kinds in the order pages show them.
var MessageKinds = []string{MessageCommitmentApproved, MessageMilestoneStatus, MessageWelcome, MessageAccountExists, MessageSurveyInvitation, MessageSurveyReminder}

// Subject kinds: what a message is about, and so where its link leads.
const (
	SubjectCommitment = "commitment"
	SubjectAccount    = "account"
	SubjectSurvey     = "survey"
)

// AccountExistsInterval is how seldom an account is told that someone tried
// to sign up with its address: once in this time at most, so that sign-ups
// with its address cannot fill its inbox.
const AccountExistsInterval = time.Hour

// MessageLanguages are the languages messages are written in.
var MessageLanguages = []string{"fi", "sv", "en"}

// Message states. An email waits (also between retries) until it is sent or
// given up; an in-app message is unread until read.
const (
	MessageWaiting = "waiting"
	MessageSent    = "sent"
	MessageFailed  = "failed"
	MessageUnread  = "unread"
	MessageRead    = "read"
)

// MessageStates lists the states in the order pages show them.
var MessageStates = []string{MessageWaiting, MessageSent, MessageFailed, MessageUnread, MessageRead}

// OutboxLease is how long a claimed email stays with the sender that
// claimed it. A sender that dies mid-way leaves it due again after this,
// and another sends it: delivery is at least once, never lost.
const OutboxLease = 10 * time.Minute

// Message is one thing the platform tells one person: in the app or by
// email, to an account or to an address without one. It keeps what its
// text needs as it was when written, and is rendered in its Lang.
type Message struct {
	ID int64 `json:"id" db:"id"`
	// AccountID is the recipient with an account; Email the address of one
	// without. Exactly one is set.
	AccountID *int64 `json:"account_id" db:"account_id"`
	Email     string `json:"email,omitempty" db:"email"`
	// Address is where an email goes: Email, or the account's address as
	// it is now (empty once the account is erased). Read, never written.
	Address     string        `json:"-" db:"address"`
	Channel     string        `json:"channel" db:"channel"`
	Kind        string        `json:"kind" db:"kind"`
	SubjectKind string        `json:"subject_kind" db:"subject_kind"`
	SubjectID   int64         `json:"subject_id" db:"subject_id"`
	Params      MessageParams `json:"params" db:"-"`
	// Lang is the recipient's language when the message was written. Left
	// empty for an account, the store takes the account's.
	Lang      string     `json:"lang" db:"lang"`
	CreatedAt time.Time  `json:"created_at" db:"created_at"`
	ReadAt    *time.Time `json:"read_at" db:"read_at"`
	// Email delivery.
	Attempts      int        `json:"-" db:"attempts"`
	NextAttemptAt *time.Time `json:"-" db:"next_attempt_at"`
	SentAt        *time.Time `json:"-" db:"sent_at"`
	LastError     string     `json:"-" db:"last_error"`
	FailedAt      *time.Time `json:"-" db:"failed_at"`
}

// MessageParams are what a message's text needs, kept as they were when it
// was written: a title changed later does not change what was said.
type MessageParams struct {
	Title          string `json:"title,omitempty"` // the subject's title
	MilestoneID    int64  `json:"milestone_id,omitempty"`
	MilestoneTitle string `json:"milestone_title,omitempty"`
	Status         string `json:"status,omitempty"` // a milestone's new status
	// OrganisationName is the organisation a message concerns: the one
	// invited to give a statement, or joined.
	OrganisationName string `json:"organisation_name,omitempty"`
	// Deadline is a statement request's deadline.
	Deadline *time.Time `json:"deadline,omitempty"`
	// Token is an invitation's token, for the personal link of an
	// invitation or reminder: the email is the only place it is sent.
	Token string `json:"token,omitempty"`
	// Digest is a newsletter's digest, as it was built.
	Digest *Digest `json:"digest,omitempty"`
	// Event is the event a registration's message is about.
	Event *EventMessage `json:"event,omitempty"`
}

// Normalize trims and lower-cases the address.
func (m *Message) Normalize() {
	if m.Email != "" {
		m.Email = NormalizeEmail(m.Email)
	}
}

// Validate checks a message before it is written.
func (m *Message) Validate() error {
	f := FieldErrors{}
	if !slices.Contains(MessageChannels, m.Channel) {
		f.Add("channel", RuleChoice, 0)
	}
	switch {
	case m.AccountID == nil && m.Email == "":
		f.Add("recipient", RuleRequired, 0)
	case m.AccountID != nil && m.Email != "":
		f.Add("recipient", RuleChoice, 0)
	case m.AccountID != nil && *m.AccountID < 1:
		f.Add("account_id", RuleFormat, 0)
	case m.Email != "":
		ValidateEmail(f, "email", m.Email)
		if m.Channel == ChannelInApp { // only an account has the app
			f.Add("channel", RuleChoice, 0)
		}
	}
	if k, ok := messageKinds[m.Kind]; !ok {
		f.Add("kind", RuleChoice, 0)
	} else {
		if m.SubjectKind != k.subject {
			f.Add("subject_kind", RuleChoice, 0)
		}
		k.check(f, m.Params)
	}
	if m.SubjectID < 1 {
		f.Add("subject_id", RuleRequired, 0)
	}
	if m.Lang == "" && m.AccountID == nil {
		f.Add("lang", RuleRequired, 0)
	} else if m.Lang != "" && !slices.Contains(MessageLanguages, m.Lang) {
		f.Add("lang", RuleChoice, 0)
	}
	return f.Err()
}

// OptIn reports whether the message is an email that an account gets only
// when it has asked for email (MessageSettings.EmailNotifications): the news
// of what it follows. Other emails (an invitation, a confirmation) go to
// the address they are for.
func (m *Message) OptIn() bool {
	return m.Channel == ChannelEmail && m.AccountID != nil && messageKinds[m.Kind].optIn
}

// State says where the message is: an email waiting, sent or failed; an
// in-app message unread or read.
func (m *Message) State() string {
	switch {
	case m.Channel == ChannelInApp && m.ReadAt != nil:
		return MessageRead
	case m.Channel == ChannelInApp:
		return MessageUnread
	case m.SentAt != nil:
		return MessageSent
	case m.FailedAt != nil:
		return MessageFailed
	}
	return MessageWaiting
}

// ToAccounts returns m addressed to each account (each once), in the app
// and by email; the store writes the emails of an opt-in kind only for the
// accounts that asked for them. Lang is left to each account's.
func (m Message) ToAccounts(ids []int64) []Message {
	out := make([]Message, 0, 2*len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		for _, ch := range MessageChannels {
			c := m
			c.AccountID, c.Email, c.Channel, c.Lang = &id, "", ch, ""
			out = append(out, c)
		}
	}
	return out
}

// MessageText is a message as its recipient reads it.
type MessageText struct {
	Lang    string
	Subject string // one line
	Body    string // plain text; paragraphs separated by a blank line
	// Attachments go with an email (an event's calendar file).
	Attachments []MessageAttachment
}

// MessageAttachment is a file an email carries.
type MessageAttachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Render writes the message in its language. link, when not empty, is
// where to read more (the server knows addresses; the domain does not).
// An email of an opt-in kind also says how to stop such emails.
func (m *Message) Render(link string) (MessageText, error) {
	k, ok := messageKinds[m.Kind]
	if !ok {
		return MessageText{}, fmt.Errorf("render message %d: unknown kind %q", m.ID, m.Kind)
	}
	text, ok := k.text[m.Lang]
	common, ok2 := messageCommon[m.Lang]
	if !ok || !ok2 {
		return MessageText{}, fmt.Errorf("render message %d: no %s text in %q", m.ID, m.Kind, m.Lang)
	}
	p := m.Params
	p.Title, p.MilestoneTitle, p.OrganisationName = oneLine(p.Title), oneLine(p.MilestoneTitle), oneLine(p.OrganisationName)
	subject, body := text(p, milestoneStatusNames[m.Lang][p.Status])
	paragraphs := []string{body}
	if link != "" {
		lead := common.readMore
		if l, ok := k.linkLead[m.Lang]; ok {
			lead = l
		}
		paragraphs = append(paragraphs, lead+" "+link)
	}
	if m.OptIn() {
		paragraphs = append(paragraphs, common.optOut)
	}
	out := MessageText{Lang: m.Lang, Subject: oneLine(subject), Body: strings.Join(paragraphs, "\n\n")}
	if k.attach != nil {
		out.Attachments = k.attach(m)
	}
	return out, nil
}

// oneLine folds every run of white space, line breaks included, into one
// space: a title is quoted inside a line and a subject is a header.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// messageKind is the rule and the text of one kind of message.
type messageKind struct {
	subject string // the subject kind
	optIn   bool   // emails to accounts only when asked for
	check   func(f FieldErrors, p MessageParams)
	// text writes the subject line and the body in one language from the
	// parameters (titles folded to one line) and the status's name.
	text map[string]func(p MessageParams, status string) (subject, body string)
	// linkLead, by language, introduces the link instead of "Read more:".
	linkLead map[string]string
	// attach, when set, makes the files the email carries.
	attach func(m *Message) []MessageAttachment
}

var messageKinds = map[string]messageKind{
	MessageCommitmentApproved: {
		subject: SubjectCommitment,
		optIn:   true,
		check:   func(f FieldErrors, p MessageParams) { f.Text("title", p.Title, 1, 1000) },
		text: map[string]func(MessageParams, string) (string, string){
			"fi": func(p MessageParams, _ string) (string, string) {
				return "Sitoumus on hyväksytty: " + p.Title,
					"Sitoumus ”" + p.Title + "” on hyväksytty. Saat tämän viestin, koska seuraat sitoumusta tai ideaa, josta se syntyi."
			},
			"sv": func(p MessageParams, _ string) (string, string) {
				return "Åtagandet har godkänts: " + p.Title,
					"Åtagandet ”" + p.Title + "” har godkänts. Du får det här meddelandet eftersom du följer åtagandet eller en idé som det bygger på."
			},
			"en": func(p MessageParams, _ string) (string, string) {
				return "Commitment approved: " + p.Title,
					"The commitment “" + p.Title + "” has been approved. You get this message because you follow the commitment or an idea it came from."
			},
		},
	},
	MessageMilestoneStatus: {
		subject: SubjectCommitment,
		optIn:   true,
		check: func(f FieldErrors, p MessageParams) {
			f.Text("title", p.Title, 1, 1000)
			f.Text("milestone_title", p.MilestoneTitle, 1, 1000)
			if p.MilestoneID < 1 {
				f.Add("milestone_id", RuleRequired, 0)
			}
			if !slices.Contains(MilestoneStatuses, p.Status) {
				f.Add("status", RuleChoice, 0)
			}
		},
		text: map[string]func(MessageParams, string) (string, string){
			"fi": func(p MessageParams, status string) (string, string) {
				return "Välitavoitteen tila: " + p.MilestoneTitle + " – " + status,
					"Sitoumuksen ”" + p.Title + "” välitavoitteen ”" + p.MilestoneTitle + "” tila on nyt: " + status + "."
			},
			"sv": func(p MessageParams, status string) (string, string) {
				return "Delmålets läge: " + p.MilestoneTitle + " – " + status,
					"Läget för delmålet ”" + p.MilestoneTitle + "” i åtagandet ”" + p.Title + "” är nu: " + status + "."
			},
			"en": func(p MessageParams, status string) (string, string) {
				return "Milestone status: " + p.MilestoneTitle + " – " + status,
					"The milestone “" + p.MilestoneTitle + "” of the commitment “" + p.Title + "” is now: " + status + "."
			},
		},
	},
	MessageWelcome: accountKind(signInLead, map[string][2]string{
		"fi": {"Tilisi Osallistu-palvelussa on valmis",
			"Tilisi Osallistu-palvelussa on luotu, ja voit nyt kirjautua sisään sähköpostiosoitteellasi ja valitsemallasi salasanalla.\n\nJos et luonut tiliä itse, joku muu on antanut osoitteesi: kerro siitä palvelun ylläpidolle."},
		"sv": {"Ditt konto i Osallistu är klart",
			"Ditt konto i tjänsten Osallistu har skapats, och du kan nu logga in med din e-postadress och det lösenord du valde.\n\nOm du inte skapade kontot själv har någon annan angett din adress: meddela tjänstens administratörer."},
		"en": {"Your Osallistu account is ready",
			"Your account on Osallistu has been created, and you can now sign in with your email address and the password you chose.\n\nIf you did not create the account yourself, someone else gave your address: tell the service's administrators."},
	}),
	MessageAccountExists: accountKind(signInLead, map[string][2]string{
		"fi": {"Joku yritti luoda tilin osoitteellasi",
			"Joku yritti juuri luoda Osallistu-palveluun uuden tilin tällä sähköpostiosoitteella, mutta osoitteella on jo tili.\n\nJos se olit sinä, kirjaudu sisään olemassa olevalla tililläsi. Jos et muista salasanaasi, pyydä apua palvelun ylläpidolta. Jos et yrittänyt luoda tiliä, voit jättää tämän viestin huomiotta."},
		"sv": {"Någon försökte skapa ett konto med din adress",
			"Någon försökte nyss skapa ett nytt konto i tjänsten Osallistu med den här e-postadressen, men adressen har redan ett konto.\n\nOm det var du, logga in med ditt befintliga konto. Om du inte minns ditt lösenord, be tjänstens administratörer om hjälp. Om du inte försökte skapa ett konto kan du bortse från det här meddelandet."},
		"en": {"Someone tried to create an account with your address",
			"Someone just tried to create a new account on Osallistu with this email address, but the address already has an account.\n\nIf it was you, sign in with your existing account. If you do not remember your password, ask the service's administrators for help. If you did not try to create an account, you can ignore this message."},
	}),
	MessageSurveyInvitation: {
		subject:  SubjectSurvey,
		check:    checkSurveyMessage,
		linkLead: surveyLinkText,
		text: map[string]func(MessageParams, string) (string, string){
			"fi": func(p MessageParams, _ string) (string, string) {
				return "Kutsu kyselyyn: " + p.Title,
					"Sinut on kutsuttu vastaamaan kyselyyn ”" + p.Title + "”.\n\nLinkki on henkilökohtainen: sillä voi vastata kerran, eikä vastaamiseen tarvita tiliä. Voit tallentaa vastauksesi kesken ja jatkaa myöhemmin samalla linkillä."
			},
			"sv": func(p MessageParams, _ string) (string, string) {
				return "Inbjudan till enkäten: " + p.Title,
					"Du har bjudits in att svara på enkäten ”" + p.Title + "”.\n\nLänken är personlig: den ger ett svar, och du behöver inget konto för att svara. Du kan spara ditt svar och fortsätta senare med samma länk."
			},
			"en": func(p MessageParams, _ string) (string, string) {
				return "Invitation to the survey: " + p.Title,
					"You are invited to answer the survey “" + p.Title + "”.\n\nThe link is personal: it gives one response, and you need no account to answer. You can save your answers and come back to them later with the same link."
			},
		},
	},
	MessageSurveyReminder: {
		subject:  SubjectSurvey,
		check:    checkSurveyMessage,
		linkLead: surveyLinkText,
		text: map[string]func(MessageParams, string) (string, string){
			"fi": func(p MessageParams, _ string) (string, string) {
				return "Muistutus: kysely ”" + p.Title + "” odottaa vastaustasi",
					"Sinut kutsuttiin vastaamaan kyselyyn ”" + p.Title + "”, mutta emme ole vielä saaneet vastaustasi.\n\nKysely on yhä auki."
			},
			"sv": func(p MessageParams, _ string) (string, string) {
				return "Påminnelse: enkäten ”" + p.Title + "” väntar på ditt svar",
					"Du bjöds in att svara på enkäten ”" + p.Title + "”, men vi har ännu inte fått ditt svar.\n\nEnkäten är fortfarande öppen."
			},
			"en": func(p MessageParams, _ string) (string, string) {
				return "Reminder: the survey “" + p.Title + "” awaits your answers",
					"You were invited to answer the survey “" + p.Title + "”, but we have not had your response yet.\n\nThe survey is still open."
			},
		},
	},
}

// checkSurveyMessage checks an invitation's or reminder's parameters: the
// survey's title and the token of the personal link.
func checkSurveyMessage(f FieldErrors, p MessageParams) {
	f.Text("title", p.Title, 1, 1000)
	if p.Token == "" {
		f.Add("token", RuleRequired, 0)
	}
}

// surveyLinkText leads the personal link of a survey invitation.
var surveyLinkText = map[string]string{
	"fi": "Vastaa kyselyyn tästä:",
	"sv": "Svara på enkäten här:",
	"en": "Answer the survey here:",
}

// accountKind is the rule of a message about the account itself: no
// parameters, the same words whoever it goes to.
func accountKind(linkLead map[string]string, text map[string][2]string) messageKind {
	k := messageKind{subject: SubjectAccount, check: func(FieldErrors, MessageParams) {}, linkLead: linkLead,
		text: map[string]func(MessageParams, string) (string, string){}}
	for lang, t := range text {
		k.text[lang] = func(MessageParams, string) (string, string) { return t[0], t[1] }
	}
	return k
}

// signInLead introduces the link to the sign-in page.
var signInLead = map[string]string{"fi": "Kirjaudu sisään:", "sv": "Logga in:", "en": "Sign in:"}

// messageCommon are the parts every message shares, by language.
var messageCommon = map[string]struct{ readMore, optOut string }{
	"fi": {"Lue lisää:", "Saat nämä viestit sähköpostiisi, koska olet pyytänyt niitä. Voit lopettaa ne tilisi asetuksista."},
	"sv": {"Läs mer:", "Du får de här meddelandena per e-post eftersom du har bett om dem. Du kan stänga av dem i inställningarna för ditt konto."},
	"en": {"Read more:", "You get these messages by email because you asked for them. You can turn them off in your account settings."},
}

// milestoneStatusNames are the traffic light's words, as the pages say them.
var milestoneStatusNames = map[string]map[string]string{
	"fi": {MilestoneNotStarted: "Ei käynnistetty", MilestoneLate: "Myöhässä", MilestoneOnTrack: "Etenee suunnitellusti", MilestoneDone: "Valmis"},
	"sv": {MilestoneNotStarted: "Inte påbörjat", MilestoneLate: "Försenat", MilestoneOnTrack: "Framskrider enligt plan", MilestoneDone: "Klart"},
	"en": {MilestoneNotStarted: "Not started", MilestoneLate: "Late", MilestoneOnTrack: "On track", MilestoneDone: "Done"},
}

// MessageFilter selects messages for the admin's outbox page.
type MessageFilter struct {
	State   string // one of MessageStates, or "" for any
	Channel string // one of MessageChannels, or "" for any
	Limit   int
	Offset  int
}

// Validate checks the filter's choices.
func (f *MessageFilter) Validate() error {
	errs := FieldErrors{}
	if f.State != "" && !slices.Contains(MessageStates, f.State) {
		errs.Add("state", RuleChoice, 0)
	}
	if f.Channel != "" && !slices.Contains(MessageChannels, f.Channel) {
		errs.Add("channel", RuleChoice, 0)
	}
	return errs.Err()
}

// MessageSettingsUpdate changes some of an account's message settings: the
// fields left nil stay as they are.
type MessageSettingsUpdate struct {
	EmailNotifications *bool   `json:"email_notifications"`
	Lang               *string `json:"lang"`
}

// Validate checks the language, when one is given.
func (u *MessageSettingsUpdate) Validate() error {
	if u.Lang == nil {
		return nil
	}
	return (&MessageSettings{Lang: *u.Lang}).Validate()
}

// InAppFilter selects the signed-in account's in-app messages.
type InAppFilter struct {
	UnreadOnly bool
	Limit      int
	Offset     int
}

// MessageSettings are an account's choices about its messages.
type MessageSettings struct {
	// Lang is the language messages are written in for the account.
	Lang string `json:"lang" db:"lang"`
	// EmailNotifications asks for the news of what the account follows by
	// email as well as in the app ("email me when something I follow moves").
	EmailNotifications bool `json:"email_notifications" db:"email_notifications"`
}

// Validate checks the settings' language.
func (s *MessageSettings) Validate() error {
	f := FieldErrors{}
	if !slices.Contains(MessageLanguages, s.Lang) {
		f.Add("lang", RuleChoice, 0)
	}
	return f.Err()
}

// OutboxService keeps every message the platform sends: it writes them,
// hands the due emails to the sender and records how delivery went, and
// lists them for their recipients and for admins.
type OutboxService interface {
	// Enqueue writes messages in a transaction of their own. Changes that
	// cause messages write them in their own transaction instead.
	Enqueue(ctx context.Context, msgs ...Message) error
	// ClaimDue hands up to limit due emails to the calling sender for
	// OutboxLease, counting the attempt; other senders skip them.
	ClaimDue(ctx context.Context, limit int) ([]*Message, error)
	// MarkSent records that the SMTP server accepted an email.
	MarkSent(ctx context.Context, id int64) error
	// MarkFailed records a failed attempt: tried again retryIn from now,
	// or, when retryIn is not positive, given up.
	MarkFailed(ctx context.Context, id int64, reason string, retryIn time.Duration) error
	// FindMessages lists messages, newest first (admins).
	FindMessages(ctx context.Context, f MessageFilter) ([]*Message, int, error)
	// FindMessage returns one message (admins).
	FindMessage(ctx context.Context, id int64) (*Message, error)
	// FindInAppMessages lists the signed-in account's in-app messages, newest first.
	FindInAppMessages(ctx context.Context, f InAppFilter) ([]*Message, int, error)
	// MarkRead marks the signed-in account's given in-app messages (none:
	// all) read and returns how many stay unread; an id below 1 is EINVALID.
	MarkRead(ctx context.Context, ids []int64) (int, error)
	// CountUnread counts the signed-in account's unread in-app messages (0 when signed out).
	CountUnread(ctx context.Context) (int, error)
	// FindMessageSettings returns the signed-in account's message settings.
	FindMessageSettings(ctx context.Context) (*MessageSettings, error)
	// SetEmailNotifications turns the signed-in account's emails of what it follows on or off.
	SetEmailNotifications(ctx context.Context, on bool) error
	// SetMessageLanguage sets the language of the signed-in account's messages.
	SetMessageLanguage(ctx context.Context, lang string) error
}
