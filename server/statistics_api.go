package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// statisticsAPI registers the public figures of the platform.
func (s *Server) statisticsAPI(api fiber.Router) {
	api.Get("/statistics", s.apiStatistics)
}

// apiStatistics answers the figures; ?limit= and ?offset= page the list
// of processes, as every list is paged.
func (s *Server) apiStatistics(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	st, err := s.svc.Statistics.FindStatistics(c.UserContext(), participation.StatisticsFilter{Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return c.JSON(st)
}
