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

func (s *Server) apiJoin(c *fiber.Ctx) error {
	var n participation.NewParticipant
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	p, err := s.svc.Workshops.JoinWorkshop(c.UserContext(), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

// apiCastBallot takes a participant's ballot. Who and which poll come
// first, then the poll's state, then the ballot's content: even a malformed
// body to a closed poll is told that the poll is closed.
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
		if serr := s.ballotState(c, id, token); serr != nil {
			return serr
		}
		return err
	}
	got, err := s.svc.Workshops.CastBallot(c.UserContext(), id, token, b)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"poll_id": got.PollID, "option_ids": got.OptionIDs})
}

// ballotState returns the error a ballot for poll id by token would get
// before its content is looked at, or nil.
func (s *Server) ballotState(c *fiber.Ctx, id int64, token string) error {
	ctx := c.UserContext()
	who, err := s.svc.Workshops.FindParticipant(ctx, token)
	if err != nil {
		return err
	}
	p, err := s.svc.Workshops.FindPoll(ctx, id)
	if err != nil {
		return err
	}
	if p.WorkshopID != who.WorkshopID {
		return participation.Errorf(participation.EFORBIDDEN, "You joined another workshop.")
	}
	return p.CheckOpen()
}
