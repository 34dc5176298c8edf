package participation

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Process is one open-government process, such as drafting an action plan.
// Its steps are the activities later issues add (idea rounds, workshops,
// surveys, statement requests).
type Process struct {
	ID          int64     `json:"id" db:"id"`
	Slug        string    `json:"slug" db:"slug"`
	Title       string    `json:"title" db:"title"`
	Description string    `json:"description" db:"description"`
	CreatedAt   time.Time `json:"created_at" db:"created_at"`
	// Status is ProcessDraft, ProcessPublished or ProcessArchived.
	Status string `json:"status" db:"status"`
	// Organiser names the organisation that runs the process (nil when not given).
	Organiser *string `json:"organiser" db:"organiser"`
	// Contact is the person to ask about the process (nil when not given).
	Contact *Contact `json:"contact" db:"contact"`
	// Officials are the accounts that run the process: given only to those
	// who may manage it (nil for everyone else, so that no email leaks).
	Officials []ProcessOfficial `json:"officials" db:"-"`
	Steps     []Step            `json:"steps" db:"-"`
	Stats     *Stats            `json:"stats" db:"-"`
	// Manageable says that the account asking may change the process.
	Manageable bool `json:"-" db:"-"`
	Translatable
}

// Process statuses: a draft is seen only by the process's officials and
// admins; a published process by everyone; an archived one by everyone,
// read only.
const (
	ProcessDraft     = "draft"
	ProcessPublished = "published"
	ProcessArchived  = "archived"
)

// ProcessStatuses are the statuses a process may have.
var ProcessStatuses = []string{ProcessDraft, ProcessPublished, ProcessArchived}

// Process status changes, by action.
const (
	ProcessPublish   = "publish"
	ProcessArchive   = "archive"
	ProcessUnarchive = "unarchive"
)

// ChangeStatus returns the status that action leads to from the process's
// status: publishing a draft, archiving a draft or a published process,
// bringing an archived one back as published. Anything else is ECONFLICT.
func (p *Process) ChangeStatus(action string) (string, error) {
	switch {
	case action == ProcessPublish && p.Status == ProcessDraft:
		return ProcessPublished, nil
	case action == ProcessArchive && p.Status != ProcessArchived:
		return ProcessArchived, nil
	case action == ProcessUnarchive && p.Status == ProcessArchived:
		return ProcessPublished, nil
	case action != ProcessPublish && action != ProcessArchive && action != ProcessUnarchive:
		return "", Errorf(ENOTFOUND, "Not found.")
	}
	return "", Errorf(ECONFLICT, "The process is %s: it cannot be changed that way (%s).", p.Status, action)
}

// CanManage reports whether account a may change a process whose officials
// are officialIDs (and everything in it): an admin may change any, an
// official the processes they are an official of.
func CanManage(a *Account, officialIDs []int64) bool {
	if a.HasRole(RoleAdmin) {
		return true
	}
	return a.HasRole(RoleOfficial) && slices.Contains(officialIDs, a.ID)
}

// CheckManage returns EFORBIDDEN unless CanManage(a, officialIDs).
func CheckManage(a *Account, officialIDs []int64) error {
	if !CanManage(a, officialIDs) {
		return Errorf(EFORBIDDEN, "Only the officials of this process may change it.")
	}
	return nil
}

// CanView reports whether someone who manages the process (or not) may see
// it: a draft only they may see.
func (p *Process) CanView(manages bool) bool {
	return p.Status != ProcessDraft || manages
}

// CheckOpen returns ECLOSED for an archived process: it is read only.
func (p *Process) CheckOpen() error {
	if p.Status == ProcessArchived {
		return Errorf(ECLOSED, "This process is archived: it takes no new contributions or changes.")
	}
	return nil
}

// ProcessOfficial is an account that runs a process.
type ProcessOfficial struct {
	AccountID int64     `json:"account_id" db:"account_id"`
	Name      *string   `json:"name" db:"name"`
	Email     *string   `json:"email" db:"email"`
	AddedAt   time.Time `json:"added_at" db:"added_at"`
}

