package postgres

// Who acts, as the store keeps them: accounts by id, anonymous respondents
// by the id of the token the server issued them, and sessions, respondents
// and workshop participants by a hash of the token they were given.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"osallistu/participation"
)

// contributor is who writes an idea or comment: the signed-in account, or
// an anonymous person where the round allows it, who may be a respondent.
type contributor struct {
	accountID    *int64
	respondentID *int64 // the anonymous author's issued respondent, when one was shown
}

// checkContributor applies a round's rules to the caller
// (participation.IdeaRound.CheckContributor) and says who they are: the
// account, else the respondent in ctx.
func checkContributor(ctx context.Context, r *participation.IdeaRound, now time.Time) (contributor, error) {
	a := participation.AccountFromContext(ctx)
	if err := r.CheckContributor(a, now); err != nil {
		return contributor{}, err
	}
	// A signed-in writer is their account alone: a respondent token they
	// also show is not linked to it, so that nothing ties the token's
	// anonymous answers (a survey's) to the account.
	var c contributor
	if a != nil {
		c.accountID = &a.ID
	} else if resp := participation.RespondentFromContext(ctx); resp != nil {
		c.respondentID = &resp.ID
	}
	return c, nil
}

// supporterKey identifies the caller as a supporter: 'a:<account id>' for
// the signed-in account, else 'respondent:<id>' for the respondent in ctx,
// and "" for neither (participation.CheckSupporter refuses that). Supports
// made before the server issued tokens are 'r:<sha-256 of the client's
// token>'; nobody can make more of them.
func supporterKey(ctx context.Context) string {
	if a := participation.AccountFromContext(ctx); a != nil {
		return fmt.Sprintf("a:%d", a.ID)
	}
	if r := participation.RespondentFromContext(ctx); r != nil {
		return fmt.Sprintf("respondent:%d", r.ID)
	}
	return ""
}

// newToken returns a fresh random bearer token (sessions, participants,
// respondents).
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
