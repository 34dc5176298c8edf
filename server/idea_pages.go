package server

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// ideaPages registers the pages of ideas: sending one, the idea with its
// comments and what became of it, supporting it.
func (s *Server) ideaPages(r fiber.Router) {
	r.Get("/idea-rounds/:id/ideas/new", s.newIdeaPage)
	r.Post("/idea-rounds/:id/ideas", s.createIdea)
	r.Get("/ideas/:id", s.ideaPage)
	r.Post("/ideas/:id/support", s.supportIdea)
	r.Post("/ideas/:id/support/withdraw", s.withdrawSupport)
	r.Get("/ideas/:id/edit", s.editIdeaPage)
	r.Post("/ideas/:id/edit", s.updateIdea)
	r.Post("/ideas/:id/delete", s.deleteIdea)
	r.Post("/ideas/:id/removal-request", s.requestRemoval(participation.KindIdea))
}

// authorForm is the form values that name a signed-in writer: their
// account's name, to keep or change (or to leave off, where anonymity is
// allowed); nil for someone signed out.
func authorForm(c *fiber.Ctx) map[string]string {
	if a := account(c); a != nil {
		return map[string]string{"author_name": a.Name}
	}
	return nil
}

// authorChoice reads the writer's name and their choice to post without
// it (the checkbox "anonymous") from a form; the pages offer that choice
// only where round r allows it, and take it only there.
func authorChoice(form map[string]string, r *participation.IdeaRound) (name *string, anonymous bool) {
	return optional(form["author_name"]), form["anonymous"] != "" && r.AllowAnonymous
}

// threadsPerPage is the page size of an idea's comment threads.
const threadsPerPage = 50

// newIdeaData is the idea form: its round and what the caller may do there.
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
	return s.render(c, fiber.StatusOK, "idea_new", newIdeaData{Round: r, State: roundState(r, account(c))}, authorForm(c), nil)
}

func (s *Server) createIdea(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.svc.Ideas.FindIdeaRound(c.UserContext(), id)
	if err != nil {
		return err
	}
	form := formValues(c, "title", "body", "author_name", "anonymous", "municipality", "website")
	n := participation.NewIdea{
		Title: form["title"], Body: form["body"],
		Municipality: optional(form["municipality"]), Website: form["website"],
	}
	n.AuthorName, n.Anonymous = authorChoice(form, r)
	state := roundState(r, account(c))
	if state == stateOpen {
		if err := s.issueRespondent(c); err != nil {
			return err
		}
	}
	idea, err := s.svc.Ideas.CreateIdea(c.UserContext(), id, n, requestLang(c))
	if err != nil {
		return s.contributionFormError(c, "idea_new", newIdeaData{Round: r, State: state}, form, err)
	}
	if idea.Status == participation.ItemPending {
		// The round is pre-moderated: the idea shows once approved.
		s.flash(c, "idea_pending")
		return redirect(c, "/idea-rounds/"+itoa(id))
	}
	s.flash(c, "idea_sent")
	return redirect(c, "/ideas/"+itoa(idea.ID))
}

// ideaPageData is the idea page: the idea, a page of its comment threads,
// and what became of it.
type ideaPageData struct {
	Idea  *participation.Idea
	Round *participation.IdeaRound
	State string
	Theme *participation.Theme // nil when the idea has none
	// Threads are the top-level comments, each with its replies.
	Threads []*participation.Comment
	Pager              // of Threads
	Trace   *IdeaTrace // what became of the idea (trace_pages.go)
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
	idea, round, err := s.findIdeaWithRound(ctx, id)
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
	return s.render(c, fiber.StatusOK, "idea", d, authorForm(c), nil)
}

