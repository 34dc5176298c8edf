package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// accountAPI registers the accounts and sessions routes of API.md.
func (s *Server) accountAPI(api fiber.Router) {
	api.Post("/accounts", append(s.signUpLimit(), s.apiCreateAccount)...)
	api.Post("/session", append(s.loginLimit(), s.apiCreateSession)...)
	api.Delete("/session", s.apiDeleteSession)
	api.Get("/me", s.apiMe)
	api.Get("/me/export", s.apiExport)
	api.Delete("/me", s.apiErase)
	api.Put("/accounts/:id/roles", s.apiSetRoles)
}

func (s *Server) apiCreateAccount(c *fiber.Ctx) error {
	var n participation.NewAccount
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	a, err := s.svc.Accounts.CreateAccount(c.UserContext(), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

func (s *Server) apiCreateSession(c *fiber.Ctx) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	sess, err := s.svc.Accounts.CreateSession(c.UserContext(), in.Email, in.Password)
	if err != nil {
		return err
	}
	return c.JSON(sess)
}

func (s *Server) apiDeleteSession(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	token := strings.TrimPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if err := s.svc.Accounts.DeleteSession(c.UserContext(), token); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) apiMe(c *fiber.Ctx) error {
	a, err := participation.RequireAccount(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (s *Server) apiExport(c *fiber.Ctx) error {
	x, err := s.svc.Accounts.ExportAccount(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(x)
}

func (s *Server) apiErase(c *fiber.Ctx) error {
	if err := s.svc.Accounts.EraseAccount(c.UserContext()); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) apiSetRoles(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Roles []string `json:"roles"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := requireFields(c, "roles"); err != nil {
		return err
	}
	a, err := s.svc.Accounts.SetRoles(c.UserContext(), id, in.Roles)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

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

// formError re-renders a form page with the field errors of err (status
// 422, or 409 for a conflict), or passes any other error on.
func (s *Server) formError(c *fiber.Ctx, page string, data any, form map[string]string, err error) error {
	var de *participation.Error
	if !errors.As(err, &de) {
		return err
	}
	errs := de.Fields
	if len(errs) == 0 {
		switch de.Code {
		case participation.EUNAUTHENTICATED, participation.ERATELIMITED, participation.ECLOSED, participation.ECONFLICT:
			// A form-level error, shown above the form.
			errs = participation.FieldErrors{"_form": {Rule: "error." + de.Code}}
		default:
			return err
		}
	}
	return s.render(c, statusOf[de.Code], page, data, form, errs)
}

// formValues copies the named form fields (fiber reuses request memory).
func formValues(c *fiber.Ctx, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = strings.TrimSpace(copyString(c.FormValue(n)))
	}
	return m
}

// setSessionCookie starts a browser's session, with a new CSRF token.
func (s *Server) setSessionCookie(c *fiber.Ctx, token string) {
	rotateCSRF(c)
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: s.cfg.CookieSecure, MaxAge: 30 * 24 * 3600,
	})
}

func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.CookieSecure, MaxAge: -1})
}
