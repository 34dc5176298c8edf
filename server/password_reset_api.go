package server

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"osallistu/participation"
)

// passwordResetAPI registers the forgotten password's routes: ask for a
// link by email, and set a new password with it.
func (s *Server) passwordResetAPI(api fiber.Router) {
	api.Post("/password-resets", s.passwordResetLimit(rateLimited), s.apiRequestPasswordReset)
	api.Post("/password-resets/confirm", s.apiResetPassword)
}

// passwordResetLimit limits asking for reset links per address
// (Config.PasswordResetAddressLimit a minute), whatever the emails asked
// for, so that nobody can fill inboxes or try addresses fast; refused
// answers the refusal. Each email is limited by the store too
// (Config.PasswordResetEmailLimit an hour), silently.
func (s *Server) passwordResetLimit(refused fiber.Handler) fiber.Handler {
	return limiter.New(limiter.Config{
		Max: s.cfg.PasswordResetAddressLimit, Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string { return "reset:" + c.IP() }, LimitReached: refused,
	})
}

// apiRequestPasswordReset answers 202 whether or not the address has an
// account: only an address that is not one is refused (422).
func (s *Server) apiRequestPasswordReset(c *fiber.Ctx) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.svc.Accounts.RequestPasswordReset(c.UserContext(), in.Email, s.cfg.PasswordResetEmailLimit); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusAccepted)
}

// apiResetPassword sets the new password with a reset link's token: 204,
// and every session of the account ends.
func (s *Server) apiResetPassword(c *fiber.Ctx) error {
	var p participation.PasswordReset
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	if err := s.svc.Accounts.ResetPassword(c.UserContext(), p); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
