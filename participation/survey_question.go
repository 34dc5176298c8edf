package participation

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

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
