package server

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// surveyPages registers the pages of surveys: the builder and the running
// of a survey for officials (survey_builder_pages.go and the files it
// names), answering (here, and survey_answers.go), and the results
// (survey_results_pages.go, with the charts of survey_chart.go).
func (s *Server) surveyPages(r fiber.Router) {
	r.Get("/processes/:slug/surveys/new", s.newSurveyPage)
	r.Post("/processes/:slug/surveys", s.createSurveyForm)
	r.Get("/surveys/:id/edit", s.surveyBuilderPage)
	r.Post("/surveys/:id/settings", s.updateSurveySettings)
	r.Get("/surveys/:id/questions/new", s.newQuestionPage)
	r.Post("/surveys/:id/questions", s.addQuestionForm)
	r.Get("/surveys/:id/questions/:qid/edit", s.editQuestionPage)
	r.Post("/surveys/:id/questions/:qid", s.saveQuestionForm)
	r.Post("/surveys/:id/questions/:qid/move", s.moveQuestionForm)
	r.Post("/surveys/:id/questions/:qid/remove", s.removeQuestionForm)
	r.Post("/surveys/:id/open", s.openSurveyForm)
	r.Post("/surveys/:id/close", s.closeSurveyForm)
	r.Get("/surveys/:id/preview", s.surveyPreviewPage)
	r.Get("/surveys/:id/progress", s.surveyProgressPage)
	r.Post("/surveys/:id/invitations", s.inviteForm)
	r.Post("/surveys/:id/reminders", s.remindForm)

	r.Get("/surveys/:id/results", s.surveyResultsPage)
	r.Get("/surveys/:id/results.csv", s.apiSurveyResultsCSV) // the API's CSV, for the signed-in official's browser
	r.Get("/surveys/:id/charts/:qid.svg", s.surveyChartSVG)

	r.Get("/surveys/:id", s.surveyPage)
	r.Post("/surveys/:id/answers", s.saveAnswersForm)
	r.Get("/surveys/:id/thanks", s.surveyThanksPage)
}

// invitationParam is the query parameter and form field that carry an
// invitation link's token: the link opens the survey page with it, and the
// page's form sends it back.
const invitationParam = "invitation"

// surveyPageData is the survey page: the survey, and the answer form when
// the visitor may answer.
type surveyPageData struct {
	Survey    surveyView
	Questions []surveyQuestionView
	// Preview shows an official the form as respondents see it, without
	// sending it.
	Preview bool
	// Invitation is the invitation link's token the form carries.
	Invitation string
	// SignIn says the survey takes signed-in accounts and the visitor has
	// neither signed in nor come through an invitation link.
	SignIn bool
	// BadInvitation says the invitation link's token is not one of this survey's.
	BadInvitation bool
	// Response is the visitor's saved draft or sent response, if any.
	Response *participation.Response
	// Official offers the builder's, progress and results links.
	Official bool
	// Account says the visitor is signed in.
	Account bool
}

// CanAnswer reports whether the page shows the answer form with its buttons.
func (d *surveyPageData) CanAnswer() bool {
	return !d.Preview && d.Survey.Status == participation.SurveyOpen && !d.SignIn && !d.BadInvitation &&
		(d.Response == nil || !d.Response.Submitted)
}

// ShowForm reports whether the page shows the questions as a form: to
// answer, or to preview.
func (d *surveyPageData) ShowForm() bool { return d.Preview || d.CanAnswer() }

// HasGrid reports whether the form has a two-axis question, for the
// script that offers its plane.
func (d *surveyPageData) HasGrid() bool {
	for _, q := range d.Questions {
		if q.Kind == participation.QuestionGrid2D {
			return true
		}
	}
	return false
}

// ResultsOpen reports whether the visitor may see the results.
func (d *surveyPageData) ResultsOpen() bool {
	return d.Survey.Status == participation.SurveyClosed || d.Official
}

// responder says who answers on the pages: the invitation link's holder
// when the request carries its token, else the signed-in account or the
// anonymous respondent of the context, as the store reads them.
func responder(invitation string) participation.Responder {
	return participation.Responder{InvitationToken: invitation}
}

// findSurvey loads the survey of the path's :id.
func (s *Server) findSurvey(c *fiber.Ctx) (*participation.Survey, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return s.svc.Surveys.FindSurvey(c.UserContext(), id)
}

// loadSurveyPage fills the survey page for the visitor: who answers, and
// what they have answered so far (states, when given, are what the form
// said, shown again with its errors).
func (s *Server) loadSurveyPage(c *fiber.Ctx, sv *participation.Survey, invitation string, states answerStates) (*surveyPageData, error) {
	lang := requestLang(c)
	d := &surveyPageData{Survey: newSurveyView(sv, lang), Invitation: invitation, Official: manages(c),
		Account: account(c) != nil}
	if sv.Status == participation.SurveyOpen {
		ctx := c.UserContext()
		identified := invitation != "" || account(c) != nil || (sv.Anonymous && participation.RespondentFromContext(ctx) != nil)
		d.SignIn = !identified && !sv.Anonymous
		if identified {
			r, err := s.svc.Surveys.FindMyResponse(c.UserContext(), sv.ID, responder(invitation))
			switch code := participation.ErrorCode(err); {
			case err == nil:
				d.Response = r
			case code == participation.ENOTFOUND:
				// Nothing saved yet.
			case code == participation.EUNAUTHENTICATED, code == participation.EFORBIDDEN:
				d.BadInvitation = invitation != ""
			default:
				return nil, err
			}
		}
	}
	if states == nil {
		states = statesOf(d.Response)
	}
	d.Questions = questionViews(sv, lang, states)
	return d, nil
}

