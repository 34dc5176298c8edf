package postgres

import (
	"context"
	"crypto/rand"
)

// secretSize is the size of the secret that EnsureSecret makes, in bytes.
const secretSize = 32

// EnsureSecret returns the secret that every server instance on the
// database shares (the CSRF tokens are signed with it), making it on the
// first call. Instances that start at once each offer one of their own;
// the first to commit wins, and every one of them reads that.
func (s *Store) EnsureSecret(ctx context.Context) ([]byte, error) {
	offer := make([]byte, secretSize)
	rand.Read(offer) // never fails (crypto/rand)
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO site_secret (secret, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		offer, tx.now); err != nil {
		return nil, storeErr(err, "ensure secret")
	}
	// A new statement, a new snapshot: it sees the row that another
	// instance committed while this one's insert waited for it.
	var secret []byte
	if err := tx.GetContext(ctx, &secret, `SELECT secret FROM site_secret`); err != nil {
		return nil, storeErr(err, "ensure secret")
	}
	return secret, tx.Commit()
}
