// Package postgres is the store: every SQL statement of Osallistu, run with
// sqlx and lib/pq. Each exported method runs in one transaction, or in a
// single statement (which is one); CastBallot, the hot path, makes two
// statements and says why that is safe.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"

	"osallistu/participation"
	schema "osallistu/sql"
)

// DefaultPoolSize is how many connections a handle from OpenLazily keeps
// open at most (the serve command's OSALLISTU_DB_CONNECTIONS changes it).
const DefaultPoolSize = 20

// Open connects to PostgreSQL at url and checks that it answers.
func Open(ctx context.Context, url string) (*sqlx.DB, error) {
	db, err := OpenLazily(url)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", unavailable(err))
	}
	return db, nil
}

// OpenLazily returns a handle on the database at url without connecting:
// it connects on first use, and again after losing the database, as every
// database/sql handle does. For a server that starts before its database
// is up. It fails only on a malformed url.
//
// Statements with parameters go to the server in one round trip (lib/pq's
// binary_parameters: parse, bind and execute sent together) instead of two
// (a prepare, then the execution).
func OpenLazily(url string) (*sqlx.DB, error) {
	cfg, err := pq.NewConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	cfg.BinaryParameters = true
	connector, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db := sqlx.NewDb(sql.OpenDB(connector), "postgres")
	db.SetMaxOpenConns(DefaultPoolSize)
	db.SetMaxIdleConns(DefaultPoolSize)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// Migrate applies every schema migration that db does not have yet.
func Migrate(ctx context.Context, db *sqlx.DB) error {
	migrations, err := fs.Sub(schema.Migrations, "migrations")
	if err != nil {
		return err
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db.DB, migrations)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", unavailable(err))
	}
	return nil
}

// Store holds the database handle and the clock. Services are methods on it.
type Store struct {
	db  handle
	now func() time.Time
	// loginDelay replaces participation.LoginDelay when set (SetLoginDelay).
	loginDelay func(failures int) time.Duration
	// lockout counts failed sign-ins per account and address, in memory only.
	lockout participation.LoginLockout
	// onEmail is called after a commit that wrote an email (OnEmail).
	onEmail atomic.Pointer[func()]
	// editWindow replaces participation.DefaultEditWindow when set (SetEditWindow).
	editWindow atomic.Pointer[time.Duration]

	stmtMu sync.Mutex
	stmts  map[string]*stmt // see prepared
}

// Reads a PostgreSQL read replica could serve (README, "Running at
// scale"). Every instance now reads and writes through one primary. The
// reads behind the public pages and exports, as anonymous readers get them,
// could go to a replica instead: they already accept being a second late
// (the server's page cache, OSALLISTU_PAGE_CACHE), and no one reading them
// has just written what they show. They are:
//
//   - processes: FindProcesses, FindProcessBySlug, FindStatistics, FindReach;
//   - idea rounds: FindIdeaRounds, FindIdeaRound, FindIdeas (with its
//     search), FindIdea, FindComments, FindThemes, FindThemeResults;
//   - commitments: FindCommitments, FindCommitment, FindCommitmentVersions,
//     FindMilestone, FindMilestoneChanges, FindCommitmentChanges, FindReport
//     (the status board and the self-assessment report), FindTrace;
//   - FindOrganisations, FindStatementSummary, FindSurveyResults,
//     FindClosedTallies (closed polls do not change), ExportOpenData.
//
// What stays on the primary: every write and the reads of the same request
// (a page after its form: the writer must see what they wrote); sessions,
// participant and respondent tokens (FindAccountByToken, FindParticipant,
// FindRespondent: a token made a moment ago must work at once); the live
// recount (FindTally, FindTallies: it runs on NOTIFY of a ballot a replica
// may not have yet); Snapshot, which keys the page cache on the primary's
// commits; and the forms' secret. Sending them there would take a second
// Store on the replica's handle and the server choosing it for anonymous
// GET requests, and the page cache's Snapshot taken from the replica too.

// NewStore returns a Store on db. now may be nil for the real clock.
func NewStore(db *sqlx.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: handle{db}, now: now, stmts: map[string]*stmt{}}
}

// prepared returns query as a prepared statement, made on first use and
// kept: database/sql prepares it once on each connection it runs on, and
// PostgreSQL then neither parses nor (after a few runs) plans it again. For
// the statements of the live hot path, hundreds a second, whose parsing
// and planning would otherwise cost PostgreSQL more than running them.
func (s *Store) prepared(ctx context.Context, query string) (*stmt, error) {
	s.stmtMu.Lock()
	st, ok := s.stmts[query]
	s.stmtMu.Unlock()
	if ok {
		return st, nil
	}
	// Prepared without the lock: preparing is a round trip that can wait
	// (on a lost database, on a connection), and every other statement's
	// first use would wait with it. Two first uses at once both prepare;
	// the first kept wins and the other is closed.
	prep, err := s.db.PreparexContext(ctx, query)
	if err != nil {
		return nil, storeErr(err, "prepare")
	}
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[query]; ok {
		prep.Close()
		return st, nil
	}
	st = &stmt{prep}
	s.stmts[query] = st
	return st, nil
}

// Snapshot returns the database's current snapshot (pg_current_snapshot):
// it is the same for two calls only when no transaction has committed or
// begun writing in between, so a page made under it still holds while it
// is unchanged (the server's page cache). One round trip, no transaction.
func (s *Store) Snapshot(ctx context.Context) (string, error) {
	var snap string
	if err := s.db.GetContext(ctx, &snap, `SELECT pg_current_snapshot()::text`); err != nil {
		return "", fmt.Errorf("snapshot: %w", err)
	}
	return snap, nil
}

