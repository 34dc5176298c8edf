package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// proposalAPI registers the routes of workshops' idea walls: an official
// opens and closes collections, participants (X-Participant-Token) send
// proposals and support them, an official hides them and takes them
// forward to a draft commitment or a two-axis survey item.
func (s *Server) proposalAPI(api fiber.Router) {
	api.Post("/workshops/:id/collections", s.apiCreateCollection)
	api.Get("/workshops/:id/wall", s.apiWall)
	api.Post("/collections/:id/close", s.apiCloseCollection)
	api.Post("/collections/:id/proposals", s.apiSubmitProposal)
	api.Post("/proposals/:id/supports", s.apiSupportProposal)
	api.Post("/proposals/:id/hide", s.apiHideProposal)
	api.Post("/proposals/:id/draft-commitment", s.apiProposalToCommitment)
	api.Post("/proposals/:id/to-survey-item", s.apiProposalToSurveyItem)
}

func (s *Server) apiCreateCollection(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewCollection
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	col, err := s.svc.Workshops.CreateCollection(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(col)
}

func (s *Server) apiWall(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	w, err := s.svc.Workshops.FindWall(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(w)
}

func (s *Server) apiCloseCollection(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	col, err := s.svc.Workshops.CloseCollection(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(col)
}

// participantCall reads a participant route's id and the caller's
// participant token: EUNAUTHENTICATED without one.
func participantCall(c *fiber.Ctx) (int64, string, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return 0, "", err
	}
	token := participantToken(c)
	if token == "" {
		return 0, "", participation.Errorf(participation.EUNAUTHENTICATED, "Join the workshop first and send X-Participant-Token.")
	}
	return id, token, nil
}

func (s *Server) apiSubmitProposal(c *fiber.Ctx) error {
	id, token, err := participantCall(c)
	if err != nil {
		return err
	}
	var n participation.NewProposal
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	p, err := s.svc.Workshops.SubmitProposal(c.UserContext(), id, token, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (s *Server) apiSupportProposal(c *fiber.Ctx) error {
	id, token, err := participantCall(c)
	if err != nil {
		return err
	}
	p, err := s.svc.Workshops.SupportProposal(c.UserContext(), id, token)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *Server) apiHideProposal(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var h participation.ProposalHide
	if err := decodeAsOfficial(c, &h); err != nil {
		return err
	}
	p, err := s.svc.Workshops.HideProposal(c.UserContext(), id, h)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *Server) apiProposalToCommitment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var to participation.ProposalToCommitment
	if len(c.Body()) > 0 {
		if err := decodeAsOfficial(c, &to); err != nil {
			return err
		}
	} else if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	p, err := s.svc.Workshops.ProposalToCommitment(c.UserContext(), id, to)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *Server) apiProposalToSurveyItem(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var to participation.ProposalToSurveyItem
	if err := decodeAsOfficial(c, &to); err != nil {
		return err
	}
	p, err := s.svc.Workshops.ProposalToSurveyItem(c.UserContext(), id, to)
	if err != nil {
		return err
	}
	return c.JSON(p)
}
