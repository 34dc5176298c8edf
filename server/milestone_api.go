package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// milestoneAPI registers the milestone routes of API.md: a status report,
// and a milestone's history.
func (s *Server) milestoneAPI(api fiber.Router) {
	api.Put("/milestones/:id", s.apiUpdateMilestone)
	api.Get("/milestones/:id/changes", s.apiMilestoneChanges)
}

func (s *Server) apiUpdateMilestone(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var u participation.MilestoneUpdate
	if err := decodeAsOfficial(c, &u); err != nil {
		return err
	}
	m, err := s.svc.Commitments.UpdateMilestone(c.UserContext(), id, u)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (s *Server) apiMilestoneChanges(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	changes, err := s.svc.Commitments.FindMilestoneChanges(c.UserContext(), id)
	if err != nil {
		return err
	}
	from := min(offset, len(changes))
	return sendList(c, changes[from:from+min(limit, len(changes)-from)], len(changes)) // offset+limit may overflow
}
