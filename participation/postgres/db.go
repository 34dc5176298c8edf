// Package postgres is the store: every SQL statement of Osallistu, run with
// sqlx and lib/pq. Each exported method runs in one transaction, or in a
// single statement (which is one); CastBallot, the hot path, makes two
// statements and says why that is safe.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"

	"osallistu/participation"
	schema "osallistu/sql"
)

// Open connects to PostgreSQL at url and checks that it answers.
//
// Statements with parameters go to the server in one round trip (lib/pq's
// binary_parameters: parse, bind and execute sent together) instead of two
// (a prepare, then the execution).
func Open(ctx context.Context, url string) (*sqlx.DB, error) {
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
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
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
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Store holds the database handle and the clock. Services are methods on it.
type Store struct {
	db  *sqlx.DB
	now func() time.Time
	// loginDelay replaces participation.LoginDelay when set (SetLoginDelay).
	loginDelay func(failures int) time.Duration

	stmtMu sync.Mutex
	stmts  map[string]*sqlx.Stmt // see prepared
}

// NewStore returns a Store on db. now may be nil for the real clock.
func NewStore(db *sqlx.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now, stmts: map[string]*sqlx.Stmt{}}
}

// prepared returns query as a prepared statement, made on first use and
// kept: database/sql prepares it once on each connection it runs on, and
// PostgreSQL then neither parses nor (after a few runs) plans it again. For
// the statements of the live hot path, hundreds a second, whose parsing
// and planning would otherwise cost PostgreSQL more than running them.
func (s *Store) prepared(ctx context.Context, query string) (*sqlx.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PreparexContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	s.stmts[query] = st
	return st, nil
}

// DB returns the underlying handle (for health checks and metrics).
func (s *Store) DB() *sqlx.DB { return s.db }

// Tx is one service call's transaction; it carries the call's time so that
// every row written in it agrees on "now" and tests control time.
type Tx struct {
	*sqlx.Tx
	now time.Time
}

// begin starts a transaction. Callers defer tx.Rollback() and end with tx.Commit().
func (s *Store) begin(ctx context.Context) (*Tx, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, now: s.now().UTC()}, nil
}

// storeErr turns the PostgreSQL errors that mean something to the domain into
// domain errors, in one place: a unique violation is a conflict, a missing
// row is not found.
func storeErr(err error, what string) error {
	if err == nil {
		return nil
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
