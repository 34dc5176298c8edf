package server

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"osallistu/participation"
)

// The question form of the builder: one page per question, new or edited,
// with the fields of its kind. A draft's questions are saved as a whole
// list (SurveyPatch.Questions), so a change to one question sends the
// others as they are, each keeping its id.

// blankChoiceRows are the empty option or item rows the form offers, so
// that adding them needs no JavaScript.
const blankChoiceRows = 3

// questionFormData is the question form.
type questionFormData struct {
	Survey     surveyView
	Question   *participation.Question // nil for a new question
	Kind       string
	OtherLangs []string // the languages of the translation fields
	Rows       []choiceRow
	Labels     map[string]surveyFieldLabel
}

// choiceRow is one row of the form's options or items; ID is set for an
// existing one.
type choiceRow struct {
	N  int
	ID int64
}

// Action is where the form posts.
func (d *questionFormData) Action() string {
	if d.Question != nil {
		return "/surveys/" + itoa(d.Survey.ID) + "/questions/" + itoa(d.Question.ID)
	}
	return "/surveys/" + itoa(d.Survey.ID) + "/questions"
}

// RowPrefix names the rows' fields: "option" for a choice question, "item"
// for a two-axis one.
func (d *questionFormData) RowPrefix() string {
	if d.Kind == participation.QuestionGrid2D {
		return "item"
	}
	return "option"
}

// HasRows reports whether the kind has options or items.
func (d *questionFormData) HasRows() bool {
	return d.Kind == participation.QuestionSingle || d.Kind == participation.QuestionMulti || d.Kind == participation.QuestionGrid2D
}

// textFields are the translatable fields of a kind, as the form names them.
func textFields(kind string) []string {
	switch kind {
	case participation.QuestionScale:
		return []string{"prompt", "min_label", "max_label"}
	case participation.QuestionGrid2D:
		return []string{"prompt", "x_label", "y_label"}
	}
	return []string{"prompt"}
}

// domainField is the domain's name of a form's text field: "x_label" is
// the axis's "x.label".
func domainField(f string) string {
	switch f {
	case "x_label":
		return "x.label"
	case "y_label":
		return "y.label"
	}
	return f
}

// questionLabels name the question form's fields for the error summary.
func questionLabels(kind string, rows []choiceRow) map[string]surveyFieldLabel {
	m := map[string]surveyFieldLabel{"options": {Key: "survey.field.options"}, "items": {Key: "survey.field.items"},
		"required": {Key: "survey.field.required"}, "items_source": {Key: "survey.field.items_source"}}
	for _, f := range []string{"min", "max", "x_min", "x_max", "y_min", "y_max"} {
		m[f] = surveyFieldLabel{Key: "survey.field." + f}
	}
	for _, f := range []string{"prompt", "min_label", "max_label", "x_label", "y_label"} {
		m[f] = surveyFieldLabel{Key: "survey.field." + f}
		for _, l := range participation.ContentLanguages {
			m[f+"_"+l] = surveyFieldLabel{Key: "survey.field." + f + "_in", Lang: l}
		}
	}
	prefix := "option"
	if kind == participation.QuestionGrid2D {
		prefix = "item"
	}
	for _, r := range rows {
		name := prefix + "_" + strconv.Itoa(r.N)
		m[name] = surveyFieldLabel{Key: "survey.field." + prefix, N: r.N}
		for _, l := range participation.ContentLanguages {
			m[name+"_"+l] = surveyFieldLabel{Key: "survey.field." + prefix + "_in", N: r.N, Lang: l}
		}
	}
	return m
}

// newQuestionFormData is the form of question q (nil for a new one of kind).
func newQuestionFormData(sv *participation.Survey, q *participation.Question, kind, lang string, rowIDs []int64, filled int) *questionFormData {
	n := max(len(rowIDs), filled) + blankChoiceRows
	rows := make([]choiceRow, n)
	for i := range rows {
		rows[i] = choiceRow{N: i + 1}
		if i < len(rowIDs) {
			rows[i].ID = rowIDs[i]
		}
	}
	return &questionFormData{Survey: newSurveyView(sv, lang), Question: q, Kind: kind, OtherLangs: otherLanguages(sv.OwnLanguage()),
		Rows: rows, Labels: questionLabels(kind, rows)}
}

