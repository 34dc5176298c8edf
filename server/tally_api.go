package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/websocket"

	"osallistu/participation"
	"osallistu/server/live"
)

// tallyAPI registers the tally routes of API.md: a poll's tally, and a
// workshop's tallies live over a WebSocket.
func (s *Server) tallyAPI(api fiber.Router) {
	api.Get("/workshops/:id/live", s.apiLive)
	api.Get("/polls/:id/tally", s.apiTally)
}

// apiTally gives a poll's tally; the store hides the votes from those who
// may not see them yet (participation.Tally.ShowTo).
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
// per poll, then one after each change. Officials (liveAudience) get the
// officials' frames, with every vote and the count of participants;
// everyone else the public's. An address holds at most
// Config.LiveConnectionLimit connections at once: beyond it the upgrade is
// 429 rate_limited.
func (s *Server) apiLive(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.svc.Workshops.FindWorkshop(c.UserContext(), id); err != nil {
		return err
	}
	aud, err := s.liveAudience(c)
	if err != nil {
		return err
	}
	addr := copyString(c.IP())
	if !s.liveConns.acquire(addr) {
		return participation.Errorf(participation.ERATELIMITED, "Too many live connections from this address.")
	}
	err = upgradeWebSocket(c, func(ws *websocket.Conn) {
		defer s.liveConns.release(addr)
		s.hub.Serve(ws, id, aud)
	}, func() { s.liveConns.release(addr) })
	if err != nil {
		s.liveConns.release(addr)
	}
	return err
}

// liveAudience picks the frames a WebSocket gets: the officials' for an
// official, known by the bearer token or, from the pages, by the session
// cookie (the API reads no cookie elsewhere; here it only reads, and the
// upgrade refuses other origins, so the cookie comes from the site's own
// page); the public's for everyone else, an ended session among them. A
// session that cannot be looked up now is an error, not the public's frames:
// an official's screen must not quietly lose its numbers.
func (s *Server) liveAudience(c *fiber.Ctx) (live.Audience, error) {
	viewer := account(c)
	if tok := c.Cookies(sessionCookie); viewer == nil && tok != "" {
		a, err := s.svc.Accounts.FindAccountByToken(c.UserContext(), tok)
		switch participation.ErrorCode(err) {
		case "":
			viewer = a
		case participation.EUNAUTHENTICATED:
		default:
			return live.Public, err
		}
	}
	if participation.MaySeeAllVotes(viewer) {
		return live.Officials, nil
	}
	return live.Public, nil
}
