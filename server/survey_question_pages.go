package server

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The builder's changes to a draft's questions: a new one, an edit of one,
// moving one up or down and removing one. Each saves the whole list
// (SurveyPatch.Questions), the others as they are, each keeping its id.

// newQuestionOf returns an existing question as SurveyPatch takes it, with
// its ids, so that saving the list keeps it as it is. A question made from
// commitments keeps its snapshot of them (the domain restores it by id).
func newQuestionOf(q participation.Question) participation.NewQuestion {
	lang := q.OwnLanguage()
	n := participation.NewQuestion{ID: q.ID, Kind: q.Kind, Prompt: q.Prompt, Required: q.Required, Min: q.Min, Max: q.Max,
		MinLabel: q.MinLabel, MaxLabel: q.MaxLabel, ItemsFromCommitments: q.ItemsFromCommitments,
		TranslationInput: participation.TranslationInput{Language: &lang, Translations: q.Translations}}
	choices := func(list []participation.Choice) []participation.NewChoice {
		out := make([]participation.NewChoice, len(list))
		for i, c := range list {
			l := c.OwnLanguage()
			out[i] = participation.NewChoice{ID: c.ID, Label: c.Label, CommitmentID: c.CommitmentID,
				TranslationInput: participation.TranslationInput{Language: &l, Translations: c.Translations}}
		}
		return out
	}
	if q.Kind == participation.QuestionSingle || q.Kind == participation.QuestionMulti {
		n.Options = choices(q.Options)
	}
	if q.X != nil && q.Y != nil {
		n.X = &participation.NewAxis{Label: q.X.Label, Min: &q.X.Min, Max: &q.X.Max}
		n.Y = &participation.NewAxis{Label: q.Y.Label, Min: &q.Y.Min, Max: &q.Y.Max}
		if !q.ItemsFromCommitments {
			n.Items = choices(q.Items)
		}
	}
	return n
}

// questionInputs returns the survey's questions as SurveyPatch takes them.
func questionInputs(sv *participation.Survey) []participation.NewQuestion {
	out := make([]participation.NewQuestion, len(sv.Questions))
	for i, q := range sv.Questions {
		out[i] = newQuestionOf(q)
	}
	return out
}

// replaceQuestions saves the survey's questions as list, in its order.
func (s *Server) replaceQuestions(c *fiber.Ctx, sv *participation.Survey, list []participation.NewQuestion) error {
	_, err := s.svc.Surveys.UpdateSurvey(c.UserContext(), sv.ID, participation.SurveyPatch{Questions: &list})
	return err
}

// questionIndex returns the index of the path's :qid among the survey's questions.
func questionIndex(c *fiber.Ctx, sv *participation.Survey) (int, error) {
	qid, err := idParam(c, "qid")
	if err != nil {
		return 0, err
	}
	for i, q := range sv.Questions {
		if q.ID == qid {
			return i, nil
		}
	}
	return 0, participation.Errorf(participation.ENOTFOUND, "The survey has no such question.")
}

// moveQuestionForm moves a question up or down one place.
func (s *Server) moveQuestionForm(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	i, err := questionIndex(c, sv)
	if err != nil {
		return err
	}
	j := i - 1
	if c.FormValue("direction") == "down" {
		j = i + 1
	}
	if j >= 0 && j < len(sv.Questions) {
		list := questionInputs(sv)
		list[i], list[j] = list[j], list[i]
		if err := s.replaceQuestions(c, sv, list); err != nil {
			return err
		}
		s.flash(c, "survey_question_moved")
	}
	return redirect(c, "/surveys/"+itoa(sv.ID)+"/edit#question-"+itoa(sv.Questions[i].ID))
}

// removeQuestionForm removes a question from a draft.
func (s *Server) removeQuestionForm(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	i, err := questionIndex(c, sv)
	if err != nil {
		return err
	}
	list := questionInputs(sv)
	if err := s.replaceQuestions(c, sv, slices.Delete(list, i, i+1)); err != nil {
		return err
	}
	s.flash(c, "survey_question_removed")
	return redirect(c, "/surveys/"+itoa(sv.ID)+"/edit#questions-heading")
}

