package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// passwordResetPages registers the forgotten password's pages: ask for a
// link, and choose a new password with it.
func (s *Server) passwordResetPages(r fiber.Router) {
	r.Get("/password/forgot", s.passwordForgotPage)
	r.Post("/password/forgot", s.passwordResetLimit(func(c *fiber.Ctx) error {
		return s.formError(c, "password_forgot", nil, formValues(c, "email"), rateLimited(c))
	}), s.requestPasswordReset)
	r.Get("/password/reset", s.passwordResetPage)
	r.Post("/password/reset", s.resetPassword)
}

// passwordForgotData is the page once the form is sent: where the link
// went, if the address has an account (the page cannot say whether it does).
type passwordForgotData struct {
	SentTo string
}

func (s *Server) passwordForgotPage(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "password_forgot", nil, nil, nil)
}

// requestPasswordReset answers with the same page whether or not the
// address has an account.
func (s *Server) requestPasswordReset(c *fiber.Ctx) error {
	form := formValues(c, "email")
	if err := s.svc.Accounts.RequestPasswordReset(c.UserContext(), form["email"], s.cfg.PasswordResetEmailLimit); err != nil {
		return s.formError(c, "password_forgot", nil, form, err)
	}
	return s.render(c, fiber.StatusOK, "password_forgot", &passwordForgotData{SentTo: participation.NormalizeEmail(form["email"])}, nil, nil)
}

// passwordResetData is the new password page's: the link's token, or that
// the link does not work.
type passwordResetData struct {
	Token   string
	Invalid bool
}

func (s *Server) passwordResetPage(c *fiber.Ctx) error {
	token := copyString(c.Query("token"))
	if err := s.svc.Accounts.FindPasswordReset(c.UserContext(), token); err != nil {
		if participation.ErrorCode(err) != participation.ENOTFOUND {
			return err
		}
		return s.render(c, fiber.StatusNotFound, "password_reset", &passwordResetData{Invalid: true}, nil, nil)
	}
	return s.render(c, fiber.StatusOK, "password_reset", &passwordResetData{Token: token}, nil, nil)
}

// resetPassword sets the new password; every session of the account ends,
// this browser's too, and the person signs in with the new password.
func (s *Server) resetPassword(c *fiber.Ctx) error {
	token := copyString(c.FormValue("token"))
	again := copyString(c.FormValue("password_again"))
	p := participation.PasswordReset{Token: token, Password: copyString(c.FormValue("password")), PasswordAgain: &again}
	if err := s.svc.Accounts.ResetPassword(c.UserContext(), p); err != nil {
		if participation.ErrorCode(err) == participation.ENOTFOUND {
			return s.render(c, fiber.StatusNotFound, "password_reset", &passwordResetData{Invalid: true}, nil, nil)
		}
		return s.formError(c, "password_reset", &passwordResetData{Token: token}, nil, err)
	}
	s.clearSessionCookie(c)
	s.flash(c, "password_reset")
	return redirect(c, "/login")
}
