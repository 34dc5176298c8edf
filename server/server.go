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
	"sync/atomic"
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
	// TokenRetention is how long after its step ended an anonymous token is
	// kept (participation.TokenPurger, run by the serve command); the
	// privacy notice tells it.
	TokenRetention time.Duration
	// EventAnswerRetention is how long after an event its registrants'
	// answers are kept (the registration form says so).
	EventAnswerRetention time.Duration
	// LoginAddressLimit is how many failed sign-ins one address may make per minute.
	LoginAddressLimit int
	// SignUpAddressLimit is how many refused sign-ups (a taken email among
	// them) one address may make per minute.
	SignUpAddressLimit int
	// PasswordResetAddressLimit is how many password reset links one
	// address may ask for per minute, whatever the emails.
	PasswordResetAddressLimit int
	// PasswordResetEmailLimit is how many reset links one email address is
	// sent per hour at most; more asks are answered alike and send nothing.
	PasswordResetEmailLimit int
	// JoinLimit is how many workshop joins one address may make per minute.
	// Joining has no participant token yet to limit by, and a whole room
	// may join from behind one router: it is well above 2 000.
	JoinLimit int
	// RespondentLimit is how many respondent tokens one address may be
	// issued per minute: every anonymous person of a venue behind one
	// router needs one, so it is well above 2 000.
	RespondentLimit int
	// LiveConnectionLimit is how many live WebSocket connections one address
	// may hold open at once: a venue's phones and screens behind one router
	// must fit, one client opening thousands must not.
	LiveConnectionLimit int
	// PageCache is how long a page shown to anonymous readers is kept and
	// given again while nothing is written (page_cache.go); 0 keeps none.
	PageCache time.Duration
	// BaseURL is the site's public address, for the links of the emails
	// that the outbox page shows; empty leaves them out.
	BaseURL string
	// EmailOn says that the mail sender has an SMTP server, for the outbox
	// page; without one, emails wait in the outbox.
	EmailOn bool
	// TrustedProxies are the addresses (or CIDR ranges) of the reverse
	// proxies in front of the server. A request from one of them is taken to
	// come from the address its X-Forwarded-For names, which the proxy must
	// set itself (replacing whatever the client sent, as haproxy.cfg does);
	// every per-address limit then counts people, not the proxy. Empty: the
	// header is ignored and the connection's address is the one counted.
	TrustedProxies []string
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
		// A household or an office asks now and then; a script does not.
		PasswordResetAddressLimit: 10,
		PasswordResetEmailLimit:   participation.DefaultPasswordResetsPerHour,
		JoinLimit:                 6000,
		RespondentLimit:           3000,
		// A venue of 2 000 people, each with a page or two open, and room to spare.
		LiveConnectionLimit: 5000,
		// Long enough to spare a spike of readers nearly every query, short
		// enough that a page's times and open/closed states are never late
		// by more.
		PageCache:            time.Second,
		TokenRetention:       participation.DefaultTokenRetention,
		EventAnswerRetention: participation.DefaultEventAnswerRetention,
	}
}

// Services are the domain services the server calls, one per concept.
// Accounts, Ideas, Commitments and Workshops are each a whole feature's
// services in one value, as the handlers call them; New fills every
// per-concept field left nil from its feature's, so that the store can be
// given once per feature.
type Services struct {
	// Accounts runs accounts and sessions, and issues and recognises
	// anonymous respondents.
	Accounts    AccountServices
	Respondents participation.RespondentService
	Processes   participation.ProcessService

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
	// Events adds events to processes and takes their registrations.
	Events participation.EventService
	// Statements runs the register of organisations, statement requests
	// and statements.
	Statements        StatementServices
	Organisations     participation.OrganisationService
	StatementRequests participation.StatementRequestService
	// OpenData exports a process's public items (open_data_api.go); nil
	// leaves the export out.
	OpenData participation.OpenDataService
	// Statistics are the platform's public figures (by default the
	// Statements feature's store).
	Statistics participation.StatisticsService
	// Reach reports who a process reached; nil leaves its pages out.
	Reach participation.ReachService
	// Newsletter runs subscriptions and digests; nil leaves its pages and
	// routes out.
	Newsletter participation.NewsletterService
	// Outbox keeps every message: the in-app messages (the notifications
	// pages and API, the unread count), the message settings and the
	// admin's outbox page; nil leaves them all out.
	Outbox participation.OutboxService
	// LiveTallies counts the live hub's tallies and participants; nil means
	// Workshops. A store
	// on a connection of its own keeps recounts from queueing behind a
	// room's ballots for the pool's connections.
	LiveTallies live.Source
	// PollChanges are the poll changes of every server instance (the
	// store's listener); the live hub recounts on them. Nil hears none.
	PollChanges <-chan *participation.PollChange
	// Ping checks that the database answers (for /readyz).
	Ping func(ctx context.Context) error
	// Snapshot returns the database's current snapshot, which changes with
	// every write (the store's Snapshot); the page cache keeps pages by it.
	// Nil keeps no pages.
	Snapshot func(ctx context.Context) (string, error)
	// Ready reports whether the database is migrated and listened to;
	// until it is, requests that need it answer 503 unavailable and
	// /readyz 503. Nil means ready as soon as the server has its secret
	// (SetSecret).
	Ready func() bool
	// Collectors are extra Prometheus collectors, such as the DB pool's.
	Collectors []prometheus.Collector
}

