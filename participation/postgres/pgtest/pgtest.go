// Package pgtest gives each test its own PostgreSQL database, cloned from a
// template that has every migration applied, so that database tests run in
// parallel, within a package and across the packages `go test ./...` runs at
// once, without seeing each other's rows.
//
// The server is, once per test process: TEST_DATABASE_URL, else
// DATABASE_URL, else a private server (package localpg) with its data in
// $TMPDIR/osallistu-test-pg-<uid>, shared by every test process of the user.
// The private server keeps running while any test process uses it; the last
// one to finish stops it in Main. A process that does not end through Main
// (no TestMain, or killed) leaves it running, and a later run uses it and
// stops it. Its cluster, with the template, stays for the next run.
//
// Use it as:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
//	func TestSomething(t *testing.T) {
//		t.Parallel()
//		db := pgtest.New(t)
//		...
//	}
//
// Without a server URL and without PostgreSQL's server installed, the tests
// that ask for a database are skipped, saying how to get one, unless CI is
// set: there they fail.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"osallistu/participation/postgres"
	"osallistu/participation/postgres/localpg"
	schema "osallistu/sql"
)

// templateLock is the advisory lock key under which a test process checks
// for and creates the template, so that concurrent packages create it once.
const templateLock int64 = 0x6f73616c6c697374 // "osallist"

var (
	once      sync.Once
	shared    *server
	sharedErr error
)

// server is the database server of this test process.
type server struct {
	maint    *sqlx.DB                   // to the maintenance database: CREATE and DROP DATABASE
	dsn      func(dbname string) string // connection string for a database on the server
	template string

	// Only for the private server:
	inst      *localpg.Instance
	startLock *os.File // held exclusively while starting or stopping the server
	usersLock *os.File // held shared while this process uses the server
}

// New returns a handle on a new database for t, with the schema migrated and
// no rows but those the migrations insert. The handle is closed and the
// database dropped when t ends.
func New(t testing.TB) *sqlx.DB {
	t.Helper()
	dsn := NewURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	// Registered after NewURL's drop, so it runs before it.
	t.Cleanup(func() { db.Close() })
	return db
}

// NewURL creates a new database for t as New does but returns its
// connection string (in the form of the server's URL: postgres:// or
// key=value), for tests that open connections themselves. The database is
// dropped when t ends, ending any connections still open to it.
func NewURL(t testing.TB) string {
	t.Helper()
	s := get(t)
	var b [8]byte
	rand.Read(b[:])
	name := "osallistu_test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.clone(ctx, name); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		// t's own context is done by now.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := s.maint.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop test database: %v", err)
		}
	})
	return s.dsn(name)
}

// Main runs the tests and then lets go of the server: the last test
// process using the private server stops it. Call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		if err := shared.release(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	return code
}

// get returns the process's server, connecting on first use; it skips or
// fails t when there is none.
func get(t testing.TB) *server {
	t.Helper()
	once.Do(func() { shared, sharedErr = connect() })
	if sharedErr != nil {
		if errors.Is(sharedErr, localpg.ErrNoBinaries) && os.Getenv("CI") == "" {
			t.Skipf("pgtest: no database for this test: %v", sharedErr)
		}
		t.Fatalf("pgtest: %v", sharedErr)
	}
	return shared
}

// connect finds the server and makes sure the template exists. It does not
// use a test's context: its result serves every test of the process.
func connect() (*server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tmpl, err := templateName()
	if err != nil {
		return nil, err
	}
	s := &server{template: tmpl}
	if base := cmpOr(os.Getenv("TEST_DATABASE_URL"), os.Getenv("DATABASE_URL")); base != "" {
		s.dsn = func(dbname string) string { return withDatabase(base, dbname) }
		db, err := postgres.Open(ctx, base)
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == "3D000" { // invalid_catalog_name
			// The URL may name the database the tests should use, not yet
			// created; the server's own maintenance database will do.
			db, err = postgres.Open(ctx, s.dsn("postgres"))
		}
		if err != nil {
			return nil, err
		}
		s.maint = db
	} else if err := s.startPrivate(ctx); err != nil {
		return nil, err
	}
	if err := s.ensureTemplate(ctx); err != nil {
		s.release()
		return nil, err
	}
	return s, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// startPrivate starts the shared private server, or joins it. The start
// lock keeps concurrent test processes from running initdb or pg_ctl on the
// same cluster at once; the shared users lock, taken before the start lock
// is let go, tells a finishing process that others still use the server.
func (s *server) startPrivate(ctx context.Context) error {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("osallistu-test-pg-%d", os.Getuid()))
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	// The name is predictable: make sure nobody else made it.
	if fi, err := os.Lstat(dir); err != nil {
		return err
	} else if st, ok := fi.Sys().(*syscall.Stat_t); !fi.IsDir() || !ok || !ownedByUs(st.Uid) {
		return fmt.Errorf("%s is not this user's folder; remove it", dir)
	}
	var err error
	if s.startLock, err = os.OpenFile(filepath.Join(dir, "start.lock"), os.O_RDWR|os.O_CREATE, 0o600); err != nil {
		return err
	}
	if s.usersLock, err = os.OpenFile(filepath.Join(dir, "users.lock"), os.O_RDWR|os.O_CREATE, 0o600); err != nil {
		return err
	}
	if err := flock(s.startLock, syscall.LOCK_EX); err != nil {
		return err
	}
	defer flock(s.startLock, syscall.LOCK_UN)
	// Nobody joins or leaves while we hold the start lock, so if the users
	// lock is free, no other process uses the server: any test database in
	// it was left by a killed process.
	alone := flock(s.usersLock, syscall.LOCK_EX|syscall.LOCK_NB) == nil
	if err := flock(s.usersLock, syscall.LOCK_SH); err != nil {
		return err
	}
	// Only warnings: the start is routine and test output is for tests.
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s.inst, err = localpg.Start(ctx, dir, log)
	if err != nil {
		flock(s.usersLock, syscall.LOCK_UN)
		return err
	}
	s.dsn = s.inst.URL
	if s.maint, err = postgres.Open(ctx, s.dsn("postgres")); err != nil {
		return err
	}
	if alone {
		dropLeftovers(ctx, s.maint)
	}
	return scratch(ctx, s.maint)
}

