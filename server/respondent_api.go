package server

import (
	"github.com/gofiber/fiber/v2"
)

// respondentAPI registers the issuing of respondent tokens (API.md,
// "Conventions"): an anonymous client asks for one before it supports an
// idea or answers a survey, so that each token is one the server made.
func (s *Server) respondentAPI(api fiber.Router) {
	api.Post("/respondents", append(s.respondentLimit(), s.apiIssueRespondent)...)
}

func (s *Server) apiIssueRespondent(c *fiber.Ctx) error {
	token, _, err := s.svc.Respondents.IssueRespondent(c.UserContext())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"respondent_token": token})
}