// CheckRemoveOfficial returns ECONFLICT when removing accountID would leave
// the process with no official, and ENOTFOUND when it is not one of them.
func CheckRemoveOfficial(officials []ProcessOfficial, accountID int64) error {
	if !slices.ContainsFunc(officials, func(o ProcessOfficial) bool { return o.AccountID == accountID }) {
		return Errorf(ENOTFOUND, "That account is not an official of this process.")
	}
	if len(officials) == 1 {
		return Errorf(ECONFLICT, "A process keeps at least one official.")
	}
	return nil
}

// NewProcessOfficial names the account to add as an official of a process.
type NewProcessOfficial struct {
	Email string `json:"email"`
}

// Validate checks the email address.
func (n *NewProcessOfficial) Validate() error {
	n.Email = NormalizeEmail(n.Email)
	f := FieldErrors{}
	ValidateEmail(f, "email", n.Email)
	return f.Err()
}

// CheckCanBeOfficial returns EINVALID (on the email field) unless the account
// holds the official role.
func CheckCanBeOfficial(a *Account) error {
	if !a.HasRole(RoleOfficial) {
		f := FieldErrors{}
		f.Add("email", RuleChoice, 0)
		return &Error{Code: EINVALID, Message: "Only an account with the official role can run a process.", Fields: f}
	}
	return nil
}

// Contact is the person to ask about a process.
type Contact struct {
	Name  string  `json:"name"`
	Email string  `json:"email"`
	Phone *string `json:"phone"`
}

// ContactMax are the longest parts of a contact, by field.
var ContactMax = map[string]int{"name": NameMax, "phone": 40}

// check normalises c and records bad parts in f, named after prefix.
func (c *Contact) check(f FieldErrors, prefix string) {
	c.Name = strings.TrimSpace(c.Name)
	c.Email = NormalizeEmail(c.Email)
	f.Text(prefix+"name", c.Name, 1, ContactMax["name"])
	ValidateEmail(f, prefix+"email", c.Email)
	if c.Phone != nil {
		ph := strings.TrimSpace(*c.Phone)
		if ph == "" {
			c.Phone = nil
		} else {
			c.Phone = &ph
			f.Text(prefix+"phone", ph, 1, ContactMax["phone"])
			if strings.Trim(ph, "+0123456789 -()") != "" {
				f.Add(prefix+"phone", RuleFormat, 0)
			}
		}
	}
}

// Value stores a contact as jsonb.
func (c Contact) Value() (driver.Value, error) {
	b, err := json.Marshal(c)
	return string(b), err
}

// Scan reads a contact stored as jsonb.
func (c *Contact) Scan(src any) error {
	switch v := src.(type) {
	case []byte:
		return json.Unmarshal(v, c)
	case string:
		return json.Unmarshal([]byte(v), c)
	}
	return errors.New("contact: not jsonb")
}

// OrganiserMax is the longest organiser's name.
const OrganiserMax = 200

// checkOrganiser normalises an organiser's name ("" is none) and records a bad one in f.
func checkOrganiser(f FieldErrors, o *string) *string {
	if o == nil {
		return nil
	}
	s := strings.TrimSpace(*o)
	if s == "" {
		return nil
	}
	f.Text("organiser", s, 1, OrganiserMax)
	return &s
}

// Nullable is a field of a patch that may be left out (Set false), given,
// or cleared with null (Set true, Value nil).
type Nullable[T any] struct {
	Set   bool
	Value *T
}

// UnmarshalJSON records that the field was given.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		n.Value = nil
		return nil
	}
	return json.Unmarshal(b, &n.Value)
}

// Step kinds.
const (
	StepIdeaRound        = "idea_round"
	StepWorkshop         = "workshop"
	StepSurvey           = "survey"
	StepStatementRequest = "statement_request"
)

// Step statuses.
const (
	StatusUpcoming = "upcoming"
	StatusOpen     = "open"
	StatusClosed   = "closed"
)

