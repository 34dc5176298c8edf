// Package server is Osallistu's HTTP layer on fiber: the routes in one
// place, the middleware, the HTML and JSON handlers and the central error
// handler. It parses, authenticates and authorises; the rules live in
// package participation and the SQL in its store.
package server

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"osallistu/participation"
	"osallistu/server/live"
)

// Config is the server's part of the configuration, read once in cmd.
type Config struct {
	// CookieSecure marks cookies Secure (serve over HTTPS in production).
	CookieSecure bool
	// BodyLimit is the largest request body accepted, in bytes.
	BodyLimit int
	// WriteLimit is how many writes one account, participant or respondent
	// (or, without either, one address) may make per minute.
	WriteLimit int
	// AddressWriteLimit is how many writes one address may make per minute
	// in all; it is far above WriteLimit because many people can share one
	// address (a venue behind one router).
	AddressWriteLimit int
	// LoginAddressLimit is how many failed sign-ins one address may make per minute.
	LoginAddressLimit int
	// SignUpAddressLimit is how many refused sign-ups (a taken email among
	// them) one address may make per minute.
	SignUpAddressLimit int
	// JoinLimit is how many workshop joins one address may make per minute.
	// Joining has no participant token yet to limit by, and a whole room
	// may join from behind one router: it is well above 2 000.
	JoinLimit int
	// BaseURL is the site's public address, for the links of the emails
	// that the outbox page shows; empty leaves them out.
	BaseURL string
	// EmailOn says that the mail sender has an SMTP server, for the outbox
	// page; without one, emails wait in the outbox.
	EmailOn bool
	// MetricsToken, when set, is the bearer token that /metrics asks for;
	// without it /metrics is served only on MetricsApp.
	MetricsToken string
	// Logger receives request errors; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultConfig returns the defaults that cmd overrides.
func DefaultConfig() Config {
	return Config{
		BodyLimit:          25 << 20, // attachments up to 20 MiB plus the multipart envelope
		WriteLimit:         120,
		AddressWriteLimit:  20000,
		LoginAddressLimit:  30,
		SignUpAddressLimit: 30,
		JoinLimit:          6000,
	}
}

// Services are the domain services the server calls, one per concept.
// Ideas, Commitments and Workshops are each a whole feature's services in
// one value, as the handlers call them; New fills every per-concept field
// left nil from its feature's, so that the store can be given once per
// feature.
type Services struct {
	Accounts  participation.AccountService
	Processes participation.ProcessService

	// Ideas runs idea rounds, ideas and supports, themes, comments and moderation.
	Ideas      IdeaServices
	IdeaRounds participation.IdeaRoundService
	Themes     participation.ThemeService
	Comments   participation.CommentService
	Moderation participation.ModerationService

	// Commitments drafts, merges and approves commitments and tracks them.
	Commitments CommitmentServices
	Merges      participation.MergeService
	Milestones  participation.MilestoneService
	Reports     participation.ReportService
	Traces      participation.TraceService
	Drafting    participation.DraftingService
	Follows     participation.FollowService

	// Workshops runs workshops, their polls, participants and ballots.
	Workshops WorkshopServices
	Polls     participation.PollService
	Ballots   participation.BallotService
	Tallies   participation.TallyService
	// Surveys builds surveys, takes their responses and invitations and
	// counts their results.
	Surveys participation.SurveyService
	// Outbox keeps every message; nil leaves out the admin's outbox page.
	Outbox participation.OutboxService
	// LiveTallies counts the live hub's tallies; nil means Tallies. A store
	// on a connection of its own keeps recounts from queueing behind a
	// room's ballots for the pool's connections.
	LiveTallies live.Source
	// PollChanges are the poll changes of every server instance (the
	// store's listener); the live hub recounts on them. Nil hears none.
	PollChanges <-chan *participation.PollChange
	// Ping checks that the database answers (for /readyz).
	Ping func(ctx context.Context) error
	// Ready reports whether the database is migrated and listened to;
	// until it is, requests that need it answer 503 unavailable and
	// /readyz 503. Nil means ready from the start.
	Ready func() bool
	// CSRFStorage keeps CSRF tokens where every instance sees them; nil keeps them in memory.
	CSRFStorage fiber.Storage
	// Collectors are extra Prometheus collectors, such as the DB pool's.
	Collectors []prometheus.Collector
}

// IdeaServices are the services of the ideas feature together.
type IdeaServices interface {
	participation.IdeaRoundService
	participation.IdeaService
	participation.ThemeService
	participation.CommentService
	participation.ModerationService
}

// CommitmentServices are the services of the commitments feature together.
type CommitmentServices interface {
	participation.CommitmentService
	participation.MergeService
	participation.MilestoneService
	participation.ReportService
	participation.TraceService
	participation.DraftingService
	participation.FollowService
}

// WorkshopServices are the services of the workshops feature together.
type WorkshopServices interface {
	participation.WorkshopService
	participation.PollService
	participation.BallotService
	participation.TallyService
}

// fill sets each per-concept service left nil from its feature's.
func (svc *Services) fill() {
	if svc.IdeaRounds == nil {
		svc.IdeaRounds = svc.Ideas
	}
	if svc.Themes == nil {
		svc.Themes = svc.Ideas
	}
	if svc.Comments == nil {
		svc.Comments = svc.Ideas
	}
	if svc.Moderation == nil {
		svc.Moderation = svc.Ideas
	}
	if svc.Merges == nil {
		svc.Merges = svc.Commitments
	}
	if svc.Milestones == nil {
		svc.Milestones = svc.Commitments
	}
	if svc.Reports == nil {
		svc.Reports = svc.Commitments
	}
	if svc.Traces == nil {
		svc.Traces = svc.Commitments
	}
	if svc.Drafting == nil {
		svc.Drafting = svc.Commitments
	}
	if svc.Follows == nil {
		svc.Follows = svc.Commitments
	}
	if svc.Polls == nil {
		svc.Polls = svc.Workshops
	}
	if svc.Ballots == nil {
		svc.Ballots = svc.Workshops
	}
	if svc.Tallies == nil {
		svc.Tallies = svc.Workshops
	}
}

// Server is one instance of the platform's HTTP side.
type Server struct {
	App      *fiber.App
	cfg      Config
	svc      Services
	log      *slog.Logger
	pages    *renderer
	registry *prometheus.Registry
	metrics  *metrics
	openapi  []byte
	hub      *live.Hub // live tallies of workshops, for this instance's WebSockets

	// MetricsApp serves only /metrics, for an address of its own (ListenMetrics).
	MetricsApp *fiber.App
}

// New builds the server and registers every route.
func New(cfg Config, svc Services) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	svc.fill()
	s := &Server{cfg: cfg, svc: svc, log: cfg.Logger}
	var err error
	if s.pages, err = newRenderer(); err != nil {
		return nil, err
	}
	if s.openapi, err = buildOpenAPI(); err != nil {
		return nil, err
	}
	s.registry = prometheus.NewRegistry()
	tallies := svc.LiveTallies
	if tallies == nil {
		tallies = svc.Tallies
	}
	s.hub = live.New(tallies, live.Options{Logger: cfg.Logger})
	if svc.PollChanges != nil {
		go s.hub.Run(svc.PollChanges)
	}
	s.metrics = newMetrics(s.registry, slices.Concat(svc.Collectors, s.hub.Collectors()))
	s.App = fiber.New(fiber.Config{
		AppName:               "osallistu",
		ErrorHandler:          s.handleRequestError,
		BodyLimit:             cfg.BodyLimit,
		ReadBufferSize:        maxHeaderBytes,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
	})
	// A WebSocket outlives the request that opened it: fasthttp is to leave
	// hijacked connections open (the hub closes them) and take back the
	// request's memory as soon as the handshake is done (upgradeWebSocket).
	s.App.Server().KeepHijackedConns = true
	s.routes()
	s.MetricsApp = s.newMetricsApp()
	return s, nil
}

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.App.Listen(addr) }

// Shutdown stops accepting requests, waits for those under way, and closes
// the WebSockets, which fiber's shutdown does not reach (they are hijacked).
func (s *Server) Shutdown(ctx context.Context) error {
	return errors.Join(s.App.ShutdownWithContext(ctx), s.MetricsApp.ShutdownWithContext(ctx), s.hub.Close(ctx))
}

// copyString copies a string that fiber's request memory backs, for values
// that outlive the handler.
func copyString(s string) string { return strings.Clone(s) }
