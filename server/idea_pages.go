package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// ideaPages registers the pages of ideas: sending one, the idea with its
// comments, supporting it; and, until they have files of their own, the
// comment and moderation pages.
func (s *Server) ideaPages(r fiber.Router) {
	r.Get("/idea-rounds/:id/ideas/new", s.newIdeaPage)
	r.Post("/idea-rounds/:id/ideas", s.createIdea)
	r.Get("/ideas/:id", s.ideaPage)
	r.Post("/ideas/:id/support", s.supportIdea)
	r.Get("/ideas/:id/comments/new", s.newCommentPage)
	r.Post("/ideas/:id/comments", s.createComment)
	for _, kind := range []string{participation.KindIdea, participation.KindComment} {
		r.Get("/"+kind+"s/:id/report", s.reportPage(kind))
		r.Post("/"+kind+"s/:id/report", s.report(kind))
		r.Get("/"+kind+"s/:id/hide", s.hidePage(kind))
		r.Post("/"+kind+"s/:id/hide", s.hide(kind))
		r.Post("/"+kind+"s/:id/restore", s.restore(kind))
	}
	r.Get("/moderation", s.moderationPage)
	r.Get("/moderation/log", s.moderationLogPage)
}

// threadsPerPage is the page size of an idea's comment threads.
const threadsPerPage = 50

type newIdeaData struct {
	Round *participation.IdeaRound
	State string
}

func (s *Server) newIdeaPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.svc.Ideas.FindIdeaRound(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "idea_new", newIdeaData{Round: r, State: roundState(r, account(c))}, nil, nil)
}

func (s *Server) createIdea(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	r, err := s.svc.Ideas.FindIdeaRound(ctx, id)
	if err != nil {
		return err
	}
	form := formValues(c, "title", "body", "author_name", "municipality", "website")
	n := participation.NewIdea{
		Title: form["title"], Body: form["body"], AuthorName: optional(form["author_name"]),
		Municipality: optional(form["municipality"]), Website: form["website"],
	}
	state := roundState(r, account(c))
	if state == stateOpen {
		n.RespondentToken = s.respondent(c, true)
	}
	idea, err := s.svc.Ideas.CreateIdea(ctx, id, n, requestLang(c))
	if err != nil {
		return s.contributionFormError(c, "idea_new", newIdeaData{Round: r, State: state}, form, err)
	}
	s.flash(c, "idea_sent")
	return redirect(c, "/ideas/"+itoa(idea.ID))
}

type ideaPageData struct {
	Idea  *participation.Idea
	Round *participation.IdeaRound
	State string
	Theme *participation.Theme // nil when the idea has none
	// Threads are the top-level comments, each with its replies.
	Threads []*participation.Comment
	Pager              // of Threads
	Trace   *IdeaTrace // what became of the idea (commitment_pages.go)
}

func (s *Server) ideaPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	limit = min(limit, threadsPerPage)
	ctx := c.UserContext()
	idea, round, err := s.findIdeaWithRound(ctx, id, s.respondent(c, false))
	if err != nil {
		return err
	}
	d := ideaPageData{Idea: idea, Round: round, State: roundState(round, account(c))}
	if idea.ThemeID != nil {
		if d.Theme, err = s.svc.Ideas.FindTheme(ctx, *idea.ThemeID); err != nil {
			return err
		}
	}
	threads, err := s.commentThreads(ctx, id)
	if err != nil {
		return err
	}
	d.Pager = Pager{Total: len(threads), Limit: limit, Offset: offset}
	d.Threads = threads[min(offset, len(threads)):min(offset+limit, len(threads))]
	d.Trace = s.ideaTrace(c, id)
	return s.render(c, fiber.StatusOK, "idea", d, nil, nil)
}

func (s *Server) findIdeaWithRound(ctx context.Context, id int64, respondent string) (*participation.Idea, *participation.IdeaRound, error) {
	idea, err := s.svc.Ideas.FindIdea(ctx, id, participation.Supporter{RespondentToken: respondent})
	if err != nil {
		return nil, nil, err
	}
	r, err := s.svc.Ideas.FindIdeaRound(ctx, idea.RoundID)
	if err != nil {
		return nil, nil, err
	}
	return idea, r, nil
}

