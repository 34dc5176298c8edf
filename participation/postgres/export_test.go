package postgres

import "context"

// Prepare makes query a kept prepared statement, for the tests of prepared.
func (s *Store) Prepare(ctx context.Context, query string) error {
	_, err := s.prepared(ctx, query)
	return err
}
