package server

import (
	"context"
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
	if s.svc.Outbox != nil {
		api.Patch("/me", s.apiUpdateMe)
	}
	api.Put("/accounts/:id/roles", s.apiSetRoles)
}

func (s *Server) apiCreateAccount(c *fiber.Ctx) error {
	var n participation.NewAccount
	if err := decodeJSON(c, &n); err != nil {
		return err
	}
	n.Lang = requestLang(c) // messages in the language the account signed up in
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

// meJSON is the signed-in account with its message settings.
type meJSON struct {
	*participation.Account
	participation.MessageSettings
}

// apiUpdateMe changes the signed-in account's message settings:
// {email_notifications?, lang?}; a field left out stays as it is.
func (s *Server) apiUpdateMe(c *fiber.Ctx) error {
	a, err := participation.RequireAccount(c.UserContext())
	if err != nil {
		return err
	}
	var u participation.MessageSettingsUpdate
	if err := decodeJSON(c, &u); err != nil {
		return err
	}
	st, err := s.updateMessageSettings(c.UserContext(), u)
	if err != nil {
		return err
	}
	return c.JSON(meJSON{Account: a, MessageSettings: *st})
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
