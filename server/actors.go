package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// Who is asking: a signed-in account (the API's bearer token, the pages'
// session cookie), a workshop participant (a token from joining), or an
// anonymous respondent (a token the server issued: POST /api/v1/respondents
// on the API, a cookie on the pages).

const (
	sessionCookie = "osallistu_session"
	// localAccount is where authenticate leaves the signed-in account.
	localAccount = "account"
	// respondentCookie is an anonymous browser's issued respondent token,
	// so that one browser supports an idea once.
	respondentCookie = "osallistu_respondent"
	// respondentHeader is an anonymous API client's issued respondent token.
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

// setSessionCookie starts a browser's session, with a new CSRF token bound
// to it. Signing out needs no new token here: the old one, bound to the
// ended session, is not valid after it, and the next page makes another.
func (s *Server) setSessionCookie(c *fiber.Ctx, token string) {
	s.issueCSRF(c, token)
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: s.cfg.CookieSecure, MaxAge: 30 * 24 * 3600,
	})
}

func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.CookieSecure, MaxAge: -1})
}

// findRespondent verifies the anonymous respondent's token, once per
// request, and puts the respondent into the request's context, where every
// store method that takes anonymous contributions finds it. The API takes
// the token from X-Respondent-Token: one the server did not issue is 401,
// so that nobody counts twice by making tokens up. The pages take it from
// their cookie: an unknown one is ignored (the browser gets a new one on its
// next anonymous action), and signed-in people count by their account.
func (s *Server) findRespondent(c *fiber.Ctx) error {
	var token string
	if isAPI(c) {
		if token = c.Get(respondentHeader); token == "" {
			return nil
		}
		if !participation.ValidRespondentToken(token) {
			return participation.Errorf(participation.EUNAUTHENTICATED, "This respondent token was not issued by the server.")
		}
	} else if token = c.Cookies(respondentCookie); !participation.ValidRespondentToken(token) || account(c) != nil || isStatic(c) {
		return nil
	}
	r, err := s.svc.Respondents.FindRespondent(c.UserContext(), token)
	if err != nil {
		if !isAPI(c) && participation.ErrorCode(err) == participation.EUNAUTHENTICATED {
			return nil
		}
		return err
	}
	c.SetUserContext(participation.NewContextWithRespondent(c.UserContext(), r))
	return nil
}

// issueRespondent gives an anonymous browser its respondent on its first
// anonymous action on the pages (a support, an idea, a comment): issued by
// the store as for the API, kept in a cookie, and put into the request's
// context for the action. Signed-in people and browsers that have one
// already are left as they are.
func (s *Server) issueRespondent(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if participation.AccountFromContext(ctx) != nil || participation.RespondentFromContext(ctx) != nil {
		return nil
	}
	token, r, err := s.svc.Respondents.IssueRespondent(ctx)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name: respondentCookie, Value: token, Path: "/", MaxAge: 365 * 24 * 3600,
		HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.CookieSecure,
	})
	c.SetUserContext(participation.NewContextWithRespondent(ctx, r))
	return nil
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
// the anonymous participant or verified respondent, else the address.
func writerKey(c *fiber.Ctx) string {
	if a := account(c); a != nil {
		return "a:" + itoa(a.ID)
	}
	if r := participation.RespondentFromContext(c.UserContext()); r != nil {
		return "r:" + itoa(r.ID)
	}
	if t := c.Get(participantHeader); t != "" {
		return "P:" + t
	}
	if t := c.Cookies(participantCookie); t != "" && !isAPI(c) {
		return "P:" + t // a workshop participant's ballot form
	}
	return "ip:" + c.IP()
}
