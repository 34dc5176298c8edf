package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestBallotAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	poll, opts := ws.poll(t, 2, "A", "B", "C")
	other := newWorkshopSetup(t, ts)
	_, otherOpts := other.poll(t, 1, "X", "Y")
	token := decode[joinJSON](t, ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": strings.ToLower(ws.code), "name": "Aino", "municipality": "Tampere"}, "").want(t, 201)).ParticipantToken
	stranger := other.join(t)
	ballot := fmt.Sprintf("/api/v1/polls/%d/ballot", poll)
	first := map[string]any{"option_ids": []int64{opts[0]}}

	// Who first, then the poll's state, then the content.
	t.Run("who", func(t *testing.T) {
		ts.checkStatuses(t, []statusCase{
			{name: "no participant", method: "PUT", path: ballot, body: first, status: 401},
			{name: "an unknown participant", method: "PUT", path: ballot, body: first, headers: []string{"X-Participant-Token", "nobody"}, status: 401},
			{name: "another workshop's participant", method: "PUT", path: ballot, body: first, headers: []string{"X-Participant-Token", stranger}, status: 403},
			{name: "an unknown poll", method: "PUT", path: "/api/v1/polls/9999/ballot", body: first, headers: []string{"X-Participant-Token", token}, status: 404},
		})
	})
	t.Run("the poll's state: closed whatever the ballot holds", func(t *testing.T) {
		ws.vote(poll, token, opts[0]).want(t, 409).wantCode(t, "closed")
		ws.vote(poll, token, 1, 1, 1, 1).want(t, 409)
		ts.do("PUT", ballot, `{"option_ids": `, "", "X-Participant-Token", token).want(t, 409) // even if it is not JSON
	})
	mustRun(t, "official opens the poll", func(t *testing.T) {
		ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	})
	t.Run("the content", func(t *testing.T) {
		ts.do("PUT", ballot, `{"option_ids": "A"}`, "", "X-Participant-Token", token).want(t, 400)
		ts.do("PUT", ballot, `not json`, "", "X-Participant-Token", token).want(t, 400)
		for _, c := range []struct {
			name string
			ids  []int64
		}{
			{"none", []int64{}},
			{"more than max_choices", []int64{opts[0], opts[1], opts[2]}},
			{"duplicates", []int64{opts[0], opts[0]}},
			{"another poll's option", []int64{opts[0], otherOpts[0]}},
		} {
			t.Run(c.name, func(t *testing.T) {
				ws.vote(poll, token, c.ids...).want(t, 422).wantCode(t, "invalid").wantFields(t, "option_ids")
			})
		}
	})
	t.Run("a ballot, and a later one replaces it", func(t *testing.T) {
		r := ws.vote(poll, token, opts[0], opts[1]).want(t, 200)
		got := decode[struct {
			PollID    int64   `json:"poll_id"`
			OptionIDs []int64 `json:"option_ids"`
		}](t, r)
		if got.PollID != poll || !slices.Equal(got.OptionIDs, []int64{opts[0], opts[1]}) {
			t.Errorf("ballot %s", r.body)
		}
		ws.vote(poll, token, opts[2]).want(t, 200)
	})
	t.Run("closed again", func(t *testing.T) {
		ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/close", poll), nil, ws.official).want(t, 200)
		ws.vote(poll, token, opts[0]).want(t, 409)
	})
	t.Run("the standing ballot counts in the process's stats", func(t *testing.T) {
		p := decode[processJSON](t, ts.do("GET", "/api/v1/processes/"+ws.processSlug(t), nil, "").want(t, 200))
		if s := p.Stats; s.Ballots != 1 || s.Participants != 1 || s.Municipalities != 1 {
			t.Errorf("stats %+v", s)
		}
	})
}
