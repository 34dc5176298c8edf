// Command osallistu runs the Osallistu participation platform.
//
//	osallistu [serve]      start the platform (the default)
//	osallistu migrate      apply the database migrations and exit
//	osallistu create-admin --email E --name N   (password from OSALLISTU_ADMIN_PASSWORD or standard input)
//	osallistu demo         load the demo process
//	osallistu version      print the version
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/demo"
	"osallistu/participation/postgres/localpg"
	"osallistu/server"
	"osallistu/server/mail"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "osallistu:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "version" {
		fmt.Fprintln(stdout, "osallistu", version)
		return nil
	}
	var adminEmail, adminName string
	var extra func(*flag.FlagSet)
	if cmd == "create-admin" {
		extra = func(fs *flag.FlagSet) {
			fs.StringVar(&adminEmail, "email", "", "the admin's email")
			fs.StringVar(&adminName, "name", "Admin", "the admin's name")
		}
	}
	cfg, err := loadConfig(cmd, args, getenv, stderr, extra)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	cfg.Server.Logger = log
	cfg.Mail.Logger = log

	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate", "demo", "create-admin":
	default:
		return fmt.Errorf("unknown command %q: use serve, migrate, create-admin, demo or version", cmd)
	}
	// The one-off commands need the database now: they fail at once without it.
	dbURL, stopLocal, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stopLocal()
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := postgres.Migrate(ctx, db); err != nil {
		return err
	}
	store := postgres.NewStore(db, nil)

	switch cmd {
	case "migrate":
		log.Info("database is up to date")
		return nil
	case "create-admin":
		password := cfg.AdminPassword
		if password == "" {
			fmt.Fprint(stderr, "Password (at least 10 characters): ")
			line, _ := bufio.NewReader(stdin).ReadString('\n')
			password = strings.TrimSpace(line)
		}
		a, err := store.EnsureAdmin(ctx, adminEmail, password, adminName)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "admin account %d: %s\n", a.ID, a.Email)
		return nil
	}
	return demo.Load(ctx, store, cfg.DemoPassword, stdout)
}

// databaseURL returns DATABASE_URL or, without it, starts the private
// PostgreSQL in the data directory and returns its URL; stop stops that.
func databaseURL(ctx context.Context, cfg Config, log *slog.Logger) (url string, stop func(), err error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, func() {}, nil
	}
	dir := dataDir(cfg, localpg.Reachable, log)
	inst, err := localpg.Start(ctx, dir, log)
	if err != nil {
		return "", nil, err
	}
	log.Info("using the private PostgreSQL", "data", dir)
	return inst.URL("osallistu"), func() {
		if err := inst.Stop(); err != nil {
			log.Error("stop private PostgreSQL", "err", err)
		}
	}, nil
}

// dataDir returns the private PostgreSQL's data directory: the one given, or
// the default ./osallistu-data unless the server could not use it (run as
// root from a folder the postgres user cannot enter, such as root's home),
// when it is localpg.SystemDataDir, so that the first command works there
// too. reachable is localpg.Reachable outside tests.
func dataDir(cfg Config, reachable func(string) error, log *slog.Logger) string {
	if cfg.DataDirGiven {
		return cfg.DataDir
	}
	if err := reachable(cfg.DataDir); err != nil {
		log.Info("keeping the private PostgreSQL in "+localpg.SystemDataDir+" instead of the default data directory; set OSALLISTU_DATA to choose another",
			"default", cfg.DataDir, "why", err.Error())
		return localpg.SystemDataDir
	}
	return cfg.DataDir
}

