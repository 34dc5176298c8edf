package server

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// Who is asking: a signed-in account (the API's bearer token, the pages'
// session cookie), a workshop participant (a token from joining), or an
// anonymous respondent (a token of the browser or the API client's own).

const (
	sessionCookie = "osallistu_session"
	// localAccount is where authenticate leaves the signed-in account.
	localAccount = "account"
	// respondentCookie is an anonymous browser's respondent token, so that
	// one browser supports an idea once.
	respondentCookie = "osallistu_respondent"
	// respondentHeader is an anonymous API client's respondent token.
	respondentHeader = "X-Respondent-Token"
	// participantCookie carries a workshop participant's token on the pages.
	participantCookie = "osallistu_participant"
	// participantHeader carries a workshop participant's token on the API.
	participantHeader = "X-Participant-Token"
)

// account returns the signed-in account, or nil.
func account(c *fiber.Ctx) *participation.Account {
	a, _ := c.Locals(localAccount).(*participation.Account)
	return a
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

// respondentToken returns the anonymous respondent's token: the API's
// header, or the pages' cookie. A malformed header is refused.
func respondentToken(c *fiber.Ctx) (string, error) {
	if t := c.Get(respondentHeader); t != "" {
		if !participation.ValidRespondentToken(t) {
			return "", participation.Errorf(participation.EMALFORMED, "X-Respondent-Token must be 16–128 URL-safe characters.")
		}
		return copyString(t), nil
	}
	if t := c.Cookies(respondentCookie); participation.ValidRespondentToken(t) && !isAPI(c) {
		return copyString(t), nil
	}
	return "", nil
}

// respondent returns the anonymous browser's respondent token from its
// cookie, making one when create is set and there is none yet. Signed-in
// people count by their account, so for them it is "".
func (s *Server) respondent(c *fiber.Ctx, create bool) string {
	if account(c) != nil {
		return ""
	}
	if t := c.Cookies(respondentCookie); participation.ValidRespondentToken(t) {
		return copyString(t)
	}
	if !create {
		return ""
	}
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	t := base64.RawURLEncoding.EncodeToString(b)
	c.Cookie(&fiber.Cookie{
		Name: respondentCookie, Value: t, Path: "/", MaxAge: 365 * 24 * 3600,
		HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.CookieSecure,
	})
	return t
}

// participantToken returns the workshop participant's token: the API's
// header, or the pages' cookie; "" for someone who has not joined.
func participantToken(c *fiber.Ctx) string {
	if isAPI(c) {
		return copyString(c.Get(participantHeader))
	}
	return copyString(c.Cookies(participantCookie))
}

// joinedToken returns the participant token that someone joining already
// holds: the API's header, else the browser's cookie (a browser's script
// calling the API sends it too).
func joinedToken(c *fiber.Ctx) string {
	if t := c.Get(participantHeader); t != "" {
		return copyString(t)
	}
	return copyString(c.Cookies(participantCookie))
}

// setParticipantCookie keeps a participant who joined on the pages for a
// week: longer than any workshop.
func (s *Server) setParticipantCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{
		Name: participantCookie, Value: token, Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: s.cfg.CookieSecure, MaxAge: 7 * 24 * 3600,
	})
}

// writerKey identifies who is writing, for rate limits: the account, else
// the anonymous participant or respondent, else the address.
func writerKey(c *fiber.Ctx) string {
	if a := account(c); a != nil {
		return "a:" + itoa(a.ID)
	}
	for _, h := range []string{participantHeader, respondentHeader} {
		if t := c.Get(h); t != "" {
			return h[2:3] + ":" + t
		}
	}
	if t := c.Cookies(respondentCookie); t != "" {
		return "r:" + t // an anonymous browser of the pages
	}
	if t := c.Cookies(participantCookie); t != "" && !isAPI(c) {
		return "P:" + t // a workshop participant's ballot form
	}
	return "ip:" + c.IP()
}
