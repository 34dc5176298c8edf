package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/demo"
	"osallistu/participation/postgres/localpg"
	"osallistu/participation/postgres/pgtest"
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	removeBinary() // the fault tests' build (harness_test.go)
	os.Exit(code)
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfig(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) {
		cfg, err := loadConfig("serve", nil, env(nil), io.Discard, nil)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Addr != "127.0.0.1:8080" || cfg.DataDir != "./osallistu-data" || cfg.DatabaseURL != "" || cfg.Server.CookieSecure {
			t.Fatalf("config %+v", cfg)
		}
	})
	t.Run("EnvironmentAndFlags", func(t *testing.T) {
		cfg, err := loadConfig("serve", []string{"--addr", "0.0.0.0:9000"}, env(map[string]string{
			"OSALLISTU_ADDR": "127.0.0.1:1", "DATABASE_URL": "postgres://x", "OSALLISTU_COOKIE_SECURE": "true",
			"OSALLISTU_WRITE_LIMIT": "7", "OSALLISTU_LOG_LEVEL": "debug", "OSALLISTU_RESPONDENT_LIMIT": "9",
		}), io.Discard, nil)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Addr != "0.0.0.0:9000" || cfg.DatabaseURL != "postgres://x" || !cfg.Server.CookieSecure || cfg.Server.WriteLimit != 7 || cfg.LogLevel.String() != "DEBUG" {
			t.Fatalf("config %+v", cfg)
		}
		if cfg.Server.RespondentLimit != 9 {
			t.Errorf("respondent limit %d, want 9", cfg.Server.RespondentLimit)
		}
		if cfg, _ := loadConfig("serve", nil, env(nil), io.Discard, nil); cfg.Server.RespondentLimit < 2000 {
			t.Errorf("the default respondent limit %d does not let a venue of 2 000 through in a minute", cfg.Server.RespondentLimit)
		}
	})
	t.Run("EditWindow", func(t *testing.T) {
		if cfg, err := loadConfig("serve", nil, env(nil), io.Discard, nil); err != nil || cfg.EditWindow != 15*time.Minute {
			t.Errorf("default edit window %v (%v), want 15m", cfg.EditWindow, err)
		}
		if cfg, err := loadConfig("serve", nil, env(map[string]string{"OSALLISTU_EDIT_WINDOW": "30m"}), io.Discard, nil); err != nil || cfg.EditWindow != 30*time.Minute {
			t.Errorf("edit window from the environment %v (%v), want 30m", cfg.EditWindow, err)
		}
		if cfg, err := loadConfig("serve", []string{"--edit-window", "5m"}, env(map[string]string{"OSALLISTU_EDIT_WINDOW": "30m"}), io.Discard, nil); err != nil || cfg.EditWindow != 5*time.Minute {
			t.Errorf("edit window from the flag %v (%v), want 5m", cfg.EditWindow, err)
		}
		if cfg, err := loadConfig("serve", nil, env(nil), io.Discard, nil); err != nil || cfg.Server.TokenRetention != 30*24*time.Hour {
			t.Errorf("default token retention %v (%v), want 30 days", cfg.Server.TokenRetention, err)
		}
		if cfg, err := loadConfig("serve", nil, env(map[string]string{"OSALLISTU_TOKEN_RETENTION": "48h"}), io.Discard, nil); err != nil || cfg.Server.TokenRetention != 48*time.Hour {
			t.Errorf("token retention from the environment %v (%v), want 48h", cfg.Server.TokenRetention, err)
		}
		if cfg, err := loadConfig("serve", nil, env(nil), io.Discard, nil); err != nil || cfg.Server.PageCache != time.Second {
			t.Errorf("default page cache %v (%v), want 1s", cfg.Server.PageCache, err)
		}
		if cfg, err := loadConfig("serve", nil, env(map[string]string{"OSALLISTU_PAGE_CACHE": "0"}), io.Discard, nil); err != nil || cfg.Server.PageCache != 0 {
			t.Errorf("page cache switched off %v (%v), want 0", cfg.Server.PageCache, err)
		}
	})
	t.Run("Metrics", func(t *testing.T) {
		cfg, err := loadConfig("serve", []string{"--metrics-addr", "127.0.0.1:9191"}, env(map[string]string{
			"OSALLISTU_METRICS_ADDR": "127.0.0.1:9090", "OSALLISTU_METRICS_TOKEN": "scrape-token",
		}), io.Discard, nil)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.MetricsAddr != "127.0.0.1:9191" || cfg.Server.MetricsToken != "scrape-token" {
			t.Fatalf("config %+v", cfg)
		}
		if cfg, _ := loadConfig("serve", nil, env(nil), io.Discard, nil); cfg.MetricsAddr != "" || cfg.Server.MetricsToken != "" {
			t.Fatalf("metrics public by default: %+v", cfg)
		}
	})
	t.Run("Secret", func(t *testing.T) {
		if cfg, err := loadConfig("serve", nil, env(nil), io.Discard, nil); err != nil || cfg.Secret != nil {
			t.Errorf("a secret %q (%v) by default; the database's is for that", cfg.Secret, err)
		}
		secret := strings.Repeat("s3cret-", 5)
		if cfg, err := loadConfig("serve", nil, env(map[string]string{"OSALLISTU_SECRET": secret}), io.Discard, nil); err != nil || string(cfg.Secret) != secret {
			t.Errorf("secret %q (%v), want %q", cfg.Secret, err, secret)
		}
	})
	t.Run("DBConnections", func(t *testing.T) {
		if cfg, err := loadConfig("serve", nil, env(nil), io.Discard, nil); err != nil || cfg.DBConnections != 20 {
			t.Errorf("database connections %d (%v) by default, want 20", cfg.DBConnections, err)
		}
		if cfg, err := loadConfig("serve", []string{"--db-connections", "8"}, env(map[string]string{"OSALLISTU_DB_CONNECTIONS": "40"}), io.Discard, nil); err != nil || cfg.DBConnections != 8 {
			t.Errorf("database connections %d (%v), want the flag's 8", cfg.DBConnections, err)
		}
	})
	t.Run("TrustedProxies", func(t *testing.T) {
		if cfg, err := loadConfig("serve", nil, env(nil), io.Discard, nil); err != nil || cfg.Server.TrustedProxies != nil {
			t.Errorf("trusted proxies %q (%v) by default; want none", cfg.Server.TrustedProxies, err)
		}
		cfg, err := loadConfig("serve", nil, env(map[string]string{"OSALLISTU_TRUSTED_PROXIES": " 10.0.0.0/8, 127.0.0.1,,::1 "}), io.Discard, nil)
		if err != nil || strings.Join(cfg.Server.TrustedProxies, " ") != "10.0.0.0/8 127.0.0.1 ::1" {
			t.Errorf("trusted proxies %q (%v)", cfg.Server.TrustedProxies, err)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		for _, e := range []map[string]string{
			{"OSALLISTU_ADMIN_EMAIL": "a@example.fi"},
			{"OSALLISTU_LOG_LEVEL": "loud"},
			{"OSALLISTU_WRITE_LIMIT": "0"},
			{"OSALLISTU_RESPONDENT_LIMIT": "0"},
			{"OSALLISTU_EDIT_WINDOW": "a while"},
			{"OSALLISTU_EDIT_WINDOW": "-1m"},
			{"OSALLISTU_TOKEN_RETENTION": "-1h"},
			{"OSALLISTU_PAGE_CACHE": "soon"},
			{"OSALLISTU_PAGE_CACHE": "-1s"},
			{"OSALLISTU_ADDR": "127.0.0.1:8080", "OSALLISTU_METRICS_ADDR": "127.0.0.1:8080"},
			{"OSALLISTU_SECRET": "too short to sign with"},
			{"OSALLISTU_TRUSTED_PROXIES": "127.0.0.1,haproxy"},
			{"OSALLISTU_TRUSTED_PROXIES": "10.0.0.0/33"},
			{"OSALLISTU_DB_CONNECTIONS": "0"},
		} {
			if _, err := loadConfig("serve", nil, env(e), io.Discard, nil); err == nil {
				t.Errorf("%v: no error", e)
			}
		}
	})
}

