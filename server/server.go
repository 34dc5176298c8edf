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

// Services are the domain services the server calls.
type Services struct {
	Accounts  participation.AccountService
	Processes participation.ProcessService
	Ideas     participation.IdeaService
	// Commitments drafts, merges and approves commitments and tracks them.
	Commitments participation.CommitmentService
	// Workshops runs workshops, their polls, participants and ballots.
	Workshops participation.WorkshopService
	// Tallies counts the live hub's tallies; nil means Workshops. A store
	// on a connection of its own keeps recounts from queueing behind a
	// room's ballots for the pool's connections.
	Tallies live.Source
	// PollChanges are the poll changes of every server instance (the
	// store's listener); the live hub recounts on them. Nil hears none.
	PollChanges <-chan *participation.PollChange
	// Ping checks that the database answers (for /readyz).
	Ping func(ctx context.Context) error
	// CSRFStorage keeps CSRF tokens where every instance sees them; nil keeps them in memory.
	CSRFStorage fiber.Storage
	// Collectors are extra Prometheus collectors, such as the DB pool's.
	Collectors []prometheus.Collector
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
}

// New builds the server and registers every route.
func New(cfg Config, svc Services) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{cfg: cfg, svc: svc, log: cfg.Logger}
	var err error
	if s.pages, err = newRenderer(); err != nil {
		return nil, err
	}
	if s.openapi, err = buildOpenAPI(); err != nil {
		return nil, err
	}
	s.registry = prometheus.NewRegistry()
	tallies := svc.Tallies
	if tallies == nil {
		tallies = svc.Workshops
	}
	s.hub = live.New(tallies, live.Options{Logger: cfg.Logger})
	if svc.PollChanges != nil {
		go s.hub.Run(svc.PollChanges)
	}
	s.metrics = newMetrics(s.registry, slices.Concat(svc.Collectors, s.hub.Collectors()))
	s.App = fiber.New(fiber.Config{
		AppName:               "osallistu",
		ErrorHandler:          s.handleError,
		BodyLimit:             cfg.BodyLimit,
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
	return s, nil
}

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.App.Listen(addr) }

// Shutdown stops accepting requests, waits for those under way, and closes
// the WebSockets, which fiber's shutdown does not reach (they are hijacked).
func (s *Server) Shutdown(ctx context.Context) error {
	return errors.Join(s.App.ShutdownWithContext(ctx), s.hub.Close(ctx))
}
