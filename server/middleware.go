package server

import (
	"bytes"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/valyala/fasthttp"

	"osallistu/participation"
)

func (s *Server) recover() fiber.Handler { return recover.New() }

func (s *Server) requestID() fiber.Handler { return requestid.New() }

// securityHeaders sets a CSP without inline script, nosniff, no framing and
// a strict referrer policy.
func (s *Server) securityHeaders() fiber.Handler {
	return helmet.New(helmet.Config{
		ContentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
		ReferrerPolicy:            "same-origin",
		XFrameOptions:             "DENY",
		CrossOriginEmbedderPolicy: "unsafe-none",
	})
}

// compressibleTypes are the answers worth compressing: pages, CSS,
// scripts, CSV and plain text (text/*), JSON, and SVG charts.
var compressibleTypes = [][]byte{[]byte("text/"), []byte(fiber.MIMEApplicationJSON), []byte("image/svg+xml")}

// compress compresses text answers with gzip (else deflate), as the
// request's Accept-Encoding allows, with fasthttp's compressor: the one
// fiber's compress middleware uses.
//
// Not brotli, though every browser asks for it: made anew for each request,
// a page costs 0.2–0.45 ms with brotli (level 4) against 0.06–0.1 ms with
// gzip, to come out 3 % smaller (README, Performance), and a kept page
// (page_cache.go) costs little else. Static files are compressed once, at
// start, with brotli too (static.go); a WebSocket upgrade has no body.
//
// Fiber's middleware is not used as it is because it would compress every
// application/* answer, the PDF, DOCX and ODT attachments too (compressed
// already: CPU spent for nothing), and it lets errors pass uncompressed:
// here an error is answered first (the error page is a full page), then
// compressed.
func (s *Server) compress() fiber.Handler {
	compressor := fasthttp.CompressHandlerLevel(func(*fasthttp.RequestCtx) {}, fasthttp.CompressDefaultCompression)
	return func(c *fiber.Ctx) error {
		if isStatic(c) || isWebSocketUpgrade(c) {
			return c.Next()
		}
		if err := c.Next(); err != nil {
			if err := s.handleError(c, err); err != nil {
				return err
			}
		}
		ctype := c.Response().Header.ContentType()
		for _, t := range compressibleTypes {
			if bytes.HasPrefix(ctype, t) {
				c.Vary(fiber.HeaderAcceptEncoding) // also when not compressed, for shared caches
				compressor(c.Context())
				break
			}
		}
		return nil
	}
}

// isAPI reports whether the request is for the JSON API.
func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// isStatic reports whether the request is for a static file, which acts
// for nobody.
func isStatic(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/static/") }

// authenticate puts who is asking into the request's context: the
// signed-in account (from the bearer token on the API, from the session
// cookie on the pages) and the anonymous respondent (findRespondent).
func (s *Server) authenticate(c *fiber.Ctx) error {
	if err := s.findAccount(c); err != nil {
		return err
	}
	if err := s.findRespondent(c); err != nil {
		return err
	}
	return c.Next()
}

// findAccount puts the signed-in account into the request's context.
func (s *Server) findAccount(c *fiber.Ctx) error {
	var token string
	if isAPI(c) {
		h := c.Get(fiber.HeaderAuthorization)
		if h == "" {
			return nil
		}
		var ok bool
		if token, ok = strings.CutPrefix(h, "Bearer "); !ok || token == "" {
			return participation.Errorf(participation.EUNAUTHENTICATED, "Use Authorization: Bearer <token>.")
		}
	} else if token = c.Cookies(sessionCookie); token == "" {
		return nil
	}
	a, err := s.svc.Accounts.FindAccountByToken(c.UserContext(), token)
	if err != nil {
		if !isAPI(c) && participation.ErrorCode(err) == participation.EUNAUTHENTICATED {
			s.clearSessionCookie(c) // an ended session on a page: carry on signed out
			return nil
		}
		return err
	}
	c.Locals(localAccount, a)
	c.SetUserContext(participation.NewContextWithAccount(c.UserContext(), a))
	return nil
}

func isSafeMethod(c *fiber.Ctx) bool {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return true
	}
	return false
}

func rateLimited(c *fiber.Ctx) error {
	return participation.Errorf(participation.ERATELIMITED, "Too many requests. Wait a minute and try again.")
}

// writeLimits limits writes per writer and, far above that, per address.
func (s *Server) writeLimits(skip func(*fiber.Ctx) bool) []fiber.Handler {
	return []fiber.Handler{
		limiter.New(limiter.Config{
			// Joining a workshop and asking for a respondent token have no
			// writer to key on yet: each has a per-address limit of its own.
			Next: func(c *fiber.Ctx) bool { return skip(c) || isJoin(c) || isIssue(c) }, Max: s.cfg.WriteLimit, Expiration: time.Minute,
			KeyGenerator: writerKey, LimitReached: rateLimited,
		}),
		limiter.New(limiter.Config{
			Next: skip, Max: s.cfg.AddressWriteLimit, Expiration: time.Minute,
			KeyGenerator: func(c *fiber.Ctx) string { return c.IP() }, LimitReached: rateLimited,
		}),
	}
}

func (s *Server) apiWriteLimits() []fiber.Handler { return s.writeLimits(isSafeMethod) }

func (s *Server) htmlWriteLimits() []fiber.Handler {
	return s.writeLimits(func(c *fiber.Ctx) bool { return isAPI(c) || isSafeMethod(c) })
}

// loginLimit throttles failed sign-ins per address (the store throttles per
// account and address, which withClientAddress gives it). The limiter counts
// by the response's status, so the handler's error is turned into its
// response before the limiter looks.
func (s *Server) loginLimit() []fiber.Handler {
	return []fiber.Handler{
		limiter.New(limiter.Config{
			Max: s.cfg.LoginAddressLimit, Expiration: time.Minute,
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

// isJoin reports whether the request joins a workshop: the writer limit
// skips it (there is no participant yet), joinLimit limits it per address.
func isJoin(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && (c.Path() == "/api/v1/workshops/join" || c.Path() == "/join")
}

// joinLimit limits joins per address, far above what a room behind one
// router needs (Config.JoinLimit).
func (s *Server) joinLimit() []fiber.Handler {
	return []fiber.Handler{limiter.New(limiter.Config{
		Max: s.cfg.JoinLimit, Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string { return "join:" + c.IP() }, LimitReached: rateLimited,
	})}
}

// isIssue reports whether the request asks for a respondent token: the
// writer limit skips it (there is no respondent yet), respondentLimit
// limits it per address.
func isIssue(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && c.Path() == "/api/v1/respondents"
}

// respondentLimit limits the respondent tokens issued per address, far
// above what a venue behind one router needs (Config.RespondentLimit).
func (s *Server) respondentLimit() []fiber.Handler {
	return []fiber.Handler{limiter.New(limiter.Config{
		Max: s.cfg.RespondentLimit, Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string { return "respondent:" + c.IP() }, LimitReached: rateLimited,
	})}
}
