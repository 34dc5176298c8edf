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
	return s.render(c, fiber.StatusOK, "idea_new", newIdeaData{Round: r, State: roundState(r, account(c))}, nil, nil)
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
	form := formValues(c, "title", "body", "author_name", "municipality", "website")
	n := participation.NewIdea{
		Title: form["title"], Body: form["body"], AuthorName: optional(form["author_name"]),
		Municipality: optional(form["municipality"]), Website: form["website"],
	}
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
	return s.render(c, fiber.StatusOK, "idea", d, nil, nil)
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