// questionValues are an existing question as the form shows it, and the
// ids of its option or item rows.
func questionValues(q *participation.Question) (map[string]string, []int64) {
	form := map[string]string{"prompt": q.Prompt}
	if q.Required {
		form["required"] = "yes"
	}
	for l, fields := range q.Translations {
		for f, text := range fields {
			form[strings.ReplaceAll(f, ".", "_")+"_"+l] = text
		}
	}
	if q.Min != nil && q.Max != nil {
		form["min"], form["max"] = strconv.Itoa(*q.Min), strconv.Itoa(*q.Max)
	}
	if q.MinLabel != nil {
		form["min_label"] = *q.MinLabel
	}
	if q.MaxLabel != nil {
		form["max_label"] = *q.MaxLabel
	}
	if q.X != nil && q.Y != nil {
		form["x_label"], form["x_min"], form["x_max"] = q.X.Label, formatFloat(q.X.Min), formatFloat(q.X.Max)
		form["y_label"], form["y_min"], form["y_max"] = q.Y.Label, formatFloat(q.Y.Min), formatFloat(q.Y.Max)
	}
	prefix, rows := "option", q.Options
	if q.Kind == participation.QuestionGrid2D {
		prefix, rows = "item", q.Items
		form["items_source"] = "own"
		if q.ItemsFromCommitments {
			form["items_source"], rows = "commitments", nil
		}
	}
	ids := make([]int64, len(rows))
	for i, c := range rows {
		n := prefix + "_" + strconv.Itoa(i+1)
		ids[i] = c.ID
		form[n] = c.Label
		form[n+"_id"] = itoa(c.ID)
		for l, fields := range c.Translations {
			if text := fields["label"]; text != "" {
				form[n+"_"+l] = text
			}
		}
	}
	return form, ids
}

// defaultQuestionValues are a new question's starting values: a two-axis
// question rates importance and feasibility from 1 to 5, as the seed's
// survey did, named in the survey's language and translated into the others.
func (s *Server) defaultQuestionValues(kind, own string) map[string]string {
	form := map[string]string{}
	switch kind {
	case participation.QuestionScale:
		form["min"], form["max"] = "1", "5"
	case participation.QuestionGrid2D:
		form["x_min"], form["x_max"], form["y_min"], form["y_max"] = "1", "5", "1", "5"
		form["items_source"] = "own"
		for _, l := range participation.ContentLanguages {
			loc := i18n.NewLocalizer(s.pages.bundle, l)
			suffix := "_" + l
			if l == own {
				suffix = ""
			}
			form["x_label"+suffix] = translate(loc, "survey.default_x_label")
			form["y_label"+suffix] = translate(loc, "survey.default_y_label")
		}
	}
	return form
}

// questionForm reads the question form into a question of kind. own is
// the survey's language, whose translation fields are left out of the
// form. It returns the question, the form's values to show again, the row
// number of each option or item sent, and the errors of values that are
// not numbers.
func questionForm(c *fiber.Ctx, kind, own string) (participation.NewQuestion, map[string]string, []int, participation.FieldErrors) {
	names := []string{"prompt", "required", "min", "max", "min_label", "max_label", "x_label", "x_min", "x_max", "y_label", "y_min", "y_max", "items_source"}
	for _, f := range textFields(kind) {
		for _, l := range participation.ContentLanguages {
			names = append(names, f+"_"+l)
		}
	}
	form := formValues(c, names...)
	errs := participation.FieldErrors{}
	q := participation.NewQuestion{Kind: kind, Prompt: form["prompt"], Required: form["required"] == "yes"}
	q.Translations = surveyFormTranslations(form, textFields(kind), own, errs)
	switch kind {
	case participation.QuestionScale:
		q.Min, q.Max = formInt(form, "min", errs), formInt(form, "max", errs)
		q.MinLabel, q.MaxLabel = optional(form["min_label"]), optional(form["max_label"])
	case participation.QuestionGrid2D:
		q.X = &participation.NewAxis{Label: form["x_label"], Min: formFloat(form, "x_min", errs), Max: formFloat(form, "x_max", errs)}
		q.Y = &participation.NewAxis{Label: form["y_label"], Min: formFloat(form, "y_min", errs), Max: formFloat(form, "y_max", errs)}
		q.ItemsFromCommitments = form["items_source"] == "commitments"
	}
	var rowOf []int
	if kind == participation.QuestionSingle || kind == participation.QuestionMulti || (kind == participation.QuestionGrid2D && !q.ItemsFromCommitments) {
		prefix, most := "option", participation.ChoicesMax
		if kind == participation.QuestionGrid2D {
			prefix, most = "item", participation.GridItemsMax
		}
		list := []participation.NewChoice{}
		for n := 1; n <= most+blankChoiceRows; n++ {
			name := prefix + "_" + strconv.Itoa(n)
			if !c.Request().PostArgs().Has(name) {
				break
			}
			row := []string{name, name + "_id"}
			for _, l := range participation.ContentLanguages {
				row = append(row, name+"_"+l)
			}
			for k, v := range formValues(c, row...) {
				form[k] = v
			}
			id, _ := strconv.ParseInt(form[name+"_id"], 10, 64)
			tr := participation.Translations{}
			for _, l := range participation.ContentLanguages {
				if text := form[name+"_"+l]; text != "" {
					if l == own {
						errs.Add(name+"_"+l, ruleSameLanguage, 0)
						continue
					}
					tr[l] = map[string]string{"label": text}
				}
			}
			if form[name] == "" && len(tr) == 0 {
				continue // a blank row, or one emptied to leave its option out
			}
			list = append(list, participation.NewChoice{ID: id, Label: form[name], TranslationInput: participation.TranslationInput{Translations: tr}})
			rowOf = append(rowOf, n)
		}
		if kind == participation.QuestionGrid2D {
			q.Items = list
		} else {
			q.Options = list
		}
	}
	if len(errs) == 0 {
		errs = nil
	}
	return q, form, rowOf, errs
}