// Step is one activity of a process on its timeline.
type Step struct {
	Kind     string     `json:"kind" db:"kind"`
	ID       int64      `json:"id" db:"id"`
	Title    string     `json:"title" db:"title"`
	OpensAt  *time.Time `json:"opens_at" db:"opens_at"`
	ClosesAt *time.Time `json:"closes_at" db:"closes_at"`
	Status   string     `json:"status" db:"status"`
	// Translatable is the step's title's: the idea round's or the workshop's.
	Translatable
}

// WindowStatus is the status of a step open from opensAt until closesAt
// (either may be unset) at time now.
func WindowStatus(opensAt, closesAt *time.Time, now time.Time) string {
	switch {
	case opensAt == nil || now.Before(*opensAt):
		return StatusUpcoming
	case closesAt != nil && !now.Before(*closesAt):
		return StatusClosed
	}
	return StatusOpen
}

// Stats counts a process's participation.
type Stats struct {
	Participants int `json:"participants" db:"participants"`
	Ideas        int `json:"ideas" db:"ideas"`
	Comments     int `json:"comments" db:"comments"`
	Ballots      int `json:"ballots" db:"ballots"`
	// WorkshopParticipants counts those who joined a workshop of it.
	WorkshopParticipants int `json:"workshop_participants" db:"workshop_participants"`
	SurveyResponses      int `json:"survey_responses" db:"survey_responses"`
	Statements           int `json:"statements" db:"statements"`
	Municipalities       int `json:"municipalities" db:"municipalities"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// NewProcess is what an official gives to create a process.
type NewProcess struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Status is how the process starts: ProcessPublished unless given (the
	// pages start drafts); ProcessArchived is not a start.
	Status    *string  `json:"status"`
	Organiser *string  `json:"organiser"`
	Contact   *Contact `json:"contact"`
	TranslationInput
	// Texts are the language and translations that Validate accepted.
	Texts Translatable `json:"-"`
}

// ProcessTextMax are the longest texts of a process, by field: the fields
// its translations may hold.
var ProcessTextMax = map[string]int{"title": 200, "description": 20000}

// Validate checks a new process.
func (n *NewProcess) Validate() error {
	n.Slug = strings.TrimSpace(n.Slug)
	n.Title = strings.TrimSpace(n.Title)
	f := FieldErrors{}
	switch {
	case n.Slug == "":
		f.Add("slug", RuleRequired, 0)
	case len(n.Slug) < 3:
		f.Add("slug", RuleMinLength, 3)
	case len(n.Slug) > 64:
		f.Add("slug", RuleMaxLength, 64)
	case !slugPattern.MatchString(n.Slug):
		f.Add("slug", RuleFormat, 0)
	}
	f.Text("title", n.Title, 1, ProcessTextMax["title"])
	f.Text("description", n.Description, 0, ProcessTextMax["description"])
	n.Texts = n.TranslationInput.Check(f, ProcessTextMax)
	if n.Status == nil {
		published := ProcessPublished
		n.Status = &published
	} else if *n.Status != ProcessDraft && *n.Status != ProcessPublished {
		f.Add("status", RuleChoice, 0)
	}
	n.Organiser = checkOrganiser(f, n.Organiser)
	if n.Contact != nil {
		n.Contact.check(f, "contact.")
	}
	return f.Err()
}

// ProcessPatch changes a process: any of its fields but the slug, which
// stays. Organiser and contact are cleared with null.
type ProcessPatch struct {
	Title        *string           `json:"title"`
	Description  *string           `json:"description"`
	Organiser    Nullable[string]  `json:"organiser"`
	Contact      Nullable[Contact] `json:"contact"`
	Language     *string           `json:"language"`
	Translations *Translations     `json:"translations"`
}

// Apply checks the patch and puts it in p; it changes p only when it
// returns nil.
func (pt *ProcessPatch) Apply(p *Process) error {
	f := FieldErrors{}
	out := *p
	if pt.Title != nil {
		out.Title = strings.TrimSpace(*pt.Title)
		f.Text("title", out.Title, 1, ProcessTextMax["title"])
	}
	if pt.Description != nil {
		out.Description = *pt.Description
		f.Text("description", out.Description, 0, ProcessTextMax["description"])
	}
	if pt.Organiser.Set {
		out.Organiser = checkOrganiser(f, pt.Organiser.Value)
	}
	if pt.Contact.Set {
		out.Contact = pt.Contact.Value
		if out.Contact != nil {
			c := *out.Contact
			c.check(f, "contact.")
			out.Contact = &c
		}
	}
	if pt.Language != nil || pt.Translations != nil {
		in := TranslationInput{Language: pt.Language, Translations: p.Translations}
		if pt.Language == nil {
			in.Language = &p.Language
		}
		if pt.Translations != nil {
			in.Translations = *pt.Translations
		}
		out.Translatable = in.Check(f, ProcessTextMax)
	}
	if err := f.Err(); err != nil {
		return err
	}
	*p = out
	return nil
}

// ProcessFilter selects processes: those the asking account may see, of
// one status when Status is set.
type ProcessFilter struct {
	Status string
	Limit  int
	Offset int
}

// ProcessService creates and finds processes.
type ProcessService interface {
	// CreateProcess creates a process (officials only); a taken slug is ECONFLICT.
	CreateProcess(ctx context.Context, n NewProcess) (*Process, error)
	// FindProcesses lists processes, newest first, without steps and stats.
	FindProcesses(ctx context.Context, f ProcessFilter) ([]*Process, int, error)
	// FindProcessBySlug returns a process with its steps and stats; a draft
	// is ENOTFOUND to those who may not manage it.
	FindProcessBySlug(ctx context.Context, slug string) (*Process, error)
	// UpdateProcess changes a process (its officials and admins).
	UpdateProcess(ctx context.Context, slug string, p ProcessPatch) (*Process, error)
	// ChangeProcessStatus publishes, archives or un-archives a process.
	ChangeProcessStatus(ctx context.Context, slug, action string) (*Process, error)
	// AddProcessOfficial makes another official account an official of the process.
	AddProcessOfficial(ctx context.Context, slug string, n NewProcessOfficial) ([]ProcessOfficial, error)
	// RemoveProcessOfficial removes an official of the process, never the last.
	RemoveProcessOfficial(ctx context.Context, slug string, accountID int64) ([]ProcessOfficial, error)
	// CheckProcessAccess returns ENOTFOUND when the process of ref is a
	// draft the asking account may not see, and, when write is set, ECLOSED
	// when it is archived; else whether the account may manage the process
	// (CanManage), for the pages to show its officials' tools or not.
	CheckProcessAccess(ctx context.Context, ref ProcessRef, write bool) (manages bool, err error)
}

// ProcessRef names a process through something in it: Kind one of the
// ProcessRef kinds, and the thing's ID (or, for RefProcess, the Slug). IDs
// name more things of the kind, for a change of several at once.
type ProcessRef struct {
	Kind string
	ID   int64
	IDs  []int64
	Slug string
}

// Kinds of ProcessRef: the things that belong to one process.
const (
	RefProcess          = "process"
	RefIdeaRound        = "idea_round"
	RefIdea             = "idea"
	RefComment          = "comment"
	RefTheme            = "theme"
	RefWorkshop         = "workshop"
	RefPoll             = "poll"
	RefCollection       = "collection"
	RefProposal         = "proposal"
	RefSurvey           = "survey"
	RefStatementRequest = "statement_request"
	RefAttachment       = "attachment"
	RefCommitment       = "commitment"
	RefMilestone        = "milestone"
)

// IsOpen reports whether any step of the process is open now.
func (p *Process) IsOpen() bool {
	for _, s := range p.Steps {
		if s.Status == StatusOpen {
			return true
		}
	}
	return false
}

// RefTo names the process that the thing of kind and id belongs to.
func RefTo(kind string, id int64) ProcessRef { return ProcessRef{Kind: kind, ID: id} }

// RefToProcess names the process of slug.
func RefToProcess(slug string) ProcessRef { return ProcessRef{Kind: RefProcess, Slug: slug} }
