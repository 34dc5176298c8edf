package participation

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

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
		f.Text(name+".text", t, 1, SurveyAnswerTextMax)
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
