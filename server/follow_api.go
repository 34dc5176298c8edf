package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// followAPI registers the following routes of API.md: following an idea or
// a commitment, and the notifications that following brings.
func (s *Server) followAPI(api fiber.Router) {
	for _, kind := range []string{participation.FollowIdea, participation.FollowCommitment} {
		api.Put("/"+kind+"s/:id/follow", s.apiFollow(kind, true))
		api.Delete("/"+kind+"s/:id/follow", s.apiFollow(kind, false))
	}
	api.Get("/me/notifications", s.apiNotifications)
	api.Post("/me/notifications/read", s.apiReadNotifications)
}

// apiFollow starts (PUT) or ends (DELETE) following an idea or a commitment.
func (s *Server) apiFollow(kind string, follow bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireAccount(c.UserContext()); err != nil {
			return err
		}
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		if follow {
			err = s.svc.Commitments.Follow(c.UserContext(), kind, id)
		} else {
			err = s.svc.Commitments.Unfollow(c.UserContext(), kind, id)
		}
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"kind": kind, "id": id, "following": follow})
	}
}

func (s *Server) apiNotifications(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Commitments.FindNotifications(c.UserContext(), participation.NotificationFilter{
		UnreadOnly: c.Query("unread") == "true", Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}

// apiReadNotifications marks notifications read: {ids: [...]}, or all of
// them without a body or ids.
func (s *Server) apiReadNotifications(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	unread, err := s.svc.Commitments.MarkNotificationsRead(c.UserContext(), in.IDs)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"unread": unread})
}
