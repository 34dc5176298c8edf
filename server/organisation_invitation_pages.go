package server

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// organisationInvitationPages registers the page of an organisation's
// invitation link: sign in or register first, then accept.
func (s *Server) organisationInvitationPages(r fiber.Router) {
	r.Get("/organisation-invitation", s.organisationInvitationPage)
	r.Post("/organisation-invitation", s.acceptOrganisationInvitation)
}

// organisationInvitationData is the invitation page's: the organisation,
// the link's token and where signing in comes back to; Invalid when the
// link does not work.
type organisationInvitationData struct {
	Organisation *participation.Organisation
	Token        string
	Back         string // this page's path with the token, for ?next=
	Invalid      bool
}

func (s *Server) organisationInvitationPage(c *fiber.Ctx) error {
	token := copyString(c.Query("token"))
	o, err := s.svc.Organisations.FindOrganisationInvitation(c.UserContext(), token)
	if participation.ErrorCode(err) == participation.ENOTFOUND {
		return s.render(c, fiber.StatusNotFound, "organisation_invitation", &organisationInvitationData{Invalid: true}, nil, nil)
	} else if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "organisation_invitation", &organisationInvitationData{Organisation: o, Token: token,
		Back: "/organisation-invitation?token=" + url.QueryEscape(token)}, nil, nil)
}

// acceptOrganisationInvitation makes the signed-in account a member and
// leads to the organisation's page.
func (s *Server) acceptOrganisationInvitation(c *fiber.Ctx) error {
	token := copyString(c.FormValue("token"))
	if account(c) == nil {
		return redirect(c, "/login?next="+url.QueryEscape("/organisation-invitation?token="+url.QueryEscape(token)))
	}
	o, err := s.svc.Organisations.AcceptOrganisationInvitation(c.UserContext(), token)
	if participation.ErrorCode(err) == participation.ENOTFOUND {
		return s.render(c, fiber.StatusNotFound, "organisation_invitation", &organisationInvitationData{Invalid: true}, nil, nil)
	} else if err != nil {
		return err
	}
	s.flash(c, "invitation_accepted")
	return redirect(c, "/organisations/"+itoa(o.ID))
}
