package server

import (
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The official's pages of a survey: a new survey, and the builder (its
// settings, its questions in order, opening and closing). Every change is
// a plain form post, so that the builder works without JavaScript; the
// question form is in survey_question_form.go, the changes to the
// questions in survey_question_pages.go, and the progress page with the
// invitations in survey_progress_pages.go.

// surveyFieldLabel names a form field in the error summary: a translation key,
// the row number of an option or item, and the language of a translation.
type surveyFieldLabel struct {
	Key  string
	N    int
	Lang string
}

// surveyBuilderData is the new survey form and the builder.
type surveyBuilderData struct {
	Process *participation.Process // the new survey's; nil in the builder
	Survey  *surveyView            // nil for a new survey
	// Questions are the survey's questions, in order.
	Questions []surveyQuestionView
	// Kinds are the kinds of question the builder offers.
	Kinds []string
	// LanguageOptions are the languages a survey's texts may be written
	// in, and OtherLangs those of its translation fields: the others than
	// its own.
	LanguageOptions []selectOption
	OtherLangs      []string
	Labels          map[string]surveyFieldLabel
}

// ProcessSlug and ProcessTitle name the survey's process, for the links back.
func (d *surveyBuilderData) ProcessSlug() string {
	if d.Survey != nil {
		return d.Survey.ProcessSlug
	}
	return d.Process.Slug
}

// ProcessTitle is the title of the survey's process.
func (d *surveyBuilderData) ProcessTitle() string {
	if d.Survey != nil {
		return d.Survey.ProcessTitle
	}
	return d.Process.Title
}

// Action is where the settings form posts.
func (d *surveyBuilderData) Action() string {
	if d.Survey != nil {
		return "/surveys/" + itoa(d.Survey.ID) + "/settings"
	}
	return "/processes/" + d.Process.Slug + "/surveys"
}

// Draft reports whether the survey can still be changed.
func (d *surveyBuilderData) Draft() bool {
	return d.Survey == nil || d.Survey.Status == participation.SurveyDraft
}

// otherLanguages are the content languages other than own (Finnish when
// own is none of them).
func otherLanguages(own string) []string {
	if !slices.Contains(participation.ContentLanguages, own) {
		own = "fi"
	}
	var out []string
	for _, l := range participation.ContentLanguages {
		if l != own {
			out = append(out, l)
		}
	}
	return out
}

// translationLangs are the languages whose translation fields a form
// shows: the others than own, and own too where the form has a text in
// it, so that its error shows beside it.
func translationLangs(own string, form map[string]string) []string {
	out := otherLanguages(own)
	for k, v := range form {
		if strings.HasSuffix(k, "_"+own) && v != "" && slices.Contains(participation.ContentLanguages, own) {
			return append([]string{own}, out...)
		}
	}
	return out
}

// settingsLabels name the settings form's fields.
func settingsLabels() map[string]surveyFieldLabel {
	m := map[string]surveyFieldLabel{}
	for _, f := range []string{"title", "description", "language", "anonymous"} {
		m[f] = surveyFieldLabel{Key: "survey.field." + f}
	}
	for _, l := range participation.ContentLanguages {
		m["title_"+l] = surveyFieldLabel{Key: "survey.field.title_in", Lang: l}
		m["description_"+l] = surveyFieldLabel{Key: "survey.field.description_in", Lang: l}
	}
	return m
}

func newBuilderData(p *participation.Process, sv *participation.Survey, lang, ownLang string) *surveyBuilderData {
	d := &surveyBuilderData{Process: p, Kinds: participation.QuestionKinds, LanguageOptions: languageOptions(), OtherLangs: otherLanguages(ownLang), Labels: settingsLabels()}
	if sv != nil {
		v := newSurveyView(sv, lang)
		d.Survey = &v
		d.Questions = questionViews(sv, lang, answerStates{})
	}
	return d
}

// settingsForm reads the settings form: the survey's own texts, who may
// answer, the language of its texts and their translations. A translation
// in the texts' own language is the field's error: it would be lost.
func settingsForm(c *fiber.Ctx) (participation.NewSurvey, map[string]string, participation.FieldErrors) {
	names := []string{"title", "description", "language", "anonymous"}
	for _, l := range participation.ContentLanguages {
		names = append(names, "title_"+l, "description_"+l)
	}
	form := formValues(c, names...)
	errs := participation.FieldErrors{}
	n := participation.NewSurvey{Title: form["title"], Description: form["description"]}
	switch form["anonymous"] {
	case "yes", "no":
		anonymous := form["anonymous"] == "yes"
		n.Anonymous = &anonymous
	case "":
		errs.Add("anonymous", participation.RuleRequired, 0)
	default:
		errs.Add("anonymous", participation.RuleChoice, 0)
	}
	own := form["language"]
	n.Language = &own
	for _, l := range participation.ContentLanguages {
		for _, f := range []string{"title", "description"} {
			text := form[f+"_"+l]
			if text == "" {
				continue
			}
			if l == own {
				errs.Add(f+"_"+l, ruleSameLanguage, 0)
				continue
			}
			if n.Translations == nil {
				n.Translations = participation.Translations{}
			}
			if n.Translations[l] == nil {
				n.Translations[l] = map[string]string{}
			}
			n.Translations[l][f] = text
		}
	}
	if len(errs) == 0 {
		errs = nil
	}
	return n, form, errs
}

// ruleSameLanguage is a translation given in the text's own language.
const ruleSameLanguage = "survey_same_language"

var surveyTranslationField = regexp.MustCompile(`^translations\.([a-z]+)\.(.+)$`)

// settingsErrors names the domain's errors of a survey's settings by the
// form's fields; an error of anything else (a question's) is the form's.
func settingsErrors(err error) error {
	var de *participation.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	fields := participation.FieldErrors{}
	for name, fe := range de.Fields {
		switch m := surveyTranslationField.FindStringSubmatch(name); {
		case m != nil:
			name = m[2] + "_" + m[1]
		case slices.Contains([]string{"title", "description", "language", "anonymous"}, name):
		default:
			name, fe = "_form", participation.FieldError{Rule: ruleAnswerInvalid}
		}
		fields.Add(name, fe.Rule, fe.Limit)
	}
	return &participation.Error{Code: de.Code, Message: de.Message, Fields: fields}
}

// withFieldErrors adds the form's own errors (values it could not read)
// to err, the domain's errors of the rest of the form, so that the page
// shows every error at once; the form's own come first.
func withFieldErrors(own participation.FieldErrors, err error) error {
	var de *participation.Error
	if err != nil && (!errors.As(err, &de) || len(de.Fields) == 0) {
		return err
	}
	fields := participation.FieldErrors{}
	for k, v := range own {
		fields[k] = v
	}
	if de != nil {
		for k, v := range de.Fields {
			fields.Add(k, v.Rule, v.Limit)
		}
	}
	return fields.Err()
}

// settingsValues are a survey's settings as the form shows them.
func settingsValues(sv *participation.Survey) map[string]string {
	form := map[string]string{"title": sv.Title, "description": sv.Description, "language": sv.OwnLanguage(), "anonymous": "no"}
	if sv.Anonymous {
		form["anonymous"] = "yes"
	}
	for l, fields := range sv.Translations {
		for f, text := range fields {
			form[f+"_"+l] = text
		}
	}
	return form
}

func (s *Server) newSurveyPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	lang := requestLang(c)
	return s.render(c, fiber.StatusOK, "survey_new", newBuilderData(p, nil, lang, lang), map[string]string{"language": lang}, nil)
}