// dropLeftovers drops the test databases of test processes that were killed
// before their cleanups ran. Best effort: they only take space.
func dropLeftovers(ctx context.Context, db *sqlx.DB) {
	var names []string
	db.SelectContext(ctx, &names, `SELECT datname FROM pg_database WHERE datname LIKE 'osallistu\_test\_%'`)
	for _, name := range names {
		db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)")
	}
}

// scratch turns off the private test cluster's crash safety: every DROP
// DATABASE forces a checkpoint, and with fsync those checkpoints, one after
// the other, are most of the time concurrent test processes take. The
// cluster holds nothing but templates and test databases; if an OS crash
// ever spoils it, removing its folder makes a new one. The settings take
// effect on reload, without disturbing other test processes, and stay in
// the cluster's postgresql.auto.conf. Never done to a server named by URL.
func scratch(ctx context.Context, db *sqlx.DB) error {
	var fsync string
	if err := db.GetContext(ctx, &fsync, `SHOW fsync`); err != nil || fsync == "off" {
		return err
	}
	for _, q := range []string{
		`ALTER SYSTEM SET fsync = off`,
		`ALTER SYSTEM SET full_page_writes = off`,
		`ALTER SYSTEM SET synchronous_commit = off`,
		`SELECT pg_reload_conf()`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("configure test cluster: %w", err)
		}
	}
	return nil
}

// ownedByUs reports whether a folder's owner is this user, or, for root,
// the postgres user that localpg hands the folder to.
func ownedByUs(uid uint32) bool {
	if int(uid) == os.Geteuid() {
		return true
	}
	pg, err := user.Lookup("postgres")
	return err == nil && os.Geteuid() == 0 && pg.Uid == strconv.FormatUint(uint64(uid), 10)
}

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// release closes the maintenance connections and, if this is the last
// process using the private server, stops it.
func (s *server) release() error {
	if s.maint != nil {
		s.maint.Close()
	}
	if s.inst == nil {
		return nil
	}
	defer s.startLock.Close()
	defer s.usersLock.Close()
	if err := flock(s.usersLock, syscall.LOCK_UN); err != nil {
		return err
	}
	if err := flock(s.startLock, syscall.LOCK_EX); err != nil {
		return err
	}
	defer flock(s.startLock, syscall.LOCK_UN)
	// Under the start lock nobody joins; if no one holds the users lock
	// either, nobody is using the server.
	if flock(s.usersLock, syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return nil
	}
	defer flock(s.usersLock, syscall.LOCK_UN)
	return s.inst.Shutdown()
}

// templateName names the template after the migrations, so that changing
// or adding one makes (and uses) a new template.
func templateName() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(schema.Migrations, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(schema.Migrations, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", err
	}
	return "osallistu_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12], nil
}

