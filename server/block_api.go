package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// blockAPI registers blocking an account from writing, seeing its block and
// lifting it (officials).
func (s *Server) blockAPI(api fiber.Router) {
	api.Get("/accounts/:id/block", s.apiFindBlock)
	api.Put("/accounts/:id/block", s.apiBlock)
	api.Delete("/accounts/:id/block", s.apiUnblock)
}

func (s *Server) apiFindBlock(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	b, err := s.svc.Ideas.FindAccountBlock(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(b)
}

func (s *Server) apiBlock(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var n participation.NewBlock
	if err := decodeAsOfficial(c, &n); err != nil {
		return err
	}
	b, err := s.svc.Ideas.BlockAccount(c.UserContext(), id, n)
	if err != nil {
		return err
	}
	return c.JSON(b)
}

// apiUnblock lifts a block; a body, when sent, may give the reason.
func (s *Server) apiUnblock(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var d participation.Decision
	if len(c.Body()) > 0 {
		if err := decodeAsOfficial(c, &d); err != nil {
			return err
		}
	}
	if err := s.svc.Ideas.UnblockAccount(c.UserContext(), id, d); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
