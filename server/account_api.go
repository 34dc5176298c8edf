package server

import (
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
	a, err := s.svc.Accounts.SetRoles(c.UserContext(), id, in.Roles)
	if err != nil {
		return err
	}
	return c.JSON(a)
}
