package participation

// Who acts: a signed-in account (carried in the context), an anonymous
// respondent (carried in the context too, once the token the server issued
// them is verified) or a workshop participant (by the token joining gave
// them; see Participant).

import "context"

// accountKey is the context key of the signed-in account.
type accountKey struct{}

// NewContextWithAccount returns ctx carrying the signed-in account.
func NewContextWithAccount(ctx context.Context, a *Account) context.Context {
	return context.WithValue(ctx, accountKey{}, a)
}

// AccountFromContext returns the signed-in account, or nil.
func AccountFromContext(ctx context.Context) *Account {
	a, _ := ctx.Value(accountKey{}).(*Account)
	return a
}

// RequireAccount returns the signed-in account or EUNAUTHENTICATED.
func RequireAccount(ctx context.Context) (*Account, error) {
	if a := AccountFromContext(ctx); a != nil {
		return a, nil
	}
	return nil, Errorf(EUNAUTHENTICATED, "You need to sign in.")
}

// RequireRole returns the signed-in account if it holds role: EUNAUTHENTICATED
// without an account, EFORBIDDEN without the role.
func RequireRole(ctx context.Context, role string) (*Account, error) {
	a, err := RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	if !a.HasRole(role) {
		return nil, Errorf(EFORBIDDEN, "This needs the %s role.", role)
	}
	return a, nil
}

// CheckSupporter returns EUNAUTHENTICATED unless someone supports: the
// signed-in account (nil when signed out), or else the respondent the
// server issued a token to (nil without one).
func CheckSupporter(account *Account, respondent *Respondent) error {
	if account == nil && respondent == nil {
		return Errorf(EUNAUTHENTICATED, "Sign in, or give a respondent token, to support an idea.")
	}
	return nil
}

// ValidRespondentToken reports whether t is an opaque string of 16–128
// URL-safe characters. Every issued token is; a token that is not need
// not be looked up.
func ValidRespondentToken(t string) bool {
	if len(t) < 16 || len(t) > 128 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '~') {
			return false
		}
	}
	return true
}

// Respondent is an anonymous person the server issued a respondent token to
// (POST /api/v1/respondents, or the pages' cookie on a first anonymous
// action). Only a hash of the token is kept; ID is what contributions refer
// to, so that one respondent counts once.
type Respondent struct {
	ID int64
}

// respondentKey is the context key of the verified anonymous respondent.
type respondentKey struct{}

// NewContextWithRespondent returns ctx carrying the respondent whose issued
// token the request showed.
func NewContextWithRespondent(ctx context.Context, r *Respondent) context.Context {
	return context.WithValue(ctx, respondentKey{}, r)
}

// RespondentFromContext returns the verified anonymous respondent, or nil.
func RespondentFromContext(ctx context.Context) *Respondent {
	r, _ := ctx.Value(respondentKey{}).(*Respondent)
	return r
}

// RespondentService issues anonymous respondents their tokens and
// recognises them again.
type RespondentService interface {
	// IssueRespondent makes a new respondent and returns its token, which
	// is shown this once (only a hash of it is kept).
	IssueRespondent(ctx context.Context) (token string, r *Respondent, err error)
	// FindRespondent returns the respondent of an issued token;
	// EUNAUTHENTICATED for a token the server did not issue.
	FindRespondent(ctx context.Context, token string) (*Respondent, error)
}
