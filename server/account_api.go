package server

import (
	"context"
	"encoding/json"
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
	api.Patch("/me", s.apiUpdateMe)
	api.Put("/me/password", s.apiChangePassword)
	api.Post("/me/email", s.apiChangeEmail)
	api.Post("/me/email-confirmation", s.apiSendEmailConfirmation)
	api.Post("/email-confirmations", s.apiConfirmEmail)
	api.Put("/accounts/:id/roles", s.apiSetRoles)
}

func (s *Server) apiCreateAccount(c *fiber.Ctx) error {
	var n participation.NewAccount
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	n.Lang = requestLang(c) // messages in the language the account signed up in
	n.SendConfirmation = true
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
	if err := s.svc.Accounts.DeleteSession(c.UserContext(), bearerToken(c)); err != nil {
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

// meJSON is the signed-in account with its message settings.
type meJSON struct {
	*participation.Account
	participation.MessageSettings
}

// optionalString is a JSON field that may be left out, sent as null (to
// clear it) or sent as a string: Set says it was sent.
type optionalString struct {
	Set   bool
	Value *string
}

// UnmarshalJSON is called only for a field that is present, null included.
func (o *optionalString) UnmarshalJSON(b []byte) error {
	o.Set = true
	return json.Unmarshal(b, &o.Value)
}

// meUpdate is the body of PATCH /me: the account's name and municipality
// and its message settings, each left as it is when left out.
type meUpdate struct {
	Name         *string        `json:"name"`
	Municipality optionalString `json:"municipality"`
	participation.MessageSettingsUpdate
}

// apiUpdateMe changes the signed-in account: {name?, municipality?,
// email_notifications?, lang?}; a field left out stays as it is, a null
// municipality is cleared. Everything is checked before anything is saved.
func (s *Server) apiUpdateMe(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	var in meUpdate
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u := participation.AccountUpdate{Name: in.Name, Municipality: in.Municipality.Value,
		ClearMunicipality: in.Municipality.Set && in.Municipality.Value == nil}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := in.MessageSettingsUpdate.Validate(); err != nil {
		return err
	}
	a, err := s.svc.Accounts.UpdateAccount(c.UserContext(), u)
	if err != nil {
		return err
	}
	if s.svc.Outbox == nil {
		return c.JSON(a)
	}
	st, err := s.updateMessageSettings(c.UserContext(), in.MessageSettingsUpdate)
	if err != nil {
		return err
	}
	return c.JSON(meJSON{Account: a, MessageSettings: *st})
}

// bearerToken is the request's API token, "" without one.
func bearerToken(c *fiber.Ctx) string {
	return copyString(strings.TrimPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "))
}

// apiChangePassword sets a new password, given the current one; the
// account's other sessions end, the one asking stays.
func (s *Server) apiChangePassword(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	var p participation.PasswordChange
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	if err := s.svc.Accounts.ChangePassword(c.UserContext(), p, bearerToken(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// apiChangeEmail sends a link to the new address: 202, the address
// changes when the link is opened.
func (s *Server) apiChangeEmail(c *fiber.Ctx) error {
	if _, err := participation.RequireAccount(c.UserContext()); err != nil {
		return err
	}
	var in struct {
		Email string `json:"email"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.svc.Accounts.RequestEmailChange(c.UserContext(), in.Email); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusAccepted)
}

// apiSendEmailConfirmation sends the link that confirms the account's
// address again: 202.
func (s *Server) apiSendEmailConfirmation(c *fiber.Ctx) error {
	if err := s.svc.Accounts.SendEmailConfirmation(c.UserContext()); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusAccepted)
}

// apiConfirmEmail opens a link that confirms an address or a new one:
// anyone holding the token may, signed in or not.
func (s *Server) apiConfirmEmail(c *fiber.Ctx) error {
	var in struct {
		Token string `json:"token"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	a, err := s.svc.Accounts.ConfirmEmail(c.UserContext(), in.Token)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

// updateMessageSettings checks u and then saves what it changes, for the
// API and the account page alike; it returns the settings as saved.
func (s *Server) updateMessageSettings(ctx context.Context, u participation.MessageSettingsUpdate) (*participation.MessageSettings, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if u.Lang != nil {
		if err := s.svc.Outbox.SetMessageLanguage(ctx, *u.Lang); err != nil {
			return nil, err
		}
	}
	if u.EmailNotifications != nil {
		if err := s.svc.Outbox.SetEmailNotifications(ctx, *u.EmailNotifications); err != nil {
			return nil, err
		}
	}
	return s.svc.Outbox.FindMessageSettings(ctx)
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
	a, err := s.svc.Accounts.SetRoles(c.UserContext(), id, in.Roles)
	if err != nil {
		return err
	}
	return c.JSON(a)
}
