package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
	"osallistu/server/mail"
)

// followAPI registers the following routes of API.md: following an idea or
// a commitment, and the notifications that following brings (the outbox's
// in-app messages, when the server has the outbox).
func (s *Server) followAPI(api fiber.Router) {
	for _, kind := range []string{participation.FollowIdea, participation.FollowCommitment} {
		api.Put("/"+kind+"s/:id/follow", s.apiFollow(kind, true))
		api.Delete("/"+kind+"s/:id/follow", s.apiFollow(kind, false))
	}
	if s.svc.Outbox != nil {
		api.Get("/me/notifications", s.apiNotifications)
		api.Post("/me/notifications/read", s.apiReadNotifications)
	}
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

// notificationJSON is an in-app message as the API has always given a
// notification: the commitment it is about, its milestone and status
// when a milestone moved, and the link the server makes from its subject.
type notificationJSON struct {
	ID              int64      `json:"id"`
	Kind            string     `json:"kind"`
	CommitmentID    int64      `json:"commitment_id"`
	CommitmentTitle string     `json:"commitment_title"`
	MilestoneID     *int64     `json:"milestone_id"`
	MilestoneTitle  *string    `json:"milestone_title"`
	Status          *string    `json:"status"`
	Link            string     `json:"link"`
	CreatedAt       time.Time  `json:"created_at"`
	ReadAt          *time.Time `json:"read_at"`
}

func newNotificationJSON(m *participation.Message) notificationJSON {
	n := notificationJSON{ID: m.ID, Kind: m.Kind, CommitmentID: m.SubjectID, CommitmentTitle: m.Params.Title,
		Link: mail.MessagePath(m), CreatedAt: m.CreatedAt, ReadAt: m.ReadAt}
	if p := m.Params; p.MilestoneID > 0 {
		n.MilestoneID, n.MilestoneTitle, n.Status = &p.MilestoneID, &p.MilestoneTitle, &p.Status
	}
	return n
}

func (s *Server) apiNotifications(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Outbox.FindInAppMessages(c.UserContext(), participation.InAppFilter{
		UnreadOnly: c.Query("unread") == "true", Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	items := make([]notificationJSON, len(list))
	for i, m := range list {
		items[i] = newNotificationJSON(m)
	}
	return sendList(c, items, total)
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
	unread, err := s.svc.Outbox.MarkRead(c.UserContext(), in.IDs)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"unread": unread})
}
