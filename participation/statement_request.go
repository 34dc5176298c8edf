package participation

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// StatementRequestDraft is the status of a statement request before it is
// published: only officials see it. Published, it is StatusOpen until its
// deadline and StatusClosed after it.
const StatementRequestDraft = "draft"

// StatementRequestStatuses lists the statuses in the order pages show them.
var StatementRequestStatuses = []string{StatementRequestDraft, StatusOpen, StatusClosed}

// ReminderLead is how long before a statement request's deadline the
// invited organisations that have not answered are reminded.
const ReminderLead = 72 * time.Hour

// Length limits of statement requests, in characters.
const (
	StatementRequestTitleMax = 300
	BackgroundMax            = 50000
	ContactPersonMax         = 500
	QuestionPromptMax        = 5000
	QuestionResponseMax      = 20000
	// MaxQuestions is the most questions a request asks.
	MaxQuestions = 100
	// MaxInvited is the most organisations, and the most addresses, a
	// request's distribution list holds.
	MaxInvited = 2000
)

// RuleInFuture is broken by a deadline that is not in the future.
const RuleInFuture = "in_future"

// requestTranslations are the fields of a statement request that its
// translations may carry, with their longest lengths.
var requestTranslations = map[string]int{"title": StatementRequestTitleMax, "background": BackgroundMax}

// StatementRequest asks organisations, and anyone else, for statements on
// a process's drafts (lausuntopyyntö): its questions, the draft
// commitments it concerns, its documents and who is invited.
type StatementRequest struct {
	ID        int64  `json:"id" db:"id"`
	ProcessID int64  `json:"process_id" db:"process_id"`
	Title     string `json:"title" db:"title"`
	// Background says what the request is about and why.
	Background string `json:"background" db:"background"`
	// ContactPerson names who answers questions about the request and how
	// to reach them.
	ContactPerson string    `json:"contact_person" db:"contact_person"`
	Deadline      time.Time `json:"deadline" db:"deadline"`
	// Status is StatementRequestDraft, StatusOpen or StatusClosed: derived
	// from PublishedAt, the deadline and the time of asking.
	Status      string     `json:"status" db:"-"`
	PublishedAt *time.Time `json:"published_at" db:"published_at"`
	Translatable
	Questions []StatementQuestion `json:"questions" db:"-"`
	// CommitmentIDs are the draft commitments the request concerns.
	CommitmentIDs []int64     `json:"commitment_ids" db:"-"`
	Commitments   []SourceRef `json:"commitments" db:"-"`
	// InvitedOrganisationIDs is the distribution list, and
	// InvitedOrganisations the same organisations named.
	InvitedOrganisationIDs []int64           `json:"invited_organisation_ids" db:"-"`
	InvitedOrganisations   []OrganisationRef `json:"invited_organisations" db:"-"`
	// InvitedEmails are addresses invited besides the organisations
	// (people without an account are asked to register their
	// organisation). Officials see them; for others they are nil.
	InvitedEmails []string        `json:"invited_emails" db:"-"`
	Attachments   []Attachment    `json:"attachments" db:"-"`
	Counts        StatementCounts `json:"counts" db:"-"`
	CreatedAt     time.Time       `json:"created_at" db:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at" db:"updated_at"`
	ProcessSlug   string          `json:"-" db:"process_slug"`
	ProcessTitle  string          `json:"-" db:"process_title"`
	RemindedAt    *time.Time      `json:"-" db:"reminded_at"`
}

// StatementCounts count the answers to a request.
type StatementCounts struct {
	// Invited is the number of invited organisations, InvitedResponded
	// those of them that have submitted a statement.
	Invited          int `json:"invited" db:"invited"`
	InvitedResponded int `json:"invited_responded" db:"invited_responded"`
	// Statements counts the submitted statements, invited or not.
	Statements int `json:"statements" db:"statements"`
}

// StatementQuestion is one question of a request, perhaps about one of its
// draft commitments. Response is an official's account of how the answers
// were taken into account, written after the deadline.
type StatementQuestion struct {
	ID           int64   `json:"id" db:"id"`
	RequestID    int64   `json:"request_id" db:"request_id"`
	Prompt       string  `json:"prompt" db:"prompt"`
	CommitmentID *int64  `json:"commitment_id" db:"commitment_id"`
	Response     *string `json:"response" db:"response"`
	Translatable
	Position int `json:"-" db:"position"`
}

