package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// ballotAPI registers the participants' routes of API.md: joining a
// workshop with its code, and casting a ballot.
func (s *Server) ballotAPI(api fiber.Router) {
	api.Post("/workshops/join", append(s.joinLimit(), s.apiJoin)...)
	api.Put("/polls/:id/ballot", s.apiCastBallot)
}

// apiJoin makes a participant of the workshop with the code, or gives back
// the one that the caller already is (its token, from the header or the
// browser's cookie, or its signed-in account). Browsers get the token as a
// cookie too, so that joining again from the same browser changes nothing.
func (s *Server) apiJoin(c *fiber.Ctx) error {
	var n participation.NewParticipant
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	n.Token = joinedToken(c)
	p, err := s.svc.Workshops.JoinWorkshop(c.UserContext(), n)
	if err != nil {
		return err
	}
	s.setParticipantCookie(c, p.Token)
	return c.Status(fiber.StatusCreated).JSON(p)
}

// apiCastBallot takes a participant's ballot. Who and which poll come
// first, then the poll's state, then the ballot's content: the store checks
// them in that order, so even a malformed body to a closed poll is told
// that the poll is closed (participation.Ballot.ContentErr).
func (s *Server) apiCastBallot(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	token := participantToken(c)
	if token == "" {
		return participation.Errorf(participation.EUNAUTHENTICATED, "Join the workshop first and send X-Participant-Token.")
	}
	var b participation.Ballot
	if err := decodeJSON(c, &b); err != nil {
		b = participation.Ballot{ContentErr: err}
	}
	got, err := s.svc.Workshops.CastBallot(c.UserContext(), id, token, b)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"poll_id": got.PollID, "option_ids": got.OptionIDs})
}
