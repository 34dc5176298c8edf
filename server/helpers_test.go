package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"osallistu/participation"
)

// The API's objects as the tests read them: only the fields some test
// looks at, each of which decode requires to be present.

// accountJSON is an account.
type accountJSON struct {
	ID           int64    `json:"id"`
	Email        string   `json:"email"`
	Name         string   `json:"name"`
	Roles        []string `json:"roles"`
	Municipality *string  `json:"municipality"`
	// EmailConfirmed says the owner opened a link sent to the address.
	EmailConfirmed bool `json:"email_confirmed"`
}

// processJSON is a process with its steps and stats.
type processJSON struct {
	Slug  string     `json:"slug"`
	Title string     `json:"title"`
	Steps []stepJSON `json:"steps"`
	Stats statsJSON  `json:"stats"`
}

// stepJSON is one of a process's steps.
type stepJSON struct {
	Kind     string  `json:"kind"`
	OpensAt  *string `json:"opens_at"`
	ClosesAt *string `json:"closes_at"`
	Status   string  `json:"status"`
}

// statsJSON is a process's participation figures.
type statsJSON struct {
	Participants    int `json:"participants"`
	Ideas           int `json:"ideas"`
	Comments        int `json:"comments"`
	Ballots         int `json:"ballots"`
	SurveyResponses int `json:"survey_responses"`
	Statements      int `json:"statements"`
	Municipalities  int `json:"municipalities"`
}

// ideaRoundJSON is an idea round.
type ideaRoundJSON struct {
	ID             int64  `json:"id"`
	Status         string `json:"status"`
	AllowAnonymous bool   `json:"allow_anonymous"`
}

// ideaJSON is an idea.
type ideaJSON struct {
	ID           int64   `json:"id"`
	RoundID      int64   `json:"round_id"`
	Title        string  `json:"title"`
	Body         string  `json:"body"`
	AuthorName   *string `json:"author_name"`
	Municipality *string `json:"municipality"`
	ThemeID      *int64  `json:"theme_id"`
	Supports     int     `json:"supports"`
	Comments     int     `json:"comments"`
	CreatedAt    string  `json:"created_at"`
	// SignedInSupports are the supports of accounts only.
	SignedInSupports int `json:"signed_in_supports"`
}

// themeJSON is a theme of an idea round.
type themeJSON struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	IdeaCount int    `json:"idea_count"`
}

// commentJSON is a comment on an idea, or a hidden one's place.
type commentJSON struct {
	ID           int64   `json:"id"`
	Body         *string `json:"body"`
	AuthorName   *string `json:"author_name"`
	Hidden       bool    `json:"hidden"`
	HiddenReason *string `json:"hidden_reason"`
}

// openRound creates a process ("avoin") with an open idea round through the
// API and returns the official's token and the round id.
func openRound(t *testing.T, ts *testServer, anonymous bool) (string, string) {
	t.Helper()
	official, _ := ts.signUp("official@example.fi", "official")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin", "description": ""}, official).want(t, 201)
	now := time.Now().UTC()
	r := decode[ideaRoundJSON](t, ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{
		"title": "Ennakkotehtävä", "description": "Kerro ideasi", "opens_at": now.Add(-time.Hour), "closes_at": now.Add(time.Hour), "allow_anonymous": anonymous,
	}, official).want(t, 201))
	if r.Status != "open" || r.AllowAnonymous != anonymous {
		t.Fatalf("round %+v", r)
	}
	return official, itoa(r.ID)
}