// StatusAt returns the request's status at now: a draft until published,
// then open until the deadline and closed from it on. Moving the deadline
// later opens a closed request again.
func (r *StatementRequest) StatusAt(now time.Time) string {
	switch {
	case r.PublishedAt == nil:
		return StatementRequestDraft
	case now.Before(r.Deadline):
		return StatusOpen
	}
	return StatusClosed
}

// Question returns the request's question with id, or nil.
func (r *StatementRequest) Question(id int64) *StatementQuestion {
	for i := range r.Questions {
		if r.Questions[i].ID == id {
			return &r.Questions[i]
		}
	}
	return nil
}

// CheckPublishable returns ECONFLICT for a request published already and
// ECLOSED for one whose deadline has passed (move it first).
func (r *StatementRequest) CheckPublishable(now time.Time) error {
	if r.PublishedAt != nil {
		return Errorf(ECONFLICT, "The statement request has been published already.")
	}
	if !now.Before(r.Deadline) {
		return Errorf(ECLOSED, "The deadline has passed: move it before publishing.")
	}
	return nil
}

// CheckOpen returns ECLOSED unless statements may be written now: the
// request is published and its deadline has not passed.
func (r *StatementRequest) CheckOpen(now time.Time) error {
	switch r.StatusAt(now) {
	case StatementRequestDraft:
		return Errorf(ECLOSED, "The statement request has not been published.")
	case StatusClosed:
		return Errorf(ECLOSED, "The deadline for statements has passed.")
	}
	return nil
}

// MaySeeDraftRequests reports whether viewer may see statement requests
// that are not published: officials, who write them.
func MaySeeDraftRequests(viewer *Account) bool { return viewer.HasRole(RoleOfficial) }

// ShowTo leaves out of the request what viewer may not see: the invited
// addresses are for officials.
func (r *StatementRequest) ShowTo(viewer *Account) {
	if !viewer.HasRole(RoleOfficial) {
		r.InvitedEmails = nil
	}
}

// QuestionInput is a question as an official writes it. In a change of a
// request, ID names the question it keeps; a question without one is new.
type QuestionInput struct {
	ID           *int64       `json:"id"`
	Prompt       string       `json:"prompt"`
	CommitmentID *int64       `json:"commitment_id"`
	Translations Translations `json:"translations"`
}

// NewStatementRequest is what an official gives to write a request.
type NewStatementRequest struct {
	Title                  string          `json:"title"`
	Background             string          `json:"background"`
	ContactPerson          string          `json:"contact_person"`
	Deadline               *time.Time      `json:"deadline"`
	Questions              []QuestionInput `json:"questions"`
	InvitedOrganisationIDs []int64         `json:"invited_organisation_ids"`
	CommitmentIDs          []int64         `json:"commitment_ids"`
	InvitedEmails          []string        `json:"invited_emails"`
	TranslationInput
}

// Validate trims and checks a new request at time now: a title, a
// deadline in the future, questions with prompts, and lists without
// repeats. It returns the request's language and translations to store.
// Whether the organisations and commitments exist is the store's to check.
func (n *NewStatementRequest) Validate(now time.Time) (Translatable, error) {
	f := FieldErrors{}
	tr := n.TranslationInput.Check(f, requestTranslations)
	n.Title, n.Background, n.ContactPerson = checkRequestTexts(f, n.Title, n.Background, n.ContactPerson)
	checkDeadline(f, n.Deadline, now)
	n.Questions = checkQuestions(f, n.Questions, tr.Language, false)
	n.InvitedOrganisationIDs = checkIDList(f, "invited_organisation_ids", n.InvitedOrganisationIDs)
	n.CommitmentIDs = checkIDList(f, "commitment_ids", n.CommitmentIDs)
	n.InvitedEmails = checkEmails(f, "invited_emails", n.InvitedEmails)
	return tr, f.Err()
}

// StatementRequestPatch changes a request: nil fields stay as they are.
// Questions, when given, is the whole new list: items with an id change
// that question, items without are new, and questions left out are
// removed (only while nobody has answered them). The lists, when given,
// replace the old ones.
type StatementRequestPatch struct {
	Title                  *string          `json:"title"`
	Background             *string          `json:"background"`
	ContactPerson          *string          `json:"contact_person"`
	Deadline               *time.Time       `json:"deadline"`
	Questions              *[]QuestionInput `json:"questions"`
	InvitedOrganisationIDs *[]int64         `json:"invited_organisation_ids"`
	CommitmentIDs          *[]int64         `json:"commitment_ids"`
	InvitedEmails          *[]string        `json:"invited_emails"`
	Language               *string          `json:"language"`
	Translations           *Translations    `json:"translations"`
}

