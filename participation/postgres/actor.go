package postgres

// Who acts, as the store keeps them: accounts by id, anonymous respondents
// by a hash of their token, and sessions and workshop participants by a
// hash of the token they were given.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"osallistu/participation"
)

// contributor is who writes an idea or comment: the signed-in account, or
// an anonymous person where the round allows it.
type contributor struct {
	accountID  *int64
	respondent *string // hash of the respondent token, when one was given
}

// checkContributor applies a round's rules to the caller
// (participation.IdeaRound.CheckContributor) and says who they are.
func checkContributor(ctx context.Context, tx *Tx, r *participation.IdeaRound, respondentToken string) (contributor, error) {
	a := participation.AccountFromContext(ctx)
	if err := r.CheckContributor(a, tx.now); err != nil {
		return contributor{}, err
	}
	var c contributor
	if a != nil {
		c.accountID = &a.ID
	}
	if respondentToken != "" && c.accountID == nil {
		h := hashRespondent(respondentToken)
		c.respondent = &h
	}
	return c, nil
}

// supporterKey identifies a supporter: 'a:<account id>' for the signed-in
// account, else 'r:<hash of the respondent token>', and "" for neither
// (participation.Supporter.Check refuses that).
func supporterKey(ctx context.Context, s participation.Supporter) string {
	if a := participation.AccountFromContext(ctx); a != nil {
		return fmt.Sprintf("a:%d", a.ID)
	}
	if s.RespondentToken != "" {
		return "r:" + hashRespondent(s.RespondentToken)
	}
	return ""
}

// hashRespondent is the hex SHA-256 of a respondent token: the respondent
// is recognised again without the token being kept.
func hashRespondent(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// newToken returns a fresh random bearer token (sessions, participants).
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashToken is the SHA-256 of a bearer token, as the tables keep it.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
