package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// processPages registers the process pages.
func (s *Server) processPages(r fiber.Router) {
	r.Get("/processes/new", s.newProcessPage)
	r.Post("/processes", s.createProcess)
	r.Get("/processes/:slug", s.processPage)
}

func (s *Server) newProcessPage(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "process_new", nil, nil, nil)
}

func (s *Server) createProcess(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	form := formValues(c, "slug", "title", "description")
	p, err := s.svc.Processes.CreateProcess(c.UserContext(), participation.NewProcess{
		Slug: form["slug"], Title: form["title"], Description: form["description"],
		TranslationInput: readTranslations(c, form, "process"),
	})
	if err != nil {
		return s.formError(c, "process_new", nil, form, pageFieldErrors(err, nil, nil))
	}
	s.flash(c, "process_created")
	return redirect(c, "/processes/"+p.Slug)
}

// processPageData is the process page's data: the process, the results
// of its workshops' closed polls and, for officials, the statement
// requests not yet published (the timeline shows the published ones).
type processPageData struct {
	*participation.Process
	WorkshopResults []pollView
	DraftRequests   []*participation.StatementRequest
}

// workshopResults returns the closed polls of a process's workshops as the
// pages show them.
func (s *Server) workshopResults(c *fiber.Ctx, processID int64) ([]pollView, error) {
	tallies, err := s.svc.Workshops.FindClosedTallies(c.UserContext(), processID)
	if err != nil {
		return nil, err
	}
	out := make([]pollView, len(tallies))
	for i, t := range tallies {
		out[i] = newPollView(t, nil)
	}
	return out, nil
}

func (s *Server) processPage(c *fiber.Ctx) error {
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	results, err := s.workshopResults(c, p.ID)
	if err != nil {
		return err
	}
	drafts, err := s.draftRequests(c, p.Slug)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "process", processPageData{Process: p, WorkshopResults: results, DraftRequests: drafts}, nil, nil)
}

// draftRequests returns a process's unpublished statement requests for an
// official, and none for others (or a server without statements).
func (s *Server) draftRequests(c *fiber.Ctx, slug string) ([]*participation.StatementRequest, error) {
	if s.svc.StatementRequests == nil || !account(c).HasRole(participation.RoleOfficial) {
		return nil, nil
	}
	list, _, err := s.svc.StatementRequests.FindStatementRequests(c.UserContext(), participation.StatementRequestFilter{ProcessSlug: slug, Limit: maxLimit})
	if err != nil {
		return nil, err
	}
	var drafts []*participation.StatementRequest
	for _, r := range list {
		if r.Status == participation.StatementRequestDraft {
			drafts = append(drafts, r)
		}
	}
	return drafts, nil
}