// Apply checks the patch at time now and puts it in r: a deadline given
// must be in the future; questions keep their ids (an id the request does
// not have is EINVALID). It changes r only when it returns nil.
func (p *StatementRequestPatch) Apply(r *StatementRequest, now time.Time) error {
	f := FieldErrors{}
	out := *r
	if p.Title != nil {
		out.Title = *p.Title
	}
	if p.Background != nil {
		out.Background = *p.Background
	}
	if p.ContactPerson != nil {
		out.ContactPerson = *p.ContactPerson
	}
	out.Title, out.Background, out.ContactPerson = checkRequestTexts(f, out.Title, out.Background, out.ContactPerson)
	if p.Deadline != nil {
		checkDeadline(f, p.Deadline, now)
		out.Deadline = *p.Deadline
	}
	if p.Language != nil || p.Translations != nil {
		in := TranslationInput{Language: p.Language, Translations: r.Translations}
		if p.Language == nil {
			in.Language = &r.Language
		}
		if p.Translations != nil {
			in.Translations = *p.Translations
		}
		out.Translatable = in.Check(f, requestTranslations)
	}
	if p.Questions != nil {
		qs := checkQuestions(f, *p.Questions, out.OwnLanguage(), true)
		out.Questions = make([]StatementQuestion, len(qs))
		for i, q := range qs {
			nq := StatementQuestion{RequestID: r.ID, Prompt: q.Prompt, CommitmentID: q.CommitmentID, Position: i + 1,
				Translatable: Translatable{Language: out.OwnLanguage(), Translations: q.Translations}}
			if q.ID != nil {
				old := r.Question(*q.ID)
				if old == nil {
					f.Add("questions."+strconv.Itoa(i)+".id", RuleChoice, 0)
					continue
				}
				nq.ID, nq.Response = old.ID, old.Response
				nq.Translations = keepResponses(q.Translations, old.Translations)
			}
			out.Questions[i] = nq
		}
	} else if p.Language != nil {
		for i := range out.Questions {
			out.Questions[i].Language = out.OwnLanguage()
		}
	}
	if p.InvitedOrganisationIDs != nil {
		out.InvitedOrganisationIDs = checkIDList(f, "invited_organisation_ids", *p.InvitedOrganisationIDs)
	}
	if p.CommitmentIDs != nil {
		out.CommitmentIDs = checkIDList(f, "commitment_ids", *p.CommitmentIDs)
	}
	if p.InvitedEmails != nil {
		out.InvitedEmails = checkEmails(f, "invited_emails", *p.InvitedEmails)
	}
	if err := f.Err(); err != nil {
		return err
	}
	*r = out
	return nil
}

// keepResponses returns a question's new translations with the old
// translations of its response, which the question's change does not restate.
func keepResponses(t, old Translations) Translations {
	for lang, fields := range old {
		if resp, ok := fields["response"]; ok {
			if t == nil {
				t = Translations{}
			}
			if t[lang] == nil {
				t[lang] = map[string]string{}
			}
			t[lang]["response"] = resp
		}
	}
	return t
}

// QuestionResponse is an official's account of how the answers to a
// question were taken into account (nil or empty clears it), with its
// translations.
type QuestionResponse struct {
	Response     *string      `json:"response"`
	Translations Translations `json:"translations"`
}

// Apply checks the response and puts it in q, keeping the translations of
// the prompt.
func (in *QuestionResponse) Apply(q *StatementQuestion) error {
	f := FieldErrors{}
	resp := trimOptional(in.Response)
	if resp != nil {
		f.Text("response", *resp, 0, QuestionResponseMax)
	}
	tr := CheckTranslations(f, in.Translations, q.OwnLanguage(), map[string]int{"response": QuestionResponseMax})
	if err := f.Err(); err != nil {
		return err
	}
	out := Translations{}
	for lang, fields := range q.Translations {
		if p, ok := fields["prompt"]; ok {
			out[lang] = map[string]string{"prompt": p}
		}
	}
	for lang, fields := range tr {
		if out[lang] == nil {
			out[lang] = map[string]string{}
		}
		out[lang]["response"] = fields["response"]
	}
	if len(out) == 0 {
		out = nil
	}
	q.Response, q.Translations = resp, out
	return nil
}

// checkRequestTexts trims and checks a request's own texts.
func checkRequestTexts(f FieldErrors, title, background, contact string) (string, string, string) {
	title, background, contact = strings.TrimSpace(title), strings.TrimSpace(background), strings.TrimSpace(contact)
	f.Text("title", title, 1, StatementRequestTitleMax)
	f.Text("background", background, 0, BackgroundMax)
	f.Text("contact_person", contact, 0, ContactPersonMax)
	return title, background, contact
}

