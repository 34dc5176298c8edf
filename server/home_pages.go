package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// homePages registers the front page and the service's fixed pages.
func (s *Server) homePages(r fiber.Router) {
	r.Get("/", s.frontPage)
	r.Get("/accessibility", s.staticPage("accessibility"))
	r.Get("/privacy", s.privacyPage)
}

// privacyData is what the privacy notice tells from the configuration.
type privacyData struct {
	TokenRetentionDays int // how long anonymous tokens outlive their step
}

func (s *Server) privacyPage(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "privacy", privacyData{TokenRetentionDays: int(s.cfg.TokenRetention / (24 * time.Hour))}, nil, nil)
}

// frontPageData splits a page of processes into those open now, the rest,
// and the archived ones (listed apart).
type frontPageData struct {
	Open, Other, Archived []*participation.Process
	Pager
}

func (s *Server) frontPage(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	limit = min(limit, 20)
	ps, total, err := s.svc.Processes.FindProcesses(c.UserContext(), participation.ProcessFilter{Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	d := frontPageData{Pager: Pager{Total: total, Limit: limit, Offset: offset}}
	for _, p := range ps {
		if p.Status == participation.ProcessArchived {
			d.Archived = append(d.Archived, p)
		} else if p.IsOpen() {
			d.Open = append(d.Open, p)
		} else {
			d.Other = append(d.Other, p)
		}
	}
	return s.render(c, fiber.StatusOK, "home", d, nil, nil)
}

func (s *Server) staticPage(name string) fiber.Handler {
	return func(c *fiber.Ctx) error { return s.render(c, fiber.StatusOK, name, nil, nil, nil) }
}
