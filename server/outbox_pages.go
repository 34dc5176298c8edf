package server

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
	"osallistu/server/mail"
)

// outboxPages registers the admin's outbox page, when the server has an outbox.
func (s *Server) outboxPages(r fiber.Router) {
	if s.svc.Outbox == nil {
		return
	}
	r.Get("/admin/outbox", s.adminOutboxPage)
}

// outboxPerPage is how many messages the outbox page lists at a time.
const outboxPerPage = 50

type outboxData struct {
	Messages []outboxItem
	States   []string
	Channels []string
	State    string // the filters chosen; "" for any
	Channel  string
	// Chosen is the message shown in full (?show=ID), or nil.
	Chosen *outboxItem
	// EmailOn says whether this instance sends email (an SMTP server is set).
	EmailOn bool
	Pager
}

// outboxItem is a message as the outbox page shows it.
type outboxItem struct {
	*participation.Message
	State   string
	ShowURL string // this page, with the message shown in full
	// Text is the message as its recipient reads it, in its language;
	// Unrenderable when it cannot be written (a kind this version does not know).
	Text         participation.MessageText
	Unrenderable bool
}

// KnownKind reports whether this version knows the message's kind (and so
// has a name for it): a newer instance may have written one it does not.
func (it outboxItem) KnownKind() bool { return slices.Contains(participation.MessageKinds, it.Kind) }

// adminOutboxPage lists every message, newest first, with its state, and
// shows one in full: its subject and body as its recipient reads them.
func (s *Server) adminOutboxPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if _, err := participation.RequireRole(ctx, participation.RoleAdmin); err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	f := participation.MessageFilter{State: copyString(c.Query("state")), Channel: copyString(c.Query("channel")),
		Limit: min(limit, outboxPerPage), Offset: offset}
	list, total, err := s.svc.Outbox.FindMessages(ctx, f)
	if err != nil {
		return err
	}
	d := outboxData{States: participation.MessageStates, Channels: participation.MessageChannels, State: f.State, Channel: f.Channel,
		EmailOn: s.cfg.EmailOn, Pager: Pager{Total: total, Limit: f.Limit, Offset: offset}}
	showURL := func(id int64) string {
		q := url.Values{"show": {strconv.FormatInt(id, 10)}}
		for name, v := range map[string]string{"state": f.State, "channel": f.Channel} {
			if v != "" {
				q.Set(name, v)
			}
		}
		if offset > 0 {
			q.Set("offset", strconv.Itoa(offset))
		}
		return "/admin/outbox?" + q.Encode() + "#message"
	}
	for _, m := range list {
		d.Messages = append(d.Messages, outboxItem{Message: m, State: m.State(), ShowURL: showURL(m.ID)})
	}
	if show := c.Query("show"); show != "" {
		id, err := strconv.ParseInt(show, 10, 64)
		if err != nil || id < 1 {
			return participation.Errorf(participation.ENOTFOUND, "Not found.")
		}
		m, err := s.svc.Outbox.FindMessage(ctx, id)
		if err != nil {
			return err
		}
		d.Chosen = &outboxItem{Message: m, State: m.State(), ShowURL: showURL(m.ID)}
		link := ""
		if m.Channel == participation.ChannelEmail {
			link = mail.MessageLink(s.cfg.BaseURL, m)
		}
		if d.Chosen.Text, err = m.Render(link); err != nil {
			d.Chosen.Unrenderable = true
		}
	}
	return s.render(c, fiber.StatusOK, "admin_outbox", d, nil, nil)
}
