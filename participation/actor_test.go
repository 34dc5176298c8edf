package participation

import (
	"strings"
	"testing"
)

func TestCheckSupporter(t *testing.T) {
	a := &Account{ID: 1}
	for _, tc := range []struct {
		name       string
		respondent *Respondent
		account    *Account
		code       string
	}{
		{"signed in", nil, a, ""},
		{"respondent", &Respondent{ID: 7}, nil, ""},
		{"neither", nil, nil, EUNAUTHENTICATED},
	} {
		if got := ErrorCode(CheckSupporter(tc.account, tc.respondent)); got != tc.code {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.code)
		}
	}
}

func TestValidRespondentToken(t *testing.T) {
	for tok, want := range map[string]bool{
		"browser-token-0123456789": true, strings.Repeat("a", 16): true, strings.Repeat("a", 128): true,
		strings.Repeat("a", 15): false, strings.Repeat("a", 129): false, "browser token 0123456789": false, "": false,
	} {
		if got := ValidRespondentToken(tok); got != want {
			t.Errorf("ValidRespondentToken(%q) = %v", tok, got)
		}
	}
}
