package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

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
