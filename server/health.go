package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"osallistu/participation"
)

func (s *Server) healthz(c *fiber.Ctx) error { return c.SendString("ok") }

func (s *Server) readyz(c *fiber.Ctx) error {
	if !s.ready() {
		return c.Status(fiber.StatusServiceUnavailable).SendString("starting: waiting for the database")
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		s.log.Warn("database not ready", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
	}
	return c.SendString("ok")
}

// ready reports whether the database is ready for requests (Services.Ready)
// and the server has the secret of its forms (SetSecret).
func (s *Server) ready() bool {
	return (s.svc.Ready == nil || s.svc.Ready()) && s.csrfKey.Load() != nil
}

// whenReady answers 503 unavailable until the database is ready, before
// anything (signing in included) reaches it: a database not yet migrated
// would otherwise answer with errors that look internal. The health checks,
// metrics and static files need no database.
func (s *Server) whenReady(c *fiber.Ctx) error {
	if s.ready() {
		return c.Next()
	}
	switch p := c.Path(); {
	case p == "/healthz", p == "/readyz", p == "/metrics", strings.HasPrefix(p, "/static/"):
		return c.Next()
	}
	return participation.Errorf(participation.EUNAVAILABLE, "The service is starting. Try again shortly.")
}

// metrics are the HTTP layer's Prometheus metrics.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry, extra []prometheus.Collector) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "osallistu_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "osallistu_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(extra...)
	return m
}

// observe counts every request by its route pattern (not its path, which
// would make a label per id) and status.
func (s *Server) observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		code := statusOf[participation.ErrorCode(err)]
		if fe, ok := err.(*fiber.Error); ok {
			code = fe.Code
		}
		if code != 0 {
			status = code
		}
	}
	// Prometheus keeps the label values: copy them out of fiber's request
	// memory, which the next request reuses.
	route, method := copyString(c.Route().Path), copyString(c.Method())
	if status == fiber.StatusNotFound && route == "/" {
		route = "unmatched"
	}
	s.metrics.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	s.metrics.latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
	return err
}

func (s *Server) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
}

// metricsAuth lets a scrape through only with Config.MetricsToken as its
// bearer token, when one is set. The token is compared in constant time
// (as hashes, so that not even its length shows).
func (s *Server) metricsAuth(c *fiber.Ctx) error {
	if s.cfg.MetricsToken == "" {
		return c.Next()
	}
	token, bearer := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	got, want := sha256.Sum256([]byte(token)), sha256.Sum256([]byte(s.cfg.MetricsToken))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || !bearer {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
		return c.Status(fiber.StatusUnauthorized).SendString("unauthorized")
	}
	return c.Next()
}

// metricsRoutes serves /metrics on the main app only to the bearer of
// Config.MetricsToken: without one, the public gets a 404 there.
func (s *Server) metricsRoutes(app *fiber.App) {
	if s.cfg.MetricsToken != "" {
		app.Get("/metrics", s.metricsAuth, s.metricsHandler())
	}
}

// newMetricsApp returns the app of the metrics address (ListenMetrics): it
// serves only GET /metrics, asking for Config.MetricsToken when one is set.
func (s *Server) newMetricsApp() *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "osallistu-metrics",
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
	})
	app.Get("/metrics", s.metricsAuth, s.metricsHandler())
	return app
}

// ListenMetrics serves MetricsApp on addr, an address of its own (a
// loopback or internal one), until Shutdown.
func (s *Server) ListenMetrics(addr string) error { return s.MetricsApp.Listen(addr) }
