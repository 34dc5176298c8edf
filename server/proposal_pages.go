package server

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// proposalPages registers the idea wall's pages: the participants' wall on
// their phones (plain forms, no script needed), and the official's page
// that opens and closes collections, hides proposals and takes them to
// draft commitments. The projector shows the wall (workshop_pages.go).
func (s *Server) proposalPages(r fiber.Router) {
	r.Get("/wall", s.proposalPage)
	r.Post("/wall/collections/:id", s.submitProposal)
	r.Post("/wall/proposals/:id/support", s.supportProposal)
	r.Get("/workshops/:id/wall", s.proposalControlPage)
	r.Post("/workshops/:id/collections", s.createCollection)
	r.Post("/collections/:id/close", s.closeCollection)
	r.Post("/proposals/:id/hide", s.hideProposal)
	r.Post("/proposals/:id/draft-commitment", s.proposalToCommitment)
	r.Post("/proposals/:id/to-survey-item", s.proposalToSurveyItem)
}

// proposalData is the participants' wall page: their workshop and its
// wall as everyone sees it; ErrCollection is the collection whose form
// the errors belong to.
type proposalData struct {
	Workshop      *participation.Workshop
	Wall          *participation.Wall
	ErrCollection int64
}

// publicWall returns a workshop's wall as everyone sees it: the
// projector's and the participants'.
func (s *Server) publicWall(c *fiber.Ctx, workshopID int64) (*participation.Wall, error) {
	walls, err := s.svc.Workshops.FindWalls(c.UserContext(), []int64{workshopID})
	if err != nil || len(walls) == 0 {
		return &participation.Wall{WorkshopID: workshopID}, err
	}
	return walls[0], nil
}

// loadProposalPage fills the wall page for the participant's cookie.
func (s *Server) loadProposalPage(c *fiber.Ctx) (*proposalData, error) {
	who, err := s.svc.Workshops.FindParticipant(c.UserContext(), participantToken(c))
	if err != nil {
		return nil, err
	}
	w, err := s.svc.Workshops.FindWorkshop(c.UserContext(), who.WorkshopID)
	if err != nil {
		return nil, err
	}
	wall, err := s.publicWall(c, w.ID)
	if err != nil {
		return nil, err
	}
	return &proposalData{Workshop: w, Wall: wall}, nil
}

func (s *Server) proposalPage(c *fiber.Ctx) error {
	d, err := s.loadProposalPage(c)
	if participation.ErrorCode(err) == participation.EUNAUTHENTICATED {
		return redirect(c, "/join")
	} else if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "proposal", d, nil, nil)
}

// submitProposal takes the wall page's form of one collection.
func (s *Server) submitProposal(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, "body")
	_, err = s.svc.Workshops.SubmitProposal(c.UserContext(), id, participantToken(c), participation.NewProposal{Body: form["body"]})
	if participation.ErrorCode(err) == participation.EUNAUTHENTICATED {
		return redirect(c, "/join")
	} else if err != nil {
		d, lerr := s.loadProposalPage(c)
		if lerr != nil {
			return lerr
		}
		d.ErrCollection = id
		return s.formError(c, "proposal", d, form, err)
	}
	s.flash(c, "proposal_sent")
	return redirect(c, fmt.Sprintf("/wall#collection-%d", id))
}

// supportProposal takes a proposal's support button.
func (s *Server) supportProposal(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	_, err = s.svc.Workshops.SupportProposal(c.UserContext(), id, participantToken(c))
	if participation.ErrorCode(err) == participation.EUNAUTHENTICATED {
		return redirect(c, "/join")
	} else if err != nil {
		return err
	}
	s.flash(c, "proposal_supported")
	return redirect(c, fmt.Sprintf("/wall#proposal-%d", id))
}

// proposalControlData is the official's wall page: the wall with the
// hidden proposals, the process's themes to collect under, its draft
// commitments and the two-axis questions of its draft surveys to take
// proposals to.
type proposalControlData struct {
	Workshop  *participation.Workshop
	Wall      *participation.Wall
	Themes    []*participation.Theme
	Drafts    []*participation.Commitment
	Questions []surveyItemTarget
}

// surveyItemTarget is a grid2d question of a draft survey.
type surveyItemTarget struct {
	ID                    int64
	Survey, Prompt        string
	SurveyTexts, Question participation.Translatable
}

// ThemeOptions are the theme field's choices: none (the title alone), or
// one of the process's themes.
func (d *proposalControlData) ThemeOptions(none string) []selectOption {
	out := []selectOption{{Value: "", Label: none}}
	for _, t := range d.Themes {
		out = append(out, selectOption{Value: itoa(t.ID), Label: t.Title})
	}
	return out
}