// lastRow is the number of the last row with anything in it, so that the
// form shown again has every row that was filled.
func lastRow(rowOf []int) int {
	if len(rowOf) == 0 {
		return 0
	}
	return rowOf[len(rowOf)-1]
}

// questionKind reads the kind a new question asks for.
func questionKind(c *fiber.Ctx) (string, error) {
	kind := copyString(c.Query("kind", c.FormValue("kind")))
	if !slices.Contains(participation.QuestionKinds, kind) {
		return "", participation.Errorf(participation.ENOTFOUND, "There is no such kind of question.")
	}
	return kind, nil
}

func (s *Server) newQuestionPage(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	if err := sv.CheckEditable(); err != nil {
		return err
	}
	kind, err := questionKind(c)
	if err != nil {
		return err
	}
	d := newQuestionFormData(sv, nil, kind, requestLang(c), nil, 0)
	return s.render(c, fiber.StatusOK, "survey_question", d, s.defaultQuestionValues(kind, sv.OwnLanguage()), nil)
}

func (s *Server) addQuestionForm(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	kind, err := questionKind(c)
	if err != nil {
		return err
	}
	// As in the API: the survey's state comes before the content.
	if err := sv.CheckEditable(); err != nil {
		return err
	}
	q, form, rowOf, errs := questionForm(c, kind, sv.OwnLanguage())
	list := append(questionInputs(sv), q)
	if err = errs.Err(); err == nil {
		err = questionErrors(s.replaceQuestions(c, sv, list), len(list)-1, rowOf)
	}
	if err != nil {
		d := newQuestionFormData(sv, nil, kind, requestLang(c), nil, lastRow(rowOf))
		d.OtherLangs = translationLangs(sv.OwnLanguage(), form)
		return s.formError(c, "survey_question", d, form, err)
	}
	s.flash(c, "survey_question_added")
	return redirect(c, "/surveys/"+itoa(sv.ID)+"/edit#questions-heading")
}

func (s *Server) editQuestionPage(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	if err := sv.CheckEditable(); err != nil {
		return err
	}
	i, err := questionIndex(c, sv)
	if err != nil {
		return err
	}
	q := &sv.Questions[i]
	form, ids := questionValues(q)
	return s.render(c, fiber.StatusOK, "survey_question", newQuestionFormData(sv, q, q.Kind, requestLang(c), ids, 0), form, nil)
}

func (s *Server) saveQuestionForm(c *fiber.Ctx) error {
	sv, err := s.officialSurvey(c)
	if err != nil {
		return err
	}
	i, err := questionIndex(c, sv)
	if err != nil {
		return err
	}
	if err := sv.CheckEditable(); err != nil {
		return err
	}
	old := &sv.Questions[i]
	q, form, rowOf, errs := questionForm(c, old.Kind, sv.OwnLanguage())
	q.ID = old.ID
	list := questionInputs(sv)
	list[i] = q
	if err = errs.Err(); err == nil {
		err = questionErrors(s.replaceQuestions(c, sv, list), i, rowOf)
	}
	if err != nil {
		var ids []int64
		for _, ch := range slices.Concat(q.Options, q.Items) {
			ids = append(ids, ch.ID)
		}
		d := newQuestionFormData(sv, old, old.Kind, requestLang(c), nil, lastRow(rowOf))
		d.OtherLangs = translationLangs(sv.OwnLanguage(), form)
		for j, n := range rowOf {
			d.Rows[n-1].ID = ids[j]
		}
		return s.formError(c, "survey_question", d, form, err)
	}
	s.flash(c, "survey_question_saved")
	return redirect(c, "/surveys/"+itoa(sv.ID)+"/edit#question-"+itoa(old.ID))
}
