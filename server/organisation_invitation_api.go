package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// organisationInvitationAPI registers accepting an organisation's
// invitation with the token of its emailed link.
func (s *Server) organisationInvitationAPI(api fiber.Router) {
	api.Post("/organisation-invitations/accept", s.apiAcceptOrganisationInvitation)
}

// apiAcceptOrganisationInvitation makes the caller a member: 200 with the
// organisation; 404 for a token that is unknown or used.
func (s *Server) apiAcceptOrganisationInvitation(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	var in struct {
		Token string `json:"token"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	o, err := s.svc.Organisations.AcceptOrganisationInvitation(c.UserContext(), in.Token)
	if err != nil {
		return err
	}
	return c.JSON(o)
}
