package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
	"osallistu/server/mail"
)

// followPages registers following and unfollowing an idea or a commitment,
// and the notifications page (the outbox's in-app messages, when the
// server has the outbox).
func (s *Server) followPages(r fiber.Router) {
	for _, kind := range []string{participation.FollowIdea, participation.FollowCommitment} {
		r.Post("/"+kind+"s/:id/follow", s.followForm(kind, true))
		r.Post("/"+kind+"s/:id/unfollow", s.followForm(kind, false))
	}
	if s.svc.Outbox != nil {
		r.Get("/notifications", s.notificationsPage)
		r.Post("/notifications/read", s.readNotificationsForm)
	}
}

// notificationsPerPage is the notifications page's page size.
const notificationsPerPage = 30

// followForm starts or ends following; without an account it sends the
// person to sign in first.
func (s *Server) followForm(kind string, follow bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		back := "/" + kind + "s/" + itoa(id)
		if next := c.FormValue("next"); next != "" {
			back = safeNext(copyString(next))
		}
		if account(c) == nil {
			return redirect(c, "/login?next="+back)
		}
		if follow {
			err = s.svc.Commitments.Follow(c.UserContext(), kind, id)
		} else {
			err = s.svc.Commitments.Unfollow(c.UserContext(), kind, id)
		}
		if err != nil {
			return err
		}
		if follow {
			s.flash(c, "follow_started")
		} else {
			s.flash(c, "follow_stopped")
		}
		return redirect(c, back)
	}
}

// notificationsData is a page of the signed-in person's notifications.
type notificationsData struct {
	Notifications []notificationItem
	Unread        int
	Pager
}

// notificationItem is an in-app message as the notifications page shows
// it: its parts as text, and the link the server makes from its subject.
type notificationItem struct {
	ID              int64
	Kind            string
	CommitmentTitle string
	MilestoneName   string
	StatusName      string
	Link            string
	CreatedAt       time.Time
	ReadAt          *time.Time
}

func newNotificationItem(m *participation.Message) notificationItem {
	return notificationItem{ID: m.ID, Kind: m.Kind, CommitmentTitle: m.Params.Title, MilestoneName: m.Params.MilestoneTitle,
		StatusName: m.Params.Status, Link: mail.MessagePath(m), CreatedAt: m.CreatedAt, ReadAt: m.ReadAt}
}

func (s *Server) notificationsPage(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/notifications")
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	limit = min(limit, notificationsPerPage)
	ctx := c.UserContext()
	list, total, err := s.svc.Outbox.FindInAppMessages(ctx, participation.InAppFilter{Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	unread, err := s.svc.Outbox.CountUnread(ctx)
	if err != nil {
		return err
	}
	d := notificationsData{Unread: unread, Pager: Pager{Total: total, Limit: limit, Offset: offset}}
	for _, m := range list {
		d.Notifications = append(d.Notifications, newNotificationItem(m))
	}
	return s.render(c, fiber.StatusOK, "notifications", d, nil, nil)
}

func (s *Server) readNotificationsForm(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/notifications")
	}
	ids, errs := formIDs(c, "ids")
	if errs != nil {
		return errs.Err()
	}
	if _, err := s.svc.Outbox.MarkRead(c.UserContext(), ids); err != nil {
		return err
	}
	s.flash(c, "notifications_read")
	return redirect(c, "/notifications")
}
