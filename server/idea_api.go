package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// ideaAPI registers the idea routes of API.md: sending an idea, the idea,
// supporting it; and its author's: editing or deleting it within the edit
// window, asking the moderators to remove it after.
func (s *Server) ideaAPI(api fiber.Router) {
	api.Post("/idea-rounds/:id/ideas", s.apiCreateIdea)
	api.Get("/ideas/:id", s.apiIdea)
	api.Patch("/ideas/:id", s.apiUpdateIdea)
	api.Delete("/ideas/:id", s.apiDeleteIdea)
	api.Post("/ideas/:id/supports", s.apiSupport)
	api.Delete("/ideas/:id/supports", s.apiWithdrawSupport)
	api.Post("/ideas/:id/removal-request", s.apiRequestRemoval(participation.KindIdea))
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

func (s *Server) apiWithdrawSupport(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	counts, err := s.svc.Ideas.WithdrawSupport(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(counts)
}

func (s *Server) apiUpdateIdea(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var e participation.IdeaEdit
	if err := decodeJSON(c, &e); err != nil {
		return err
	}
	idea, err := s.svc.Ideas.UpdateIdea(c.UserContext(), id, e)
	if err != nil {
		return err
	}
	return c.JSON(idea)
}

func (s *Server) apiDeleteIdea(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.Ideas.DeleteIdea(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// apiRequestRemoval files the author's request to remove their idea or
// comment; the body, with its reason, may be left out.
func (s *Server) apiRequestRemoval(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var r participation.RemovalRequest
		if len(c.Body()) > 0 {
			if err := decodeJSON(c, &r); err != nil {
				return err
			}
		}
		if err := s.svc.Ideas.RequestRemoval(c.UserContext(), kind, id, r); err != nil {
			return err
		}
		return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"status": "received"})
	}
}
