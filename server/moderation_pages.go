package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// moderationPages registers reporting an idea or a comment, hiding and
// restoring one, and the officials' moderation queue and log.
func (s *Server) moderationPages(r fiber.Router) {
	for _, kind := range []string{participation.KindIdea, participation.KindComment} {
		r.Get("/"+kind+"s/:id/report", s.reportPage(kind))
		r.Post("/"+kind+"s/:id/report", s.report(kind))
		r.Get("/"+kind+"s/:id/hide", s.hidePage(kind))
		r.Post("/"+kind+"s/:id/hide", s.hide(kind))
		for action, decide := range s.decisions() {
			r.Get("/"+kind+"s/:id/"+action, s.decidePage(kind, action))
			r.Post("/"+kind+"s/:id/"+action, s.decide(kind, action, decide))
		}
	}
	r.Get("/moderation", s.moderationPage)
	r.Get("/moderation/pending", s.pendingPage)
	r.Get("/moderation/log", s.moderationLogPage)
	s.blockPages(r)
}

// itemPageData is an idea or comment on the report and hide pages.
type itemPageData struct {
	Kind    string
	ID      int64
	Idea    *participation.Idea
	Round   *participation.IdeaRound // the idea's, for the breadcrumb trail
	Comment *participation.Comment   // for a comment
}

// URL returns the address of the item on its idea's page.
func (d itemPageData) URL() string {
	if d.Kind == participation.KindComment {
		return "/ideas/" + itoa(d.Idea.ID) + "#comment-" + itoa(d.ID)
	}
	return "/ideas/" + itoa(d.Idea.ID)
}

func (s *Server) findItem(c *fiber.Ctx, kind string) (itemPageData, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return itemPageData{}, err
	}
	ctx := c.UserContext()
	d := itemPageData{Kind: kind, ID: id}
	ideaID := id
	if kind == participation.KindComment {
		if d.Comment, err = s.svc.Ideas.FindComment(ctx, id); err != nil {
			return d, err
		}
		ideaID = d.Comment.IdeaID
	}
	if d.Idea, err = s.svc.Ideas.FindIdea(ctx, ideaID); err != nil {
		return d, err
	}
	d.Round, err = s.svc.Ideas.FindIdeaRound(ctx, d.Idea.RoundID)
	return d, err
}

func (s *Server) reportPage(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := s.findItem(c, kind)
		if err != nil {
			return err
		}
		if d.Idea.Hidden || (d.Comment != nil && d.Comment.Hidden) {
			return participation.Errorf(participation.ENOTFOUND, "%s not found", kind)
		}
		return s.render(c, fiber.StatusOK, "idea_report", d, nil, nil)
	}
}

func (s *Server) report(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := s.findItem(c, kind)
		if err != nil {
			return err
		}
		form := formValues(c, "reason", "website")
		if err := s.svc.Ideas.ReportItem(c.UserContext(), kind, d.ID, participation.Report{Reason: form["reason"], Website: form["website"]}); err != nil {
			return s.formError(c, "idea_report", d, form, err)
		}
		s.flash(c, "report_sent")
		return redirect(c, "/ideas/"+itoa(d.Idea.ID))
	}
}

func (s *Server) hidePage(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
			return err
		}
		d, err := s.findItem(c, kind)
		if err != nil {
			return err
		}
		return s.render(c, fiber.StatusOK, "idea_hide", d, map[string]string{"next": safeNext(c.Query("next"))}, nil)
	}
}

// afterModeration is where a moderation form returns to: the page it was
// sent from (the form's next field), else the item's idea.
func afterModeration(next string, d itemPageData) string {
	if next == "" {
		return "/ideas/" + itoa(d.Idea.ID)
	}
	return safeNext(next)
}

func (s *Server) hide(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
			return err
		}
		d, err := s.findItem(c, kind)
		if err != nil {
			return err
		}
		form := formValues(c, "reason", "next")
		if err := s.svc.Ideas.HideItem(c.UserContext(), kind, d.ID, participation.Hide{Reason: form["reason"]}); err != nil {
			return s.formError(c, "idea_hide", d, form, err)
		}
		s.flash(c, "item_hidden")
		return redirect(c, afterModeration(form["next"], d))
	}
}

// queryNext is the page a moderation form returns to, from its page's
// ?next=, or "" for the default (the item's idea, the block page).
func queryNext(c *fiber.Ctx) string {
	if next := c.Query("next"); next != "" {
		return safeNext(copyString(next))
	}
	return ""
}

// decideData is the page of a moderator's decision on an item: the item
// and the form that asks for the reason (moderation_decide.html).
type decideData struct {
	itemPageData
	Action string
}

func (s *Server) decidePage(kind, action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
			return err
		}
		d, err := s.findItem(c, kind)
		if err != nil {
			return err
		}
		return s.render(c, fiber.StatusOK, "moderation_decide", decideData{d, action}, map[string]string{"next": queryNext(c)}, nil)
	}
}

// decide takes a moderator's decision from a form with its reason: from
// the queue, the pending list or the item's page (which return there), or
// from the decision's own page, which shows what was wrong with it.
func (s *Server) decide(kind, action string, decide decision) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
			return err
		}
		d, err := s.findItem(c, kind)
		if err != nil {
			return err
		}
		form := formValues(c, "reason", "next")
		if err := decide(c.UserContext(), kind, d.ID, participation.Decision{Reason: form["reason"]}); err != nil {
			return s.formError(c, "moderation_decide", decideData{d, action}, form, err)
		}
		s.flash(c, "moderation_"+action)
		return redirect(c, afterModeration(form["next"], d))
	}
}

type moderationPageData struct {
	Items []*participation.ModerationItem
	Pager
}

type pendingPageData struct {
	Items []*participation.PendingItem
	Pager
}

type moderationLogData struct {
	Actions []*participation.ModerationAction
	Pager
}

func (s *Server) moderationPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	items, total, err := s.svc.Ideas.FindModerationQueue(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "moderation", moderationPageData{Items: items, Pager: Pager{Total: total, Limit: limit, Offset: offset}}, nil, nil)
}

func (s *Server) moderationLogPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	actions, total, err := s.svc.Ideas.FindModerationLog(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "moderation_log", moderationLogData{Actions: actions, Pager: Pager{Total: total, Limit: limit, Offset: offset}}, nil, nil)
}

func (s *Server) pendingPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	items, total, err := s.svc.Ideas.FindPendingItems(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "moderation_pending", pendingPageData{Items: items, Pager: Pager{Total: total, Limit: limit, Offset: offset}}, nil, nil)
}
