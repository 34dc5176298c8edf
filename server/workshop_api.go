package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// workshopAPI registers the workshop routes of API.md: a new workshop, the
// workshop, its settings.
func (s *Server) workshopAPI(api fiber.Router) {
	api.Post("/processes/:slug/workshops", s.apiCreateWorkshop)
	api.Get("/workshops/:id", s.apiWorkshop)
	api.Patch("/workshops/:id", s.apiUpdateWorkshop)
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
