package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/server"
	"osallistu/server/mail"
)

// Config is the whole configuration, read once from the environment and
// the command line (flags win). Nothing else reads the environment.
type Config struct {
	Addr          string
	MetricsAddr   string // a second address, serving only /metrics; empty for none
	DatabaseURL   string
	DataDir       string
	DataDirGiven  bool // DataDir was set, not the default
	AdminEmail    string
	AdminPassword string
	DemoPassword  string // the demo official's password; empty: generated
	// Secret signs the CSRF tokens (server.SetSecret); empty: the one kept
	// in the database, made by the first instance to start.
	Secret   []byte
	LogLevel slog.Level
	// EditWindow is how long after writing an author may edit or delete
	// their idea or comment (the store's SetEditWindow).
	EditWindow time.Duration
	// DBConnections is the size of the database connection pool (two more
	// connections are the live listener's and the recount's).
	DBConnections int
	Server        server.Config
	Mail          mail.Config
}

// loadConfig reads the configuration for a subcommand. getenv is os.Getenv
// outside tests; extra, when not nil, defines the subcommand's own flags.
func loadConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (Config, error) {
	cfg := Config{Server: server.DefaultConfig(), Mail: mail.DefaultConfig()}
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	// durationErr is the first duration in the environment that is none.
	var durationErr error
	envDuration := func(name string, def time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil && durationErr == nil {
			durationErr = fmt.Errorf("%s: use a duration such as 15m or 1s", name)
		}
		return d
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
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", env("OSALLISTU_METRICS_ADDR", ""), "a second address, serving only /metrics, such as 127.0.0.1:9090 (OSALLISTU_METRICS_ADDR)")
	fs.StringVar(&cfg.DatabaseURL, "database-url", env("DATABASE_URL", ""), "PostgreSQL URL; empty starts a private PostgreSQL in the data directory (DATABASE_URL)")
	fs.StringVar(&cfg.DataDir, "data", env("OSALLISTU_DATA", "./osallistu-data"), "data directory of the private PostgreSQL (OSALLISTU_DATA)")
	fs.BoolVar(&cfg.Server.CookieSecure, "cookie-secure", env("OSALLISTU_COOKIE_SECURE", "false") == "true", "mark cookies Secure; set when served over HTTPS (OSALLISTU_COOKIE_SECURE)")
	logLevel := fs.String("log-level", env("OSALLISTU_LOG_LEVEL", "info"), "debug, info, warn or error (OSALLISTU_LOG_LEVEL)")
	fs.IntVar(&cfg.Server.WriteLimit, "write-limit", envInt("OSALLISTU_WRITE_LIMIT", cfg.Server.WriteLimit), "writes per minute per account, participant or respondent (OSALLISTU_WRITE_LIMIT)")
	fs.IntVar(&cfg.Server.AddressWriteLimit, "address-write-limit", envInt("OSALLISTU_ADDRESS_WRITE_LIMIT", cfg.Server.AddressWriteLimit), "writes per minute per address in all (OSALLISTU_ADDRESS_WRITE_LIMIT)")
	fs.IntVar(&cfg.Server.JoinLimit, "join-limit", envInt("OSALLISTU_JOIN_LIMIT", cfg.Server.JoinLimit), "workshop joins per minute per address (OSALLISTU_JOIN_LIMIT)")
	fs.IntVar(&cfg.Server.RespondentLimit, "respondent-limit", envInt("OSALLISTU_RESPONDENT_LIMIT", cfg.Server.RespondentLimit), "respondent tokens issued per minute per address (OSALLISTU_RESPONDENT_LIMIT)")
	fs.IntVar(&cfg.Server.LiveConnectionLimit, "live-connection-limit", envInt("OSALLISTU_LIVE_CONNECTION_LIMIT", cfg.Server.LiveConnectionLimit), "live WebSocket connections open at once per address (OSALLISTU_LIVE_CONNECTION_LIMIT)")
	fs.IntVar(&cfg.Server.LoginAddressLimit, "login-limit", envInt("OSALLISTU_LOGIN_LIMIT", cfg.Server.LoginAddressLimit), "failed sign-ins per minute per address (OSALLISTU_LOGIN_LIMIT)")
	fs.IntVar(&cfg.Server.SignUpAddressLimit, "signup-limit", envInt("OSALLISTU_SIGNUP_LIMIT", cfg.Server.SignUpAddressLimit), "refused sign-ups per minute per address (OSALLISTU_SIGNUP_LIMIT)")
	fs.IntVar(&cfg.DBConnections, "db-connections", envInt("OSALLISTU_DB_CONNECTIONS", postgres.DefaultPoolSize), "database connections at most in the pool; the instance keeps two more (OSALLISTU_DB_CONNECTIONS)")
	fs.DurationVar(&cfg.EditWindow, "edit-window", envDuration("OSALLISTU_EDIT_WINDOW", participation.DefaultEditWindow), "how long after writing an author may edit or delete an idea or comment, such as 15m (OSALLISTU_EDIT_WINDOW)")
	fs.DurationVar(&cfg.Server.EventAnswerRetention, "event-answer-retention", envDuration("OSALLISTU_EVENT_ANSWER_RETENTION", cfg.Server.EventAnswerRetention), "how long after an event its registrants' answers to its questions are kept, such as 720h (OSALLISTU_EVENT_ANSWER_RETENTION)")
	fs.DurationVar(&cfg.Server.TokenRetention, "token-retention", envDuration("OSALLISTU_TOKEN_RETENTION", cfg.Server.TokenRetention), "how long after a workshop ended or an idea round or survey closed its anonymous tokens are kept, such as 720h; an archived process's go at once (OSALLISTU_TOKEN_RETENTION)")
	fs.DurationVar(&cfg.Server.PageCache, "page-cache", envDuration("OSALLISTU_PAGE_CACHE", cfg.Server.PageCache), "how long a page read by anonymous readers is given again while nothing is written, such as 1s; 0 keeps none (OSALLISTU_PAGE_CACHE)")
	fs.IntVar(&cfg.Server.PasswordResetAddressLimit, "password-reset-limit", envInt("OSALLISTU_PASSWORD_RESET_LIMIT", cfg.Server.PasswordResetAddressLimit), "password reset requests per minute per address (OSALLISTU_PASSWORD_RESET_LIMIT)")
	fs.IntVar(&cfg.Server.PasswordResetEmailLimit, "password-reset-email-limit", envInt("OSALLISTU_PASSWORD_RESET_EMAIL_LIMIT", cfg.Server.PasswordResetEmailLimit), "password reset links per hour per email address (OSALLISTU_PASSWORD_RESET_EMAIL_LIMIT)")
	trustedProxies := fs.String("trusted-proxies", env("OSALLISTU_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR ranges of the reverse proxies in front, whose X-Forwarded-For names the client (OSALLISTU_TRUSTED_PROXIES)")
	smtpURL := fs.String("smtp-url", env("OSALLISTU_SMTP_URL", ""), "SMTP server for email, smtp://user:pass@host:587?from=noreply@example.fi or smtps://...; empty sends none (OSALLISTU_SMTP_URL)")
	fs.StringVar(&cfg.Mail.BaseURL, "base-url", env("OSALLISTU_BASE_URL", ""), "the site's public address, for links in emails, such as https://osallistu.example.fi (OSALLISTU_BASE_URL)")
	if extra != nil {
		extra(fs)
	}
	// Secrets have no flags: a command line is visible to every user of the machine.
	cfg.AdminEmail = getenv("OSALLISTU_ADMIN_EMAIL")
	cfg.AdminPassword = getenv("OSALLISTU_ADMIN_PASSWORD")
	cfg.DemoPassword = getenv("OSALLISTU_DEMO_PASSWORD")
	if v := getenv("OSALLISTU_SECRET"); v != "" {
		cfg.Secret = []byte(v)
	}
	cfg.Server.MetricsToken = getenv("OSALLISTU_METRICS_TOKEN")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	cfg.DataDirGiven = getenv("OSALLISTU_DATA") != ""
	fs.Visit(func(f *flag.Flag) { cfg.DataDirGiven = cfg.DataDirGiven || f.Name == "data" })
	if durationErr != nil {
		return cfg, durationErr
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(*logLevel)); err != nil {
		return cfg, fmt.Errorf("log level %q: use debug, info, warn or error", *logLevel)
	}
	if *smtpURL != "" {
		smtp, err := mail.ParseURL(*smtpURL)
		if err != nil {
			return cfg, fmt.Errorf("configuration: %w", err)
		}
		cfg.Mail.SMTP = smtp
	}
	cfg.Server.TrustedProxies = splitList(*trustedProxies)
	cfg.Mail.BaseURL = strings.TrimRight(cfg.Mail.BaseURL, "/")
	cfg.Server.BaseURL, cfg.Server.EmailOn = cfg.Mail.BaseURL, cfg.Mail.SMTP != nil
	return cfg, cfg.validate(cmd)
}

func (c *Config) validate(cmd string) error {
	var problems []string
	if c.Addr == "" {
		problems = append(problems, "the address (--addr, OSALLISTU_ADDR) is empty")
	}
	if c.MetricsAddr != "" && c.MetricsAddr == c.Addr {
		problems = append(problems, "the metrics address (--metrics-addr, OSALLISTU_METRICS_ADDR) must differ from the address")
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		problems = append(problems, "give DATABASE_URL or a data directory (OSALLISTU_DATA)")
	}
	if cmd == "serve" && (c.AdminEmail == "") != (c.AdminPassword == "") {
		problems = append(problems, "set both OSALLISTU_ADMIN_EMAIL and OSALLISTU_ADMIN_PASSWORD, or neither")
	}
	for name, n := range map[string]int{"database connections": c.DBConnections, "write limit": c.Server.WriteLimit, "address write limit": c.Server.AddressWriteLimit, "login limit": c.Server.LoginAddressLimit, "signup limit": c.Server.SignUpAddressLimit, "password reset limit": c.Server.PasswordResetAddressLimit, "password reset email limit": c.Server.PasswordResetEmailLimit, "join limit": c.Server.JoinLimit, "respondent limit": c.Server.RespondentLimit, "live connection limit": c.Server.LiveConnectionLimit} {
		if n < 1 {
			problems = append(problems, name+" must be at least 1")
		}
	}
	if len(c.Secret) > 0 && len(c.Secret) < server.MinSecretSize {
		problems = append(problems, fmt.Sprintf("the secret (OSALLISTU_SECRET) must be at least %d characters long", server.MinSecretSize))
	}
	if c.Server.PageCache < 0 {
		problems = append(problems, "the page cache (--page-cache, OSALLISTU_PAGE_CACHE) must not be negative")
	}
	if c.Server.TokenRetention < 0 {
		problems = append(problems, "the token retention (--token-retention, OSALLISTU_TOKEN_RETENTION) must not be negative")
	}
	if c.Server.EventAnswerRetention < 0 {
		problems = append(problems, "the event answer retention (--event-answer-retention, OSALLISTU_EVENT_ANSWER_RETENTION) must not be negative")
	}
	if c.EditWindow < 0 {
		problems = append(problems, "the edit window (--edit-window, OSALLISTU_EDIT_WINDOW) must not be negative")
	}
	for _, p := range c.Server.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			problems = append(problems, fmt.Sprintf("the trusted proxy %q (--trusted-proxies, OSALLISTU_TRUSTED_PROXIES) is neither an address nor a CIDR range", p))
		}
	}
	if c.Mail.BaseURL != "" {
		if u, err := url.Parse(c.Mail.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			problems = append(problems, "the base URL (--base-url, OSALLISTU_BASE_URL) must be an address such as https://osallistu.example.fi")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return nil
}

// splitList is a comma-separated list's items, trimmed, without empty ones.
func splitList(s string) []string {
	var items []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}
