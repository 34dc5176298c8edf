package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// commentAPI registers the comment routes of API.md: an idea's comments.
func (s *Server) commentAPI(api fiber.Router) {
	api.Post("/ideas/:id/comments", s.apiCreateComment)
	api.Get("/ideas/:id/comments", s.apiComments)
}

func (s *Server) apiCreateComment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewComment
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	cm, err := s.svc.Ideas.CreateComment(c.UserContext(), id, n, requestLang(c))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(cm)
}

func (s *Server) apiComments(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Ideas.FindComments(c.UserContext(), id, limit, offset)
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}
