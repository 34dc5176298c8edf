package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// statementRequestAPI registers the routes of statement requests and their
// attachments: API.md's, and a process's list, an attachment's download
// and its removal.
func (s *Server) statementRequestAPI(api fiber.Router) {
	api.Post("/processes/:slug/statement-requests", s.apiCreateStatementRequest)
	api.Get("/processes/:slug/statement-requests", s.apiStatementRequests)
	api.Get("/statement-requests/:id", s.apiStatementRequest)
	api.Patch("/statement-requests/:id", s.apiUpdateStatementRequest)
	api.Post("/statement-requests/:id/publish", s.apiPublishStatementRequest)
	api.Post("/statement-requests/:id/attachments", s.apiAddAttachment)
	api.Get("/attachments/:id", s.downloadAttachment)
	api.Delete("/attachments/:id", s.apiDeleteAttachment)
}

func (s *Server) apiCreateStatementRequest(c *fiber.Ctx) error {
	var n participation.NewStatementRequest
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	r, err := s.svc.StatementRequests.CreateStatementRequest(c.UserContext(), copyString(c.Params("slug")), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (s *Server) apiStatementRequests(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.StatementRequests.FindStatementRequests(c.UserContext(), participation.StatementRequestFilter{
		ProcessSlug: copyString(c.Params("slug")), Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}

func (s *Server) apiStatementRequest(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.svc.StatementRequests.FindStatementRequest(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) apiUpdateStatementRequest(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p participation.StatementRequestPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	r, err := s.svc.StatementRequests.UpdateStatementRequest(c.UserContext(), id, p)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) apiPublishStatementRequest(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.svc.StatementRequests.PublishStatementRequest(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// apiAddAttachment takes the multipart field file. A file over the limit
// is 413 too_large; the server's body limit lets such a file through for
// this answer (Config.BodyLimit), while JSON bodies stay within 1 MiB.
func (s *Server) apiAddAttachment(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	n, err := readUpload(c, "file")
	if err != nil {
		return err
	}
	a, err := s.svc.StatementRequests.AddAttachment(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

func (s *Server) apiDeleteAttachment(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.svc.StatementRequests.DeleteAttachment(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
