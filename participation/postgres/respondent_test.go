package postgres_test

import (
	"context"
	"testing"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// respondentCtx issues a respondent and returns a context carrying it, as
// the server's actor code does for a request that shows its token.
func respondentCtx(t *testing.T, s *postgres.Store) context.Context {
	t.Helper()
	_, r, err := s.IssueRespondent(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return participation.NewContextWithRespondent(context.Background(), r)
}

func TestRespondents(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	token, issued, err := s.IssueRespondent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !participation.ValidRespondentToken(token) || issued.ID == 0 {
		t.Fatalf("issued %q %+v", token, issued)
	}
	t.Run("OK", func(t *testing.T) {
		r, err := s.FindRespondent(ctx, token)
		if err != nil || r.ID != issued.ID {
			t.Fatalf("found %+v %v, want %+v", r, err, issued)
		}
		token2, other, err := s.IssueRespondent(ctx)
		if err != nil || token2 == token || other.ID == issued.ID {
			t.Fatalf("a second respondent %q %+v %v", token2, other, err)
		}
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := s.FindRespondent(ctx, "made-up-token-0123456789")
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("only a hash is kept", func(t *testing.T) {
		var n int
		if err := s.DB().GetContext(ctx, &n, `SELECT count(*) FROM respondents WHERE token_hash = convert_to($1, 'UTF8')`, token); err != nil || n != 0 {
			t.Fatalf("the token itself is kept: %d %v", n, err)
		}
	})
}
