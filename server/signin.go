package server

import (
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"osallistu/participation"
)

// clientAddress is the address that sign-in throttling counts failures by:
// the request's IP, or for IPv6 its /64 network, since one connection is
// usually given a whole /64 and could otherwise change address at will.
func clientAddress(c *fiber.Ctx) string {
	ip := net.ParseIP(c.IP())
	if ip == nil {
		return copyString(c.IP())
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

// withClientAddress puts the request's clientAddress into its context, for
// the store's throttling of sign-ins per account and address.
func withClientAddress(c *fiber.Ctx) error {
	c.SetUserContext(participation.NewContextWithAddress(c.UserContext(), clientAddress(c)))
	return c.Next()
}

// signUpLimit throttles refused sign-ups per address, as loginLimit does
// sign-ins: a taken email answers 409 (API.md), which tells that an account
// exists, so a list of addresses cannot be tried fast. Sign-ups that pass
// are not counted: a class or a venue may sign up together from one address
// (the write limit still bounds them).
func (s *Server) signUpLimit() []fiber.Handler {
	return []fiber.Handler{
		limiter.New(limiter.Config{
			Max: s.cfg.SignUpAddressLimit, Expiration: time.Minute,
			SkipSuccessfulRequests: true, LimitReached: rateLimited,
		}),
		func(c *fiber.Ctx) error {
			if err := c.Next(); err != nil {
				return s.handleError(c, err)
			}
			return nil
		},
		withClientAddress,
	}
}
