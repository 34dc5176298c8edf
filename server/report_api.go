package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// reportAPI registers the implementation report route of API.md.
func (s *Server) reportAPI(api fiber.Router) {
	api.Get("/processes/:slug/report", s.apiImplementationReport)
}

// apiImplementationReport answers the report judged at ?as_of= (a day,
// YYYY-MM-DD, not after today; today without it); a bad day is 400.
func (s *Server) apiImplementationReport(c *fiber.Ctx) error {
	r, err := s.svc.Commitments.FindReport(c.UserContext(), participation.ReportFilter{
		ProcessSlug: copyString(c.Params("slug")), AsOf: participation.Date(copyString(c.Query(participation.FieldAsOf)))})
	if err != nil {
		return err
	}
	return c.JSON(r)
}
