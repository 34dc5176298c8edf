package server

import "github.com/gofiber/fiber/v2"

// traceAPI registers the trace route of API.md: what became of an idea.
func (s *Server) traceAPI(api fiber.Router) {
	api.Get("/ideas/:id/trace", s.apiTrace)
}

func (s *Server) apiTrace(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	tr, err := s.svc.Commitments.FindTrace(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(tr)
}
