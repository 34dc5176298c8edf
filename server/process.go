package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// processAPI registers the processes routes of API.md.
func (s *Server) processAPI(api fiber.Router) {
	api.Post("/processes", s.apiCreateProcess)
	api.Get("/processes", s.apiProcesses)
	api.Get("/processes/:slug", s.apiProcess)
}

func (s *Server) apiCreateProcess(c *fiber.Ctx) error {
	var n participation.NewProcess
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	p, err := s.svc.Processes.CreateProcess(c.UserContext(), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (s *Server) apiProcesses(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	ps, total, err := s.svc.Processes.FindProcesses(c.UserContext(), participation.ProcessFilter{Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return sendList(c, ps, total)
}

func (s *Server) apiProcess(c *fiber.Ctx) error {
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

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
	})
	if err != nil {
		return s.formError(c, "process_new", nil, form, err)
	}
	s.flash(c, "process_created")
	return redirect(c, "/processes/"+p.Slug)
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
	return s.render(c, fiber.StatusOK, "process", processPageData{Process: p, WorkshopResults: results}, nil, nil)
}
