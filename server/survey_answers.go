package server

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The answer form of a survey: its questions as the respondent sees them
// (in the page's language, with what they answered so far), and reading the
// form back into answers. One form field per question, named "q<id>"; a
// two-axis question has two per item, "q<id>_<item id>_x" and "_y", written
// alike by its radio buttons (or number fields) and by grid2d.js's plane.

// surveyView is a survey in the page's language.
type surveyView struct {
	*participation.Survey
	Title       participation.LocalText
	Description participation.LocalText
}

func newSurveyView(s *participation.Survey, lang string) surveyView {
	return surveyView{Survey: s, Title: s.In(lang, "title", s.Title), Description: s.In(lang, "description", s.Description)}
}

// surveyQuestionView is a question in the page's language, with the answer given
// so far.
type surveyQuestionView struct {
	*participation.Question
	N        int    // its number, from 1
	Field    string // its form field and the id of its fieldset: "q<id>"
	Prompt   participation.LocalText
	MinLabel *participation.LocalText
	MaxLabel *participation.LocalText
	Options  []choiceView
	Scale    []scaleStep // a scale's values, when few enough for radio buttons
	ScaleMin string      // a scale's range
	ScaleMax string
	X, Y     axisView
	Items    []itemView
	Value    string // a scale's value or a text answer
}

// choiceView is an option, checked when chosen.
type choiceView struct {
	ID      int64
	Label   participation.LocalText
	Checked bool
}

// scaleStep is one value of a scale or axis, checked when chosen.
type scaleStep struct {
	Value   string
	Checked bool
}

// axisView is an axis of a two-axis question: its label, its range, and
// its values when the respondent picks one of a few whole numbers (else a
// number field takes any value on it).
type axisView struct {
	Label    participation.LocalText
	Min, Max string
	Steps    []string
}

// itemView is an item of a two-axis question with the values given it.
type itemView struct {
	ID     int64
	Field  string // "q<id>_<item id>": its fields add "_x" and "_y"
	Label  participation.LocalText
	X, Y   string
	XSteps []scaleStep
	YSteps []scaleStep
}

// Rated reports whether the item has a value on both axes.
func (i itemView) Rated() bool { return i.X != "" && i.Y != "" }

// maxRadioSteps is the most values a scale or axis offers as radio buttons;
// a longer one is a number field.
const maxRadioSteps = 11

// answerState is what a respondent has answered to one question, as the
// form's text: chosen options, a value or text, an item's two values.
type answerState struct {
	Chosen map[int64]bool
	Value  string
	Points map[int64][2]string
}

// answerStates are a response's answers by question id.
type answerStates map[int64]*answerState

func (a answerStates) of(id int64) *answerState {
	if st, ok := a[id]; ok {
		return st
	}
	st := &answerState{Chosen: map[int64]bool{}, Points: map[int64][2]string{}}
	a[id] = st
	return st
}

// statesOf returns a saved response's answers as the form shows them.
func statesOf(r *participation.Response) answerStates {
	out := answerStates{}
	if r == nil {
		return out
	}
	for _, a := range r.Answers {
		st := out.of(a.QuestionID)
		for _, id := range a.OptionIDs {
			st.Chosen[id] = true
		}
		if a.Value != nil {
			st.Value = formatFloat(*a.Value)
		}
		if a.Text != nil {
			st.Value = *a.Text
		}
		for _, p := range a.Points {
			var xy [2]string
			if p.X != nil {
				xy[0] = formatFloat(*p.X)
			}
			if p.Y != nil {
				xy[1] = formatFloat(*p.Y)
			}
			st.Points[p.ItemID] = xy
		}
	}
	return out
}

// formatFloat writes a value as the form's fields do: no exponent, no
// trailing zeros, a point for decimals.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// axisSteps returns an axis's values for radio buttons: the whole numbers
// from min to max when there are few, else nil (a number field instead).
func axisSteps(min, max float64) []string {
	if min != math.Trunc(min) || max != math.Trunc(max) || max-min+1 > maxRadioSteps {
		return nil
	}
	out := make([]string, 0, int(max-min)+1)
	for v := min; v <= max; v++ {
		out = append(out, formatFloat(v))
	}
	return out
}

func checkedSteps(steps []string, chosen string) []scaleStep {
	out := make([]scaleStep, len(steps))
	for i, v := range steps {
		out[i] = scaleStep{Value: v, Checked: v == chosen}
	}
	return out
}

