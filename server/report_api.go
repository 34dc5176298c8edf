package server

import "github.com/gofiber/fiber/v2"

// reportAPI registers the implementation report route of API.md.
func (s *Server) reportAPI(api fiber.Router) {
	api.Get("/processes/:slug/report", s.apiImplementationReport)
}

func (s *Server) apiImplementationReport(c *fiber.Ctx) error {
	r, err := s.svc.Commitments.FindReport(c.UserContext(), copyString(c.Params("slug")))
	if err != nil {
		return err
	}
	return c.JSON(r)
}
