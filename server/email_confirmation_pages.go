package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// emailConfirmationPages registers the page of the links that confirm an
// address or a new one. Opening the link shows a button: a mail scanner
// that follows links confirms nothing.
func (s *Server) emailConfirmationPages(r fiber.Router) {
	r.Get("/account/confirm-email", s.confirmEmailPage)
	r.Post("/account/confirm-email", s.confirmEmail)
}

// confirmEmailData is the confirmation page's: the link's token, or that
// the link does not work.
type confirmEmailData struct {
	Token   string
	Invalid bool
}

func (s *Server) confirmEmailPage(c *fiber.Ctx) error {
	token := copyString(c.Query("token"))
	if token == "" {
		return s.render(c, fiber.StatusNotFound, "account_email_confirm", &confirmEmailData{Invalid: true}, nil, nil)
	}
	return s.render(c, fiber.StatusOK, "account_email_confirm", &confirmEmailData{Token: token}, nil, nil)
}

// confirmEmail confirms the address and leads to the account page, or to
// signing in for a browser signed out.
func (s *Server) confirmEmail(c *fiber.Ctx) error {
	token := copyString(c.FormValue("token"))
	if _, err := s.svc.Accounts.ConfirmEmail(c.UserContext(), token); err != nil {
		switch participation.ErrorCode(err) {
		case participation.ENOTFOUND:
			return s.render(c, fiber.StatusNotFound, "account_email_confirm", &confirmEmailData{Invalid: true}, nil, nil)
		case participation.ECONFLICT:
			return s.formError(c, "account_email_confirm", &confirmEmailData{Token: token}, nil, err)
		}
		return err
	}
	s.flash(c, "email_confirmed")
	if account(c) == nil {
		return redirect(c, "/login?next=/account")
	}
	return redirect(c, "/account")
}
