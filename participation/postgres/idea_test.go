package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// ideaFixture is a process with one open idea round.
type ideaFixture struct {
	s        *postgres.Store
	clk      *clock
	official context.Context
	round    *participation.IdeaRound
}

func newIdeaFixture(t testing.TB, anonymous bool) *ideaFixture {
	t.Helper()
	s, clk := newStore(t)
	official, _ := mustAccount(t, s, "official@example.fi", "official")
	if _, err := s.CreateProcess(official, participation.NewProcess{Slug: "avoin-hallinto", Title: "Avoin hallinto"}); err != nil {
		t.Fatal(err)
	}
	opens, closes := clk.t.Add(-time.Hour), clk.t.Add(30*24*time.Hour)
	r, err := s.CreateIdeaRound(official, "avoin-hallinto", participation.NewIdeaRound{
		Title: "Ennakkotehtävä", OpensAt: &opens, ClosesAt: &closes, AllowAnonymous: anonymous,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &ideaFixture{s: s, clk: clk, official: official, round: r}
}

func (f *ideaFixture) idea(t testing.TB, ctx context.Context, title, body string) *participation.Idea {
	t.Helper()
	idea, err := f.s.CreateIdea(ctx, f.round.ID, participation.NewIdea{Title: title, Body: body}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	return idea
}

func TestCreateIdea(t *testing.T) {
	f := newIdeaFixture(t, false)
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	anon := context.Background()
	t.Run("OK", func(t *testing.T) {
		idea, err := f.s.CreateIdea(citizen, f.round.ID, participation.NewIdea{
			Title: "Äää", Body: "Avoimuutta kuntiin ja enemmän osallistumista", AuthorName: ptr("Liisa"), Municipality: ptr("helsingfors"),
		}, "sv")
		if err != nil {
			t.Fatal(err)
		}
		if *idea.AuthorName != "Liisa" || *idea.Municipality != "Helsinki" || idea.Language != "fi" || idea.Supports != 0 {
			t.Fatalf("idea %+v", idea)
		}
	})
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		_, err := f.s.CreateIdea(anon, f.round.ID, participation.NewIdea{Title: "Anonyymi", Body: "x"}, "fi")
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, n := range []participation.NewIdea{
			{Title: "ab", Body: "x"},
			{Title: "Hyvä otsikko", Body: strings.Repeat("ä", participation.IdeaBodyMax+1)},
			{Title: "Hyvä otsikko", Body: "  "},
			{Title: "Hyvä otsikko", Body: "x", Website: "http://spam.example"},
		} {
			_, err := f.s.CreateIdea(citizen, f.round.ID, n, "fi")
			wantCode(t, err, participation.EINVALID)
		}
		// Exactly the limit in characters (more in bytes) is fine.
		f.idea(t, citizen, "Hyvä otsikko", strings.Repeat("ä", participation.IdeaBodyMax))
	})
	t.Run("ErrClosed", func(t *testing.T) {
		f.clk.t = f.round.ClosesAt
		_, err := f.s.CreateIdea(citizen, f.round.ID, participation.NewIdea{Title: "Myöhässä", Body: "x"}, "fi")
		wantCode(t, err, participation.ECLOSED)
		f.clk.t = f.round.OpensAt.Add(-time.Second)
		_, err = f.s.CreateIdea(citizen, f.round.ID, participation.NewIdea{Title: "Etuajassa", Body: "x"}, "fi")
		wantCode(t, err, participation.ECLOSED)
		// State before content: a closed round says closed whatever the idea holds.
		_, err = f.s.CreateIdea(citizen, f.round.ID, participation.NewIdea{}, "fi")
		wantCode(t, err, participation.ECLOSED)
	})
	t.Run("Anonymous", func(t *testing.T) {
		g := newIdeaFixture(t, true)
		idea, err := g.s.CreateIdea(anon, g.round.ID, participation.NewIdea{Title: "Anonyymi idea", Body: "Ilman tiliä"}, "fi")
		if err != nil || idea.AuthorName != nil {
			t.Fatalf("idea %+v %v", idea, err)
		}
	})
}

func TestSupportIdeaConcurrently(t *testing.T) {
	f := newIdeaFixture(t, true)
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	author, _ := mustAccount(t, f.s, "author@example.fi") // nobody supports their own idea
	idea := f.idea(t, author, "Tuetaan", "Tuki")
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 20; i++ {
		wg.Add(2)
		go func() { // the same account, twenty times at once
			defer wg.Done()
			_, err := f.s.SupportIdea(citizen, idea.ID)
			errs <- err
		}()
		go func(ctx context.Context) { // twenty different anonymous browsers
			defer wg.Done()
			_, err := f.s.SupportIdea(ctx, idea.ID)
			errs <- err
		}(respondentCtx(t, f.s))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.s.FindIdea(citizen, idea.ID)
	if err != nil || got.Supports != 21 || !got.Supported {
		t.Fatalf("supports = %d (supported %v), want 21: %v", got.Supports, got.Supported, err)
	}
	if got.SignedInSupports != 1 {
		t.Errorf("signed-in supports = %d, want 1", got.SignedInSupports)
	}
	_, err = f.s.SupportIdea(context.Background(), idea.ID)
	wantCode(t, err, participation.EUNAUTHENTICATED)
}

func TestSupportIdeaWho(t *testing.T) {
	t.Parallel()
	f := newIdeaFixture(t, false) // a round for signed-in people only
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	author, _ := mustAccount(t, f.s, "author@example.fi") // nobody supports their own idea
	idea := f.idea(t, author, "Vain kirjautuneille", "Tuki")
	t.Run("ErrUnauthenticated", func(t *testing.T) {
		// An issued respondent, but the round takes no anonymous participation.
		_, err := f.s.SupportIdea(respondentCtx(t, f.s), idea.ID)
		wantCode(t, err, participation.EUNAUTHENTICATED)
		_, err = f.s.CreateIdea(respondentCtx(t, f.s), f.round.ID, participation.NewIdea{Title: "Anonyymi", Body: "x"}, "fi")
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("OK", func(t *testing.T) {
		for range 2 {
			got, err := f.s.SupportIdea(citizen, idea.ID)
			if err != nil || *got != (participation.SupportCounts{Supports: 1, SignedInSupports: 1}) {
				t.Fatalf("counts %+v %v", got, err)
			}
		}
	})
	t.Run("an account wins over a respondent", func(t *testing.T) {
		official := participation.NewContextWithRespondent(f.official, participation.RespondentFromContext(respondentCtx(t, f.s)))
		got, err := f.s.SupportIdea(official, idea.ID)
		if err != nil || *got != (participation.SupportCounts{Supports: 2, SignedInSupports: 2}) {
			t.Fatalf("counts %+v %v", got, err)
		}
	})
}

// TestSupportsBeforeIssuedTokens: supports made with tokens the clients
// made up (before the server issued them) stay counted, and the same
// person's issued respondent is someone new.
func TestSupportsBeforeIssuedTokens(t *testing.T) {
	t.Parallel()
	f := newIdeaFixture(t, true)
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	idea := f.idea(t, citizen, "Vanha tuki", "Tuki")
	for _, q := range []string{
		`INSERT INTO supports (idea_id, supporter, created_at) VALUES ($1, 'r:' || encode(sha256('old-browser-token-0001'), 'hex'), now())`,
		`UPDATE ideas SET supports = supports + 1 WHERE id = $1`,
	} {
		if _, err := f.s.DB().Exec(q, idea.ID); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.s.SupportIdea(respondentCtx(t, f.s), idea.ID)
	if err != nil || *got != (participation.SupportCounts{Supports: 2, SignedInSupports: 0}) {
		t.Fatalf("counts %+v %v", got, err)
	}
	p, err := f.s.FindProcessBySlug(context.Background(), "avoin-hallinto")
	if err != nil || p.Stats.Participants != 3 {
		t.Fatalf("participants %+v %v, want 3 (the author and two supporters)", p.Stats, err)
	}
}

// TestSearchStemming records what PostgreSQL's Finnish and Swedish
// stemmers really do: most inflected forms meet at one stem, but Finnish
// consonant gradation (kunta : kuntien) is beyond the Snowball stemmer.
func TestSearchStemming(t *testing.T) {
	f := newIdeaFixture(t, true)
	anon := context.Background()
	kunnat := f.idea(t, anon, "Kunnat avoimiksi", "Kunnat julkaisevat päätöksensä verkossa ja ovat avoimia.")
	kirjasto := f.idea(t, anon, "Kirjastot mukaan", "Kirjastot voisivat neuvoa digiasioissa.")
	kommun, err := f.s.CreateIdea(anon, f.round.ID, participation.NewIdea{Title: "Öppna kommuner", Body: "Kommuner ska publicera sina beslut och det är viktigt."}, "fi")
	if err != nil || kommun.Language != "sv" {
		t.Fatalf("swedish idea %+v %v", kommun, err)
	}
	other := f.idea(t, anon, "Selkokieli", "Viranomaisten tekstit selkeiksi.")
	if _, err := f.s.CreateComment(anon, other.ID, participation.NewComment{Body: "Myös kirjastojen aukioloajat selkokielellä."}, "fi"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"kunnissa", []int64{kunnat.ID}},                  // kunnissa, kunnat → kun
		{"kuntien", nil},                                  // kuntien → kunt: gradation is not undone
		{"kirjastojen", []int64{kirjasto.ID, other.ID}},   // also found through a comment
		{"kommunerna", []int64{kommun.ID}},                // Swedish: kommunerna, kommuner → kommun
		{"kirjastot -neuvoa", []int64{other.ID}},          // websearch syntax: exclusion
		{`"julkaisevat päätöksensä"`, []int64{kunnat.ID}}, // phrase
		{"kirjasto OR kommun", []int64{kirjasto.ID, other.ID, kommun.ID}},
	} {
		list, total, err := f.s.FindIdeas(anon, participation.IdeaFilter{RoundID: f.round.ID, Query: tc.query, Limit: 10})
		if err != nil {
			t.Fatalf("%q: %v", tc.query, err)
		}
		got := map[int64]bool{}
		for _, i := range list {
			got[i.ID] = true
		}
		if total != len(tc.want) || len(got) != len(tc.want) {
			t.Errorf("%q: got %d ideas %v, want %v", tc.query, total, got, tc.want)
			continue
		}
		for _, id := range tc.want {
			if !got[id] {
				t.Errorf("%q: idea %d not found", tc.query, id)
			}
		}
	}
	// An idea's own match ranks above a match in a comment.
	list, _, _ := f.s.FindIdeas(anon, participation.IdeaFilter{RoundID: f.round.ID, Query: "kirjastojen", Limit: 10})
	if list[0].ID != kirjasto.ID {
		t.Errorf("rank: first %d, want %d", list[0].ID, kirjasto.ID)
	}
}
