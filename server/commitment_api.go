package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// commitmentAPI registers the commitment routes of API.md: drafting
// sources, creating, editing, merging and approving, versions, the list;
// and, until they have a file of their own, following and notifications.
func (s *Server) commitmentAPI(api fiber.Router) {
	api.Post("/processes/:slug/commitments", s.apiCreateCommitment)
	api.Get("/processes/:slug/commitments", s.apiCommitments)
	api.Get("/processes/:slug/drafting-sources", s.apiDraftingSources)
	api.Get("/commitments/:id", s.apiCommitment)
	api.Patch("/commitments/:id", s.apiUpdateCommitment)
	api.Get("/commitments/:id/versions", s.apiCommitmentVersions)
	api.Post("/commitments/:id/merge", s.apiMergeCommitment)
	api.Post("/commitments/:id/approve", s.apiApproveCommitment)
	for _, kind := range []string{participation.FollowIdea, participation.FollowCommitment} {
		api.Put("/"+kind+"s/:id/follow", s.apiFollow(kind, true))
		api.Delete("/"+kind+"s/:id/follow", s.apiFollow(kind, false))
	}
	api.Get("/me/notifications", s.apiNotifications)
	api.Post("/me/notifications/read", s.apiReadNotifications)
}

func (s *Server) apiCreateCommitment(c *fiber.Ctx) error {
	var n participation.NewCommitment
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	cm, err := s.svc.Commitments.CreateCommitment(c.UserContext(), copyString(c.Params("slug")), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(cm)
}

func (s *Server) apiCommitments(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Commitments.FindCommitments(c.UserContext(), participation.CommitmentFilter{
		ProcessSlug: copyString(c.Params("slug")), Status: copyString(c.Query("status")), Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	return sendList(c, list, total)
}

func (s *Server) apiDraftingSources(c *fiber.Ctx) error {
	src, err := s.svc.Commitments.FindDraftingSources(c.UserContext(), copyString(c.Params("slug")))
	if err != nil {
		return err
	}
	return c.JSON(src)
}

func (s *Server) apiCommitment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cm, err := s.svc.Commitments.FindCommitment(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}

func (s *Server) apiUpdateCommitment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p participation.CommitmentPatch
	if err := decodeAsOfficial(c, &p); err != nil {
		return err
	}
	cm, err := s.svc.Commitments.UpdateCommitment(c.UserContext(), id, p)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}

func (s *Server) apiCommitmentVersions(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	vs, total, err := s.svc.Commitments.FindCommitmentVersions(c.UserContext(), id, limit, offset)
	if err != nil {
		return err
	}
	return sendList(c, vs, total)
}

func (s *Server) apiMergeCommitment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var m participation.Merge
	if err := decodeAsOfficial(c, &m); err != nil {
		return err
	}
	cm, err := s.svc.Commitments.MergeCommitment(c.UserContext(), id, m)
	if err != nil {
		return err
	}
	return c.JSON(cm)
}

func (s *Server) apiApproveCommitment(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cm, err := s.svc.Commitments.ApproveCommitment(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(cm)
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
