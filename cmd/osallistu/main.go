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
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"osallistu/participation/postgres"
	"osallistu/participation/postgres/localpg"
	"osallistu/server"
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

	switch cmd {
	case "serve", "migrate", "demo", "create-admin":
	default:
		return fmt.Errorf("unknown command %q: use serve, migrate, create-admin, demo or version", cmd)
	}
	db, dbURL, closeDB, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
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
	case "demo":
		return loadDemo(ctx, store, stdout)
	}
	return serve(ctx, cfg, store, dbURL, log)
}

// openDatabase connects to DATABASE_URL or, without it, starts the private
// PostgreSQL in the data directory. It returns the URL it connected to (for
// the poll listener's own connection); the returned func closes both.
func openDatabase(ctx context.Context, cfg Config, log *slog.Logger) (*sqlx.DB, string, func(), error) {
	url := cfg.DatabaseURL
	stopLocal := func() {}
	if url == "" {
		inst, err := localpg.Start(ctx, cfg.DataDir, log)
		if err != nil {
			return nil, "", nil, err
		}
		stopLocal = func() {
			if err := inst.Stop(); err != nil {
				log.Error("stop private PostgreSQL", "err", err)
			}
		}
		url = inst.URL("osallistu")
		log.Info("using the private PostgreSQL", "data", cfg.DataDir)
	}
	db, err := postgres.Open(ctx, url)
	if err != nil {
		stopLocal()
		return nil, "", nil, err
	}
	return db, url, func() { db.Close(); stopLocal() }, nil
}

func serve(ctx context.Context, cfg Config, store *postgres.Store, dbURL string, log *slog.Logger) error {
	if cfg.AdminEmail != "" {
		if _, err := store.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword, "Admin"); err != nil {
			return err
		}
		log.Info("admin account ready", "email", cfg.AdminEmail)
	}
	// Poll changes of every instance, for this instance's live hub.
	listener, err := postgres.NewListener(ctx, dbURL, log)
	if err != nil {
		return err
	}
	defer listener.Close()
	// The live hub recounts on a connection of its own: under a room's
	// burst of ballots, the pool's connections are all busy, and a recount
	// waiting for one would hold every projector's frame back.
	tallyDB, err := postgres.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer tallyDB.Close()
	tallyDB.SetMaxOpenConns(1)
	srv, err := server.New(cfg.Server, server.Services{
		Accounts:    store,
		Processes:   store,
		Ideas:       store,
		Commitments: store,
		Workshops:   store,
		LiveTallies: postgres.NewStore(tallyDB, nil),
		PollChanges: listener.Events(),
		Ping:        store.DB().PingContext,
		CSRFStorage: store.TokenStore(),
		Collectors:  []prometheus.Collector{collectors.NewDBStatsCollector(store.DB().DB, "osallistu")},
	})
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Listen(cfg.Addr) }()
	log.Info("osallistu is listening", "addr", "http://"+cfg.Addr, "version", version)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
