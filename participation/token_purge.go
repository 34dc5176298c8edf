package participation

import (
	"context"
	"time"
)

// Anonymous tokens do not outlive their process. Workshop participant
// tokens, respondent tokens and survey invitation links are bearer secrets
// that identify nobody but let their holder act again; once the process is
// archived, or the step they were used in ended more than the retention ago,
// nothing is left for them to do, and they are purged: the hash of the
// token goes, what it was used for (ballots, ideas, comments, supports,
// survey responses) stays, as anonymous as before, and the token is
// refused from then on.

// DefaultTokenRetention is how long after its step ended an anonymous token
// is kept, for the few who still look at what they answered.
const DefaultTokenRetention = 30 * 24 * time.Hour

// TokenPurge counts the tokens one purge removed.
type TokenPurge struct {
	ParticipantTokens int64 // workshop participants' tokens
	Respondents       int64 // respondent tokens (ideas, comments, supports, surveys)
	SurveyInvitations int64 // survey invitation links
	Sessions          int64 // sessions past their expiry
	LoginFailures     int64 // failed sign-ins older than LoginFailureWindow
}

// Total is the number of tokens purged.
func (p TokenPurge) Total() int64 {
	return p.ParticipantTokens + p.Respondents + p.SurveyInvitations + p.Sessions + p.LoginFailures
}

// TokenPurger purges the anonymous tokens past their process; with them go
// the sessions past their expiry and the failed sign-ins that count no more,
// so that neither is kept longer than it is of use.
type TokenPurger interface {
	// PurgeTokens purges the tokens of archived processes and of steps that
	// ended more than retention ago: a workshop that ended, an idea round
	// that closed, a survey that closed. A respondent token is purged when
	// none of the steps it was used in is still live, and one used nowhere
	// when it is older than retention. Ended sessions and failed sign-ins
	// older than LoginFailureWindow go too.
	PurgeTokens(ctx context.Context, retention time.Duration) (TokenPurge, error)
}