// checkDeadline records a missing deadline, or one not after now.
func checkDeadline(f FieldErrors, deadline *time.Time, now time.Time) {
	switch {
	case deadline == nil:
		f.Add("deadline", RuleRequired, 0)
	case !deadline.After(now):
		f.Add("deadline", RuleInFuture, 0)
	}
}

// checkQuestions trims and checks questions; ids are taken only in a
// change (withIDs), and a question names a commitment by a positive id.
func checkQuestions(f FieldErrors, qs []QuestionInput, lang string, withIDs bool) []QuestionInput {
	if len(qs) > MaxQuestions {
		f.Add("questions", RuleMaxChoices, MaxQuestions)
	}
	out := make([]QuestionInput, len(qs))
	seen := map[int64]bool{}
	for i, q := range qs {
		name := "questions." + strconv.Itoa(i)
		q.Prompt = strings.TrimSpace(q.Prompt)
		f.Text(name+".prompt", q.Prompt, 1, QuestionPromptMax)
		if q.CommitmentID != nil && *q.CommitmentID < 1 {
			f.Add(name+".commitment_id", RuleChoice, 0)
		}
		if q.ID != nil && (!withIDs || *q.ID < 1 || seen[*q.ID]) {
			f.Add(name+".id", RuleChoice, 0)
		} else if q.ID != nil {
			seen[*q.ID] = true
		}
		sub := FieldErrors{}
		q.Translations = CheckTranslations(sub, q.Translations, lang, map[string]int{"prompt": QuestionPromptMax})
		for k, v := range sub {
			f[name+"."+k] = v
		}
		out[i] = q
	}
	return out
}

// checkIDList returns ids without repeats (never nil), recording ids that
// cannot be and lists that are too long.
func checkIDList(f FieldErrors, field string, ids []int64) []int64 {
	out := uniqueInt64s(ids)
	if len(out) > MaxInvited {
		f.Add(field, RuleMaxChoices, MaxInvited)
	}
	for _, id := range out {
		if id < 1 {
			f.Add(field, RuleChoice, 0)
		}
	}
	return out
}

// checkEmails normalises addresses, dropping repeats (never nil), and
// records one that is not an address.
func checkEmails(f FieldErrors, field string, emails []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, e := range emails {
		e = NormalizeEmail(e)
		if seen[e] {
			continue
		}
		seen[e] = true
		ValidateEmail(f, field, e)
		out = append(out, e)
	}
	if len(out) > MaxInvited {
		f.Add(field, RuleMaxChoices, MaxInvited)
	}
	return out
}

// StatementRequestFilter selects a process's statement requests.
type StatementRequestFilter struct {
	ProcessSlug string
	Limit       int
	Offset      int
}

// StatementRequestService writes, publishes and finds statement requests
// and their attachments, and reminds the invited before the deadline.
type StatementRequestService interface {
	// CreateStatementRequest writes a draft request in a process (officials).
	CreateStatementRequest(ctx context.Context, processSlug string, n NewStatementRequest) (*StatementRequest, error)
	// FindStatementRequest returns a request with its questions,
	// attachments and counts; a draft is ENOTFOUND but for officials.
	FindStatementRequest(ctx context.Context, id int64) (*StatementRequest, error)
	// FindStatementRequests lists a process's requests by deadline (drafts only for officials).
	FindStatementRequests(ctx context.Context, f StatementRequestFilter) ([]*StatementRequest, int, error)
	// UpdateStatementRequest changes a request (officials), in any status.
	UpdateStatementRequest(ctx context.Context, id int64, p StatementRequestPatch) (*StatementRequest, error)
	// PublishStatementRequest opens a draft (officials) and invites every
	// member of every invited organisation, and the invited addresses.
	PublishStatementRequest(ctx context.Context, id int64) (*StatementRequest, error)
	// AddAttachment stores a document of a request (officials, any status).
	AddAttachment(ctx context.Context, requestID int64, n NewAttachment) (*Attachment, error)
	// FindAttachment returns a document with its bytes (a draft's only to officials).
	FindAttachment(ctx context.Context, id int64) (*Attachment, error)
	// DeleteAttachment removes a document (officials).
	DeleteAttachment(ctx context.Context, id int64) error
	// SendStatementReminders reminds, ReminderLead before the deadline, the
	// members of invited organisations that have not answered, once per
	// request; it returns how many requests it reminded of.
	SendStatementReminders(ctx context.Context) (int, error)
}