// surveyFormTranslations reads the translation fields of fields ("prompt_sv")
// into translations; one in the text's own language is its field's error.
func surveyFormTranslations(form map[string]string, fields []string, own string, errs participation.FieldErrors) participation.Translations {
	tr := participation.Translations{}
	for _, f := range fields {
		for _, l := range participation.ContentLanguages {
			text := form[f+"_"+l]
			if text == "" {
				continue
			}
			if l == own {
				errs.Add(f+"_"+l, ruleSameLanguage, 0)
				continue
			}
			if tr[l] == nil {
				tr[l] = map[string]string{}
			}
			tr[l][domainField(f)] = text
		}
	}
	return tr
}

// formInt reads a whole number field; empty is nil (the domain says
// whether it is required).
func formInt(form map[string]string, name string, errs participation.FieldErrors) *int {
	if form[name] == "" {
		return nil
	}
	v, err := strconv.Atoi(form[name])
	if err != nil {
		errs.Add(name, participation.RuleFormat, 0)
		return nil
	}
	return &v
}

// formFloat reads a number field, with a decimal point or comma.
func formFloat(form map[string]string, name string, errs participation.FieldErrors) *float64 {
	if form[name] == "" {
		return nil
	}
	v, ok := parseNumber(form[name])
	if !ok {
		errs.Add(name, participation.RuleFormat, 0)
		return nil
	}
	return &v
}

var questionErrorField = regexp.MustCompile(`^questions\[(\d+)\](?:\.(.+))?$`)
var rowErrorField = regexp.MustCompile(`^(options|items)\[(\d+)\](?:\.(.+))?$`)

// questionErrors names the domain's errors of the question at index qi by
// the form's fields; rowOf gives the form's row of each option or item
// sent. An error of another question, or of nothing the form has, is the
// form's.
func questionErrors(err error, qi int, rowOf []int) error {
	var de *participation.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	fields := participation.FieldErrors{}
	for name, fe := range de.Fields {
		field := "_form"
		if m := questionErrorField.FindStringSubmatch(name); m != nil && m[1] == strconv.Itoa(qi) {
			if f := questionFormField(m[2], rowOf); f != "" {
				field = f
			}
		}
		if field == "_form" {
			fe = participation.FieldError{Rule: ruleAnswerInvalid}
		}
		fields.Add(field, fe.Rule, fe.Limit)
	}
	return &participation.Error{Code: de.Code, Message: de.Message, Fields: fields}
}

// questionFormField returns the form's field for the domain's field of a
// question ("x.min" → "x_min", "options[2].label" → "option_3"), or "".
func questionFormField(rest string, rowOf []int) string {
	if m := surveyTranslationField.FindStringSubmatch(rest); m != nil {
		return strings.ReplaceAll(m[2], ".", "_") + "_" + m[1]
	}
	if m := rowErrorField.FindStringSubmatch(rest); m != nil {
		j, _ := strconv.Atoi(m[2])
		if j >= len(rowOf) {
			return m[1]
		}
		name := strings.TrimSuffix(m[1], "s") + "_" + strconv.Itoa(rowOf[j])
		if t := surveyTranslationField.FindStringSubmatch(m[3]); t != nil {
			return name + "_" + t[1]
		}
		return name
	}
	switch rest {
	case "prompt", "min", "max", "min_label", "max_label", "options", "items":
		return rest
	case "x", "x.label":
		return "x_label"
	case "y", "y.label":
		return "y_label"
	case "x.min", "x.max", "y.min", "y.max":
		return strings.Replace(rest, ".", "_", 1)
	case "items_from_commitments":
		return "items_source"
	}
	return ""
}
