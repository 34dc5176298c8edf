package participation

// Who acts: a signed-in account (carried in the context), an anonymous
// respondent (by the token their browser or client keeps) or a workshop
// participant (by the token joining gave them; see Participant).

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

// Supporter identifies who supports an idea: the signed-in account (from
// the context) or else an anonymous respondent token.
type Supporter struct {
	RespondentToken string
}

// Check returns EUNAUTHENTICATED unless someone supports: account, the
// signed-in account (nil when signed out), or else the respondent token.
func (s Supporter) Check(account *Account) error {
	if account == nil && s.RespondentToken == "" {
		return Errorf(EUNAUTHENTICATED, "Sign in, or give a respondent token, to support an idea.")
	}
	return nil
}

// ValidRespondentToken reports whether t is an opaque string of 16–128
// URL-safe characters, as API.md asks of a respondent token.
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
