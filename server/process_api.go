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