// postIdea sends an idea to the round and returns it.
func postIdea(t *testing.T, ts *testServer, round string, idea map[string]any, token string) ideaJSON {
	t.Helper()
	return decode[ideaJSON](t, ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", idea, token).want(t, 201))
}

// ideaFixture is a process with an idea round open for anyone, made by an
// official through the store.
type ideaFixture struct {
	official    string // the official's session token
	officialCtx context.Context
	round       *participation.IdeaRound
	path        string // the round page
	slug        string
}

func newIdeaFixture(t *testing.T, ts *testServer) *ideaFixture {
	t.Helper()
	token, acc := ts.signUp("official@example.fi", "official")
	ctx := participation.NewContextWithAccount(context.Background(), acc)
	p, err := ts.store.CreateProcess(ctx, participation.NewProcess{Slug: "avoin-hallinto", Title: "Avoin hallinto", Description: "Toimintaohjelma"})
	if err != nil {
		t.Fatal(err)
	}
	f := &ideaFixture{official: token, officialCtx: ctx, slug: p.Slug}
	f.round = f.newRound(t, ts, "Ideoita toimintaohjelmaan", -time.Hour, 24*time.Hour, true)
	f.path = "/idea-rounds/" + itoa(f.round.ID)
	return f
}

// newRound makes a round of the fixture's process open from now+opens until now+closes.
func (f *ideaFixture) newRound(t *testing.T, ts *testServer, title string, opens, closes time.Duration, anonymous bool) *participation.IdeaRound {
	t.Helper()
	o, c := time.Now().Add(opens), time.Now().Add(closes)
	r, err := ts.store.CreateIdeaRound(f.officialCtx, f.slug, participation.NewIdeaRound{Title: title, Description: "Kerro ideasi.", OpensAt: &o, ClosesAt: &c, AllowAnonymous: anonymous})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// idea adds an idea through the store, anonymously.
func (f *ideaFixture) idea(t *testing.T, ts *testServer, title, body string) *participation.Idea {
	t.Helper()
	i, err := ts.store.CreateIdea(context.Background(), f.round.ID, participation.NewIdea{Title: title, Body: body}, "fi")
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// countIdeas counts the round's visible ideas in the store.
func countIdeas(t *testing.T, ts *testServer, roundID int64) int {
	t.Helper()
	_, n, err := ts.store.FindIdeas(context.Background(), participation.IdeaFilter{RoundID: roundID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// workshopJSON is a workshop.
type workshopJSON struct {
	ID              int64             `json:"id"`
	Title           string            `json:"title"`
	JoinCode        *string           `json:"join_code"`
	ShowResultsLive bool              `json:"show_results_live"`
	Polls           []json.RawMessage `json:"polls"`
}

// pollJSON is a workshop's poll.
type pollJSON struct {
	ID         int64        `json:"id"`
	WorkshopID int64        `json:"workshop_id"`
	MaxChoices int          `json:"max_choices"`
	Status     string       `json:"status"`
	Options    []optionJSON `json:"options"`
}

// optionJSON is a poll's option.
type optionJSON struct {
	ID      int64  `json:"id"`
	Label   string `json:"label"`
	ThemeID *int64 `json:"theme_id"`
}

// joinJSON is the answer to joining a workshop.
type joinJSON struct {
	ParticipantToken string `json:"participant_token"`
	WorkshopID       int64  `json:"workshop_id"`
}

// tallyJSON is a poll's tally.
type tallyJSON struct {
	PollID  int64  `json:"poll_id"`
	Status  string `json:"status"`
	Ballots int    `json:"ballots"`
	Options []struct {
		optionJSON
		Votes int `json:"votes"`
	} `json:"options"`
}

// workshopSetup is a process with a workshop, an official's token and the
// workshop's id and join code.
type workshopSetup struct {
	ts       *testServer
	official string
	id       int64
	code     string
}

func newWorkshopSetup(t *testing.T, ts *testServer) *workshopSetup {
	t.Helper()
	official, _ := ts.signUp(fmt.Sprintf("official-%d@example.fi", time.Now().UnixNano()), "official")
	slug := fmt.Sprintf("avoin-%d", time.Now().UnixNano()%1e9)
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": slug, "title": "Avoin hallinto", "description": ""}, official).want(t, 201)
	w := decode[workshopJSON](t, ts.do("POST", "/api/v1/processes/"+slug+"/workshops", map[string]any{"title": "Työpaja", "starts_at": "2017-03-01T09:00:00Z"}, official).want(t, 201))
	if w.JoinCode == nil {
		t.Fatalf("workshop %+v without a join code", w)
	}
	return &workshopSetup{ts: ts, official: official, id: w.ID, code: *w.JoinCode}
}

// poll creates a poll with typed options and returns its id and option ids.
func (ws *workshopSetup) poll(t *testing.T, maxChoices int, labels ...string) (int64, []int64) {
	t.Helper()
	var opts []map[string]any
	for _, l := range labels {
		opts = append(opts, map[string]any{"label": l})
	}
	p := decode[pollJSON](t, ws.ts.do("POST", fmt.Sprintf("/api/v1/workshops/%d/polls", ws.id), map[string]any{"question": "Q?", "max_choices": maxChoices, "options": opts}, ws.official).want(t, 201))
	var ids []int64
	for _, o := range p.Options {
		ids = append(ids, o.ID)
	}
	return p.ID, ids
}

// join joins the workshop and returns the participant token.
func (ws *workshopSetup) join(t testing.TB) string {
	t.Helper()
	return decode[joinJSON](t, ws.ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": strings.ToLower(ws.code)}, "").want(t, 201)).ParticipantToken
}

// vote puts the participant's ballot in the poll.
func (ws *workshopSetup) vote(poll int64, token string, ids ...int64) response {
	return ws.ts.do("PUT", fmt.Sprintf("/api/v1/polls/%d/ballot", poll), map[string]any{"option_ids": ids}, "", "X-Participant-Token", token)
}

// processSlug finds the slug of the workshop's process.
func (ws *workshopSetup) processSlug(t *testing.T) string {
	t.Helper()
	w, err := ws.ts.store.FindWorkshop(context.Background(), ws.id)
	if err != nil {
		t.Fatal(err)
	}
	return w.ProcessSlug
}

// sourceRefJSON is an idea or theme a commitment names as its source.
type sourceRefJSON struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// milestoneJSON is a commitment's milestone.
type milestoneJSON struct {
	ID     int64   `json:"id"`
	Title  string  `json:"title"`
	Due    string  `json:"due"`
	Status string  `json:"status"`
	Note   *string `json:"note"`
}

// commitmentJSON is a commitment.
type commitmentJSON struct {
	ID       int64   `json:"id"`
	Status   string  `json:"status"`
	Version  int     `json:"version"`
	Title    string  `json:"title"`
	Problem  string  `json:"problem"`
	StartsOn *string `json:"starts_on"`
	Sources  struct {
		Ideas  []sourceRefJSON `json:"ideas"`
		Themes []sourceRefJSON `json:"themes"`
	} `json:"sources"`
	Milestones    []milestoneJSON   `json:"milestones"`
	MergedFrom    []int64           `json:"merged_from"`
	MergedInto    *int64            `json:"merged_into"`
	Statements    []json.RawMessage `json:"statements"`
	SurveyResults []json.RawMessage `json:"survey_results"`
}

// commitmentWorld is a process ("avoin", from openRound) with ideas in
// themes and a closed workshop poll over the themes.
type commitmentWorld struct {
	ts       *testServer
	official string // bearer tokens
	citizen  string
	round    string
	ideas    []int64 // ideas[0], ideas[1] in themes[0]; ideas[2] in themes[1]; ideas[3] in none
	themes   []int64 // themes[0] ranks 2 (tied), themes[1] 1, themes[2] 2 (tied), themes[3] 4
}

func newCommitmentWorld(t *testing.T) *commitmentWorld {
	t.Helper()
	ts := newTestServer(t)
	official, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("citizen@example.fi")
	w := &commitmentWorld{ts: ts, official: official, citizen: citizen, round: round}
	for _, title := range []string{"Ymmärrettävyys", "Julkisuus", "Avoin maakunta", "Neljäs teema"} {
		th := decode[themeJSON](t, ts.do("POST", "/api/v1/idea-rounds/"+round+"/themes", map[string]any{"title": title}, official).want(t, 201))
		w.themes = append(w.themes, th.ID)
	}
	for i, title := range []string{"Lasten osallisuus", "Selkeä virkakieli", "Julkisuusperiaate yhtiöihin", "Tubettajat mukaan"} {
		idea := postIdea(t, ts, round, map[string]any{"title": title, "body": "Ehdotus: " + title}, citizen)
		w.ideas = append(w.ideas, idea.ID)
		if i < 3 {
			ts.do("PUT", "/api/v1/ideas/"+itoa(idea.ID)+"/theme", map[string]any{"theme_id": w.themes[i/2]}, official).want(t, 200)
		}
	}
	seedVotes(t, ts, "avoin", w.themes, []int{3, 5, 3, 1})
	return w
}

// seedVotes writes a closed workshop poll over the themes with ballots that
// give theme i votes[i], in plain SQL as the workshop store writes them;
// ballots name up to three options each.
func seedVotes(t *testing.T, ts *testServer, slug string, themes []int64, votes []int) {
	t.Helper()
	db := ts.store.DB()
	code, err := participation.NewJoinCode()
	if err != nil {
		t.Fatal(err)
	}
	var workshop, poll int64
	if err := db.Get(&workshop, `INSERT INTO workshops (process_id, title, starts_at, join_code, created_at)
		SELECT id, 'Avaustilaisuus', now(), $2, now() FROM processes WHERE slug = $1 RETURNING id`, slug, code); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&poll, `INSERT INTO polls (workshop_id, question, max_choices, status, position, opened_at, closed_at, created_at)
		VALUES ($1, 'Tärkeimmät tavoitealueet', 3, 'closed', 1, now(), now(), now()) RETURNING id`, workshop); err != nil {
		t.Fatal(err)
	}
	options := make([]int64, len(themes))
	for i, th := range themes {
		if err := db.Get(&options[i], `INSERT INTO poll_options (poll_id, label, theme_id, position) VALUES ($1, $2, $3, $4) RETURNING id`,
			poll, fmt.Sprint("Teema ", i), th, i); err != nil {
			t.Fatal(err)
		}
	}
	left := slices.Clone(votes)
	for p := 0; ; p++ {
		var ballot []int64
		for i := range left {
			if left[i] > 0 && len(ballot) < 3 {
				ballot = append(ballot, options[i])
				left[i]--
			}
		}
		if len(ballot) == 0 {
			return
		}
		var participant int64
		if err := db.Get(&participant, `INSERT INTO participants (workshop_id, created_at) VALUES ($1, now()) RETURNING id`,
			workshop); err != nil {
			t.Fatal(err)
		}
		db.MustExec(`INSERT INTO ballots (poll_id, participant_id, option_ids, created_at, updated_at) VALUES ($1, $2, $3, now(), now())`,
			poll, participant, pq.Array(ballot))
	}
}

// draftA is commitment A's body: from ideas[0] and themes[0], with two
// milestones.
func (w *commitmentWorld) draftA() map[string]any {
	return map[string]any{
		"title": "Lisätään lasten ja nuorten osallisuutta", "problem": "Lapsia ei kuulla.", "description": "Lasten oikeuksien päivä.",
		"lead_agency": "OM", "source_idea_ids": []int64{w.ideas[0]}, "source_theme_ids": []int64{w.themes[0]},
		"milestones": []map[string]any{{"title": "Lasten oikeuksien päivä", "due": "2017-11-14"}, {"title": "TEAS-selvitys", "due": "2030-06-30"}},
	}
}

// draftB is commitment B's body: from ideas[1] and ideas[3], with one milestone.
func (w *commitmentWorld) draftB() map[string]any {
	return map[string]any{"title": "Haavoittuvat ryhmät", "problem": "Heikoimmat eivät osallistu.",
		"source_idea_ids": []int64{w.ideas[1], w.ideas[3]}, "milestones": []map[string]any{{"title": "Maahanmuuttajatyöpaja", "due": "2018-03-07"}}}
}

// draftC is commitment C's body: from themes[1].
func (w *commitmentWorld) draftC() map[string]any {
	return map[string]any{"title": "Julkisuusperiaate", "source_theme_ids": []int64{w.themes[1]}}
}

// patchA renames commitment A and gives it a start, as version 2.
var patchA = map[string]any{"title": "Lisätään lasten ja nuorten osallisuutta ministeriöissä", "starts_on": "2017-07-01", "change_note": "Lausuntojen pohjalta"}

// draft creates a commitment in the world's process.
func (w *commitmentWorld) draft(t *testing.T, body map[string]any) commitmentJSON {
	t.Helper()
	return decode[commitmentJSON](t, w.ts.do("POST", "/api/v1/processes/avoin/commitments", body, w.official).want(t, 201))
}

// commitmentScenario is the world after TestCommitmentsAPI's steps: A
// drafted, renamed (patchA), given B's sources and milestones by the
// merge and approved (a, as read after); B merged into A; C a draft.
type commitmentScenario struct {
	a, b, c commitmentJSON
}

// scenario makes the world's commitments through the API as
// TestCommitmentsAPI does, for the tests of what comes after.
func (w *commitmentWorld) scenario(t *testing.T) commitmentScenario {
	t.Helper()
	var s commitmentScenario
	s.a, s.b, s.c = w.draft(t, w.draftA()), w.draft(t, w.draftB()), w.draft(t, w.draftC())
	a, b := itoa(s.a.ID), itoa(s.b.ID)
	w.ts.do("PATCH", "/api/v1/commitments/"+a, patchA, w.official).want(t, 200)
	s.b = decode[commitmentJSON](t, w.ts.do("POST", "/api/v1/commitments/"+b+"/merge", map[string]any{"into_id": s.a.ID, "note": "Yhdistetty lausuntojen pohjalta"}, w.official).want(t, 200))
	s.a = decode[commitmentJSON](t, w.ts.do("POST", "/api/v1/commitments/"+a+"/approve", nil, w.official).want(t, 200))
	if len(s.a.Milestones) != 3 {
		t.Fatalf("A after the merge: %+v", s.a)
	}
	return s
}

// adminContext is a context signed in as an admin account.
func adminContext(t *testing.T, ts *testServer) context.Context {
	t.Helper()
	a, err := ts.store.EnsureAdmin(context.Background(), "admin@example.fi", "admin-password-1", "Admin")
	if err != nil {
		t.Fatal(err)
	}
	return participation.NewContextWithAccount(context.Background(), a)
}

// officialCtx is a context signed in as the fixtures' official.
func officialCtx(t *testing.T, ts *testServer) context.Context {
	t.Helper()
	sess, err := ts.store.CreateSession(context.Background(), "official@example.fi", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	return participation.NewContextWithAccount(context.Background(), sess.Account)
}

// mustID parses a decimal id.
func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return id
}