// commentThreads reads every comment of an idea and puts each reply under
// its comment. The store pages comments in the order they were written, in
// which a late reply can come pages after its comment, so the page reads
// them all and pages the threads instead.
func (s *Server) commentThreads(ctx context.Context, ideaID int64) ([]*participation.Comment, error) {
	var all []*participation.Comment
	for offset := 0; ; offset += maxLimit {
		list, total, err := s.svc.Ideas.FindComments(ctx, ideaID, maxLimit, offset)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if offset+maxLimit >= total || len(list) == 0 {
			break
		}
	}
	threads := []*participation.Comment{}
	byID := map[int64]*participation.Comment{}
	for _, cm := range all {
		if cm.ParentID == nil {
			threads = append(threads, cm)
			byID[cm.ID] = cm
		}
	}
	for _, cm := range all {
		if cm.ParentID != nil {
			if parent, ok := byID[*cm.ParentID]; ok {
				parent.Replies = append(parent.Replies, *cm)
			}
		}
	}
	return threads, nil
}

func (s *Server) supportIdea(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	sup := participation.Supporter{RespondentToken: s.respondent(c, true)}
	if _, err := s.svc.Ideas.SupportIdea(c.UserContext(), id, sup); err != nil {
		return err
	}
	s.flash(c, "idea_supported")
	return redirect(c, "/ideas/"+itoa(id))
}

// Comments

type commentPageData struct {
	Idea   *participation.Idea
	Round  *participation.IdeaRound
	State  string
	Parent *participation.Comment // the comment replied to, if any
}

// commentPage loads what the comment form shows: the idea, its round and
// the comment replied to (parentID 0 for none).
func (s *Server) commentPage(c *fiber.Ctx, ideaID, parentID int64) (commentPageData, error) {
	ctx := c.UserContext()
	idea, r, err := s.findIdeaWithRound(ctx, ideaID, "")
	if err != nil {
		return commentPageData{}, err
	}
	d := commentPageData{Idea: idea, Round: r, State: roundState(r, account(c))}
	if parentID > 0 {
		if parent, err := s.svc.Ideas.FindComment(ctx, parentID); err == nil && parent.IdeaID == ideaID && parent.ParentID == nil {
			d.Parent = parent
		}
	}
	return d, nil
}

// newCommentPage is the comment form on a page of its own: where the idea
// page's form sends its errors, and a reply form for browsers that do not
// open the idea page's disclosure widgets.
func (s *Server) newCommentPage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	parentID, _ := strconv.ParseInt(c.Query("parent_id"), 10, 64)
	d, err := s.commentPage(c, id, parentID)
	if err != nil {
		return err
	}
	var form map[string]string
	if d.Parent != nil {
		form = map[string]string{"parent_id": itoa(d.Parent.ID)}
	}
	return s.render(c, fiber.StatusOK, "idea_comment", d, form, nil)
}

func (s *Server) createComment(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	form := formValues(c, "body", "author_name", "website", "parent_id")
	n := participation.NewComment{Body: form["body"], AuthorName: optional(form["author_name"]), Website: form["website"]}
	var parentID int64
	if p := form["parent_id"]; p != "" {
		if parentID, err = strconv.ParseInt(p, 10, 64); err != nil || parentID < 1 {
			errs := participation.FieldErrors{}
			errs.Add("parent_id", participation.RuleChoice, 0)
			return errs.Err()
		}
		n.ParentID = &parentID
	}
	d, err := s.commentPage(c, id, parentID)
	if err != nil {
		return err
	}
	if d.State == stateOpen {
		n.RespondentToken = s.respondent(c, true)
	}
	if _, err := s.svc.Ideas.CreateComment(c.UserContext(), id, n, requestLang(c)); err != nil {
		return s.contributionFormError(c, "idea_comment", d, form, err)
	}
	s.flash(c, "comment_sent")
	return redirect(c, "/ideas/"+itoa(id))
}

// Reports and moderation of one item

// itemPageData is an idea or comment on the report and hide pages.
type itemPageData struct {
	Kind    string
	ID      int64
	Idea    *participation.Idea
	Comment *participation.Comment // for a comment
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
	d.Idea, err = s.svc.Ideas.FindIdea(ctx, ideaID, participation.Supporter{})
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

func (s *Server) restore(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
			return err
		}
		d, err := s.findItem(c, kind)
		if err != nil {
			return err
		}
		if err := s.svc.Ideas.RestoreItem(c.UserContext(), kind, d.ID); err != nil {
			return err
		}
		s.flash(c, "item_restored")
		return redirect(c, afterModeration(copyString(c.FormValue("next")), d))
	}
}

// Moderation

type moderationPageData struct {
	Items []*participation.ModerationItem
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
