package server_test

import (
	"testing"

	"osallistu/participation"
	"osallistu/server"
)

// issueRespondent asks the server for a respondent token, as an anonymous
// API client does before it supports an idea.
func issueRespondent(t *testing.T, ts *testServer) string {
	t.Helper()
	r := ts.do("POST", "/api/v1/respondents", nil, "").want(t, 201)
	token := decode[struct {
		RespondentToken string `json:"respondent_token"`
	}](t, r).RespondentToken
	if !participation.ValidRespondentToken(token) {
		t.Fatalf("respondent token %q", token)
	}
	return token
}

func TestRespondentsAPI(t *testing.T) {
	t.Parallel()
	// A low limit per address; the writer limit, lower still, is not
	// theirs (there is no respondent to key on before one is issued).
	ts := newTestServer(t, func(c *server.Config) { c.RespondentLimit, c.WriteLimit = 5, 2 })
	var first string
	t.Run("OK", func(t *testing.T) {
		first = issueRespondent(t, ts)
		if second := issueRespondent(t, ts); second == first {
			t.Error("two respondents got the same token")
		}
	})
	t.Run("only a hash of the token is kept", func(t *testing.T) {
		var n int
		if err := ts.store.DB().Get(&n, `SELECT count(*) FROM respondents WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, first); err != nil || n != 1 {
			t.Fatalf("%d respondents with the token's hash (%v), want 1", n, err)
		}
	})
	t.Run("ErrRateLimited past the limit per address", func(t *testing.T) {
		for range 3 {
			issueRespondent(t, ts)
		}
		ts.do("POST", "/api/v1/respondents", nil, "").want(t, 429).wantCode(t, "rate_limited")
		// An issued respondent still writes: the limit is on issuing.
		_, round := openRound(t, ts, true)
		ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Vielä", "body": "x"}, "", "X-Respondent-Token", first).want(t, 201)
	})
}
