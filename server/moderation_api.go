package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// moderationAPI registers the moderation routes of API.md: reporting,
// hiding and restoring ideas and comments, the queue and the log.
func (s *Server) moderationAPI(api fiber.Router) {
	api.Get("/moderation/queue", s.apiModerationQueue)
	api.Get("/moderation/log", s.apiModerationLog)
	for _, kind := range []string{participation.KindIdea, participation.KindComment} {
		api.Post("/"+kind+"s/:id/reports", s.apiReport(kind))
		api.Post("/"+kind+"s/:id/hide", s.apiHide(kind))
		api.Post("/"+kind+"s/:id/restore", s.apiRestore(kind))
	}
}

func (s *Server) apiReport(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var r participation.Report
		if err := decodeJSON(c, &r); err != nil {
			return err
		}
		if err := s.svc.Ideas.ReportItem(c.UserContext(), kind, id, r); err != nil {
			return err
		}
		return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"status": "received"})
	}
}

// moderatedItem answers a moderation action with the item as it now is.
func (s *Server) moderatedItem(c *fiber.Ctx, kind string, id int64) error {
	if kind == participation.KindIdea {
		idea, err := s.svc.Ideas.FindIdea(c.UserContext(), id)
		if err != nil {
			return err
		}
		return c.JSON(idea)
	}
	cm, err := s.svc.Ideas.FindComment(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}

func (s *Server) apiHide(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
			return err
		}
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var h participation.Hide
		if err := decodeJSON(c, &h); err != nil {
			return err
		}
		if err := s.svc.Ideas.HideItem(c.UserContext(), kind, id, h); err != nil {
			return err
		}
		return s.moderatedItem(c, kind, id)
	}
}

func (s *Server) apiRestore(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		if err := s.svc.Ideas.RestoreItem(c.UserContext(), kind, id); err != nil {
			return err
		}
		return s.moderatedItem(c, kind, id)
	}
}

func (s *Server) apiModerationQueue(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Ideas.FindModerationQueue(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}

func (s *Server) apiModerationLog(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Ideas.FindModerationLog(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}