// AccountServices are the services of who acts together: accounts and
// anonymous respondents.
type AccountServices interface {
	participation.AccountService
	participation.AccountSettingsService
	participation.PasswordResetService
	participation.RespondentService
}

// IdeaServices are the services of the ideas feature together.
type IdeaServices interface {
	participation.IdeaRoundService
	participation.IdeaService
	participation.ThemeService
	participation.CommentService
	participation.ModerationService
	participation.BlockService
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
	participation.ProposalService
}

// StatementServices are the services of the statements feature together.
type StatementServices interface {
	participation.OrganisationService
	participation.StatementRequestService
	participation.StatementService
	participation.StatisticsService
}

// fill sets each per-concept service left nil from its feature's.
func (svc *Services) fill() {
	if svc.Respondents == nil {
		svc.Respondents = svc.Accounts
	}
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
	if svc.Organisations == nil {
		svc.Organisations = svc.Statements
	}
	if svc.StatementRequests == nil {
		svc.StatementRequests = svc.Statements
	}
	if svc.Statistics == nil {
		svc.Statistics = svc.Statements
	}
}

// Server is one instance of the platform's HTTP side.
type Server struct {
	App       *fiber.App
	cfg       Config
	svc       Services
	log       *slog.Logger
	pages     *renderer
	registry  *prometheus.Registry
	metrics   *metrics
	openapi   []byte
	hub       *live.Hub       // live tallies of workshops, for this instance's WebSockets
	liveConns *addressCounter // open live WebSockets per address
	views     *pageViews
	pageCache *pageCache             // nil: none
	csrfKey   atomic.Pointer[[]byte] // signs the CSRF tokens (SetSecret); nil until given

	// MetricsApp serves only /metrics, for an address of its own (ListenMetrics).
	MetricsApp *fiber.App
}

// New builds the server and registers every route.
func New(cfg Config, svc Services) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	svc.fill()
	if cfg.LiveConnectionLimit <= 0 {
		cfg.LiveConnectionLimit = DefaultConfig().LiveConnectionLimit
	}
	s := &Server{cfg: cfg, svc: svc, log: cfg.Logger, liveConns: newAddressCounter(cfg.LiveConnectionLimit)}
	var err error
	if s.pages, err = sharedRenderer(); err != nil {
		return nil, err
	}
	// Static files are read and compressed now, not on the first request.
	if _, err = staticFiles(); err != nil {
		return nil, err
	}
	if s.openapi, err = buildOpenAPI(); err != nil {
		return nil, err
	}
	s.registry = prometheus.NewRegistry()
	tallies := svc.LiveTallies
	if tallies == nil && svc.Workshops != nil {
		tallies = svc.Workshops
	}
	s.hub = live.New(tallies, live.Options{Logger: cfg.Logger})
	if svc.PollChanges != nil {
		go s.hub.Run(svc.PollChanges)
	}
	s.metrics = newMetrics(s.registry, slices.Concat(svc.Collectors, s.hub.Collectors()))
	s.views = newPageViews(svc.Statistics, s.log.Warn)
	s.pageCache = newPageCache(cfg.PageCache, svc.Snapshot)
	s.App = fiber.New(fiberConfig(cfg, s.handleRequestError))
	// A WebSocket outlives the request that opened it: fasthttp is to leave
	// hijacked connections open (the hub closes them) and take back the
	// request's memory as soon as the handshake is done (upgradeWebSocket).
	s.App.Server().KeepHijackedConns = true
	s.routes()
	s.MetricsApp = s.newMetricsApp()
	return s, nil
}

// fiberConfig is the main app's fiber configuration. With trusted proxies,
// c.IP() is the first valid address in X-Forwarded-For when the request
// comes from one of them, and the connection's address otherwise.
func fiberConfig(cfg Config, onError fiber.ErrorHandler) fiber.Config {
	fc := fiber.Config{
		AppName:               "osallistu",
		ErrorHandler:          onError,
		BodyLimit:             cfg.BodyLimit,
		ReadBufferSize:        maxHeaderBytes,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
	}
	if len(cfg.TrustedProxies) > 0 {
		fc.EnableTrustedProxyCheck = true
		fc.TrustedProxies = cfg.TrustedProxies
		fc.ProxyHeader = fiber.HeaderXForwardedFor
		fc.EnableIPValidation = true
	}
	return fc
}

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.App.Listen(addr) }

// Shutdown stops accepting requests, waits for those under way, and closes
// the WebSockets, which fiber's shutdown does not reach (they are hijacked).
// The page views counted since the last flush are saved, or, when the
// database cannot take them, lost with a warning: statistics do not hold a
// shutdown up.
func (s *Server) Shutdown(ctx context.Context) error {
	err := errors.Join(s.App.ShutdownWithContext(ctx), s.MetricsApp.ShutdownWithContext(ctx), s.hub.Close(ctx))
	if verr := s.views.close(ctx); verr != nil {
		s.log.Warn("page views not saved at shutdown", "err", verr)
	}
	return err
}

// copyString copies a string that fiber's request memory backs, for values
// that outlive the handler.
func copyString(s string) string { return strings.Clone(s) }
