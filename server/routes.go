package server

import (
	"github.com/gofiber/fiber/v2"
)

// routes registers every route: middleware first, then each concept's API
// and pages, each registered by the concept's own file. Fiber takes the
// first route that matches, so a file registers a fixed path before a
// parameter that would take it (/processes/new before /processes/:slug).
func (s *Server) routes() {
	app := s.App
	app.Use(s.recover(), s.requestID(), s.observe, s.securityHeaders(), s.compress(), s.language, s.checkInput, s.whenReady, s.authenticate)
	app.Use(s.processAccess) // drafts unseen, archived processes read only: process_access.go

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	s.metricsRoutes(app)
	app.Get("/static/*", s.serveStatic) // fingerprinted and compressed once: static.go

	api := app.Group("/api/v1", s.apiWriteLimits()...)
	api.Get("/openapi.json", s.apiOpenAPI)
	s.accountAPI(api)
	s.passwordResetAPI(api)
	s.respondentAPI(api)
	s.processAPI(api)
	s.ideaRoundAPI(api)
	s.ideaAPI(api)
	s.themeAPI(api)
	s.commentAPI(api)
	s.moderationAPI(api)
	s.workshopAPI(api)
	s.pollAPI(api)
	s.ballotAPI(api)
	s.proposalAPI(api)
	s.tallyAPI(api)
	s.commitmentAPI(api)
	s.milestoneAPI(api)
	s.reportAPI(api)
	s.traceAPI(api)
	s.followAPI(api)
	s.organisationAPI(api)
	s.organisationInvitationAPI(api)
	s.statementRequestAPI(api)
	s.statementAPI(api)
	s.surveyAPI(api)
	s.eventAPI(api)
	s.openDataAPI(api)
	s.statisticsAPI(api)
	s.reachAPI(api)
	s.newsletterAPI(api)

	html := app.Group("", append([]fiber.Handler{s.views.count, s.checkCSRF, s.cachePage}, s.htmlWriteLimits()...)...)
	s.homePages(html)
	s.accountPages(html)
	s.passwordResetPages(html)
	s.emailConfirmationPages(html)
	s.processPages(html)
	s.ideaRoundPages(html)
	s.ideaPages(html)
	s.themePages(html)
	s.commentPages(html)
	s.moderationPages(html)
	s.workshopPages(html)
	s.pollPages(html)
	s.ballotPages(html)
	s.proposalPages(html)
	s.commitmentFormPages(html)
	s.commitmentPages(html)
	s.milestonePages(html)
	s.reportPages(html)
	s.tracePages(html)
	s.followPages(html)
	s.adminPages(html)
	s.outboxPages(html)
	s.organisationPages(html)
	s.organisationInvitationPages(html)
	s.statementRequestPages(html)
	s.statementPages(html)
	s.surveyPages(html)
	s.eventPages(html)
	s.apiGuidePages(html)
	s.statisticsPages(html)
	s.reachPages(html)
	s.newsletterPages(html)

	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
