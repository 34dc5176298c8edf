package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"osallistu/participation/postgres/pgtest"
)

// proposalJSON is a proposal as the API gives it.
type proposalJSON struct {
	ID           int64   `json:"id"`
	CollectionID int64   `json:"collection_id"`
	Body         string  `json:"body"`
	Supports     int     `json:"supports"`
	HiddenReason *string `json:"hidden_reason"`
	CommitmentID *int64  `json:"commitment_id"`
	SurveyItemID *int64  `json:"survey_item_id"`
}

// wallJSON is a workshop's wall as the API gives it.
type wallJSON struct {
	WorkshopID  int64 `json:"workshop_id"`
	Collections []struct {
		ID        int64          `json:"id"`
		Title     string         `json:"title"`
		Status    string         `json:"status"`
		Proposals []proposalJSON `json:"proposals"`
	} `json:"collections"`
}

// collection opens a collection titled title in the workshop and returns its id.
func (ws *workshopSetup) collection(t *testing.T, title string) int64 {
	t.Helper()
	return decode[struct {
		ID int64 `json:"id"`
	}](t, ws.ts.do("POST", fmt.Sprintf("/api/v1/workshops/%d/collections", ws.id), map[string]any{"title": title}, ws.official).want(t, 201)).ID
}

// propose sends a proposal as the participant of token.
func (ws *workshopSetup) propose(collection int64, token, body string) response {
	return ws.ts.do("POST", fmt.Sprintf("/api/v1/collections/%d/proposals", collection), map[string]any{"body": body}, "", "X-Participant-Token", token)
}

// wall returns the workshop's wall as the holder of bearer sees it.
func (ws *workshopSetup) wall(t *testing.T, bearer string) wallJSON {
	t.Helper()
	return decode[wallJSON](t, ws.ts.do("GET", fmt.Sprintf("/api/v1/workshops/%d/wall", ws.id), nil, bearer).want(t, 200))
}

func TestProposalAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	other := newWorkshopSetup(t, ts)
	citizen, _ := ts.signUp("wall-citizen@example.fi")
	aino, eero, stranger := ws.join(t), ws.join(t), other.join(t)
	col := ws.collection(t, "Julkisuus")
	proposals := fmt.Sprintf("/api/v1/collections/%d/proposals", col)
	body := map[string]any{"body": "Avoin data kaikille"}

	t.Run("who opens a collection", func(t *testing.T) {
		ts.checkStatuses(t, []statusCase{
			{name: "anonymous", method: "POST", path: fmt.Sprintf("/api/v1/workshops/%d/collections", ws.id), body: map[string]any{"title": "X"}, status: 401},
			{name: "a citizen", method: "POST", path: fmt.Sprintf("/api/v1/workshops/%d/collections", ws.id), body: map[string]any{"title": "X"}, token: citizen, status: 403},
			{name: "no title nor theme", method: "POST", path: fmt.Sprintf("/api/v1/workshops/%d/collections", ws.id), body: map[string]any{}, token: ws.official, status: 422},
			{name: "a theme of no process of it", method: "POST", path: fmt.Sprintf("/api/v1/workshops/%d/collections", ws.id), body: map[string]any{"theme_id": 999999}, token: ws.official, status: 422},
		})
	})
	t.Run("who sends a proposal", func(t *testing.T) {
		ts.checkStatuses(t, []statusCase{
			{name: "no participant", method: "POST", path: proposals, body: body, status: 401},
			{name: "an unknown participant", method: "POST", path: proposals, body: body, headers: []string{"X-Participant-Token", "nobody"}, status: 401},
			{name: "another workshop's participant", method: "POST", path: proposals, body: body, headers: []string{"X-Participant-Token", stranger}, status: 403},
			{name: "an unknown collection", method: "POST", path: "/api/v1/collections/999999/proposals", body: body, headers: []string{"X-Participant-Token", aino}, status: 404},
			{name: "empty", method: "POST", path: proposals, body: map[string]any{"body": "  "}, headers: []string{"X-Participant-Token", aino}, status: 422},
			{name: "too long", method: "POST", path: proposals, body: map[string]any{"body": strings.Repeat("a", 281)}, headers: []string{"X-Participant-Token", aino}, status: 422},
			{name: "not JSON", method: "POST", path: proposals, body: `{"body": `, headers: []string{"X-Participant-Token", aino}, status: 400},
		})
		if got := ws.wall(t, ""); len(got.Collections) != 1 || len(got.Collections[0].Proposals) != 0 {
			t.Errorf("rejected proposals stored: %+v", got)
		}
	})
	var first proposalJSON
	t.Run("a proposal and its supports, one each", func(t *testing.T) {
		first = decode[proposalJSON](t, ws.propose(col, aino, "  Avoin data kaikille ").want(t, 201))
		if first.Body != "Avoin data kaikille" || first.Supports != 0 {
			t.Fatalf("proposal %+v", first)
		}
		support := fmt.Sprintf("/api/v1/proposals/%d/supports", first.ID)
		for range 2 {
			got := decode[proposalJSON](t, ts.do("POST", support, nil, "", "X-Participant-Token", eero).want(t, 200))
			if got.Supports != 1 {
				t.Errorf("supports after one participant's support = %d, want 1", got.Supports)
			}
		}
		ts.do("POST", support, nil, "", "X-Participant-Token", stranger).want(t, 403)
		ts.do("POST", support, nil, "").want(t, 401)
		w := ws.wall(t, "")
		if len(w.Collections) != 1 || w.Collections[0].Title != "Julkisuus" || len(w.Collections[0].Proposals) != 1 || w.Collections[0].Proposals[0].Supports != 1 {
			t.Errorf("wall %+v", w)
		}
	})
	t.Run("the pace: five a minute", func(t *testing.T) {
		pace := ws.join(t)
		for i := range 5 {
			ws.propose(col, pace, fmt.Sprintf("Ehdotus %d", i)).want(t, 201)
		}
		ws.propose(col, pace, "Kuudes").want(t, 429).wantCode(t, "rate_limited")
	})
	t.Run("hidden at once, kept for officials with the reason", func(t *testing.T) {
		hide := fmt.Sprintf("/api/v1/proposals/%d/hide", first.ID)
		ts.do("POST", hide, map[string]any{"reason": "Asiaton"}, citizen).want(t, 403)
		ts.do("POST", hide, map[string]any{"reason": ""}, ws.official).want(t, 422)
		ts.do("POST", hide, map[string]any{"reason": "Asiaton"}, ws.official).want(t, 200)
		for _, p := range ws.wall(t, "").Collections[0].Proposals {
			if p.ID == first.ID {
				t.Errorf("hidden proposal on the public wall: %+v", p)
			}
		}
		found := false
		for _, p := range ws.wall(t, ws.official).Collections[0].Proposals {
			found = found || p.ID == first.ID && p.HiddenReason != nil && *p.HiddenReason == "Asiaton"
		}
		if !found {
			t.Error("the official's wall lacks the hidden proposal with its reason")
		}
		ts.do("POST", fmt.Sprintf("/api/v1/proposals/%d/supports", first.ID), nil, "", "X-Participant-Token", aino).want(t, 404)
		ts.do("POST", fmt.Sprintf("/api/v1/proposals/%d/draft-commitment", first.ID), nil, ws.official).want(t, 409)
	})
	t.Run("taken to a draft commitment and to a survey item", func(t *testing.T) {
		p := decode[proposalJSON](t, ws.propose(col, eero, "Julkisuusperiaate näkyväksi").want(t, 201))
		to := fmt.Sprintf("/api/v1/proposals/%d/draft-commitment", p.ID)
		ts.do("POST", to, nil, citizen).want(t, 403)
		got := decode[proposalJSON](t, ts.do("POST", to, nil, ws.official).want(t, 200))
		if got.CommitmentID == nil {
			t.Fatalf("no commitment: %+v", got)
		}
		c := ts.do("GET", fmt.Sprintf("/api/v1/commitments/%d", *got.CommitmentID), nil, ws.official).want(t, 200)
		if !strings.Contains(string(c.body), "Julkisuusperiaate näkyväksi") {
			t.Errorf("commitment %s", c.body)
		}
		ts.do("POST", to, nil, ws.official).want(t, 409)

		survey := decode[struct {
			Questions []struct {
				ID int64 `json:"id"`
			} `json:"questions"`
		}](t, ts.do("POST", "/api/v1/processes/"+ws.processSlug(t)+"/surveys", map[string]any{
			"title": "ZEF", "description": "", "anonymous": true, "questions": []map[string]any{
				{"kind": "text", "prompt": "Muuta?"},
				{"kind": "grid2d", "prompt": "Arvioi", "items": []map[string]any{{"label": "Ensimmäinen"}},
					"x": map[string]any{"label": "Tärkeys", "min": 1, "max": 5}, "y": map[string]any{"label": "Toteutettavuus", "min": 1, "max": 5}},
			}}, ws.official).want(t, 201))
		item := fmt.Sprintf("/api/v1/proposals/%d/to-survey-item", p.ID)
		ts.do("POST", item, map[string]any{"question_id": survey.Questions[0].ID}, ws.official).want(t, 422)
		got = decode[proposalJSON](t, ts.do("POST", item, map[string]any{"question_id": survey.Questions[1].ID}, ws.official).want(t, 200))
		if got.SurveyItemID == nil {
			t.Fatalf("no survey item: %+v", got)
		}
		ts.do("POST", item, map[string]any{"question_id": survey.Questions[1].ID}, ws.official).want(t, 409)
	})
	t.Run("closed: no proposals, no supports", func(t *testing.T) {
		p := decode[proposalJSON](t, ws.propose(col, aino, "Viimeinen").want(t, 201))
		ts.do("POST", fmt.Sprintf("/api/v1/collections/%d/close", col), nil, ws.official).want(t, 200)
		ws.propose(col, aino, "Liian myöhään").want(t, 409).wantCode(t, "closed")
		ts.do("POST", fmt.Sprintf("/api/v1/proposals/%d/supports", p.ID), nil, "", "X-Participant-Token", eero).want(t, 409)
	})
}