func TestCommands(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewURL(t)
	e := env(map[string]string{"DATABASE_URL": url, "OSALLISTU_ADMIN_PASSWORD": "admin-password-1"})
	runCmd := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(ctx, args, e, strings.NewReader(""), &out, &errOut); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut.String())
		}
		return out.String()
	}
	if out := runCmd("version"); !strings.HasPrefix(out, "osallistu ") {
		t.Errorf("version: %q", out)
	}
	runCmd("migrate")
	if out := runCmd("create-admin", "--email", "Boss@Example.fi", "--name", "Boss"); !strings.Contains(out, "boss@example.fi") {
		t.Errorf("create-admin: %q", out)
	}
	out := runCmd("demo")
	if !strings.Contains(out, "demo process loaded") {
		t.Errorf("demo: %q", out)
	}
	checkDemoOfficial(t, url, out)
	if out := runCmd("demo"); !strings.Contains(out, "already there") {
		t.Errorf("demo again: %q", out)
	}
	checkDemo(t, url)
	if err := run(ctx, []string{"frobnicate"}, e, nil, io.Discard, io.Discard); err == nil {
		t.Error("an unknown command ran")
	}
}

// checkDemoOfficial signs in as the demo's official with the password the
// demo printed (generated: no password is written in the repository), and
// finds an official who is not an admin.
func checkDemoOfficial(t *testing.T, url, out string) {
	t.Helper()
	m := regexp.MustCompile(`official: (\S+) / (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the demo printed no official and password: %q", out)
	}
	if strings.Contains(out, "demo-salasana") || len(m[2]) < participation.MinPasswordLength {
		t.Errorf("the demo's password %q is not a generated one", m[2])
	}
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sess, err := postgres.NewStore(db, nil).CreateSession(context.Background(), m[1], m[2])
	if err != nil {
		t.Fatalf("sign in as the demo's official with the printed password: %v", err)
	}
	if a := sess.Account; !a.HasRole(participation.RoleOfficial) || a.HasRole(participation.RoleAdmin) {
		t.Errorf("the demo's official has roles %v, want official and not admin", a.Roles)
	}
}

// checkDemo looks at what the command loaded: the demo process with its
// statements and its approved commitments (participation/postgres/demo
// tests the story step by step).
func checkDemo(t *testing.T, url string) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := postgres.NewStore(db, nil)
	p, err := s.FindProcessBySlug(ctx, demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stats.Ballots != 60 || p.Stats.Statements != 46 {
		t.Errorf("stats %+v", p.Stats)
	}
	if _, total, err := s.FindCommitments(ctx, participation.CommitmentFilter{ProcessSlug: p.Slug, Status: "approved", Limit: 50}); err != nil || total != 7 {
		t.Errorf("approved %d: %v", total, err)
	}
}

func TestDataDir(t *testing.T) {
	blocked := func(string) error { return errors.New("the postgres user cannot enter /root") }
	open := func(string) error { return nil }
	log := slog.New(slog.DiscardHandler)
	for _, tc := range []struct {
		name      string
		args      []string
		env       map[string]string
		reachable func(string) error
		want      string
	}{
		{"DefaultReachable", nil, nil, open, "./osallistu-data"},
		{"DefaultBlocked", nil, nil, blocked, localpg.SystemDataDir},
		{"EnvironmentBlocked", nil, map[string]string{"OSALLISTU_DATA": "/root/db"}, blocked, "/root/db"},
		{"FlagBlocked", []string{"--data", "./osallistu-data"}, nil, blocked, "./osallistu-data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadConfig("serve", tc.args, env(tc.env), io.Discard, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := dataDir(cfg, tc.reachable, log); got != tc.want {
				t.Errorf("dataDir() = %q, want %q", got, tc.want)
			}
		})
	}
}
