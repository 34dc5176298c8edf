package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// accountPages registers registration, sign-in and the own-account pages.
func (s *Server) accountPages(r fiber.Router) {
	r.Get("/register", s.registerPage)
	r.Post("/register", append(s.signUpLimit(), s.register)...)
	r.Get("/login", s.loginPage)
	r.Post("/login", append(s.loginLimit(), s.login)...)
	r.Post("/logout", s.logout)
	r.Get("/account", s.accountPage)
	r.Get("/account/export.json", s.exportDownload)
	r.Post("/account/delete", s.eraseAccount)
}

func (s *Server) registerPage(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "register", nil, nil, nil)
}

func (s *Server) register(c *fiber.Ctx) error {
	form := formValues(c, "email", "name", "municipality")
	again := c.FormValue("password_again")
	n := participation.NewAccount{Email: form["email"], Name: form["name"], Password: c.FormValue("password"), PasswordAgain: &again}
	if m := form["municipality"]; m != "" {
		n.Municipality = &m
	}
	ctx := c.UserContext()
	if _, err := s.svc.Accounts.CreateAccount(ctx, n); err != nil {
		return s.formError(c, "register", nil, form, err)
	}
	sess, err := s.svc.Accounts.CreateSession(ctx, n.Email, n.Password)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, sess.Token)
	s.flash(c, "registered")
	return redirect(c, "/account")
}

func (s *Server) loginPage(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "login", nil, map[string]string{"next": safeNext(c.Query("next"))}, nil)
}

func (s *Server) login(c *fiber.Ctx) error {
	form := formValues(c, "email", "next")
	sess, err := s.svc.Accounts.CreateSession(c.UserContext(), form["email"], c.FormValue("password"))
	if err != nil {
		return s.formError(c, "login", nil, form, err)
	}
	s.setSessionCookie(c, sess.Token)
	s.flash(c, "signed_in")
	return redirect(c, safeNext(form["next"]))
}

func (s *Server) logout(c *fiber.Ctx) error {
	if tok := c.Cookies(sessionCookie); tok != "" {
		if err := s.svc.Accounts.DeleteSession(c.UserContext(), tok); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	s.flash(c, "signed_out")
	return redirect(c, "/")
}

func (s *Server) accountPage(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/account")
	}
	return s.render(c, fiber.StatusOK, "account", nil, nil, nil)
}

func (s *Server) exportDownload(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/account")
	}
	x, err := s.svc.Accounts.ExportAccount(c.UserContext())
	if err != nil {
		return err
	}
	c.Attachment("osallistu-data.json")
	return c.JSON(x)
}

func (s *Server) eraseAccount(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/account")
	}
	if c.FormValue("confirm") != "yes" {
		errs := participation.FieldErrors{}
		errs.Add("confirm", participation.RuleRequired, 0)
		return s.render(c, fiber.StatusUnprocessableEntity, "account", nil, nil, errs)
	}
	if err := s.svc.Accounts.EraseAccount(c.UserContext()); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	s.flash(c, "account_deleted")
	return redirect(c, "/")
}
