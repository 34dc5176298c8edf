package server_test

import (
	"fmt"
	"strings"
	"testing"
)

// reachWorld is a process ("avoin") reached through ideas and a workshop
// from known municipalities, with a hidden idea and a draft process beside
// it; the official's token.
func reachWorld(t *testing.T, ts *testServer) string {
	t.Helper()
	official, round := openRound(t, ts, true)
	citizen, _ := ts.signUp("oulu@example.fi")
	postIdea(t, ts, round, map[string]any{"title": "Avoin data", "body": "Kaikki data avoimeksi.", "municipality": "Oulu"}, citizen)
	anonymous := issueRespondent(t, ts)
	ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Selkokieli", "body": "Selkeämpää kieltä.", "municipality": "Vanda"},
		"", "X-Respondent-Token", anonymous).want(t, 201)
	spam, _ := ts.signUp("spam@example.fi")
	hidden := postIdea(t, ts, round, map[string]any{"title": "Mainos", "body": "Osta tästä.", "municipality": "Rovaniemi"}, spam)
	ts.do("POST", fmt.Sprintf("/api/v1/ideas/%d/hide", hidden.ID), map[string]any{"reason": "Mainos"}, official).want(t, 200)
	w := decode[workshopJSON](t, ts.do("POST", "/api/v1/processes/avoin/workshops", map[string]any{"title": "Työpaja", "starts_at": "2017-03-01T09:00:00Z"}, official).want(t, 201))
	for _, m := range []string{"Joensuu", "Helsinki"} {
		ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": strings.ToLower(*w.JoinCode), "municipality": m}, "").want(t, 201)
	}
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "luonnos", "title": "Luonnos", "description": "", "status": "draft"}, official).want(t, 201)
	return official
}

// TestReachAPI: the report counts the visible contributions by channel and
// region exactly, with the share outside the capital region; a draft is
// 404 but to its official.
func TestReachAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official := reachWorld(t, ts)
	type channel struct {
		Channel       string `json:"channel"`
		Participants  int    `json:"participants"`
		Contributions int    `json:"contributions"`
	}
	type region struct {
		Code         string `json:"code"`
		Participants int    `json:"participants"`
	}
	r := decode[struct {
		Participants int       `json:"participants"`
		Said         int       `json:"said_municipality"`
		Outside      int       `json:"outside_capital_region"`
		Share        *float64  `json:"outside_capital_region_share"`
		Channels     []channel `json:"channels"`
		Regions      []region  `json:"regions"`
		Steps        []struct {
			Kind         string `json:"kind"`
			Participants int    `json:"participants"`
		} `json:"steps"`
		Months []struct {
			Participants int `json:"participants"`
		} `json:"months"`
		Source string `json:"region_source"`
	}](t, ts.do("GET", "/api/v1/processes/avoin/reach", nil, "").want(t, 200))
	if r.Participants != 4 || r.Said != 4 || r.Outside != 2 || r.Share == nil || *r.Share != 0.5 {
		t.Errorf("participants %d, said %d, outside %d, share %v; want 4, 4, 2, 0.5", r.Participants, r.Said, r.Outside, r.Share)
	}
	channels := map[string]int{}
	for _, c := range r.Channels {
		channels[c.Channel] = c.Participants
	}
	if channels["ideas"] != 2 || channels["workshop"] != 2 || channels["comments"] != 0 || len(channels) != 6 {
		t.Errorf("channels %+v", r.Channels)
	}
	regions := map[string]int{}
	for _, c := range r.Regions {
		regions[c.Code] = c.Participants
	}
	if len(r.Regions) != 19 || regions["01"] != 2 || regions["17"] != 1 || regions["12"] != 1 || regions["19"] != 0 {
		t.Errorf("regions %+v", r.Regions)
	}
	if len(r.Steps) != 2 || r.Steps[0].Participants+r.Steps[1].Participants != 4 || len(r.Months) == 0 || !strings.Contains(r.Source, "2025") {
		t.Errorf("steps %+v, months %+v, source %q", r.Steps, r.Months, r.Source)
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		ts.do("GET", "/api/v1/processes/luonnos/reach", nil, "").want(t, 404).wantCode(t, "not_found")
		ts.do("GET", "/api/v1/processes/ei-ole/reach", nil, "").want(t, 404)
		ts.do("GET", "/api/v1/processes/luonnos/reach", nil, official).want(t, 200)
	})
}
