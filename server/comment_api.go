package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// commentAPI registers the comment routes of API.md: an idea's comments;
// and its author's: editing or deleting one within the edit window, asking
// the moderators to remove it after.
func (s *Server) commentAPI(api fiber.Router) {
	api.Post("/ideas/:id/comments", s.apiCreateComment)
	api.Get("/ideas/:id/comments", s.apiComments)
	api.Patch("/comments/:id", s.apiUpdateComment)
	api.Delete("/comments/:id", s.apiDeleteComment)
	api.Post("/comments/:id/removal-request", s.apiRequestRemoval(participation.KindComment))
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

func (s *Server) apiUpdateComment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var e participation.CommentEdit
	if err := decodeJSON(c, &e); err != nil {
		return err
	}
	cm, err := s.svc.Ideas.UpdateComment(c.UserContext(), id, e)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}

func (s *Server) apiDeleteComment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.Ideas.DeleteComment(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
