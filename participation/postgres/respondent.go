package postgres

import (
	"context"
	"fmt"

	"osallistu/participation"
)

// IssueRespondent makes a new anonymous respondent and returns its token;
// only the token's hash is kept.
func (s *Store) IssueRespondent(ctx context.Context) (string, *participation.Respondent, error) {
	token, err := newToken()
	if err != nil {
		return "", nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback()
	r := &participation.Respondent{}
	if err := tx.GetContext(ctx, &r.ID, `INSERT INTO respondents (token_hash, created_at) VALUES ($1, $2) RETURNING id`,
		hashToken(token), tx.now); err != nil {
		return "", nil, fmt.Errorf("issue respondent: %w", err)
	}
	return token, r, tx.Commit()
}

// FindRespondent returns the respondent of a token the server issued;
// any other token is EUNAUTHENTICATED.
func (s *Store) FindRespondent(ctx context.Context, token string) (*participation.Respondent, error) {
	r := &participation.Respondent{}
	err := s.db.GetContext(ctx, &r.ID, `SELECT id FROM respondents WHERE token_hash = $1`, hashToken(token))
	if err == errNoRows {
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "This respondent token was not issued by the server.")
	} else if err != nil {
		return nil, fmt.Errorf("find respondent: %w", err)
	}
	return r, nil
}
