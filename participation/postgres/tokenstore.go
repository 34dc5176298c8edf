package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// TokenStore keeps the CSRF middleware's tokens in PostgreSQL, so that a
// form served by one server instance can be posted to another. It has the
// method set of fiber.Storage.
type TokenStore struct {
	store *Store
}

// TokenStore returns the store's CSRF token storage.
func (s *Store) TokenStore() *TokenStore { return &TokenStore{store: s} }

// Get returns the value of key, or nil when it is missing or expired.
func (t *TokenStore) Get(key string) ([]byte, error) {
	var v []byte
	err := t.store.db.Get(&v, `SELECT value FROM csrf_tokens WHERE key = $1 AND expires_at > $2`, key, t.store.now())
	if err == errNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get token: %w", err)
	}
	return v, nil
}

// Set stores value under key for exp (0 means a day). Expired tokens are
// swept now and then.
func (t *TokenStore) Set(key string, val []byte, exp time.Duration) error {
	if exp <= 0 {
		exp = 24 * time.Hour
	}
	now := t.store.now()
	// The middleware sets a token on every page view. A token lost in a
	// crash only means reloading a form, so the commit need not wait for
	// the disk: page views do not queue behind fsync.
	ctx := context.Background()
	tx, err := t.store.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set token: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit TO OFF`); err != nil {
		return fmt.Errorf("set token: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO csrf_tokens (key, value, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
		key, val, now.Add(exp)); err != nil {
		return fmt.Errorf("set token: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set token: %w", err)
	}
	if rand.IntN(100) == 0 { // sweep on about one write in a hundred
		_, _ = t.store.db.Exec(`DELETE FROM csrf_tokens WHERE expires_at < $1`, now)
	}
	return nil
}

// Delete removes key.
func (t *TokenStore) Delete(key string) error {
	_, err := t.store.db.Exec(`DELETE FROM csrf_tokens WHERE key = $1`, key)
	return err
}

// Reset removes every token.
func (t *TokenStore) Reset() error {
	_, err := t.store.db.Exec(`DELETE FROM csrf_tokens`)
	return err
}

// Close does nothing: the database handle belongs to the Store.
func (t *TokenStore) Close() error { return nil }
