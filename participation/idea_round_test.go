package participation

import (
	"testing"
	"time"
)

func TestIdeaRoundCheckContributor(t *testing.T) {
	opens := time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC)
	closes := opens.AddDate(0, 1, 0)
	during, after := opens.AddDate(0, 0, 7), closes.Add(time.Second)
	signedIn := &Account{ID: 1, Roles: []string{RoleCitizen}}
	open := &IdeaRound{OpensAt: opens, ClosesAt: closes, AllowAnonymous: true}
	signedOnly := &IdeaRound{OpensAt: opens, ClosesAt: closes}
	for _, tc := range []struct {
		name   string
		round  *IdeaRound
		author *Account
		now    time.Time
		code   string
	}{
		{"anonymous where allowed", open, nil, during, ""},
		{"signed in", signedOnly, signedIn, during, ""},
		{"anonymous where not allowed", signedOnly, nil, during, EUNAUTHENTICATED},
		{"before it opens", open, signedIn, opens.Add(-time.Second), ECLOSED},
		{"after it closed", open, signedIn, after, ECLOSED},
		{"closed comes before who asks", signedOnly, nil, after, ECLOSED},
	} {
		if got := ErrorCode(tc.round.CheckContributor(tc.author, tc.now)); got != tc.code {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.code)
		}
	}
}