// questionViews returns the survey's questions in lang with the answers of states.
func questionViews(s *participation.Survey, lang string, states answerStates) []surveyQuestionView {
	out := make([]surveyQuestionView, len(s.Questions))
	for i := range s.Questions {
		q := &s.Questions[i]
		st := states.of(q.ID)
		v := surveyQuestionView{Question: q, N: i + 1, Field: "q" + itoa(q.ID), Prompt: q.In(lang, "prompt", q.Prompt), Value: st.Value}
		for _, o := range q.Options {
			v.Options = append(v.Options, choiceView{ID: o.ID, Label: o.In(lang, "label", o.Label), Checked: st.Chosen[o.ID]})
		}
		if q.MinLabel != nil {
			l := q.In(lang, "min_label", *q.MinLabel)
			v.MinLabel = &l
		}
		if q.MaxLabel != nil {
			l := q.In(lang, "max_label", *q.MaxLabel)
			v.MaxLabel = &l
		}
		if q.Kind == participation.QuestionScale && q.Min != nil && q.Max != nil {
			v.ScaleMin, v.ScaleMax = strconv.Itoa(*q.Min), strconv.Itoa(*q.Max)
			v.Scale = checkedSteps(axisSteps(float64(*q.Min), float64(*q.Max)), st.Value)
		}
		if q.X != nil && q.Y != nil {
			v.X = axisView{Label: q.In(lang, "x.label", q.X.Label), Min: formatFloat(q.X.Min), Max: formatFloat(q.X.Max), Steps: axisSteps(q.X.Min, q.X.Max)}
			v.Y = axisView{Label: q.In(lang, "y.label", q.Y.Label), Min: formatFloat(q.Y.Min), Max: formatFloat(q.Y.Max), Steps: axisSteps(q.Y.Min, q.Y.Max)}
			for _, it := range q.Items {
				xy := st.Points[it.ID]
				v.Items = append(v.Items, itemView{ID: it.ID, Field: v.Field + "_" + itoa(it.ID), Label: it.In(lang, "label", it.Label),
					X: xy[0], Y: xy[1], XSteps: checkedSteps(v.X.Steps, xy[0]), YSteps: checkedSteps(v.Y.Steps, xy[1])})
			}
		}
		out[i] = v
	}
	return out
}

// Rules of the answer form's own: an item with a value on one axis only,
// and a number that is not one.
const (
	ruleBothAxes = "survey_both_axes"
	ruleNumber   = "survey_number"
	// ruleAnswerInvalid is a form-level error that names no question.
	ruleAnswerInvalid = "survey_answer_invalid"
)

// surveyReadAnswers reads the answer form of survey s: the answers to send, the
// question each answer is for (to name errors by question), what the form
// said (to show it again) and the errors of values that are not numbers
// or rate an item on one axis only.
func surveyReadAnswers(c *fiber.Ctx, s *participation.Survey) ([]participation.Answer, answerStates, participation.FieldErrors) {
	var answers []participation.Answer
	states := answerStates{}
	errs := participation.FieldErrors{}
	for i := range s.Questions {
		q := &s.Questions[i]
		field := "q" + itoa(q.ID)
		st := states.of(q.ID)
		a := participation.Answer{QuestionID: q.ID}
		switch q.Kind {
		case participation.QuestionSingle, participation.QuestionMulti:
			for _, raw := range formList(c, field) {
				id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
				if err != nil {
					errs.Add(field, participation.RuleChoice, 0)
					continue
				}
				st.Chosen[id] = true
				a.OptionIDs = append(a.OptionIDs, id)
			}
			if len(a.OptionIDs) == 0 {
				continue
			}
		case participation.QuestionScale:
			st.Value = strings.TrimSpace(copyString(c.FormValue(field)))
			if st.Value == "" {
				continue
			}
			v, ok := parseNumber(st.Value)
			if !ok {
				errs.Add(field, ruleNumber, 0)
				continue
			}
			a.Value = &v
		case participation.QuestionText:
			st.Value = strings.TrimSpace(copyString(c.FormValue(field)))
			if st.Value == "" {
				continue
			}
			text := st.Value
			a.Text = &text
		case participation.QuestionGrid2D:
			for _, it := range q.Items {
				name := field + "_" + itoa(it.ID)
				xs := strings.TrimSpace(copyString(c.FormValue(name + "_x")))
				ys := strings.TrimSpace(copyString(c.FormValue(name + "_y")))
				st.Points[it.ID] = [2]string{xs, ys}
				if xs == "" && ys == "" {
					continue // skipped
				}
				if xs == "" || ys == "" {
					errs.Add(field, ruleBothAxes, 0)
					continue
				}
				x, okX := parseNumber(xs)
				y, okY := parseNumber(ys)
				if !okX || !okY {
					errs.Add(field, ruleNumber, 0)
					continue
				}
				a.Points = append(a.Points, participation.Point{ItemID: it.ID, X: &x, Y: &y})
			}
			if len(a.Points) == 0 {
				continue
			}
		}
		answers = append(answers, a)
	}
	if len(errs) == 0 {
		errs = nil
	}
	return answers, states, errs
}

// parseNumber reads a number as people write it, with a decimal point or,
// as in Finnish and Swedish, a comma.
func parseNumber(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

var answerField = regexp.MustCompile(`^(answers|questions)\[(\d+)\]`)

// surveyAnswerErrors names the domain's errors of a response by the form's
// fields: "answers[i]..." by the question of the i-th answer sent,
// "questions[i]" by the survey's i-th question. Any other error is passed
// on as it is.
func surveyAnswerErrors(err error, s *participation.Survey, sent []participation.Answer) error {
	var de *participation.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	fields := participation.FieldErrors{}
	for name, fe := range de.Fields {
		m := answerField.FindStringSubmatch(name)
		if m == nil {
			fields.Add(name, fe.Rule, fe.Limit)
			continue
		}
		i, _ := strconv.Atoi(m[2])
		var qid int64
		switch {
		case m[1] == "answers" && i < len(sent):
			qid = sent[i].QuestionID
		case m[1] == "questions" && i < len(s.Questions):
			qid = s.Questions[i].ID
		default:
			fields.Add("_form", ruleAnswerInvalid, 0)
			continue
		}
		// A question's first error is the one it shows; a missing answer
		// says the most.
		if _, taken := fields["q"+itoa(qid)]; !taken || fe.Rule == participation.RuleRequired {
			fields["q"+itoa(qid)] = fe
		}
	}
	return &participation.Error{Code: de.Code, Message: de.Message, Fields: fields}
}
