package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// pollAPI registers the poll routes of API.md: a workshop's new poll,
// changing it while it is a draft, opening and closing it.
func (s *Server) pollAPI(api fiber.Router) {
	api.Post("/workshops/:id/polls", s.apiCreatePoll)
	api.Patch("/polls/:id", s.apiUpdatePoll)
	api.Post("/polls/:id/open", s.apiSetPollStatus(participation.PollOpen))
	api.Post("/polls/:id/close", s.apiSetPollStatus(participation.PollClosed))
}

func (s *Server) apiCreatePoll(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewPoll
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	p, err := s.svc.Workshops.CreatePoll(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (s *Server) apiSetPollStatus(to string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var p *participation.Poll
		if to == participation.PollOpen {
			p, err = s.svc.Workshops.OpenPoll(c.UserContext(), id)
		} else {
			p, err = s.svc.Workshops.ClosePoll(c.UserContext(), id)
		}
		if err != nil {
			return err
		}
		return c.JSON(p)
	}
}

func (s *Server) apiUpdatePoll(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var u participation.PollPatch
	if err := decodeAsOfficial(c, &u); err != nil {
		return err
	}
	p, err := s.svc.Workshops.UpdatePoll(c.UserContext(), id, u)
	if err != nil {
		return err
	}
	return c.JSON(p)
}
