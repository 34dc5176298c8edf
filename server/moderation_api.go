package server

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// moderationAPI registers the moderation routes of API.md: reporting,
// hiding, restoring, approving and rejecting ideas and comments and
// dismissing their reports, the queue, the pending list and the log; and
// blocking accounts (block_api.go).
func (s *Server) moderationAPI(api fiber.Router) {
	api.Get("/moderation/queue", s.apiModerationQueue)
	api.Get("/moderation/pending", s.apiPendingItems)
	api.Get("/moderation/log", s.apiModerationLog)
	for _, kind := range []string{participation.KindIdea, participation.KindComment} {
		api.Post("/"+kind+"s/:id/reports", s.apiReport(kind))
		api.Post("/"+kind+"s/:id/hide", s.apiHide(kind))
		for action, decide := range s.decisions() {
			api.Post("/"+kind+"s/:id/"+action, s.apiDecide(kind, decide))
		}
	}
	s.blockAPI(api)
}

// decision is a moderator's decision on an idea or comment, with a reason.
type decision func(ctx context.Context, kind string, id int64, d participation.Decision) error

// decisions are the moderation actions that take a participation.Decision,
// by the last part of their route.
func (s *Server) decisions() map[string]decision {
	return map[string]decision{
		"restore": s.svc.Ideas.RestoreItem,
		"dismiss": s.svc.Ideas.DismissReports,
		"approve": s.svc.Ideas.ApproveItem,
		"reject":  s.svc.Ideas.RejectItem,
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

// apiDecide answers a moderator's decision with the item as it now is.
func (s *Server) apiDecide(kind string, decide decision) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var d participation.Decision
		if err := decodeAsOfficial(c, &d); err != nil {
			return err
		}
		if err := decide(c.UserContext(), kind, id, d); err != nil {
			return err
		}
		return s.moderatedItem(c, kind, id)
	}
}

func (s *Server) apiPendingItems(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Ideas.FindPendingItems(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return sendList(c, list, total)
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
