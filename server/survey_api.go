package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// invitationHeader carries an invitation link's token on the API.
const invitationHeader = "X-Invitation-Token"

// surveyAPI registers the survey routes of API.md, and those of our own:
// a process's surveys, editing a draft, saving a response to come back to,
// reminding invitations, and the official's progress.
func (s *Server) surveyAPI(api fiber.Router) {
	api.Post("/processes/:slug/surveys", s.apiCreateSurvey)
	api.Get("/processes/:slug/surveys", s.apiSurveys)
	api.Get("/surveys/:id", s.apiSurvey)
	api.Patch("/surveys/:id", s.apiUpdateSurvey)
	api.Post("/surveys/:id/open", s.apiSetSurveyStatus(participation.SurveyOpen))
	api.Post("/surveys/:id/close", s.apiSetSurveyStatus(participation.SurveyClosed))
	api.Post("/surveys/:id/invitations", s.apiInvite)
	api.Post("/surveys/:id/reminders", s.apiRemind)
	api.Post("/surveys/:id/responses", s.apiRespond)
	api.Get("/surveys/:id/responses/mine", s.apiMyResponse)
	api.Put("/surveys/:id/responses/mine", s.apiSaveResponse)
	api.Get("/surveys/:id/results", s.apiSurveyResults)
	api.Get("/surveys/:id/results.csv", s.apiSurveyResultsCSV)
	api.Get("/surveys/:id/progress", s.apiSurveyProgress)
}

func (s *Server) apiCreateSurvey(c *fiber.Ctx) error {
	var n participation.NewSurvey
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	sv, err := s.svc.Surveys.CreateSurvey(c.UserContext(), copyString(c.Params("slug")), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sv)
}

func (s *Server) apiSurveys(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), copyString(c.Params("slug")))
	if err != nil {
		return err
	}
	list, err := s.svc.Surveys.FindSurveys(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	total := len(list)
	start := min(offset, total)
	return sendList(c, list[start:start+min(limit, total-start)], total)
}

func (s *Server) apiSurvey(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	sv, err := s.svc.Surveys.FindSurvey(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(sv)
}

// apiUpdateSurvey changes a draft: its texts, anonymity and, when given,
// its whole list of questions (reordered, edited, added, removed).
func (s *Server) apiUpdateSurvey(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p participation.SurveyPatch
	if err := decodeAsOfficial(c, &p); err != nil {
		return err
	}
	sv, err := s.svc.Surveys.UpdateSurvey(c.UserContext(), id, p)
	if err != nil {
		return err
	}
	return c.JSON(sv)
}

func (s *Server) apiSetSurveyStatus(to string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var sv *participation.Survey
		if to == participation.SurveyOpen {
			sv, err = s.svc.Surveys.OpenSurvey(c.UserContext(), id)
		} else {
			sv, err = s.svc.Surveys.CloseSurvey(c.UserContext(), id)
		}
		if err != nil {
			return err
		}
		return c.JSON(sv)
	}
}

func (s *Server) apiInvite(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewInvitations
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	got, err := s.svc.Surveys.InviteToSurvey(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(got)
}

func (s *Server) apiRemind(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	n, err := s.svc.Surveys.RemindInvitations(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"reminded": n})
}

// surveyResponder says who answers on the API: the holder of X-Invitation-Token
// when it is sent, else the bearer account or the verified respondent.
// Without any of them it is EUNAUTHENTICATED, before the body is read.
func surveyResponder(c *fiber.Ctx) (participation.Responder, error) {
	who := participation.Responder{InvitationToken: copyString(c.Get(invitationHeader))}
	ctx := c.UserContext()
	if who.InvitationToken == "" && participation.AccountFromContext(ctx) == nil && participation.RespondentFromContext(ctx) == nil {
		return who, participation.Errorf(participation.EUNAUTHENTICATED,
			"Sign in, or send X-Respondent-Token or X-Invitation-Token, to answer a survey.")
	}
	return who, nil
}

// apiRespond submits a response at once (API.md's POST).
func (s *Server) apiRespond(c *fiber.Ctx) error {
	return s.saveResponse(c, true)
}

// apiSaveResponse saves the caller's draft ({answers, submit: false}) to
// come back to, or submits it ({submit: true}).
func (s *Server) apiSaveResponse(c *fiber.Ctx) error {
	return s.saveResponse(c, false)
}

// saveResponse takes a response: who answers comes first, then the
// survey's state, then the answers, so that even a malformed body to a
// closed survey is told that it is closed.
func (s *Server) saveResponse(c *fiber.Ctx, submit bool) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	who, err := surveyResponder(c)
	if err != nil {
		return err
	}
	var n participation.NewResponse
	if err := decodeJSON(c, &n); err != nil {
		sv, serr := s.svc.Surveys.FindSurvey(c.UserContext(), id)
		if serr != nil {
			return serr
		}
		if serr := sv.CheckOpen(); serr != nil {
			return serr
		}
		return err
	}
	if submit {
		n.Submit = true
	}
	r, err := s.svc.Surveys.SaveResponse(c.UserContext(), id, who, n)
	if err != nil {
		return err
	}
	if submit {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(r)
}

func (s *Server) apiMyResponse(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	who, err := surveyResponder(c)
	if err != nil {
		return err
	}
	r, err := s.svc.Surveys.FindMyResponse(c.UserContext(), id, who)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// apiResultFilter reads the results' options: ?relative=true standardises
// each respondent's ratings; ?municipality= counts one municipality's.
func apiResultFilter(c *fiber.Ctx) (participation.ResultFilter, error) {
	f := participation.ResultFilter{Municipality: copyString(c.Query("municipality"))}
	if r := c.Query("relative"); r != "" {
		v, err := strconv.ParseBool(r)
		if err != nil {
			fe := participation.FieldErrors{}
			fe.Add("relative", participation.RuleFormat, 0)
			return f, &participation.Error{Code: participation.EMALFORMED, Message: "relative must be true or false.", Fields: fe}
		}
		f.Relative = v
	}
	return f, nil
}

func (s *Server) apiSurveyResults(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	f, err := apiResultFilter(c)
	if err != nil {
		return err
	}
	res, err := s.svc.Surveys.FindSurveyResults(c.UserContext(), id, f)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// surveyCSVHeader is the results CSV's header row, as API.md writes it.
var surveyCSVHeader = []string{"respondent", "submitted_at", "question_id", "question", "option_or_item", "value", "x", "y", "text"}

// apiSurveyResultsCSV exports every answer of the submitted responses for
// officials, one row per chosen option, rated item, scale value or text.
// Texts are defused for spreadsheets as the ideas' CSV is.
func (s *Server) apiSurveyResultsCSV(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	rows, err := s.svc.Surveys.FindSurveyAnswerRows(c.UserContext(), id)
	if err != nil {
		return err
	}
	w, err := newCSV(c, "survey-"+itoa(id)+"-results.csv", false)
	if err != nil {
		return err
	}
	w.Row(surveyCSVHeader...)
	for _, r := range rows {
		w.Row(itoa(r.Respondent), r.SubmittedAt.UTC().Format(time.RFC3339), itoa(r.QuestionID), csvText(r.Question),
			csvText(deref(r.OptionOrItem)), w.OptNumber(r.Value), w.OptNumber(r.X), w.OptNumber(r.Y), csvText(deref(r.Text)))
	}
	return w.Close()
}

func (s *Server) apiSurveyProgress(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.svc.Surveys.FindSurveyProgress(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(p)
}
