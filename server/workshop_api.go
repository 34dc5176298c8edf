package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// workshopAPI registers the workshop routes of API.md: a new workshop, the
// workshop, its settings and texts; and ending and reopening it.
func (s *Server) workshopAPI(api fiber.Router) {
	api.Post("/processes/:slug/workshops", s.apiCreateWorkshop)
	api.Get("/workshops/:id", s.apiWorkshop)
	api.Patch("/workshops/:id", s.apiUpdateWorkshop)
	api.Post("/workshops/:id/end", s.apiEndWorkshop(true))
	api.Post("/workshops/:id/reopen", s.apiEndWorkshop(false))
}

func (s *Server) apiCreateWorkshop(c *fiber.Ctx) error {
	var n participation.NewWorkshop
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	w, err := s.svc.Workshops.CreateWorkshop(c.UserContext(), c.Params("slug"), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(w)
}

func (s *Server) apiWorkshop(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	w, err := s.svc.Workshops.FindWorkshop(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(w)
}

func (s *Server) apiUpdateWorkshop(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var u participation.WorkshopUpdate
	if err := decodeAsOfficial(c, &u); err != nil {
		return err
	}
	w, err := s.svc.Workshops.UpdateWorkshop(c.UserContext(), id, u)
	if err != nil {
		return err
	}
	return c.JSON(w)
}

// apiEndWorkshop ends the workshop (end), or reopens it.
func (s *Server) apiEndWorkshop(end bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := participation.RequireRole(c.UserContext(), participation.RoleOfficial); err != nil {
			return err
		}
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var w *participation.Workshop
		if end {
			w, err = s.svc.Workshops.EndWorkshop(c.UserContext(), id)
		} else {
			w, err = s.svc.Workshops.ReopenWorkshop(c.UserContext(), id)
		}
		if err != nil {
			return err
		}
		return c.JSON(w)
	}
}