// ensureTemplate creates the template database unless it exists, under an
// advisory lock so that concurrent test processes create it once, and drops
// the templates of other migrations.
func (s *server) ensureTemplate(ctx context.Context) error {
	name := s.template
	conn, err := s.maint.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, templateLock); err != nil {
		return fmt.Errorf("lock template: %w", err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, templateLock)

	var isTemplate bool
	err = conn.QueryRowContext(ctx, `SELECT datistemplate FROM pg_database WHERE datname = $1`, name).Scan(&isTemplate)
	switch {
	case err == nil && isTemplate:
		return nil
	case err == nil:
		// Not a finished template (a database of that name made by hand):
		// start over.
		if _, err := conn.ExecContext(ctx, "DROP DATABASE "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop unfinished template: %w", err)
		}
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}

	// The template is built under another name and renamed when it is
	// complete: a test process of another checkout that clones by name never
	// sees it half migrated. A leftover of a process that died is dropped.
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(building)+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop unfinished template: %w", err)
	}
	// template0 is pristine, whereas template1 may have gathered objects on a
	// shared server.
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(building)+" TEMPLATE template0"); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	db, err := postgres.Open(ctx, s.dsn(building))
	if err != nil {
		return err
	}
	err = postgres.Migrate(ctx, db)
	db.Close()
	if err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	// Cloning and renaming fail while anyone is connected; with connections
	// refused from now on, only the migration's closing ones can be in the
	// way, and they are gone in a moment.
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+pq.QuoteIdentifier(building)+" WITH ALLOW_CONNECTIONS false"); err != nil {
		return err
	}
	for range 50 {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = $1`, building).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			break
		}
		conn.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, building)
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+pq.QuoteIdentifier(building)+" WITH IS_TEMPLATE true"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+pq.QuoteIdentifier(building)+" RENAME TO "+pq.QuoteIdentifier(name)); err != nil {
		return fmt.Errorf("name template: %w", err)
	}

	// Best effort: the templates of earlier migrations are of no more use
	// here (another checkout testing at the same time makes its own again).
	var old []string
	if err := conn.SelectContext(ctx, &old, `SELECT datname FROM pg_database WHERE datname LIKE 'osallistu\_tmpl\_%' AND datname <> $1 AND datname NOT LIKE '%\_building'`, name); err == nil {
		for _, o := range old {
			q := pq.QuoteIdentifier(o)
			if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+q+" WITH IS_TEMPLATE false"); err == nil {
				conn.ExecContext(ctx, "DROP DATABASE "+q+" WITH (FORCE)")
			}
		}
	}
	return nil
}

// clone creates database name from the template. PostgreSQL refuses while
// someone is connected to the template, which can only be for a moment, so
// it tries again; if the template is gone (dropped by a run with other
// migrations), it makes it again.
func (s *server) clone(ctx context.Context, name string) error {
	create := "CREATE DATABASE " + pq.QuoteIdentifier(name) + " TEMPLATE " + pq.QuoteIdentifier(s.template)
	remade := false
	for attempt := 1; ; attempt++ {
		_, err := s.maint.ExecContext(ctx, create)
		if err == nil {
			return nil
		}
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || attempt == 10 {
			return fmt.Errorf("create test database: %w", err)
		}
		switch {
		case pqErr.Code == "55006": // object_in_use: "source database is being accessed by other users"
			time.Sleep(time.Duration(attempt) * 50 * time.Millisecond)
		case pqErr.Code == "3D000" && !remade: // invalid_catalog_name: no template
			if err := s.remakeTemplate(ctx); err != nil {
				return err
			}
			remade = true
		default:
			return fmt.Errorf("create test database: %w", err)
		}
	}
}

var remakeMu sync.Mutex

func (s *server) remakeTemplate(ctx context.Context) error {
	remakeMu.Lock()
	defer remakeMu.Unlock()
	return s.ensureTemplate(ctx)
}

// withDatabase returns the connection string dsn with its database replaced
// by dbname, in dsn's own form: a postgres:// URL or key=value pairs.
func withDatabase(dsn, dbname string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			u.Path, u.RawPath = "/"+dbname, ""
			q := u.Query()
			if q.Has("dbname") || q.Has("database") {
				q.Del("dbname")
				q.Del("database")
				u.RawQuery = q.Encode()
			}
			return u.String()
		}
	}
	pairs, err := parseKV(dsn)
	if err != nil {
		// Let lib/pq report the malformed string; for it, the last of a
		// repeated key wins.
		return dsn + " dbname=" + quoteKV(dbname)
	}
	var b strings.Builder
	for _, p := range pairs {
		if p[0] == "dbname" || p[0] == "database" {
			continue
		}
		fmt.Fprintf(&b, "%s=%s ", p[0], quoteKV(p[1]))
	}
	b.WriteString("dbname=" + quoteKV(dbname))
	return b.String()
}

// parseKV splits a key=value connection string as lib/pq and libpq do:
// values may be single-quoted, and a backslash escapes the next character.
func parseKV(s string) ([][2]string, error) {
	var pairs [][2]string
	r := []rune(s)
	i := 0
	skipSpace := func() {
		for i < len(r) && (r[i] == ' ' || r[i] == '\t' || r[i] == '\n' || r[i] == '\r') {
			i++
		}
	}
	for {
		skipSpace()
		if i == len(r) {
			return pairs, nil
		}
		start := i
		for i < len(r) && r[i] != '=' && r[i] != ' ' && r[i] != '\t' {
			i++
		}
		key := string(r[start:i])
		skipSpace()
		if i == len(r) || r[i] != '=' || key == "" {
			return nil, fmt.Errorf("malformed connection string")
		}
		i++
		skipSpace()
		var val strings.Builder
		quoted := i < len(r) && r[i] == '\''
		if quoted {
			i++
		}
		for ; i < len(r); i++ {
			c := r[i]
			if c == '\\' && i+1 < len(r) {
				i++
				val.WriteRune(r[i])
				continue
			}
			if quoted && c == '\'' {
				break
			}
			if !quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
				break
			}
			val.WriteRune(c)
		}
		if quoted {
			if i == len(r) {
				return nil, fmt.Errorf("unterminated quote in connection string")
			}
			i++
		}
		pairs = append(pairs, [2]string{key, val.String()})
	}
}

func quoteKV(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n\r'\\") {
		return v
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}
