package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// newsletterPages registers the newsletter's pages: the subscription form
// (of a process, or of the platform), the emailed links' confirm and
// unsubscribe pages, which need no signing in, and the digest's preview
// with its introduction for its officials.
func (s *Server) newsletterPages(r fiber.Router) {
	if s.svc.Newsletter == nil {
		return
	}
	r.Get("/subscribe", s.subscribePage)
	r.Post("/subscribe", s.subscribeLimit(func(c *fiber.Ctx) error {
		return s.formError(c, "newsletter_subscribe", s.subscribeData(c), formValues(c, "email", "process", "language", "frequency"), rateLimited(c))
	}), s.subscribe)
	r.Get("/subscriptions/confirm", s.subscriptionLinkPage("newsletter_confirm"))
	r.Post("/subscriptions/confirm", s.confirmSubscription)
	r.Get("/subscriptions/unsubscribe", s.subscriptionLinkPage("newsletter_unsubscribe"))
	r.Post("/subscriptions/unsubscribe", s.unsubscribe)
	r.Get("/newsletter", s.digestPage(""))
	r.Post("/newsletter", s.saveDigestIntro(""))
	r.Get("/processes/:slug/newsletter", s.digestPage("slug"))
	r.Post("/processes/:slug/newsletter", s.saveDigestIntro("slug"))
}

// subscribeData is the subscription form's: the process it is for (by
// slug; none for the platform), its choices, and the address it went to.
type subscribeData struct {
	Process   string
	Languages []selectOption
	Sent      bool
}

func (s *Server) subscribeData(c *fiber.Ctx) *subscribeData {
	d := &subscribeData{Process: copyString(c.Query("process", c.FormValue("process")))}
	for _, l := range participation.MessageLanguages {
		d.Languages = append(d.Languages, selectOption{Value: l, Label: s.T(c, "newsletter.language."+l)})
	}
	return d
}

func (s *Server) subscribePage(c *fiber.Ctx) error {
	d := s.subscribeData(c)
	return s.render(c, fiber.StatusOK, "newsletter_subscribe", d,
		map[string]string{"language": requestLang(c), "frequency": participation.FrequencyMonthly, "process": d.Process}, nil)
}

// subscribe answers with the same page whether or not the address was
// subscribed already: check your email.
func (s *Server) subscribe(c *fiber.Ctx) error {
	form := formValues(c, "email", "process", "language", "frequency")
	d := s.subscribeData(c)
	n := participation.NewSubscription{Email: form["email"], Process: form["process"], Language: form["language"], Frequency: form["frequency"]}
	if err := s.svc.Newsletter.Subscribe(c.UserContext(), n); err != nil {
		return s.formError(c, "newsletter_subscribe", d, form, err)
	}
	d.Sent = true
	return s.render(c, fiber.StatusOK, "newsletter_subscribe", d, nil, nil)
}

// subscriptionLinkData is a confirm or unsubscribe page's: the link's
// token and the subscription, or that the link does not work, or that it
// is done.
type subscriptionLinkData struct {
	Token        string
	Subscription *participation.Subscription
	Invalid      bool
	Done         bool
}

// subscriptionLinkPage shows an emailed link's page with its button: a
// link a mail scanner opens changes nothing.
func (s *Server) subscriptionLinkPage(page string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := copyString(c.Query("token"))
		if page == "newsletter_unsubscribe" {
			sub, err := s.svc.Newsletter.FindSubscription(c.UserContext(), token)
			if err != nil {
				return s.subscriptionLinkFailed(c, page, err)
			}
			return s.render(c, fiber.StatusOK, page, &subscriptionLinkData{Token: token, Subscription: sub}, nil, nil)
		}
		if token == "" {
			return s.render(c, fiber.StatusNotFound, page, &subscriptionLinkData{Invalid: true}, nil, nil)
		}
		return s.render(c, fiber.StatusOK, page, &subscriptionLinkData{Token: token}, nil, nil)
	}
}

// subscriptionLinkFailed shows that a link does not work (404), or passes
// on another error.
func (s *Server) subscriptionLinkFailed(c *fiber.Ctx, page string, err error) error {
	if participation.ErrorCode(err) != participation.ENOTFOUND {
		return err
	}
	return s.render(c, fiber.StatusNotFound, page, &subscriptionLinkData{Invalid: true}, nil, nil)
}

func (s *Server) confirmSubscription(c *fiber.Ctx) error {
	sub, err := s.svc.Newsletter.ConfirmSubscription(c.UserContext(), copyString(c.FormValue("token")))
	if err != nil {
		return s.subscriptionLinkFailed(c, "newsletter_confirm", err)
	}
	return s.render(c, fiber.StatusOK, "newsletter_confirm", &subscriptionLinkData{Subscription: sub, Done: true}, nil, nil)
}

func (s *Server) unsubscribe(c *fiber.Ctx) error {
	if err := s.svc.Newsletter.Unsubscribe(c.UserContext(), copyString(c.FormValue("token"))); err != nil {
		return s.subscriptionLinkFailed(c, "newsletter_unsubscribe", err)
	}
	return s.render(c, fiber.StatusOK, "newsletter_unsubscribe", &subscriptionLinkData{Done: true}, nil, nil)
}

// digestPageData is the digest's preview: the digest as it stands, and
// the periods' choices.
type digestPageData struct {
	*participation.DigestPreview
	Action string // where the introduction's form posts
}

// digestPage previews a digest (the process's officials; admins for the
// platform's) with its introduction's form.
func (s *Server) digestPage(slugParam string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ref := digestRef(c, slugParam)
		d, err := s.svc.Newsletter.PreviewDigest(c.UserContext(), ref, requestLang(c))
		if err != nil {
			return err
		}
		return s.render(c, fiber.StatusOK, "newsletter_digest", &digestPageData{DigestPreview: d, Action: copyString(c.Path())},
			map[string]string{"intro": d.Intro}, nil)
	}
}

// saveDigestIntro writes the introduction and shows the preview again.
func (s *Server) saveDigestIntro(slugParam string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ref := digestRef(c, slugParam)
		ref.Frequency, ref.PeriodStart = copyString(c.FormValue("frequency")), participation.Date(copyString(c.FormValue("period")))
		intro := copyString(c.FormValue("intro"))
		if err := s.svc.Newsletter.SetDigestIntro(c.UserContext(), ref, intro); err != nil {
			d, perr := s.svc.Newsletter.PreviewDigest(c.UserContext(), ref, requestLang(c))
			if perr != nil {
				return err
			}
			return s.formError(c, "newsletter_digest", &digestPageData{DigestPreview: d, Action: copyString(c.Path())}, map[string]string{"intro": intro}, err)
		}
		s.flash(c, "digest_intro_saved")
		return redirect(c, copyString(c.Path())+"?frequency="+ref.Frequency+"&period="+string(ref.PeriodStart))
	}
}
