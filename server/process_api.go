package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// processAPI registers the processes routes of API.md, and their editing,
// status changes (publish, archive, unarchive) and officials.
func (s *Server) processAPI(api fiber.Router) {
	api.Post("/processes", s.apiCreateProcess)
	api.Get("/processes", s.apiProcesses)
	api.Get("/processes/:slug", s.apiProcess)
	api.Patch("/processes/:slug", s.apiUpdateProcess)
	api.Post("/processes/:slug/publish", s.apiChangeProcessStatus(participation.ProcessPublish))
	api.Post("/processes/:slug/archive", s.apiChangeProcessStatus(participation.ProcessArchive))
	api.Post("/processes/:slug/unarchive", s.apiChangeProcessStatus(participation.ProcessUnarchive))
	api.Post("/processes/:slug/officials", s.apiAddProcessOfficial)
	api.Delete("/processes/:slug/officials/:id", s.apiRemoveProcessOfficial)
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
	f := participation.ProcessFilter{Status: copyString(c.Query("status")), Limit: limit, Offset: offset}
	if f.Status != "" && !validProcessStatus(f.Status) {
		fe := participation.FieldErrors{}
		fe.Add("status", participation.RuleChoice, 0)
		return &participation.Error{Code: participation.EINVALID, Message: "Unknown status.", Fields: fe}
	}
	ps, total, err := s.svc.Processes.FindProcesses(c.UserContext(), f)
	if err != nil {
		return err
	}
	return sendList(c, ps, total)
}

func validProcessStatus(status string) bool {
	for _, st := range participation.ProcessStatuses {
		if st == status {
			return true
		}
	}
	return false
}

func (s *Server) apiProcess(c *fiber.Ctx) error {
	p, err := s.svc.Processes.FindProcessBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *Server) apiUpdateProcess(c *fiber.Ctx) error {
	var pt participation.ProcessPatch
	if err := decodeAsOfficial(c, &pt); err != nil {
		return err
	}
	p, err := s.svc.Processes.UpdateProcess(c.UserContext(), copyString(c.Params("slug")), pt)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *Server) apiChangeProcessStatus(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := s.svc.Processes.ChangeProcessStatus(c.UserContext(), copyString(c.Params("slug")), action)
		if err != nil {
			return err
		}
		return c.JSON(p)
	}
}

func (s *Server) apiAddProcessOfficial(c *fiber.Ctx) error {
	var n participation.NewProcessOfficial
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	list, err := s.svc.Processes.AddProcessOfficial(c.UserContext(), copyString(c.Params("slug")), n)
	if err != nil {
		return err
	}
	c.Status(fiber.StatusCreated)
	return sendList(c, list, len(list))
}

func (s *Server) apiRemoveProcessOfficial(c *fiber.Ctx) error {
	if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	list, err := s.svc.Processes.RemoveProcessOfficial(c.UserContext(), copyString(c.Params("slug")), id)
	if err != nil {
		return err
	}
	return sendList(c, list, len(list))
}