// TestWorkshopIdeaWallTwoInstances: the wall's frames reach the
// subscribers of every instance that shares the database: a proposal sent
// through one appears on a projector following the other, with its
// supports, and leaves it when it is hidden.
func TestWorkshopIdeaWallTwoInstances(t *testing.T) {
	t.Parallel()
	url := pgtest.NewURL(t)
	a, b := newTestServerOn(t, url), newTestServerOn(t, url)
	baseB := b.listen()
	ws := newWorkshopSetup(t, a)
	col := ws.collection(t, "Julkisuus")
	onB := dialLive(t, baseB, ws.id)
	readUntil(t, onB, 2*time.Second, func(f liveFrame) bool { return f.Type == "wall" })
	p := decode[proposalJSON](t, ws.propose(col, ws.join(t), "Avoin data").want(t, 201))
	readUntil(t, onB, 2*time.Second, func(f liveFrame) bool { return f.Type == "wall" && slices.Contains(f.wallBodies(), "Avoin data") })
	a.do("POST", fmt.Sprintf("/api/v1/proposals/%d/supports", p.ID), nil, "", "X-Participant-Token", ws.join(t)).want(t, 200)
	readUntil(t, onB, 2*time.Second, func(f liveFrame) bool {
		return f.Type == "wall" && len(f.Collections) == 1 && len(f.Collections[0].Proposals) == 1 && f.Collections[0].Proposals[0].Supports == 1
	})
	a.do("POST", fmt.Sprintf("/api/v1/proposals/%d/hide", p.ID), map[string]any{"reason": "Testi"}, ws.official).want(t, 200)
	readUntil(t, onB, 2*time.Second, func(f liveFrame) bool { return f.Type == "wall" && len(f.wallBodies()) == 0 })
}
