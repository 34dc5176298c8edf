package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/websocket"
)

// tallyAPI registers the tally routes of API.md: a poll's tally, and a
// workshop's tallies live over a WebSocket.
func (s *Server) tallyAPI(api fiber.Router) {
	api.Get("/workshops/:id/live", s.apiLive)
	api.Get("/polls/:id/tally", s.apiTally)
}

func (s *Server) apiTally(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := s.svc.Workshops.FindTally(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

// apiLive follows a workshop over a WebSocket: the hub sends a tally frame
// per poll, then one after each change.
func (s *Server) apiLive(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.Workshops.FindWorkshop(c.UserContext(), id); err != nil {
		return err
	}
	return upgradeWebSocket(c, func(ws *websocket.Conn) { s.hub.Serve(ws, id) })
}
