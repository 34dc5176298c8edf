package participation

import (
	"context"
	"math"
	"slices"
	"strconv"
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
	AnswerTextMax        = 10000
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

// Step is the survey on its process's timeline: from its opening to its
// closing (unset until then).
func (s *Survey) Step(now time.Time) Step {
	return Step{Kind: StepSurvey, ID: s.ID, Title: s.Title, OpensAt: s.OpenedAt, ClosesAt: s.ClosedAt,
		Status: WindowStatus(s.OpenedAt, s.ClosedAt, now)}
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

// NewChoice is an option or item as an official writes it; ID keeps an
// existing one's id when a draft's questions are replaced.
type NewChoice struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
	TranslationInput
	// CommitmentID is set by the store for items made from commitments.
	CommitmentID *int64 `json:"-"`
}

// NewAxis is an axis as an official writes it.
type NewAxis struct {
	Label string   `json:"label"`
	Min   *float64 `json:"min"`
	Max   *float64 `json:"max"`
}

// NewQuestion is a question as an official writes it. ID keeps an existing
// question's id when a draft's questions are replaced (so that reordering
// keeps them); without it the question is new.
type NewQuestion struct {
	ID       int64       `json:"id"`
	Kind     string      `json:"kind"`
	Prompt   string      `json:"prompt"`
	Required bool        `json:"required"`
	Options  []NewChoice `json:"options"`
	Min      *int        `json:"min"`
	Max      *int        `json:"max"`
	MinLabel *string     `json:"min_label"`
	MaxLabel *string     `json:"max_label"`
	X        *NewAxis    `json:"x"`
	Y        *NewAxis    `json:"y"`
	Items    []NewChoice `json:"items"`
	// ItemsFromCommitments makes one item per draft commitment of the
	// process; the store fills Items from them before validation.
	ItemsFromCommitments bool `json:"items_from_commitments"`
	TranslationInput
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

// validateQuestions checks a survey's questions, recording failures under
// "questions[i].field". Texts without a language of their own take the
// survey's. Ids kept must be among existing and given once. Questions made
// from commitments get their items here: the snapshot of the question they
// keep, else one item per draft.
func validateQuestions(f FieldErrors, qs []NewQuestion, lang string, existing SurveyIDs, drafts []SourceRef) {
	if len(qs) > SurveyQuestionsMax {
		f.Add("questions", RuleMaxChoices, SurveyQuestionsMax)
		return
	}
	// Choice ids are another sequence than question ids: each has its own.
	seenQ, seenC := map[int64]bool{}, map[int64]bool{}
	keep := func(name string, id int64, known, seen map[int64]bool) {
		switch {
		case id == 0:
		case !known[id]:
			f.Add(name+".id", RuleChoice, 0)
		case seen[id]:
			f.Add(name+".id", RuleDuplicate, 0)
		}
		seen[id] = true
	}
	for i := range qs {
		q := &qs[i]
		name := "questions[" + strconv.Itoa(i) + "]"
		keep(name, q.ID, existing.Questions, seenQ)
		if q.ItemsFromCommitments && q.Kind == QuestionGrid2D {
			q.fillFromCommitments(f, name, existing.Snapshots[q.ID], drafts)
		}
		q.validate(f, name, lang)
		for j, c := range q.Options {
			keep(name+".options["+strconv.Itoa(j)+"]", c.ID, existing.Choices, seenC)
		}
		for j, c := range q.Items {
			keep(name+".items["+strconv.Itoa(j)+"]", c.ID, existing.Choices, seenC)
		}
	}
}

// fillFromCommitments gives a question made from commitments its items:
// the snapshot it had, when it keeps an existing question's id, else one
// item per draft commitment now. Items sent with it are not its to set
// (a client sends back the survey it read): they are replaced.
func (q *NewQuestion) fillFromCommitments(f FieldErrors, name string, snapshot []Choice, drafts []SourceRef) {
	q.Items = nil
	if snapshot != nil {
		for _, c := range snapshot {
			lang := c.Language
			q.Items = append(q.Items, NewChoice{ID: c.ID, Label: c.Label, CommitmentID: c.CommitmentID,
				TranslationInput: TranslationInput{Language: &lang, Translations: c.Translations}})
		}
		return
	}
	if len(drafts) == 0 {
		f.Add(name+".items_from_commitments", RuleMinChoices, 1)
		return
	}
	for _, d := range drafts {
		q.Items = append(q.Items, NewChoice{Label: d.Title, CommitmentID: &d.ID})
	}
}

// validate checks one question, named name in the field errors.
func (q *NewQuestion) validate(f FieldErrors, name, lang string) {
	q.Prompt = strings.TrimSpace(q.Prompt)
	f.Text(name+".prompt", q.Prompt, 1, PromptMax)
	if q.Language == nil {
		q.Language = &lang
	}
	sub := FieldErrors{}
	t := q.TranslationInput.Check(sub, questionTranslated)
	f.addUnder(name, sub)
	q.Language, q.Translations = &t.Language, t.Translations
	if !slices.Contains(QuestionKinds, q.Kind) {
		f.Add(name+".kind", RuleChoice, 0)
		return
	}
	// Fields of other kinds are refused, so that an official is not
	// surprised by settings that do nothing.
	other := func(field string, given bool) {
		if given {
			f.Add(name+"."+field, RuleChoice, 0)
		}
	}
	choices := q.Kind == QuestionSingle || q.Kind == QuestionMulti
	other("options", !choices && q.Options != nil)
	scale := q.Kind == QuestionScale
	other("min", !scale && q.Min != nil)
	other("max", !scale && q.Max != nil)
	other("min_label", !scale && q.MinLabel != nil)
	other("max_label", !scale && q.MaxLabel != nil)
	grid := q.Kind == QuestionGrid2D
	other("x", !grid && q.X != nil)
	other("y", !grid && q.Y != nil)
	other("items", !grid && q.Items != nil && !q.ItemsFromCommitments)
	other("items_from_commitments", !grid && q.ItemsFromCommitments)
	switch q.Kind {
	case QuestionSingle, QuestionMulti:
		validateChoices(f, name+".options", q.Options, 2, t.Language)
	case QuestionScale:
		q.validateScale(f, name)
	case QuestionGrid2D:
		validateAxis(f, name+".x", q.X)
		validateAxis(f, name+".y", q.Y)
		validateChoices(f, name+".items", q.Items, 1, t.Language)
	}
}

// validateScale checks a scale's range and end labels.
func (q *NewQuestion) validateScale(f FieldErrors, name string) {
	switch {
	case q.Min == nil:
		f.Add(name+".min", RuleRequired, 0)
	case q.Max == nil:
		f.Add(name+".max", RuleRequired, 0)
	case *q.Min < -ScaleBoundMax || *q.Min > ScaleBoundMax:
		f.Add(name+".min", RuleFormat, 0)
	case *q.Max < -ScaleBoundMax || *q.Max > ScaleBoundMax:
		f.Add(name+".max", RuleFormat, 0)
	case *q.Max <= *q.Min:
		f.Add(name+".max", RuleAfterOpen, 0)
	case *q.Max-*q.Min > ScaleSpanMax:
		f.Add(name+".max", RuleMaxChoices, ScaleSpanMax+1)
	}
	q.MinLabel, q.MaxLabel = trimOptional(q.MinLabel), trimOptional(q.MaxLabel)
	if q.MinLabel != nil {
		f.Text(name+".min_label", *q.MinLabel, 1, ScaleLabelMax)
	}
	if q.MaxLabel != nil {
		f.Text(name+".max_label", *q.MaxLabel, 1, ScaleLabelMax)
	}
}

// validateAxis checks one axis of a grid2d question.
func validateAxis(f FieldErrors, name string, a *NewAxis) {
	if a == nil {
		f.Add(name, RuleRequired, 0)
		return
	}
	a.Label = strings.TrimSpace(a.Label)
	f.Text(name+".label", a.Label, 1, AxisLabelMax)
	bound := func(field string, v *float64) bool {
		switch {
		case v == nil:
			f.Add(name+"."+field, RuleRequired, 0)
		case math.IsNaN(*v) || math.Abs(*v) > AxisBoundMax:
			f.Add(name+"."+field, RuleFormat, 0)
		default:
			return true
		}
		return false
	}
	if bound("min", a.Min) && bound("max", a.Max) && *a.Max <= *a.Min {
		f.Add(name+".max", RuleAfterOpen, 0)
	}
}

// validateChoices checks a question's options or items: at least min,
// labels present and different (ignoring case).
func validateChoices(f FieldErrors, name string, list []NewChoice, min int, lang string) {
	max := ChoicesMax
	if strings.HasSuffix(name, ".items") {
		max = GridItemsMax
	}
	switch {
	case len(list) == 0:
		f.Add(name, RuleRequired, 0)
	case len(list) < min:
		f.Add(name, RuleMinChoices, min)
	case len(list) > max:
		f.Add(name, RuleMaxChoices, max)
	}
	seen := map[string]bool{}
	for i := range list {
		c := &list[i]
		c.Label = strings.TrimSpace(c.Label)
		field := name + "[" + strconv.Itoa(i) + "]"
		f.Text(field+".label", c.Label, 1, ChoiceLabelMax)
		key := strings.ToLower(c.Label)
		if seen[key] && c.CommitmentID == nil { // two drafts may share a title
			f.Add(name, RuleDuplicate, 0)
		}
		seen[key] = true
		if c.Language == nil {
			c.Language = &lang
		}
		sub := FieldErrors{}
		t := c.TranslationInput.Check(sub, choiceTranslated)
		f.addUnder(field, sub)
		c.Language, c.Translations = &t.Language, t.Translations
	}
}

// addUnder records sub's failures in f under prefix + "." + field: a
// nested object's rules name their place in the whole.
func (f FieldErrors) addUnder(prefix string, sub FieldErrors) {
	for field, e := range sub {
		f.Add(prefix+"."+field, e.Rule, e.Limit)
	}
}

// Point is one rated item of a grid2d answer.
type Point struct {
	ItemID int64    `json:"item_id"`
	X      *float64 `json:"x"`
	Y      *float64 `json:"y"`
}

// Answer is a response's answer to one question; which field it uses
// depends on the question's kind.
type Answer struct {
	QuestionID int64    `json:"question_id"`
	OptionIDs  []int64  `json:"option_ids,omitempty"`
	Value      *float64 `json:"value,omitempty"`
	Text       *string  `json:"text,omitempty"`
	Points     []Point  `json:"points,omitempty"`
}

// Response is one respondent's answers to a survey: a draft they may come
// back to until they submit it.
type Response struct {
	ID          int64      `json:"id" db:"id"`
	SurveyID    int64      `json:"survey_id" db:"survey_id"`
	Answers     []Answer   `json:"answers" db:"-"`
	Submitted   bool       `json:"submitted" db:"submitted"`
	SubmittedAt *time.Time `json:"submitted_at" db:"submitted_at"`
	UpdatedAt   time.Time  `json:"updated_at" db:"updated_at"`
	// Municipality is where the respondent said they live, or, for a
	// signed-in account in a survey that is not anonymous, the account's.
	Municipality *string `json:"municipality" db:"municipality"`
}

// NewResponse is what a respondent sends: answers, the municipality they
// may give, and whether this is the final submission (the API's POST always
// submits) or a draft to come back to.
type NewResponse struct {
	Answers      []Answer `json:"answers"`
	Municipality *string  `json:"municipality"`
	Submit       bool     `json:"submit"`
}

// Responder says who answers: the holder of an invitation link when
// InvitationToken is given, else the context's signed-in account (surveys
// that are not anonymous) or verified respondent (anonymous surveys).
type Responder struct {
	InvitationToken string
}

// Validate checks the answers against the survey's questions: each
// answers a question of the survey once, in the question's way; a
// submission answers every required question. Drafts may leave questions
// out. Answers that say nothing (no options, no points, empty text) are
// dropped.
func (n *NewResponse) Validate(s *Survey) error {
	f := FieldErrors{}
	n.Municipality = normalizeMunicipality(f, "municipality", n.Municipality)
	seen := map[int64]bool{}
	kept := n.Answers[:0]
	for i := range n.Answers {
		a := &n.Answers[i]
		name := "answers[" + strconv.Itoa(i) + "]"
		q := s.Question(a.QuestionID)
		switch {
		case q == nil:
			f.Add(name+".question_id", RuleChoice, 0)
			continue
		case seen[q.ID]:
			f.Add(name+".question_id", RuleDuplicate, 0)
			continue
		}
		seen[q.ID] = true
		if a.check(f, name, q) {
			kept = append(kept, *a)
		} else {
			seen[q.ID] = false
		}
	}
	n.Answers = kept
	if n.Submit {
		for i, q := range s.Questions {
			if q.Required && !seen[q.ID] {
				f.Add("questions["+strconv.Itoa(i)+"]", RuleRequired, 0)
			}
		}
	}
	return f.Err()
}

// check checks an answer to q, recording failures under name, and returns
// whether it says anything.
func (a *Answer) check(f FieldErrors, name string, q *Question) bool {
	other := func(field string, given bool) {
		if given {
			f.Add(name+"."+field, RuleChoice, 0)
		}
	}
	other("option_ids", q.Kind != QuestionSingle && q.Kind != QuestionMulti && a.OptionIDs != nil)
	other("value", q.Kind != QuestionScale && a.Value != nil)
	other("text", q.Kind != QuestionText && a.Text != nil)
	other("points", q.Kind != QuestionGrid2D && a.Points != nil)
	switch q.Kind {
	case QuestionSingle, QuestionMulti:
		if len(a.OptionIDs) == 0 {
			return false
		}
		if q.Kind == QuestionSingle && len(a.OptionIDs) > 1 {
			f.Add(name+".option_ids", RuleMaxChoices, 1)
		}
		seen := map[int64]bool{}
		for _, id := range a.OptionIDs {
			if _, ok := q.Option(id); !ok {
				f.Add(name+".option_ids", RuleChoice, 0)
			} else if seen[id] {
				f.Add(name+".option_ids", RuleDuplicate, 0)
			}
			seen[id] = true
		}
		slices.Sort(a.OptionIDs)
	case QuestionScale:
		if a.Value == nil {
			return false
		}
		v := *a.Value
		if v != math.Trunc(v) || v < float64(*q.Min) || v > float64(*q.Max) {
			f.Add(name+".value", RuleChoice, 0)
		}
	case QuestionText:
		if a.Text == nil {
			return false
		}
		t := strings.TrimSpace(*a.Text)
		if t == "" {
			return false
		}
		a.Text = &t
		f.Text(name+".text", t, 1, AnswerTextMax)
	case QuestionGrid2D:
		if len(a.Points) == 0 {
			return false
		}
		seen := map[int64]bool{}
		for j, p := range a.Points {
			pn := name + ".points[" + strconv.Itoa(j) + "]"
			if _, ok := q.Item(p.ItemID); !ok {
				f.Add(pn+".item_id", RuleChoice, 0)
			} else if seen[p.ItemID] {
				f.Add(pn+".item_id", RuleDuplicate, 0)
			}
			seen[p.ItemID] = true
			switch {
			case p.X == nil:
				f.Add(pn+".x", RuleRequired, 0)
			case !q.X.Contains(*p.X):
				f.Add(pn+".x", RuleChoice, 0)
			}
			switch {
			case p.Y == nil:
				f.Add(pn+".y", RuleRequired, 0)
			case !q.Y.Contains(*p.Y):
				f.Add(pn+".y", RuleChoice, 0)
			}
		}
	}
	return true
}

// CheckAnswerer returns EUNAUTHENTICATED unless the caller may answer the
// survey without an invitation: in an anonymous survey a respondent (a
// server-issued token) or a signed-in account, whose response does not
// name it; in the others a signed-in account.
func (s *Survey) CheckAnswerer(a *Account, r *Respondent) error {
	switch {
	case a != nil, s.Anonymous && r != nil:
		return nil
	case s.Anonymous:
		return Errorf(EUNAUTHENTICATED, "Answer with a respondent token, an account or an invitation link.")
	}
	return Errorf(EUNAUTHENTICATED, "Sign in, or use your invitation link, to answer this survey.")
}

// AnswerRecord is one stored piece of an answer: one chosen option, rated
// item (ChoiceID with X and Y), scale value or text. FirstRow marks the
// first record of each answer, so that the store counts the responses that
// answered a question by counting these.
type AnswerRecord struct {
	QuestionID int64    `json:"question_id" db:"question_id"`
	ChoiceID   *int64   `json:"choice_id" db:"choice_id"`
	Value      *int     `json:"value" db:"value"`
	X          *float64 `json:"x" db:"x"`
	Y          *float64 `json:"y" db:"y"`
	Text       *string  `json:"text" db:"text"`
	FirstRow   bool     `json:"first_row" db:"-"`
	// ZX and ZY are a rating's z-scores among the respondent's own ratings
	// in the question (see Standardise), for the relative view.
	ZX *float64 `json:"zx" db:"-"`
	ZY *float64 `json:"zy" db:"-"`
}

// Records returns the validated answers as the records the store keeps.
func (n *NewResponse) Records() []AnswerRecord {
	var out []AnswerRecord
	for _, a := range n.Answers {
		first := len(out)
		for _, id := range a.OptionIDs {
			out = append(out, AnswerRecord{QuestionID: a.QuestionID, ChoiceID: &id})
		}
		if a.Value != nil {
			v := int(*a.Value)
			out = append(out, AnswerRecord{QuestionID: a.QuestionID, Value: &v})
		}
		if a.Text != nil {
			out = append(out, AnswerRecord{QuestionID: a.QuestionID, Text: a.Text})
		}
		xs, ys := make([]float64, len(a.Points)), make([]float64, len(a.Points))
		for i, p := range a.Points {
			xs[i], ys[i] = *p.X, *p.Y
		}
		zx, zy := Standardise(xs), Standardise(ys)
		for i, p := range a.Points {
			out = append(out, AnswerRecord{QuestionID: a.QuestionID, ChoiceID: &p.ItemID, X: p.X, Y: p.Y, ZX: &zx[i], ZY: &zy[i]})
		}
		if len(out) > first {
			out[first].FirstRow = true
		}
	}
	return out
}

// Standardise returns each value's z-score among vs: its distance from
// their mean in population standard deviations. Values that do not vary
// (one value, or all alike) score 0: such a respondent ranks nothing above
// anything else. The relative view averages these, so that a respondent
// who rates everything high counts as much as one who rates low.
func Standardise(vs []float64) []float64 {
	z := make([]float64, len(vs))
	if len(vs) == 0 || !slices.ContainsFunc(vs, func(v float64) bool { return v != vs[0] }) {
		return z
	}
	var mean, ss float64
	for _, v := range vs {
		mean += v
	}
	mean /= float64(len(vs))
	for _, v := range vs {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(len(vs)))
	for i, v := range vs {
		z[i] = (v - mean) / sd
	}
	return z
}

// AnswersFrom rebuilds a response's answers from its records, in the
// order of the survey's questions.
func AnswersFrom(s *Survey, recs []AnswerRecord) []Answer {
	byQuestion := map[int64]*Answer{}
	for _, r := range recs {
		a := byQuestion[r.QuestionID]
		if a == nil {
			a = &Answer{QuestionID: r.QuestionID}
			byQuestion[r.QuestionID] = a
		}
		switch {
		case r.ChoiceID != nil && r.X != nil:
			a.Points = append(a.Points, Point{ItemID: *r.ChoiceID, X: r.X, Y: r.Y})
		case r.ChoiceID != nil:
			a.OptionIDs = append(a.OptionIDs, *r.ChoiceID)
		case r.Value != nil:
			v := float64(*r.Value)
			a.Value = &v
		case r.Text != nil:
			a.Text = r.Text
		}
	}
	out := []Answer{}
	for _, q := range s.Questions {
		if a := byQuestion[q.ID]; a != nil {
			out = append(out, *a)
		}
	}
	return out
}

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

// ResultFilter chooses how results are computed: Relative standardises
// each respondent's grid ratings first; Municipality counts only the
// responses from there.
type ResultFilter struct {
	Relative     bool
	Municipality string
}

// Validate writes the municipality as responses keep it: a known one in
// its Finnish form, so that "Helsingfors" finds the responses from Helsinki.
func (f *ResultFilter) Validate() error {
	fe := FieldErrors{}
	m := f.Municipality
	if n := normalizeMunicipality(fe, "municipality", &m); n != nil {
		f.Municipality = *n
	} else {
		f.Municipality = ""
	}
	return fe.Err()
}

// CheckShown returns EFORBIDDEN when viewer, not an official, filters by a
// municipality that fewer than FilterMunicipalityMin of the responses come
// from: so few could tell whose answers they are.
func (f *ResultFilter) CheckShown(responses int, viewer *Account) error {
	if f.Municipality == "" || viewer.HasRole(RoleOfficial) || responses >= FilterMunicipalityMin {
		return nil
	}
	return Errorf(EFORBIDDEN, "Fewer than %d responses come from this municipality: their results are not shown apart.", FilterMunicipalityMin)
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
