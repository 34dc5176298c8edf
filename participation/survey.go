package participation

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Survey statuses: an official builds a survey as a draft, opens it for
// answers and closes it; its results are public once it is closed.
const (
	SurveyDraft  = "draft"
	SurveyOpen   = "open"
	SurveyClosed = "closed"
)

// Question kinds.
const (
	QuestionSingle = "single" // pick one option
	QuestionMulti  = "multi"  // pick any number of options
	QuestionScale  = "scale"  // a whole number from min to max
	QuestionText   = "text"   // free text
	QuestionGrid2D = "grid2d" // rate items on two axes (ZEF), e.g. importance and feasibility
)

// QuestionKinds lists the kinds in the order the builder offers them.
var QuestionKinds = []string{QuestionSingle, QuestionMulti, QuestionScale, QuestionText, QuestionGrid2D}

// Survey limits, in characters or items.
const (
	SurveyTitleMax       = 200
	SurveyDescriptionMax = 20000
	SurveyQuestionsMax   = 100
	PromptMax            = 1000
	ScaleLabelMax        = 100
	AxisLabelMax         = 200
	ChoiceLabelMax       = 300
	ChoicesMax           = 50  // options of a single or multi question
	GridItemsMax         = 100 // items of a grid2d question
	ScaleBoundMax        = 1000
	ScaleSpanMax         = 100 // values of a scale, less one: its distribution lists each
	AxisBoundMax         = 1e6
	SurveyAnswerTextMax  = 10000
)

// Survey is a questionnaire of a process: ordinary questions and two-axis
// ratings of draft goals. It is a step on the process's timeline from the
// time it is opened to the time it is closed.
type Survey struct {
	ID          int64  `json:"id" db:"id"`
	ProcessID   int64  `json:"process_id" db:"process_id"`
	Title       string `json:"title" db:"title"`
	Description string `json:"description" db:"description"`
	// Anonymous surveys take server-issued respondent tokens and link no
	// response to an account; the others take signed-in accounts. Both
	// take invitation links.
	Anonymous bool   `json:"anonymous" db:"anonymous"`
	Status    string `json:"status" db:"status"`
	Translatable
	Questions []Question `json:"questions" db:"-"`
	// Responses counts the submitted responses.
	Responses    int        `json:"responses" db:"responses"`
	CreatedAt    time.Time  `json:"created_at" db:"created_at"`
	OpenedAt     *time.Time `json:"opened_at" db:"opened_at"`
	ClosedAt     *time.Time `json:"closed_at" db:"closed_at"`
	ProcessSlug  string     `json:"-" db:"process_slug"` // for the pages' links back
	ProcessTitle string     `json:"-" db:"process_title"`
}