// findIdeaWithRound finds an idea, as the caller in ctx sees it, and its round.
func (s *Server) findIdeaWithRound(ctx context.Context, id int64) (*participation.Idea, *participation.IdeaRound, error) {
	idea, err := s.svc.Ideas.FindIdea(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.svc.Ideas.FindIdeaRound(ctx, idea.RoundID)
	if err != nil {
		return nil, nil, err
	}
	return idea, r, nil
}

func (s *Server) supportIdea(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	_, round, err := s.findIdeaWithRound(c.UserContext(), id)
	if err != nil {
		return err
	}
	// Only where an anonymous browser may support: elsewhere SupportIdea
	// says why not, and no respondent is issued for nothing.
	if roundState(round, account(c)) == stateOpen {
		if err := s.issueRespondent(c); err != nil {
			return err
		}
	}
	if _, err := s.svc.Ideas.SupportIdea(c.UserContext(), id); err != nil {
		return err
	}
	s.flash(c, "idea_supported")
	return redirect(c, "/ideas/"+itoa(id))
}

// ideaItem is an idea in a list, with its theme (nil for none).
type ideaItem struct {
	*participation.Idea
	Theme *participation.Theme
}

func ideaItems(ideas []*participation.Idea, themes []*participation.Theme) []ideaItem {
	byID := make(map[int64]*participation.Theme, len(themes))
	for _, t := range themes {
		byID[t.ID] = t
	}
	items := make([]ideaItem, len(ideas))
	for i, idea := range ideas {
		items[i].Idea = idea
		if idea.ThemeID != nil {
			items[i].Theme = byID[*idea.ThemeID]
		}
	}
	return items
}

// withdrawSupport takes back the browser's support of an idea: the
// account's, or the respondent cookie's.
func (s *Server) withdrawSupport(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.Ideas.WithdrawSupport(c.UserContext(), id); err != nil {
		return err
	}
	s.flash(c, "support_withdrawn")
	return redirect(c, "/ideas/"+itoa(id))
}

// ideaEditData is the author's page of their idea: the form that edits it
// and the one that deletes it within the edit window, and after it the
// request to the moderators to remove it.
type ideaEditData struct {
	Idea  *participation.Idea
	Round *participation.IdeaRound
}

// loadIdeaEdit finds the caller's own idea: someone else's is 403.
func (s *Server) loadIdeaEdit(c *fiber.Ctx) (ideaEditData, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return ideaEditData{}, err
	}
	idea, round, err := s.findIdeaWithRound(c.UserContext(), id)
	if err != nil {
		return ideaEditData{}, err
	}
	if !idea.Mine || idea.Hidden {
		return ideaEditData{}, participation.Errorf(participation.EFORBIDDEN, "Only the author of this idea may edit or delete it.")
	}
	return ideaEditData{Idea: idea, Round: round}, nil
}

func (s *Server) editIdeaPage(c *fiber.Ctx) error {
	d, err := s.loadIdeaEdit(c)
	if err != nil {
		return err
	}
	form := map[string]string{"title": d.Idea.Title, "body": d.Idea.Body}
	return s.render(c, fiber.StatusOK, "idea_edit", d, form, nil)
}

func (s *Server) updateIdea(c *fiber.Ctx) error {
	d, err := s.loadIdeaEdit(c)
	if err != nil {
		return err
	}
	form := formValues(c, "title", "body")
	title, body := form["title"], form["body"]
	if _, err := s.svc.Ideas.UpdateIdea(c.UserContext(), d.Idea.ID, participation.IdeaEdit{Title: &title, Body: &body}); err != nil {
		return s.authorFormError(c, "idea_edit", d, form, err)
	}
	s.flash(c, "idea_edited")
	return redirect(c, "/ideas/"+itoa(d.Idea.ID))
}

func (s *Server) deleteIdea(c *fiber.Ctx) error {
	d, err := s.loadIdeaEdit(c)
	if err != nil {
		return err
	}
	if err := s.svc.Ideas.DeleteIdea(c.UserContext(), d.Idea.ID); err != nil {
		return s.authorFormError(c, "idea_edit", d, nil, err)
	}
	s.flash(c, "idea_deleted")
	return redirect(c, "/idea-rounds/"+itoa(d.Round.ID))
}

// requestRemoval takes the author's request to remove their idea or
// comment, from its edit page.
func (s *Server) requestRemoval(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var page string
		var data any
		var ideaID int64
		if kind == participation.KindIdea {
			d, err := s.loadIdeaEdit(c)
			if err != nil {
				return err
			}
			page, data, ideaID = "idea_edit", d, d.Idea.ID
		} else {
			d, err := s.loadCommentEdit(c)
			if err != nil {
				return err
			}
			page, data, ideaID = "comment_edit", d, d.Idea.ID
		}
		form := formValues(c, "reason")
		id, _ := idParam(c, "id")
		if err := s.svc.Ideas.RequestRemoval(c.UserContext(), kind, id, participation.RemovalRequest{Reason: form["reason"]}); err != nil {
			return s.authorFormError(c, page, data, form, err)
		}
		s.flash(c, "removal_requested")
		return redirect(c, "/ideas/"+itoa(ideaID))
	}
}

// authorFormError answers an author's edit, deletion or removal request
// with its page and the errors: a rule's under its field, and the window
// that has passed above the form.
func (s *Server) authorFormError(c *fiber.Ctx, page string, data any, form map[string]string, err error) error {
	if participation.ErrorCode(err) == participation.EFORBIDDEN {
		errs := participation.FieldErrors{"_form": {Rule: "error.edit_window"}}
		return s.render(c, fiber.StatusForbidden, page, data, form, errs)
	}
	return s.formError(c, page, data, form, err)
}
