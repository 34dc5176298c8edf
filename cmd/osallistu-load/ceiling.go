package main

// The two ceilings that the -mixed mode compares its pages and writes to:
// fiber serving a static file, and PostgreSQL's single-row inserts as
// pgbench makes them.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	_ "github.com/lib/pq" // the PostgreSQL driver, for the scratch database

	"osallistu/participation/postgres/localpg"
)

// stylesheet finds the site's stylesheet in a page: its fingerprinted name
// when the page links one, else the plain one.
func stylesheet(page string) string {
	if m := regexp.MustCompile(`href="(/static/[^"?#]+\.css)"`).FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return "/static/css/site.css"
}

// pgbenchScript is one single-row insert: the smallest write PostgreSQL
// commits, and so the most any write of the server could reach.
const pgbenchScript = "INSERT INTO load_rows (body) VALUES ('yksi rivi');\n"

// pgbenchCeiling runs pgbench's custom script of single-row inserts with
// -c 16 -j 2 for d against a scratch database, made through the database
// at dbinit and dropped after, and returns its transactions per second.
func pgbenchCeiling(ctx context.Context, dbinit string, d time.Duration) (float64, error) {
	bin, err := findPgbench()
	if err != nil {
		return 0, err
	}
	u, err := url.Parse(dbinit)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return 0, fmt.Errorf("-dbinit %q: want postgres://user@host:port/db", dbinit)
	}
	admin, err := sql.Open("postgres", dbinit)
	if err != nil {
		return 0, err
	}
	defer admin.Close()
	name := fmt.Sprintf("osallistu_pgbench_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return 0, fmt.Errorf("scratch database: %w", err)
	}
	defer func() {
		if _, err := admin.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+name); err != nil {
			fmt.Fprintf(os.Stderr, "warning: the scratch database %s is left: %v\n", name, err)
		}
	}()
	u.Path = "/" + name
	scratch, err := sql.Open("postgres", u.String())
	if err != nil {
		return 0, err
	}
	_, err = scratch.ExecContext(ctx, `CREATE TABLE load_rows (id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`)
	scratch.Close() // before the drop, which waits for no one
	if err != nil {
		return 0, fmt.Errorf("scratch table: %w", err)
	}
	script := filepath.Join(os.TempDir(), name+".sql")
	if err := os.WriteFile(script, []byte(pgbenchScript), 0o600); err != nil {
		return 0, err
	}
	defer os.Remove(script)
	seconds := strconv.Itoa(max(1, int(d.Round(time.Second).Seconds())))
	out, err := exec.CommandContext(ctx, bin, "-n", "-f", script, "-c", "16", "-j", "2", "-T", seconds, u.String()).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return pgbenchTPS(string(out))
}

// findPgbench looks on PATH, then beside the PostgreSQL server programs
// that the private database would run (localpg: pg_config, PATH, the usual
// install folders, newest first).
func findPgbench() (string, error) {
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p, nil
	}
	if b, err := localpg.Find(); err == nil {
		if p := filepath.Join(b.Dir, "pgbench"); isFile(p) {
			return p, nil
		}
	}
	return "", errors.New("no pgbench on PATH or beside PostgreSQL's server programs (it comes with PostgreSQL's client or contrib package)")
}

// isFile reports whether path is a regular file.
func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// pgbenchTPS reads the transactions per second from pgbench's report. From
// PostgreSQL 14 it prints one line, "tps = N (without initial connection
// time)"; before, two, of which the one excluding the connections is taken.
func pgbenchTPS(out string) (float64, error) {
	re := regexp.MustCompile(`(?m)^tps = ([0-9.]+) \((without initial connection time|excluding connections establishing)\)`)
	m := re.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pgbench: no tps in its report: %s", strings.TrimSpace(out))
	}
	return strconv.ParseFloat(m[1], 64)
}
