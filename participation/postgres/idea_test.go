package postgres_test

import (
	"context"
	"fmt"
	"slices"
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

func newIdeaFixture(t *testing.T, anonymous bool) *ideaFixture {
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

func (f *ideaFixture) idea(t *testing.T, ctx context.Context, title, body string) *participation.Idea {
	t.Helper()
	idea, err := f.s.CreateIdea(ctx, f.round.ID, participation.NewIdea{Title: title, Body: body}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	return idea
}

func ptr[T any](v T) *T { return &v }

func TestCreateIdeaRound(t *testing.T) {
	f := newIdeaFixture(t, true)
	if f.round.Status != participation.StatusOpen || f.round.ProcessID == 0 {
		t.Fatalf("round %+v", f.round)
	}
	p, err := f.s.FindProcessBySlug(context.Background(), "avoin-hallinto")
	if err != nil || len(p.Steps) != 1 || p.Steps[0].Kind != "idea_round" || p.Steps[0].Status != "open" {
		t.Fatalf("steps %+v %v", p.Steps, err)
	}
	now := f.clk.t
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.CreateIdeaRound(f.official, "avoin-hallinto", participation.NewIdeaRound{Title: "x", OpensAt: &now, ClosesAt: &now})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.CreateIdeaRound(f.official, "nope", participation.NewIdeaRound{Title: "x", OpensAt: &now, ClosesAt: ptr(now.Add(time.Hour))})
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
		_, err := f.s.CreateIdeaRound(citizen, "avoin-hallinto", participation.NewIdeaRound{Title: "x", OpensAt: &now, ClosesAt: ptr(now.Add(time.Hour))})
		wantCode(t, err, participation.EFORBIDDEN)
	})
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
	idea := f.idea(t, citizen, "Tuetaan", "Tuki")
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 20; i++ {
		wg.Add(2)
		go func() { // the same account, twenty times at once
			defer wg.Done()
			_, err := f.s.SupportIdea(citizen, idea.ID, participation.Supporter{})
			errs <- err
		}()
		go func(i int) { // twenty different anonymous browsers
			defer wg.Done()
			_, err := f.s.SupportIdea(context.Background(), idea.ID, participation.Supporter{RespondentToken: fmt.Sprintf("respondent-token-%04d", i)})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.s.FindIdea(citizen, idea.ID, participation.Supporter{})
	if err != nil || got.Supports != 21 || !got.Supported {
		t.Fatalf("supports = %d (supported %v), want 21: %v", got.Supports, got.Supported, err)
	}
	_, err = f.s.SupportIdea(context.Background(), idea.ID, participation.Supporter{})
	wantCode(t, err, participation.EUNAUTHENTICATED)
}

func TestThemes(t *testing.T) {
	f := newIdeaFixture(t, true)
	a := f.idea(t, f.official, "Avoin data", "Julkaistaan tietoja")
	b := f.idea(t, f.official, "Selkokieli", "Selkeää kieltä")
	theme, err := f.s.CreateTheme(f.official, f.round.ID, participation.NewTheme{Title: "Avoin tieto"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		ideas, err := f.s.SetIdeaTheme(f.official, &theme.ID, a.ID, b.ID)
		if err != nil || len(ideas) != 2 || *ideas[0].ThemeID != theme.ID {
			t.Fatalf("%v %v", ideas, err)
		}
		themes, _ := f.s.FindThemes(context.Background(), f.round.ID)
		if len(themes) != 1 || themes[0].IdeaCount != 2 {
			t.Fatalf("themes %+v", themes)
		}
		list, total, err := f.s.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: f.round.ID, ThemeID: &theme.ID, Limit: 10})
		if err != nil || total != 2 || len(list) != 2 {
			t.Fatalf("by theme: %d %v", total, err)
		}
		if _, err := f.s.SetIdeaTheme(f.official, nil, b.ID); err != nil {
			t.Fatal(err)
		}
		_, total, _ = f.s.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: f.round.ID, Unthemed: true, Limit: 10})
		if total != 1 {
			t.Fatalf("unthemed %d", total)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
		_, err := f.s.SetIdeaTheme(citizen, &theme.ID, a.ID)
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = f.s.CreateTheme(citizen, f.round.ID, participation.NewTheme{Title: "x"})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.SetIdeaTheme(f.official, ptr(int64(999999)), a.ID)
		wantCode(t, err, participation.EINVALID)
		_, err = f.s.SetIdeaTheme(f.official, &theme.ID, 999999)
		wantCode(t, err, participation.ENOTFOUND)
	})
}

