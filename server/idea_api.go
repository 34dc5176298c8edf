package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// ideaAPI registers the idea routes of API.md: sending an idea, the idea,
// supporting it; and, until they have files of their own, the comment and
// moderation routes.
func (s *Server) ideaAPI(api fiber.Router) {
	api.Post("/idea-rounds/:id/ideas", s.apiCreateIdea)
	api.Get("/ideas/:id", s.apiIdea)
	api.Post("/ideas/:id/comments", s.apiCreateComment)
	api.Get("/ideas/:id/comments", s.apiComments)
	api.Post("/ideas/:id/supports", s.apiSupport)
	api.Get("/moderation/queue", s.apiModerationQueue)
	api.Get("/moderation/log", s.apiModerationLog)
	for _, kind := range []string{participation.KindIdea, participation.KindComment} {
		api.Post("/"+kind+"s/:id/reports", s.apiReport(kind))
		api.Post("/"+kind+"s/:id/hide", s.apiHide(kind))
		api.Post("/"+kind+"s/:id/restore", s.apiRestore(kind))
	}
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
	if n.RespondentToken, err = respondentToken(c); err != nil {
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
	tok, err := respondentToken(c)
	if err != nil {
		return err
	}
	idea, err := s.svc.Ideas.FindIdea(c.UserContext(), id, participation.Supporter{RespondentToken: tok})
	if err != nil {
		return err
	}
	return c.JSON(idea)
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
	if n.RespondentToken, err = respondentToken(c); err != nil {
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

func (s *Server) apiSupport(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	tok, err := respondentToken(c)
	if err != nil {
		return err
	}
	n, err := s.svc.Ideas.SupportIdea(c.UserContext(), id, participation.Supporter{RespondentToken: tok})
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"supports": n})
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
		idea, err := s.svc.Ideas.FindIdea(c.UserContext(), id, participation.Supporter{})
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
