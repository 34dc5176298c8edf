package server

import (
	"net"

	"github.com/gofiber/fiber/v2"

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