// Axis is one axis of a two-axis question: its label and its range.
type Axis struct {
	Label string  `json:"label"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
}

// Contains reports whether v lies on the axis.
func (a Axis) Contains(v float64) bool { return v >= a.Min && v <= a.Max }

// Mid is the middle of the axis, where the quadrant chart draws its line.
func (a Axis) Mid() float64 { return (a.Min + a.Max) / 2 }

// Question is one question of a survey. Which fields it uses depends on
// its kind: Options for single and multi; Min, Max and their labels for a
// scale; X, Y and Items for grid2d. The others are null.
type Question struct {
	ID       int64  `json:"id" db:"id"`
	SurveyID int64  `json:"survey_id" db:"survey_id"`
	Position int    `json:"position" db:"position"`
	Kind     string `json:"kind" db:"kind"`
	Prompt   string `json:"prompt" db:"prompt"`
	Required bool   `json:"required" db:"required"`
	Translatable
	Options  []Choice `json:"options" db:"-"`
	Min      *int     `json:"min" db:"scale_min"`
	Max      *int     `json:"max" db:"scale_max"`
	MinLabel *string  `json:"min_label" db:"min_label"`
	MaxLabel *string  `json:"max_label" db:"max_label"`
	X        *Axis    `json:"x" db:"-"`
	Y        *Axis    `json:"y" db:"-"`
	Items    []Choice `json:"items" db:"-"`
	// ItemsFromCommitments says the items are a snapshot of the process's
	// draft commitments, taken when the question was made.
	ItemsFromCommitments bool `json:"items_from_commitments" db:"items_from_commitments"`
}

// Choice is an option of a single or multi question, or an item of a
// grid2d question. An item made from a draft commitment carries its id,
// so that the rating feeds back to the commitment.
type Choice struct {
	ID           int64  `json:"id" db:"id"`
	QuestionID   int64  `json:"-" db:"question_id"`
	Label        string `json:"label" db:"label"`
	CommitmentID *int64 `json:"commitment_id" db:"commitment_id"`
	Translatable
}

// Option returns the question's option with id, if it has one.
func (q *Question) Option(id int64) (Choice, bool) { return findChoice(q.Options, id) }

// Item returns the question's item with id, if it has one.
func (q *Question) Item(id int64) (Choice, bool) { return findChoice(q.Items, id) }

func findChoice(list []Choice, id int64) (Choice, bool) {
	for _, c := range list {
		if c.ID == id {
			return c, true
		}
	}
	return Choice{}, false
}

// Question returns the survey's question with id, or nil.
func (s *Survey) Question(id int64) *Question {
	for i := range s.Questions {
		if s.Questions[i].ID == id {
			return &s.Questions[i]
		}
	}
	return nil
}

// CheckEditable returns ECONFLICT unless the survey is a draft: once it is
// open, people answer the questions as they stand.
func (s *Survey) CheckEditable() error {
	if s.Status != SurveyDraft {
		return Errorf(ECONFLICT, "Only a draft survey can be changed; this one is %s.", s.Status)
	}
	return nil
}

// CheckOpen returns ECLOSED unless the survey takes answers.
func (s *Survey) CheckOpen() error {
	switch s.Status {
	case SurveyOpen:
		return nil
	case SurveyDraft:
		return Errorf(ECLOSED, "The survey has not opened yet.")
	}
	return Errorf(ECLOSED, "The survey has closed.")
}

// NextStatus returns whether opening (to = SurveyOpen) or closing the
// survey changes it: draft → open → closed, repeating a step is harmless,
// and a closed survey stays closed so that its results stand.
func (s *Survey) NextStatus(to string) (changed bool, err error) {
	switch {
	case s.Status == to:
		return false, nil
	case to == SurveyOpen && s.Status == SurveyDraft, to == SurveyClosed && s.Status == SurveyOpen:
		return true, nil
	case to == SurveyOpen:
		return false, Errorf(ECONFLICT, "A closed survey cannot be opened again.")
	}
	return false, Errorf(ECONFLICT, "A survey that has not opened cannot be closed.")
}

// ResultsVisibleTo reports whether viewer may see the results: everyone
// once the survey is closed, officials always.
func (s *Survey) ResultsVisibleTo(viewer *Account) bool {
	return s.Status == SurveyClosed || viewer.HasRole(RoleOfficial)
}

// NewSurvey is what an official gives to build a survey.
type NewSurvey struct {
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Anonymous   *bool         `json:"anonymous"`
	Questions   []NewQuestion `json:"questions"`
	TranslationInput
	// Drafts are the process's draft commitments, filled by the store for
	// the questions with ItemsFromCommitments.
	Drafts []SourceRef `json:"-"`
}

// SurveyIDs are the ids a survey's questions and their options and items
// have now: the only ids that replacing its questions may keep. Snapshots
// are the items of the questions made from commitments, kept as they were.
type SurveyIDs struct {
	Questions map[int64]bool
	Choices   map[int64]bool
	Snapshots map[int64][]Choice
}

// IDs returns the survey's ids, for SurveyPatch.Apply.
func (s *Survey) IDs() SurveyIDs {
	ids := SurveyIDs{Questions: map[int64]bool{}, Choices: map[int64]bool{}, Snapshots: map[int64][]Choice{}}
	for _, q := range s.Questions {
		ids.Questions[q.ID] = true
		for _, c := range slices.Concat(q.Options, q.Items) {
			ids.Choices[c.ID] = true
		}
		if q.ItemsFromCommitments {
			ids.Snapshots[q.ID] = q.Items
		}
	}
	return ids
}

// SurveyPatch changes a draft survey: nil fields stay as they are.
// Questions, when given, is the whole new list in its new order (questions,
// options and items with an id keep it); Translations replace the survey's
// own.
type SurveyPatch struct {
	Title        *string        `json:"title"`
	Description  *string        `json:"description"`
	Anonymous    *bool          `json:"anonymous"`
	Questions    *[]NewQuestion `json:"questions"`
	Language     *string        `json:"language"`
	Translations *Translations  `json:"translations"`
}

// The fields each kind of organiser's text may translate.
var (
	surveyTranslated   = map[string]int{"title": SurveyTitleMax, "description": SurveyDescriptionMax}
	questionTranslated = map[string]int{"prompt": PromptMax, "min_label": ScaleLabelMax, "max_label": ScaleLabelMax,
		"x.label": AxisLabelMax, "y.label": AxisLabelMax}
	choiceTranslated = map[string]int{"label": ChoiceLabelMax}
)

// Validate checks a new survey and normalises its texts, its language
// (Finnish unless given) and translations among them. Questions with
// ItemsFromCommitments get their items from Drafts, which the store fills.
func (n *NewSurvey) Validate() error {
	f := FieldErrors{}
	n.Title = strings.TrimSpace(n.Title)
	n.Description = strings.TrimSpace(n.Description)
	f.Text("title", n.Title, 1, SurveyTitleMax)
	f.Text("description", n.Description, 0, SurveyDescriptionMax)
	if n.Anonymous == nil {
		f.Add("anonymous", RuleRequired, 0)
	}
	t := n.TranslationInput.Check(f, surveyTranslated)
	n.Language, n.Translations = &t.Language, t.Translations
	validateQuestions(f, n.Questions, t.Language, SurveyIDs{}, n.Drafts)
	return f.Err()
}

// Apply returns the survey's fields with the patch put in them, checked:
// the new title, description, anonymity and texts' language, with the
// patch's questions validated. drafts are the process's draft commitments,
// for new questions made from them.
func (p *SurveyPatch) Apply(s *Survey, drafts []SourceRef) (NewSurvey, Translatable, error) {
	f := FieldErrors{}
	out := NewSurvey{Title: s.Title, Description: s.Description, Anonymous: &s.Anonymous}
	t := s.Translatable
	if p.Title != nil {
		out.Title = strings.TrimSpace(*p.Title)
	}
	if p.Description != nil {
		out.Description = strings.TrimSpace(*p.Description)
	}
	if p.Anonymous != nil {
		out.Anonymous = p.Anonymous
	}
	f.Text("title", out.Title, 1, SurveyTitleMax)
	f.Text("description", out.Description, 0, SurveyDescriptionMax)
	if p.Language != nil {
		t.Language = strings.TrimSpace(*p.Language)
		if !slices.Contains(ContentLanguages, t.Language) {
			f.Add("language", RuleChoice, 0)
		}
	}
	t.Language = t.OwnLanguage()
	if p.Translations != nil {
		t.Translations = CheckTranslations(f, *p.Translations, t.Language, surveyTranslated)
	} else {
		t.Translations = CheckTranslations(f, t.Translations, t.Language, surveyTranslated)
	}
	if p.Questions != nil {
		out.Questions = *p.Questions
		validateQuestions(f, out.Questions, t.Language, s.IDs(), drafts)
	}
	return out, t, f.Err()
}

// SurveyService builds surveys, takes their responses and invitations and
// computes their results.
type SurveyService interface {
	// CreateSurvey builds a draft survey in a process (officials).
	CreateSurvey(ctx context.Context, processSlug string, n NewSurvey) (*Survey, error)
	// FindSurvey returns a survey with its questions.
	FindSurvey(ctx context.Context, id int64) (*Survey, error)
	// FindSurveys lists a process's surveys with their questions, oldest first.
	FindSurveys(ctx context.Context, processID int64) ([]*Survey, error)
	// UpdateSurvey changes a draft survey (officials); ECONFLICT once open.
	UpdateSurvey(ctx context.Context, id int64, p SurveyPatch) (*Survey, error)
	// OpenSurvey opens a draft for answers (officials).
	OpenSurvey(ctx context.Context, id int64) (*Survey, error)
	// CloseSurvey closes an open survey; its results become public (officials).
	CloseSurvey(ctx context.Context, id int64) (*Survey, error)
	// InviteToSurvey sends a personal link to each address (officials).
	InviteToSurvey(ctx context.Context, id int64, n NewInvitations) (*Invited, error)
	// RemindInvitations reminds the invitations not yet answered of an open survey (officials).
	RemindInvitations(ctx context.Context, id int64) (int, error)
	// SaveResponse saves the responder's draft or submits their response;
	// ECONFLICT once they have submitted, ECLOSED unless the survey is open.
	SaveResponse(ctx context.Context, surveyID int64, who Responder, n NewResponse) (*Response, error)
	// FindMyResponse returns the responder's draft or response.
	FindMyResponse(ctx context.Context, surveyID int64, who Responder) (*Response, error)
	// FindSurveyResults computes the results; EFORBIDDEN before the close
	// for everyone but officials.
	FindSurveyResults(ctx context.Context, id int64, f ResultFilter) (*SurveyResults, error)
	// FindSurveyAnswerRows lists every submitted answer as the CSV's rows (officials).
	FindSurveyAnswerRows(ctx context.Context, id int64) ([]AnswerRow, error)
	// FindSurveyProgress counts responses and invitations answered (officials).
	FindSurveyProgress(ctx context.Context, id int64) (*SurveyProgress, error)
}