func (s *Server) createSurveyForm(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	n, form, errs := settingsForm(c)
	var sv *participation.Survey
	if errs == nil {
		sv, err = s.svc.Surveys.CreateSurvey(c.UserContext(), p.Slug, n)
		err = settingsErrors(err)
	} else {
		verr := n.Validate()
		err = withFieldErrors(errs, settingsErrors(verr))
	}
	if err != nil {
		d := newBuilderData(p, nil, requestLang(c), form["language"])
		d.OtherLangs = translationLangs(form["language"], form)
		return s.formError(c, "survey_new", d, form, err)
	}
	s.flash(c, "survey_created")
	return redirect(c, "/surveys/"+itoa(sv.ID)+"/edit")
}

// officialSurvey loads the path's survey for an official.
func (s *Server) officialSurvey(c *fiber.Ctx) (*participation.Survey, error) {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return nil, err
	}
	return s.findSurvey(c)
}

func (s *Server) surveyBuilderPage(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "survey_edit", newBuilderData(nil, sv, requestLang(c), sv.OwnLanguage()), settingsValues(sv), nil)
}

func (s *Server) updateSurveySettings(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	if err := sv.CheckEditable(); err != nil {
		return err
	}
	n, form, errs := settingsForm(c)
	tr := n.Translations
	if tr == nil {
		tr = participation.Translations{}
	}
	patch := participation.SurveyPatch{Title: &n.Title, Description: &n.Description, Anonymous: n.Anonymous, Language: n.Language, Translations: &tr}
	if errs == nil {
		_, err = s.svc.Surveys.UpdateSurvey(c.UserContext(), sv.ID, patch)
		err = settingsErrors(err)
	} else {
		_, _, verr := patch.Apply(sv, nil)
		err = withFieldErrors(errs, settingsErrors(verr))
	}
	if err != nil {
		d := newBuilderData(nil, sv, requestLang(c), form["language"])
		d.OtherLangs = translationLangs(form["language"], form)
		return s.formError(c, "survey_edit", d, form, err)
	}
	s.flash(c, "survey_saved_settings")
	return redirect(c, "/surveys/"+itoa(sv.ID)+"/edit")
}

func (s *Server) openSurveyForm(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	if _, err := s.svc.Surveys.OpenSurvey(c.UserContext(), sv.ID); err != nil {
		return err
	}
	s.flash(c, "survey_opened")
	return redirect(c, "/surveys/"+itoa(sv.ID)+"/edit")
}

func (s *Server) closeSurveyForm(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	if _, err := s.svc.Surveys.CloseSurvey(c.UserContext(), sv.ID); err != nil {
		return err
	}
	s.flash(c, "survey_closed")
	return redirect(c, "/surveys/"+itoa(sv.ID)+"/edit")
}