func (s *Server) loadProposalControl(c *fiber.Ctx, id int64) (*proposalControlData, error) {
	ctx := c.UserContext()
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	w, err := s.svc.Workshops.FindWorkshop(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &proposalControlData{Workshop: w}
	if d.Wall, err = s.svc.Workshops.FindWall(ctx, id); err != nil {
		return nil, err
	}
	rounds, err := s.svc.Workshops.FindIdeaRoundRefs(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, r := range rounds {
		themes, err := s.svc.Themes.FindThemes(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		d.Themes = append(d.Themes, themes...)
	}
	if d.Drafts, _, err = s.svc.Commitments.FindCommitments(ctx, participation.CommitmentFilter{
		ProcessSlug: w.ProcessSlug, Status: participation.CommitmentDraft, Limit: 200}); err != nil {
		return nil, err
	}
	surveys, err := s.svc.Surveys.FindSurveys(ctx, w.ProcessID)
	if err != nil {
		return nil, err
	}
	for _, sv := range surveys {
		for _, q := range sv.Questions {
			if sv.Status == participation.SurveyDraft && q.Kind == participation.QuestionGrid2D {
				d.Questions = append(d.Questions, surveyItemTarget{ID: q.ID, Survey: sv.Title, Prompt: q.Prompt, SurveyTexts: sv.Translatable, Question: q.Translatable})
			}
		}
	}
	return d, nil
}

func (s *Server) proposalControlPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.loadProposalControl(c, id)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "proposal_control", d, nil, nil)
}

// controlFormError re-renders the official's wall page of workshopID with
// err's errors, or passes on an error that is not a form's.
func (s *Server) controlFormError(c *fiber.Ctx, workshopID int64, form map[string]string, err error) error {
	d, lerr := s.loadProposalControl(c, workshopID)
	if lerr != nil {
		return lerr
	}
	return s.formError(c, "proposal_control", d, form, err)
}

// formOptionalID reads an optional id field: nil when empty, a RuleChoice
// error of the field when it is not an id.
func formOptionalID(name, v string) (*int64, error) {
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		f := participation.FieldErrors{}
		f.Add(name, participation.RuleChoice, 0)
		return nil, f.Err()
	}
	return &id, nil
}

func (s *Server) createCollection(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, "title", "theme_id")
	n := participation.NewCollection{Title: form["title"]}
	if n.ThemeID, err = formOptionalID("theme_id", form["theme_id"]); err == nil {
		_, err = s.svc.Workshops.CreateCollection(c.UserContext(), id, n)
	}
	if err != nil {
		return s.controlFormError(c, id, form, err)
	}
	s.flash(c, "collection_opened")
	return redirect(c, fmt.Sprintf("/workshops/%d/wall", id))
}

// proposalAction runs an official's action on a collection or a proposal
// and goes back to its workshop's wall page, or shows the form's errors.
func (s *Server) proposalAction(c *fiber.Ctx, flash string, act func(id int64, form map[string]string) (workshopID int64, err error), fields ...string) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, append(fields, "workshop_id")...)
	wid, err := act(id, form)
	if err != nil {
		back, perr := strconv.ParseInt(form["workshop_id"], 10, 64)
		if perr != nil {
			return err
		}
		return s.controlFormError(c, back, form, err)
	}
	s.flash(c, flash)
	return redirect(c, fmt.Sprintf("/workshops/%d/wall#proposal-%d", wid, id))
}

func (s *Server) closeCollection(c *fiber.Ctx) error {
	return s.proposalAction(c, "collection_closed", func(id int64, _ map[string]string) (int64, error) {
		col, err := s.svc.Workshops.CloseCollection(c.UserContext(), id)
		if err != nil {
			return 0, err
		}
		return col.WorkshopID, nil
	})
}

func (s *Server) hideProposal(c *fiber.Ctx) error {
	return s.proposalAction(c, "proposal_hidden", func(id int64, form map[string]string) (int64, error) {
		p, err := s.svc.Workshops.HideProposal(c.UserContext(), id, participation.ProposalHide{Reason: form["reason"]})
		if err != nil {
			return 0, err
		}
		return p.WorkshopID, nil
	}, "reason")
}

func (s *Server) proposalToCommitment(c *fiber.Ctx) error {
	return s.proposalAction(c, "proposal_to_commitment", func(id int64, form map[string]string) (int64, error) {
		to, err := formOptionalID("commitment_id", form["commitment_id"])
		if err != nil {
			return 0, err
		}
		p, err := s.svc.Workshops.ProposalToCommitment(c.UserContext(), id, participation.ProposalToCommitment{CommitmentID: to})
		if err != nil {
			return 0, err
		}
		return p.WorkshopID, nil
	}, "commitment_id")
}

func (s *Server) proposalToSurveyItem(c *fiber.Ctx) error {
	return s.proposalAction(c, "proposal_to_survey_item", func(id int64, form map[string]string) (int64, error) {
		q, err := formOptionalID("question_id", form["question_id"])
		if err == nil && q == nil {
			f := participation.FieldErrors{}
			f.Add("question_id", participation.RuleRequired, 0)
			err = f.Err()
		}
		if err != nil {
			return 0, err
		}
		p, err := s.svc.Workshops.ProposalToSurveyItem(c.UserContext(), id, participation.ProposalToSurveyItem{QuestionID: *q})
		if err != nil {
			return 0, err
		}
		return p.WorkshopID, nil
	}, "question_id")
}