// serve runs the platform until ctx ends. It serves at once, whether or
// not the database is up: /healthz answers, and /readyz and the requests
// that need the database answer 503 until prepareDatabase is done. The
// database handles connect when first used and again after an outage, the
// poll listener too.
func serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	dbURL, stopLocal, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stopLocal()
	db, err := postgres.OpenLazily(dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(cfg.DBConnections)
	db.SetMaxIdleConns(cfg.DBConnections)
	store := postgres.NewStore(db, nil)
	store.SetEditWindow(cfg.EditWindow)
	// Poll changes of every instance, for this instance's live hub.
	listener := postgres.StartListener(dbURL, log)
	defer listener.Close()
	// The live hub recounts on a connection of its own: under a room's
	// burst of ballots, the pool's connections are all busy, and a recount
	// waiting for one would hold every projector's frame back.
	tallyDB, err := postgres.OpenLazily(dbURL)
	if err != nil {
		return err
	}
	defer tallyDB.Close()
	tallyDB.SetMaxOpenConns(1)
	var ready atomic.Bool
	srv, err := server.New(cfg.Server, server.Services{
		Accounts:    store,
		Processes:   store,
		Ideas:       store,
		Commitments: store,
		Workshops:   store,
		Statements:  store,
		Reach:       store,
		Newsletter:  store,
		Surveys:     store,
		Events:      store,
		OpenData:    store,
		Outbox:      store,
		LiveTallies: postgres.NewStore(tallyDB, nil),
		PollChanges: listener.Events(),
		Ping:        db.PingContext,
		Snapshot:    store.Snapshot,
		Ready:       ready.Load,
		Collectors:  []prometheus.Collector{collectors.NewDBStatsCollector(db.DB, "osallistu")},
	})
	if err != nil {
		return err
	}
	// Every instance runs a mail sender; the outbox's claims keep them
	// from sending the same email twice at once. It stops with the server.
	sender := mail.New(store, cfg.Mail)
	// An email leaves as soon as the change that wrote it commits, not at
	// the sender's next look.
	store.OnEmail(sender.Poke)
	sendCtx, stopSending := context.WithCancel(ctx)
	sending := make(chan struct{})
	go func() { defer close(sending); sender.Run(sendCtx) }()
	// Every instance also writes the statement requests' deadline
	// reminders when they are due; the store marks each request reminded,
	// so that however many instances sweep, it is reminded once.
	reminding := make(chan struct{})
	go func() { defer close(reminding); remindBeforeDeadlines(sendCtx, store, ready.Load, sender.Poke, log) }()
	// And it purges the anonymous tokens past their process; purging is
	// idempotent, so instances that sweep at once do no harm.
	purging := make(chan struct{})
	go func() { defer close(purging); purgeTokens(sendCtx, store, cfg.Server.TokenRetention, ready.Load, log) }()
	// And it queues the newsletter's digests once their period is over;
	// each subscription's digest of a period is written once, whoever sweeps.
	digesting := make(chan struct{})
	go func() { defer close(digesting); sendDigests(sendCtx, store, ready.Load, sender.Poke, log) }()
	// And the events' reminders the day before, and the deletion of their
	// answers a set time after them: each marks the events it has done.
	eventing := make(chan struct{})
	go func() {
		defer close(eventing)
		sweepEvents(sendCtx, store, cfg.Server.EventAnswerRetention, ready.Load, sender.Poke, log)
	}()
	defer func() {
		stopSending()
		<-sending
		<-reminding
		<-purging
		<-digesting
		<-eventing
	}()

	// The database is prepared while the server already serves; when
	// serve returns, the preparation stops before the handles close.
	prepCtx, cancelPrep := context.WithCancel(ctx)
	var preparing sync.WaitGroup
	defer preparing.Wait()
	defer cancelPrep()
	errc := make(chan error, 3)
	go func() { errc <- srv.Listen(cfg.Addr) }()
	log.Info("osallistu is listening", "addr", "http://"+cfg.Addr, "version", version)
	if cfg.MetricsAddr != "" {
		go func() { errc <- srv.ListenMetrics(cfg.MetricsAddr) }()
		log.Info("metrics are served", "addr", "http://"+cfg.MetricsAddr+"/metrics")
	}
	preparing.Add(1)
	go func() {
		defer preparing.Done()
		if err := prepareDatabase(prepCtx, cfg, db, store, srv, listener, log); err != nil {
			if prepCtx.Err() == nil {
				errc <- err
			}
			return
		}
		ready.Store(true)
		log.Info("the database is ready")
	}()

	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	return errors.Join(err, srv.Shutdown(shutdownCtx))
}

// shutdownTimeout is how long a server that was told to stop (SIGTERM,
// SIGINT) gives the requests under way to finish and its WebSocket
// clients to be told it goes away.
const shutdownTimeout = 15 * time.Second

// periodically runs job every interval until ctx ends, once the database
// is ready: the sweeps that every instance makes (each is safe to run on
// several instances at once).
func periodically(ctx context.Context, interval time.Duration, ready func() bool, job func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if ready() {
			job()
		}
	}
}

// reminderInterval is how often each instance looks for statement
// requests whose deadline reminder is due.
const reminderInterval = 10 * time.Minute

// remindBeforeDeadlines writes the deadline reminders of statement
// requests every reminderInterval until ctx ends, once the database is
// ready, and pokes the mail sender when it has written some.
func remindBeforeDeadlines(ctx context.Context, svc participation.StatementRequestService, ready func() bool, poke func(), log *slog.Logger) {
	periodically(ctx, reminderInterval, ready, func() {
		n, err := svc.SendStatementReminders(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("statement reminders", "err", err)
		case n > 0:
			log.Info("statement reminders written", "requests", n)
			poke()
		}
	})
}

