package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"osallistu/server"
)

// Config is the whole configuration, read once from the environment and
// the command line (flags win). Nothing else reads the environment.
type Config struct {
	Addr          string
	DatabaseURL   string
	DataDir       string
	AdminEmail    string
	AdminPassword string
	LogLevel      slog.Level
	Server        server.Config
}

// loadConfig reads the configuration for a subcommand. getenv is os.Getenv
// outside tests; extra, when not nil, defines the subcommand's own flags.
func loadConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (Config, error) {
	cfg := Config{Server: server.DefaultConfig()}
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	envInt := func(name string, def int) int {
		if n, err := strconv.Atoi(getenv(name)); err == nil {
			return n
		}
		return def
	}
	fs := flag.NewFlagSet("osallistu "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", env("OSALLISTU_ADDR", "127.0.0.1:8080"), "address to listen on (OSALLISTU_ADDR)")
	fs.StringVar(&cfg.DatabaseURL, "database-url", env("DATABASE_URL", ""), "PostgreSQL URL; empty starts a private PostgreSQL in the data directory (DATABASE_URL)")
	fs.StringVar(&cfg.DataDir, "data", env("OSALLISTU_DATA", "./osallistu-data"), "data directory of the private PostgreSQL (OSALLISTU_DATA)")
	fs.BoolVar(&cfg.Server.CookieSecure, "cookie-secure", env("OSALLISTU_COOKIE_SECURE", "false") == "true", "mark cookies Secure; set when served over HTTPS (OSALLISTU_COOKIE_SECURE)")
	logLevel := fs.String("log-level", env("OSALLISTU_LOG_LEVEL", "info"), "debug, info, warn or error (OSALLISTU_LOG_LEVEL)")
	fs.IntVar(&cfg.Server.WriteLimit, "write-limit", envInt("OSALLISTU_WRITE_LIMIT", cfg.Server.WriteLimit), "writes per minute per account, participant or respondent (OSALLISTU_WRITE_LIMIT)")
	fs.IntVar(&cfg.Server.AddressWriteLimit, "address-write-limit", envInt("OSALLISTU_ADDRESS_WRITE_LIMIT", cfg.Server.AddressWriteLimit), "writes per minute per address in all (OSALLISTU_ADDRESS_WRITE_LIMIT)")
	fs.IntVar(&cfg.Server.JoinLimit, "join-limit", envInt("OSALLISTU_JOIN_LIMIT", cfg.Server.JoinLimit), "workshop joins per minute per address (OSALLISTU_JOIN_LIMIT)")
	fs.IntVar(&cfg.Server.LoginAddressLimit, "login-limit", envInt("OSALLISTU_LOGIN_LIMIT", cfg.Server.LoginAddressLimit), "failed sign-ins per minute per address (OSALLISTU_LOGIN_LIMIT)")
	fs.IntVar(&cfg.Server.SignUpAddressLimit, "signup-limit", envInt("OSALLISTU_SIGNUP_LIMIT", cfg.Server.SignUpAddressLimit), "refused sign-ups per minute per address (OSALLISTU_SIGNUP_LIMIT)")
	if extra != nil {
		extra(fs)
	}
	cfg.AdminEmail = getenv("OSALLISTU_ADMIN_EMAIL")
	cfg.AdminPassword = getenv("OSALLISTU_ADMIN_PASSWORD")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return cfg, fmt.Errorf("log level %q: use debug, info, warn or error", *logLevel)
	}
	return cfg, cfg.validate(cmd)
}

func (c *Config) validate(cmd string) error {
	var problems []string
	if c.Addr == "" {
		problems = append(problems, "the address (--addr, OSALLISTU_ADDR) is empty")
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		problems = append(problems, "give DATABASE_URL or a data directory (OSALLISTU_DATA)")
	}
	if cmd == "serve" && (c.AdminEmail == "") != (c.AdminPassword == "") {
		problems = append(problems, "set both OSALLISTU_ADMIN_EMAIL and OSALLISTU_ADMIN_PASSWORD, or neither")
	}
	for name, n := range map[string]int{"write limit": c.Server.WriteLimit, "address write limit": c.Server.AddressWriteLimit, "login limit": c.Server.LoginAddressLimit, "signup limit": c.Server.SignUpAddressLimit, "join limit": c.Server.JoinLimit} {
		if n < 1 {
			problems = append(problems, name+" must be at least 1")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return nil
}