// surveyForm is the survey page's form values other than the answers:
// the municipality given, else the one saved, else, where the response
// names its account, the account's (which the response takes unless
// another is chosen).
func surveyForm(c *fiber.Ctx, d *surveyPageData, municipality string) map[string]string {
	form := map[string]string{"municipality": municipality}
	switch a := account(c); {
	case municipality != "":
	case d.Response != nil && d.Response.Municipality != nil:
		form["municipality"] = *d.Response.Municipality
	case d.AccountMunicipality() && a.Municipality != nil:
		form["municipality"] = *a.Municipality
	}
	return form
}

// AccountMunicipality reports whether the response takes the signed-in
// account's municipality unless another is chosen: in a survey that
// names its respondents' accounts.
func (d *surveyPageData) AccountMunicipality() bool {
	return d.Account && !d.Survey.Anonymous && d.Invitation == ""
}

func (s *Server) surveyPage(c *fiber.Ctx) error {
	sv, err := s.findSurvey(c)
	if err != nil {
		return err
	}
	d, err := s.loadSurveyPage(c, sv, copyString(c.Query(invitationParam)), nil)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "survey", d, surveyForm(c, d, ""), nil)
}

func (s *Server) surveyPreviewPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	sv, err := s.findSurvey(c)
	if err != nil {
		return err
	}
	d := &surveyPageData{Survey: newSurveyView(sv, requestLang(c)), Preview: true, Official: true,
		Questions: questionViews(sv, requestLang(c), answerStates{})}
	return s.render(c, fiber.StatusOK, "survey", d, map[string]string{}, nil)
}

// saveAnswersForm takes the answer form: "save" keeps a draft to come back
// to, "submit" sends the response.
func (s *Server) saveAnswersForm(c *fiber.Ctx) error {
	sv, err := s.findSurvey(c)
	if err != nil {
		return err
	}
	form := formValues(c, "municipality", invitationParam, "action")
	invitation := form[invitationParam]
	answers, states, errs := surveyReadAnswers(c, sv)
	// A copy: validation drops answers in place, and the errors name the
	// answers as sent.
	n := participation.NewResponse{Answers: slices.Clone(answers), Municipality: optional(form["municipality"]), Submit: form["action"] == "submit"}
	if errs != nil {
		// As in the API: the survey's state comes before the content. The
		// domain's rules name what else the form lacks, so that every error
		// shows at once.
		if err = sv.CheckOpen(); err == nil {
			err = withFieldErrors(errs, surveyAnswerErrors(n.Validate(sv), sv, answers))
		}
	} else {
		// Who answers comes from the context: the signed-in account, or
		// the anonymous respondent whose issued token the request showed;
		// an anonymous survey's first answer from a browser issues one.
		if invitation == "" && sv.Anonymous {
			err = s.issueRespondent(c)
		}
		if err == nil {
			_, err = s.svc.Surveys.SaveResponse(c.UserContext(), sv.ID, responder(invitation), n)
		}
	}
	if err != nil && errs == nil {
		err = surveyAnswerErrors(err, sv, answers)
	}
	if err != nil {
		return s.answerFormError(c, sv, invitation, states, form, err)
	}
	next := "/surveys/" + itoa(sv.ID)
	if n.Submit {
		return redirect(c, next+"/thanks")
	}
	s.flash(c, "survey_saved")
	if invitation != "" {
		next += "?" + invitationParam + "=" + invitation
	}
	return redirect(c, next)
}

// answerFormError shows the answer form again with what it said and its
// errors, or passes on an error that is not the form's.
func (s *Server) answerFormError(c *fiber.Ctx, sv *participation.Survey, invitation string, states answerStates, form map[string]string, err error) error {
	code := participation.ErrorCode(err)
	switch code {
	case participation.EINVALID, participation.ECLOSED, participation.ECONFLICT, participation.EUNAUTHENTICATED, participation.ERATELIMITED:
	default:
		return err
	}
	d, lerr := s.loadSurveyPage(c, sv, invitation, states)
	if lerr != nil {
		return lerr
	}
	switch {
	case code == participation.EUNAUTHENTICATED && invitation != "":
		d.BadInvitation = true
	case code == participation.EUNAUTHENTICATED && !sv.Anonymous:
		d.SignIn = true
	case code == participation.EUNAUTHENTICATED:
		// An anonymous survey, and the browser showed no respondent token.
		err = &participation.Error{Code: participation.EUNAUTHENTICATED, Fields: participation.FieldErrors{"_form": {Rule: ruleNoRespondent}}}
	}
	return s.formError(c, "survey", d, surveyForm(c, d, form["municipality"]), err)
}

// ruleNoRespondent is an anonymous answer from a browser without a
// respondent token: one that keeps no cookies.
const ruleNoRespondent = "survey_no_respondent"

// surveyThanksPage confirms a sent response.
func (s *Server) surveyThanksPage(c *fiber.Ctx) error {
	sv, err := s.findSurvey(c)
	if err != nil {
		return err
	}
	d := &surveyPageData{Survey: newSurveyView(sv, requestLang(c)), Official: manages(c)}
	return s.render(c, fiber.StatusOK, "survey_thanks", d, nil, nil)
}