func TestModeration(t *testing.T) {
	f := newIdeaFixture(t, true)
	anon := context.Background()
	idea := f.idea(t, anon, "Asiallinen idea", "Hyvä ajatus")
	bad := f.idea(t, anon, "Asiaton idea", "Roskaa")
	c1, err := f.s.CreateComment(anon, idea.ID, participation.NewComment{Body: "Hyvä kommentti", AuthorName: ptr("Matti")}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateComment(anon, idea.ID, participation.NewComment{Body: "Vastaus", ParentID: &c1.ID}, "fi"); err != nil {
		t.Fatal(err)
	}
	reply2, err := f.s.CreateComment(anon, idea.ID, participation.NewComment{Body: "Vastaus vastaukseen"}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.s.CreateComment(anon, idea.ID, participation.NewComment{Body: "Liian syvä", ParentID: ptr(reply2.ID + 1000)}, "fi")
	wantCode(t, err, participation.EINVALID)

	for i := 0; i < 3; i++ {
		if err := f.s.ReportItem(anon, participation.KindIdea, bad.ID, participation.Report{Reason: fmt.Sprint("asiaton ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.ReportItem(anon, participation.KindComment, c1.ID, participation.Report{Reason: "loukkaava"}); err != nil {
		t.Fatal(err)
	}
	// A signed-in person's reports of one item count once, with the latest reason.
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	for _, reason := range []string{"mainos", "mainos ja roskaa"} {
		if err := f.s.ReportItem(citizen, participation.KindIdea, bad.ID, participation.Report{Reason: reason}); err != nil {
			t.Fatal(err)
		}
	}
	queue, total, err := f.s.FindModerationQueue(f.official, 10, 0)
	if err != nil || total != 2 || queue[0].ID != bad.ID || queue[0].Reports != 4 || len(queue[0].Reasons) != 4 || queue[1].Kind != "comment" {
		t.Fatalf("queue %+v %v", queue, err)
	}
	if !slices.Contains(queue[0].Reasons, "mainos ja roskaa") || slices.Contains(queue[0].Reasons, "mainos") {
		t.Fatalf("reasons %q: want the citizen's latest only", queue[0].Reasons)
	}
	_, _, err = f.s.FindModerationQueue(anon, 10, 0)
	wantCode(t, err, participation.EUNAUTHENTICATED)

	if err := f.s.HideItem(f.official, participation.KindIdea, bad.ID, participation.Hide{Reason: "Asiaton sisältö"}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.HideItem(f.official, participation.KindComment, c1.ID, participation.Hide{Reason: "Loukkaava"}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.s.HideItem(f.official, participation.KindIdea, idea.ID, participation.Hide{}), participation.EINVALID)
	_, err = f.s.FindIdea(anon, bad.ID, participation.Supporter{})
	wantCode(t, err, participation.ENOTFOUND)
	if got, err := f.s.FindIdea(f.official, bad.ID, participation.Supporter{}); err != nil || !got.Hidden || *got.HiddenReason != "Asiaton sisältö" {
		t.Fatalf("official view %+v %v", got, err)
	}
	list, total, _ := f.s.FindIdeas(anon, participation.IdeaFilter{RoundID: f.round.ID, Limit: 10})
	if total != 1 || list[0].ID != idea.ID || list[0].Comments != 2 {
		t.Fatalf("public list %d %+v", total, list)
	}
	if r, _ := f.s.FindIdeaRound(anon, f.round.ID); r.IdeaCount != 1 {
		t.Fatalf("round counts %d visible ideas, want 1", r.IdeaCount)
	}
	if _, total, _ := f.s.FindIdeas(anon, participation.IdeaFilter{RoundID: f.round.ID, Limit: 10, Offset: 10}); total != 1 {
		t.Fatalf("a page past the end counts %d", total)
	}
	comments, _, _ := f.s.FindComments(anon, idea.ID, 50, 0)
	if len(comments) != 3 || !comments[0].Hidden || comments[0].Body != nil || comments[0].AuthorName != nil || *comments[0].HiddenReason != "Loukkaava" {
		t.Fatalf("comments %+v", comments[0])
	}
	if queue, total, _ = f.s.FindModerationQueue(f.official, 10, 0); total != 0 {
		t.Fatalf("queue after hiding %+v", queue)
	}

	if err := f.s.RestoreItem(f.official, participation.KindComment, c1.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.s.RestoreItem(f.official, participation.KindComment, c1.ID), participation.ECONFLICT)
	if got, _ := f.s.FindIdea(anon, idea.ID, participation.Supporter{}); got.Comments != 3 {
		t.Fatalf("comments after restore %d", got.Comments)
	}
	log, total, err := f.s.FindModerationLog(f.official, 10, 0)
	if err != nil || total != 3 || log[0].Action != "restore" || log[2].Action != "hide" || *log[2].ActorName == "" {
		t.Fatalf("log %+v %v", log, err)
	}
	// Hidden items take no reports.
	wantCode(t, f.s.ReportItem(anon, participation.KindIdea, bad.ID, participation.Report{Reason: "x"}), participation.ENOTFOUND)
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

func TestProcessStats(t *testing.T) {
	f := newIdeaFixture(t, true)
	citizen, _ := mustAccount(t, f.s, "citizen@example.fi")
	anon := context.Background()
	i1, _ := f.s.CreateIdea(citizen, f.round.ID, participation.NewIdea{Title: "Yksi idea", Body: "x", Municipality: ptr("Helsinki")}, "fi")
	f.s.CreateIdea(anon, f.round.ID, participation.NewIdea{Title: "Toinen idea", Body: "x", Municipality: ptr("Helsingfors"), RespondentToken: "respondent-token-0001"}, "fi")
	f.s.CreateIdea(anon, f.round.ID, participation.NewIdea{Title: "Kolmas idea", Body: "x", Municipality: ptr("Oulu"), RespondentToken: "respondent-token-0001"}, "fi")
	f.s.CreateComment(citizen, i1.ID, participation.NewComment{Body: "oma kommentti"}, "fi")
	f.s.SupportIdea(anon, i1.ID, participation.Supporter{RespondentToken: "respondent-token-0002"})
	p, err := f.s.FindProcessBySlug(anon, "avoin-hallinto")
	if err != nil {
		t.Fatal(err)
	}
	want := participation.Stats{Participants: 3, Ideas: 3, Comments: 1, Municipalities: 2}
	if got := *p.Stats; got.Participants != want.Participants || got.Ideas != want.Ideas || got.Comments != want.Comments || got.Municipalities != want.Municipalities {
		t.Fatalf("stats %+v, want %+v", got, want)
	}
}
