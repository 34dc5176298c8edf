package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// tracePages registers an idea's trace page: what became of the idea.
func (s *Server) tracePages(r fiber.Router) {
	r.Get("/ideas/:id/trace", s.tracePage)
}

// IdeaTrace is what the trace partial shows: what became of an idea, and
// whether the signed-in person follows it.
type IdeaTrace struct {
	Trace       *participation.Trace
	Items       []traceItem
	Following   bool
	IdeaID      int64
	Next        string                              // the page, to come back to after following
	MilestoneOf map[int64][]participation.Milestone // milestones by commitment
}

// traceItem is a commitment of a trace with the titles of the ones it
// was merged into and ended in.
type traceItem struct {
	participation.TraceCommitment
	MergedIntoTitle string
	EndedInTitle    string
	EndedElsewhere  bool // ended in another than the one it was merged into
	// MergedIntoTexts and EndedInTexts are the titles' languages and translations.
	MergedIntoTexts, EndedInTexts participation.Translatable
}

// ideaTrace returns what became of an idea for the trace partial, or nil
// when it cannot be found out (the failure is logged; the page goes on
// without it). The idea page calls it.
func (s *Server) ideaTrace(c *fiber.Ctx, ideaID int64) *IdeaTrace {
	t, err := s.findIdeaTrace(c, ideaID)
	if err != nil {
		if participation.ErrorCode(err) == participation.EINTERNAL {
			s.log.Error("idea trace", "idea", ideaID, "err", err)
		}
		return nil
	}
	return t
}

// findIdeaTrace finds what became of an idea, with the titles of the
// commitments it went into and their milestones.
func (s *Server) findIdeaTrace(c *fiber.Ctx, ideaID int64) (*IdeaTrace, error) {
	ctx := c.UserContext()
	tr, err := s.svc.Commitments.FindTrace(ctx, ideaID)
	if err != nil {
		return nil, err
	}
	v := &IdeaTrace{Trace: tr, IdeaID: ideaID, Next: copyString(c.Path()),
		MilestoneOf: map[int64][]participation.Milestone{}}
	if v.Following, err = s.svc.Commitments.IsFollowing(ctx, participation.FollowIdea, ideaID); err != nil {
		return nil, err
	}
	byID := map[int64]participation.TraceCommitment{}
	for _, cm := range tr.Commitments {
		byID[cm.ID] = cm
	}
	for _, cm := range tr.Commitments {
		it := traceItem{TraceCommitment: cm}
		if cm.MergedInto != nil {
			it.MergedIntoTitle, it.MergedIntoTexts = byID[*cm.MergedInto].Title, byID[*cm.MergedInto].Translatable
		}
		if cm.EndedIn != nil {
			it.EndedInTitle, it.EndedInTexts = byID[*cm.EndedIn].Title, byID[*cm.EndedIn].Translatable
			it.EndedElsewhere = cm.MergedInto != nil && *cm.EndedIn != *cm.MergedInto
		}
		v.Items = append(v.Items, it)
	}
	for _, m := range tr.Milestones {
		v.MilestoneOf[m.CommitmentID] = append(v.MilestoneOf[m.CommitmentID], m)
	}
	return v, nil
}

// tracePageData is the trace page: the idea and what became of it.
type tracePageData struct {
	Idea  *participation.Idea
	Round *participation.IdeaRound // for the breadcrumb trail
	Trace *IdeaTrace
}

// tracePage shows what became of an idea on a page of its own.
func (s *Server) tracePage(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := s.findIdeaTrace(c, id)
	if err != nil {
		return err
	}
	round, err := s.svc.Ideas.FindIdeaRound(c.UserContext(), t.Trace.Idea.RoundID)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "trace", tracePageData{Idea: t.Trace.Idea, Round: round, Trace: t}, nil, nil)
}