// DB returns the underlying handle (for health checks and metrics).
func (s *Store) DB() *sqlx.DB { return s.db.DB }

// OnEmail sets f to be called after each commit that wrote an email to the
// outbox: the mail sender's Poke, so that the email leaves at once rather
// than at the sender's next look. f must not block.
func (s *Store) OnEmail(f func()) { s.onEmail.Store(&f) }

// Tx is one service call's transaction; it carries the call's time so that
// every row written in it agrees on "now" and tests control time.
type Tx struct {
	*sqlx.Tx
	now time.Time
	// emailed says that the transaction wrote an email (enqueue), and
	// store whom to tell once it is committed.
	emailed bool
	store   *Store
}

// begin starts a transaction. Callers defer tx.Rollback() and end with tx.Commit().
func (s *Store) begin(ctx context.Context) (*Tx, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, storeErr(err, "begin")
	}
	return &Tx{Tx: tx, now: s.now().UTC(), store: s}, nil
}

// Commit is sqlx's, with a lost database's error marked (see handle); and
// then, when the transaction wrote an email, it calls the store's OnEmail
// hook: only a committed email can be sent.
func (tx *Tx) Commit() error {
	if err := tx.Tx.Commit(); err != nil {
		return unavailable(err)
	}
	if f := tx.store.onEmail.Load(); tx.emailed && f != nil {
		(*f)()
	}
	return nil
}

// errNoRows is what a Get finds no row with.
var errNoRows = sql.ErrNoRows

// storeErr turns the PostgreSQL errors that mean something to the domain into
// domain errors, in one place: a unique violation is a conflict, a missing
// row is not found, a lost or refused connection is unavailable.
func storeErr(err error, what string) error {
	if err == nil {
		return nil
	}
	if err := unavailable(err); participation.ErrorCode(err) == participation.EUNAVAILABLE {
		return fmt.Errorf("%s: %w", what, err)
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "23505": // unique_violation
			return participation.Errorf(participation.ECONFLICT, "%s already exists", what)
		case "23503": // foreign_key_violation
			return participation.Errorf(participation.EINVALID, "%s refers to something that does not exist", what)
		}
	}
	if errors.Is(err, errNoRows) {
		return participation.Errorf(participation.ENOTFOUND, "%s not found", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// unavailable marks err as the domain's EUNAVAILABLE when it says that the
// database cannot be reached, and returns any other error as it is. The
// mark leaves err in the chain, for the logs; errors.As finds the mark.
func unavailable(err error) error {
	var de *participation.Error
	if err == nil || !lostDatabase(err) || errors.As(err, &de) {
		return err
	}
	return fmt.Errorf("%w (%w)", err, participation.Errorf(participation.EUNAVAILABLE, "The service is temporarily unavailable. Try again shortly."))
}

// lostDatabase reports whether err says that the database cannot be
// reached, rather than that a statement failed: no connection could be made
// (refused, no socket, no route), an open one broke (lib/pq then reports
// driver.ErrBadConn or the network error), or the server is shutting down,
// starting up or out of connections.
func lostDatabase(err error) bool {
	var opErr *net.OpError
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &opErr) {
		return true
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "57P01", // admin_shutdown: the server is stopping
			"57P02", // crash_shutdown
			"57P03", // cannot_connect_now: starting up or shutting down
			"53300": // too_many_connections
			return true
		}
		return pqErr.Code.Class() == "08" // connection_exception
	}
	return false
}

// handle is the Store's database handle. Its statements' errors, like a
// transaction's and a prepared statement's, pass through unavailable, so
// that a lost database is EUNAVAILABLE whatever a method wraps them in.
type handle struct{ *sqlx.DB }

func (h handle) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	return unavailable(h.DB.GetContext(ctx, dest, query, args...))
}

func (h handle) SelectContext(ctx context.Context, dest any, query string, args ...any) error {
	return unavailable(h.DB.SelectContext(ctx, dest, query, args...))
}

func (h handle) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := h.DB.ExecContext(ctx, query, args...)
	return res, unavailable(err)
}

// stmt is a prepared statement of the Store (see prepared and handle).
type stmt struct{ *sqlx.Stmt }

func (s *stmt) GetContext(ctx context.Context, dest any, args ...any) error {
	return unavailable(s.Stmt.GetContext(ctx, dest, args...))
}

func (s *stmt) SelectContext(ctx context.Context, dest any, args ...any) error {
	return unavailable(s.Stmt.SelectContext(ctx, dest, args...))
}

func (s *stmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	res, err := s.Stmt.ExecContext(ctx, args...)
	return res, unavailable(err)
}

// GetContext is sqlx's, with a lost database's error marked (see handle).
func (tx *Tx) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	return unavailable(tx.Tx.GetContext(ctx, dest, query, args...))
}

// SelectContext is sqlx's, with a lost database's error marked (see handle).
func (tx *Tx) SelectContext(ctx context.Context, dest any, query string, args ...any) error {
	return unavailable(tx.Tx.SelectContext(ctx, dest, query, args...))
}

// ExecContext is sqlx's, with a lost database's error marked (see handle).
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := tx.Tx.ExecContext(ctx, query, args...)
	return res, unavailable(err)
}
