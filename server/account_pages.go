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
	r.Post("/account/settings", s.saveAccountSettings)
	r.Post("/account/details", s.saveAccountDetails)
	r.Post("/account/email", s.changeEmail)
	r.Post("/account/email-confirmation", s.sendEmailConfirmation)
	r.Post("/account/password", s.changePassword)
	r.Get("/account/export.json", s.exportDownload)
	r.Post("/account/delete", s.eraseAccount)
}

// registerData is the registration page once the form is sent: where the
// message went. The form itself has no data.
type registerData struct {
	SentTo string
	Next   string // where signing in leads afterwards (an invitation's link)
}

func (s *Server) registerPage(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "register", nil, map[string]string{"next": safeNext(c.Query("next"))}, nil)
}

// register signs up and answers "we sent a message to ADDRESS" whether the
// address is new (a welcome) or has an account (its owner is told): the
// page says no more, and signs nobody in, so that the two look alike.
func (s *Server) register(c *fiber.Ctx) error {
	form := formValues(c, "email", "name", "municipality", "next")
	again := c.FormValue("password_again")
	n := participation.NewAccount{Email: form["email"], Name: form["name"], Password: c.FormValue("password"), PasswordAgain: &again,
		Lang: requestLang(c)}
	if m := form["municipality"]; m != "" {
		n.Municipality = &m
	}
	if err := s.svc.Accounts.SignUp(c.UserContext(), n); err != nil {
		return s.formError(c, "register", nil, form, err)
	}
	return s.render(c, fiber.StatusOK, "register", &registerData{SentTo: participation.NormalizeEmail(n.Email), Next: safeNext(form["next"])}, nil, nil)
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

// accountData is the account page's: the message settings, nil when the
// server has no outbox, and which of its forms failed, so that each form
// shows only its own errors.
type accountData struct {
	Settings  *participation.MessageSettings
	Languages []string
	// Failed names the form whose errors the page shows: details, email,
	// password, settings or delete.
	Failed string
}

// Forms of the account page.
const (
	accountFormDetails  = "details"
	accountFormEmail    = "email"
	accountFormPassword = "password"
	accountFormSettings = "settings"
	accountFormDelete   = "delete"
)

// accountPageData reads the signed-in account's message settings.
func (s *Server) accountPageData(c *fiber.Ctx) (*accountData, error) {
	d := &accountData{Languages: participation.MessageLanguages}
	if s.svc.Outbox == nil {
		return d, nil
	}
	var err error
	d.Settings, err = s.svc.Outbox.FindMessageSettings(c.UserContext())
	return d, err
}

// accountForm is the details form's values as the account has them.
func accountForm(a *participation.Account) map[string]string {
	form := map[string]string{"name": a.Name, "municipality": ""}
	if a.Municipality != nil {
		form["municipality"] = *a.Municipality
	}
	return form
}

func (s *Server) accountPage(c *fiber.Ctx) error {
	a := account(c)
	if a == nil {
		return redirect(c, "/login?next=/account")
	}
	d, err := s.accountPageData(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "account", d, accountForm(a), nil)
}

// accountFormError shows the account page again with the errors of the
// form that failed, its values kept (passwords never are).
func (s *Server) accountFormError(c *fiber.Ctx, failed string, form map[string]string, err error) error {
	d, derr := s.accountPageData(c)
	if derr != nil {
		return derr
	}
	d.Failed = failed
	values := accountForm(account(c))
	for k, v := range form {
		values[k] = v
	}
	return s.formError(c, "account", d, values, err)
}

// saveAccountDetails changes the name and municipality; an empty
// municipality removes it.
func (s *Server) saveAccountDetails(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/account")
	}
	form := formValues(c, "name", "municipality")
	name, municipality := form["name"], form["municipality"]
	u := participation.AccountUpdate{Name: &name, Municipality: &municipality}
	if _, err := s.svc.Accounts.UpdateAccount(c.UserContext(), u); err != nil {
		return s.accountFormError(c, accountFormDetails, form, err)
	}
	s.flash(c, "details_saved")
	return redirect(c, "/account")
}

// changeEmail sends a link to the new address; the page says so, and the
// address changes when the link is opened.
func (s *Server) changeEmail(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/account")
	}
	form := formValues(c, "email")
	if err := s.svc.Accounts.RequestEmailChange(c.UserContext(), form["email"]); err != nil {
		return s.accountFormError(c, accountFormEmail, form, err)
	}
	s.flash(c, "email_change_sent")
	return redirect(c, "/account")
}

// sendEmailConfirmation sends the link that confirms the address again.
func (s *Server) sendEmailConfirmation(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/account")
	}
	if err := s.svc.Accounts.SendEmailConfirmation(c.UserContext()); err != nil {
		return s.accountFormError(c, accountFormEmail, nil, err)
	}
	s.flash(c, "confirmation_sent")
	return redirect(c, "/account")
}

// changePassword sets a new password; this browser stays signed in, every
// other session of the account ends.
func (s *Server) changePassword(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/account")
	}
	again := copyString(c.FormValue("new_password_again"))
	p := participation.PasswordChange{CurrentPassword: copyString(c.FormValue("current_password")),
		NewPassword: copyString(c.FormValue("new_password")), NewPasswordAgain: &again}
	if err := s.svc.Accounts.ChangePassword(c.UserContext(), p, copyString(c.Cookies(sessionCookie))); err != nil {
		return s.accountFormError(c, accountFormPassword, nil, err)
	}
	s.flash(c, "password_changed")
	return redirect(c, "/account")
}

// saveAccountSettings saves the message settings: email of what the account
// follows (a checkbox, off when left out) and the language of messages.
func (s *Server) saveAccountSettings(c *fiber.Ctx) error {
	if account(c) == nil {
		return redirect(c, "/login?next=/account")
	}
	if s.svc.Outbox == nil {
		return fiber.ErrNotFound
	}
	on, lang := c.FormValue("email_notifications") == "yes", copyString(c.FormValue("lang"))
	if _, err := s.updateMessageSettings(c.UserContext(), participation.MessageSettingsUpdate{EmailNotifications: &on, Lang: &lang}); err != nil {
		return s.accountFormError(c, accountFormSettings, nil, err)
	}
	s.flash(c, "settings_saved")
	return redirect(c, "/account")
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
		return s.accountFormError(c, accountFormDelete, nil, errs.Err())
	}
	if err := s.svc.Accounts.EraseAccount(c.UserContext()); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	s.flash(c, "account_deleted")
	return redirect(c, "/")
}
