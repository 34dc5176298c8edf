package server

import "github.com/gofiber/fiber/v2"

// reachAPI registers the reach report of a process, when the server has
// a Reach service.
func (s *Server) reachAPI(api fiber.Router) {
	if s.svc.Reach == nil {
		return
	}
	api.Get("/processes/:slug/reach", s.apiReach)
}

func (s *Server) apiReach(c *fiber.Ctx) error {
	r, err := s.svc.Reach.FindReach(c.UserContext(), copyString(c.Params("slug")))
	if err != nil {
		return err
	}
	return c.JSON(r)
}
