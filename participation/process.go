package participation

import (
	"context"
	"regexp"
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
	Steps       []Step    `json:"steps" db:"-"`
	Stats       *Stats    `json:"stats" db:"-"`
	Translatable
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
	Participants    int `json:"participants" db:"participants"`
	Ideas           int `json:"ideas" db:"ideas"`
	Comments        int `json:"comments" db:"comments"`
	Ballots         int `json:"ballots" db:"ballots"`
	SurveyResponses int `json:"survey_responses" db:"survey_responses"`
	Statements      int `json:"statements" db:"statements"`
	Municipalities  int `json:"municipalities" db:"municipalities"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// NewProcess is what an official gives to create a process.
type NewProcess struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Description string `json:"description"`
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
	return f.Err()
}

// ProcessFilter selects processes.
type ProcessFilter struct {
	Limit  int
	Offset int
}

// ProcessService creates and finds processes.
type ProcessService interface {
	// CreateProcess creates a process (officials only); a taken slug is ECONFLICT.
	CreateProcess(ctx context.Context, n NewProcess) (*Process, error)
	// FindProcesses lists processes, newest first, without steps and stats.
	FindProcesses(ctx context.Context, f ProcessFilter) ([]*Process, int, error)
	// FindProcessBySlug returns a process with its steps and stats.
	FindProcessBySlug(ctx context.Context, slug string) (*Process, error)
}

// IsOpen reports whether any step of the process is open now.
func (p *Process) IsOpen() bool {
	for _, s := range p.Steps {
		if s.Status == StatusOpen {
			return true
		}
	}
	return false
}
