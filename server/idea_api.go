package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// ideaAPI registers the idea routes of API.md: sending an idea, the idea,
// supporting it.
func (s *Server) ideaAPI(api fiber.Router) {
	api.Post("/idea-rounds/:id/ideas", s.apiCreateIdea)
	api.Get("/ideas/:id", s.apiIdea)
	api.Post("/ideas/:id/supports", s.apiSupport)
}

func (s *Server) apiCreateIdea(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewIdea
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	idea, err := s.svc.Ideas.CreateIdea(c.UserContext(), id, n, requestLang(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(idea)
}

func (s *Server) apiIdea(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	idea, err := s.svc.Ideas.FindIdea(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(idea)
}

func (s *Server) apiSupport(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	counts, err := s.svc.Ideas.SupportIdea(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(counts)
}
