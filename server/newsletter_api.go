package server

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"osallistu/participation"
)

// newsletterAPI registers the newsletter's routes: subscribe (double
// opt-in), confirm and unsubscribe with the emailed links' tokens, without
// an account; and the digest's preview and introduction for its officials.
func (s *Server) newsletterAPI(api fiber.Router) {
	if s.svc.Newsletter == nil {
		return
	}
	api.Post("/subscriptions", s.subscribeLimit(rateLimited), s.apiSubscribe)
	api.Post("/subscriptions/confirm", s.apiConfirmSubscription)
	api.Delete("/subscriptions", s.apiUnsubscribe)
	// A mail program's one-click unsubscribe (RFC 8058) posts a form to the
	// List-Unsubscribe address, the token in its query.
	api.Post("/subscriptions/unsubscribe", s.apiOneClickUnsubscribe)
	api.Get("/newsletter/digest", s.apiDigest(""))
	api.Put("/newsletter/digest/intro", s.apiDigestIntro(""))
	api.Get("/processes/:slug/newsletter/digest", s.apiDigest("slug"))
	api.Put("/processes/:slug/newsletter/digest/intro", s.apiDigestIntro("slug"))
}

// subscribeLimit limits subscribing per address like asking for a password
// reset link: nobody fills inboxes with confirmations fast. The store
// limits each subscription's confirmations too, silently.
func (s *Server) subscribeLimit(refused fiber.Handler) fiber.Handler {
	return limiter.New(limiter.Config{
		Max: s.cfg.PasswordResetAddressLimit, Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string { return "subscribe:" + c.IP() }, LimitReached: refused,
	})
}

// apiSubscribe answers 202 whether or not the address was subscribed
// already: only the confirmation link goes to it.
func (s *Server) apiSubscribe(c *fiber.Ctx) error {
	var in participation.NewSubscription
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.svc.Newsletter.Subscribe(c.UserContext(), in); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusAccepted)
}

// tokenJSON is a personal link's token in a request body.
type tokenJSON struct {
	Token string `json:"token"`
}

// apiConfirmSubscription confirms with the confirmation link's token.
func (s *Server) apiConfirmSubscription(c *fiber.Ctx) error {
	var in tokenJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	sub, err := s.svc.Newsletter.ConfirmSubscription(c.UserContext(), in.Token)
	if err != nil {
		return err
	}
	return c.JSON(sub)
}

// apiUnsubscribe ends a subscription with its unsubscribe token: 204.
func (s *Server) apiUnsubscribe(c *fiber.Ctx) error {
	var in tokenJSON
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.svc.Newsletter.Unsubscribe(c.UserContext(), in.Token); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// apiOneClickUnsubscribe ends a subscription with the token of the
// List-Unsubscribe address: 204.
func (s *Server) apiOneClickUnsubscribe(c *fiber.Ctx) error {
	if err := s.svc.Newsletter.Unsubscribe(c.UserContext(), copyString(c.Query("token"))); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// digestRef reads which digest a request means: the process of the slug
// parameter (none: the platform's), ?frequency= and ?period= (its first
// day; none: the period running now).
func digestRef(c *fiber.Ctx, slugParam string) participation.DigestRef {
	ref := participation.DigestRef{Frequency: copyString(c.Query("frequency")), PeriodStart: participation.Date(copyString(c.Query("period")))}
	if slugParam != "" {
		ref.Process = copyString(c.Params(slugParam))
	}
	return ref
}

// apiDigest previews a digest as it stands: its items, its introduction
// and its subscribers' count (officials; admins for the platform's).
func (s *Server) apiDigest(slugParam string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := s.svc.Newsletter.PreviewDigest(c.UserContext(), digestRef(c, slugParam), requestLang(c))
		if err != nil {
			return err
		}
		return c.JSON(d)
	}
}

// apiDigestIntro writes a digest's introduction before it goes out: 204.
func (s *Server) apiDigestIntro(slugParam string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in struct {
			Intro string `json:"intro"`
		}
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		if err := s.svc.Newsletter.SetDigestIntro(c.UserContext(), digestRef(c, slugParam), in.Intro); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}