// digestInterval is how often each instance looks for digests due.
const digestInterval = 15 * time.Minute

// sendDigests queues the newsletter's due digests every digestInterval
// until ctx ends, once the database is ready, and pokes the mail sender
// when it has queued some.
func sendDigests(ctx context.Context, svc participation.NewsletterService, ready func() bool, poke func(), log *slog.Logger) {
	periodically(ctx, digestInterval, ready, func() {
		n, err := svc.SendDigests(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("newsletter digests", "err", err)
		case n > 0:
			log.Info("newsletter digests queued", "digests", n)
			poke()
		}
	})
}

// sweepEvents writes the reminders of the events that start within a day
// and deletes the answers of those that ended more than retention ago,
// every reminderInterval until ctx ends, once the database is ready; it
// pokes the mail sender when it has written reminders, and logs what it
// deleted.
func sweepEvents(ctx context.Context, svc participation.RegistrationService, retention time.Duration, ready func() bool, poke func(), log *slog.Logger) {
	periodically(ctx, reminderInterval, ready, func() {
		n, err := svc.SendEventReminders(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("event reminders", "err", err)
		case n > 0:
			log.Info("event reminders written", "events", n)
			poke()
		}
		p, err := svc.DeleteEventAnswers(ctx, retention)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("event answer deletion", "err", err)
		case len(p.Events) > 0:
			log.Info("event answers deleted", "events", p.Events, "answers", p.Answers)
		}
	})
}

// tokenPurgeInterval is how often each instance purges the anonymous
// tokens past their process.
const tokenPurgeInterval = time.Hour

// purgeTokens purges the anonymous tokens past their process (and ended
// sessions and old failed sign-ins) every tokenPurgeInterval until ctx
// ends, once the database is ready, and logs how many of each kind went.
func purgeTokens(ctx context.Context, svc participation.TokenPurger, retention time.Duration, ready func() bool, log *slog.Logger) {
	periodically(ctx, tokenPurgeInterval, ready, func() {
		p, err := svc.PurgeTokens(ctx, retention)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("token purge", "err", err)
		case p.Total() > 0:
			log.Info("tokens purged", "participant_tokens", p.ParticipantTokens, "respondent_tokens", p.Respondents,
				"survey_invitations", p.SurveyInvitations, "sessions", p.Sessions, "login_failures", p.LoginFailures)
		}
	})
}

// Start-up retries while the database cannot be reached: the first wait,
// doubled after each failure up to the longest.
const (
	retryFirstWait = 500 * time.Millisecond
	retryLongWait  = 10 * time.Second
)

// prepareDatabase migrates the database, gives the server its secret (the
// configured one, or the one kept in the database), makes sure of the
// admin account and waits for the poll listener's LISTEN, trying again
// while the database cannot be reached. Any other failure ends it.
func prepareDatabase(ctx context.Context, cfg Config, db *sqlx.DB, store *postgres.Store, srv *server.Server, listener *postgres.Listener, log *slog.Logger) error {
	if err := retryUnavailable(ctx, log, "migrate", func() error { return postgres.Migrate(ctx, db) }); err != nil {
		return err
	}
	secret := cfg.Secret
	if len(secret) == 0 {
		if err := retryUnavailable(ctx, log, "secret", func() (err error) {
			secret, err = store.EnsureSecret(ctx)
			return err
		}); err != nil {
			return err
		}
	}
	if err := srv.SetSecret(secret); err != nil {
		return err
	}
	if cfg.AdminEmail != "" {
		if err := retryUnavailable(ctx, log, "admin account", func() error {
			_, err := store.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword, "Admin")
			return err
		}); err != nil {
			return err
		}
		log.Info("admin account ready", "email", cfg.AdminEmail)
	}
	// pq's listener retries by itself (and logs each failure).
	return listener.Wait(ctx)
}

// retryUnavailable runs f, the start-up step named step, until it does not
// fail with EUNAVAILABLE, waiting longer after each failure, and logs each
// retry as a warning.
func retryUnavailable(ctx context.Context, log *slog.Logger, step string, f func() error) error {
	wait := retryFirstWait
	for {
		err := f()
		if participation.ErrorCode(err) != participation.EUNAVAILABLE {
			return err
		}
		log.Warn("the database cannot be reached; trying again", "step", step, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, retryLongWait)
	}
}
