package server_test

import (
	"fmt"
	"slices"
	"testing"
)

// TestTraceAPI follows ideas to what became of them: their theme, its
// rank in the workshop vote, the commitments they fed and their milestones.
func TestTraceAPI(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts := w.ts
	w.scenario(t)
	type tracePoll struct {
		Votes int `json:"votes"`
		Rank  int `json:"rank"`
	}
	type traceJSON struct {
		Theme *sourceRefJSON `json:"theme"`
		Polls []tracePoll    `json:"polls"`
		// Every commitment with the fields in the path below; merged_into
		// is present as the id or null.
		Commitments []struct {
			Title      string `json:"title"`
			Status     string `json:"status"`
			Via        string `json:"via"`
			MergedInto *int64 `json:"merged_into"`
		} `json:"commitments"`
		Milestones []object `json:"milestones"`
	}
	trace := func(t *testing.T, idea int64) (traceJSON, object) {
		t.Helper()
		r := ts.do("GET", "/api/v1/ideas/"+itoa(idea)+"/trace", nil, "").want(t, 200)
		return decode[traceJSON](t, r), decode[object](t, r)
	}

	t.Run("an idea that fed B directly, which ended in A", func(t *testing.T) {
		tr, raw := trace(t, w.ideas[1])
		raw.has(t, "trace", "idea", "theme", "polls", "commitments", "milestones")
		if tr.Theme == nil || tr.Theme.ID != w.themes[0] {
			t.Errorf("theme %s", raw["theme"])
		}
		var polls []object
		decodeInto(t, raw["polls"], &polls)
		if len(tr.Polls) != 1 || len(polls) != 1 {
			t.Fatalf("polls %s", raw["polls"])
		}
		polls[0].has(t, "poll", "poll_id", "question", "option_id", "votes", "rank")
		if p := tr.Polls[0]; p.Votes != 3 || p.Rank != 2 {
			t.Errorf("poll %+v", p)
		}
		var commitments []object
		decodeInto(t, raw["commitments"], &commitments)
		var path []string
		for i, c := range tr.Commitments {
			commitments[i].has(t, "trace commitment", "id", "title", "status", "via", "merged_into")
			path = append(path, fmt.Sprint(c.Title, " ", c.Status, " ", c.Via, " ", c.MergedInto != nil))
		}
		// B fed it directly and was merged into A; A has B's sources now and
		// A's own theme is the idea's theme too.
		want := []string{"Lisätään lasten ja nuorten osallisuutta ministeriöissä approved idea false", "Haavoittuvat ryhmät merged idea true"}
		if !slices.Equal(path, want) {
			t.Errorf("trace commitments\n got %v\nwant %v", path, want)
		}
		if len(tr.Milestones) != 3 {
			t.Fatalf("trace milestones %s", raw["milestones"])
		}
		tr.Milestones[0].has(t, "trace milestone", "id", "commitment_id", "title", "due", "status")
	})
	t.Run("ranks with ties share: theme 1 first, themes 0 and 2 second, theme 3 fourth", func(t *testing.T) {
		if tr, raw := trace(t, w.ideas[2]); len(tr.Polls) == 0 || tr.Polls[0].Rank != 1 || tr.Polls[0].Votes != 5 {
			t.Errorf("rank %s", raw["polls"])
		}
	})
	t.Run("an idea without a theme", func(t *testing.T) {
		if tr, raw := trace(t, w.ideas[3]); !raw.isNull("theme") || len(raw.array(t, "polls")) != 0 {
			t.Errorf("trace without theme %+v", tr)
		}
	})
	t.Run("an unknown idea", func(t *testing.T) {
		ts.do("GET", "/api/v1/ideas/999999/trace", nil, "").want(t, 404)
	})
}
