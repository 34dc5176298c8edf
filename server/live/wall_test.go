package live_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/server/live"
)

// FindWalls gives workshop 1 a wall of one collection with f.wall's
// proposals, once it has any.
func (f *fakeSource) FindWalls(ctx context.Context, workshopIDs []int64) ([]*participation.Wall, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.wall) == 0 || len(workshopIDs) == 0 {
		return nil, nil
	}
	c := &participation.Collection{ID: 7, WorkshopID: 1, Title: "Julkisuus", Status: participation.CollectionOpen}
	for i, body := range f.wall {
		c.Proposals = append(c.Proposals, &participation.Proposal{ID: int64(i + 1), CollectionID: 7, WorkshopID: 1, Body: body})
	}
	return []*participation.Wall{{WorkshopID: 1, Collections: []*participation.Collection{c}}}, nil
}

// readWall subscribes anew and returns the proposals of the first wall frame.
func readWall(t *testing.T, url string, within time.Duration) []string {
	t.Helper()
	c := dial(t, url)
	return nextWall(t, c, within)
}

func TestWallFrames(t *testing.T) {
	src := newFakeSource()
	h := live.New(src, live.Options{Interval: 10 * time.Millisecond})
	defer closeHub(t, h)
	url := serve(t, h)
	c := dial(t, url)
	// Two tallies first; no wall while there is none.
	for range 2 {
		if f := read(t, c, 2*time.Second); f.Type != "tally" {
			t.Fatalf("first frames: got %q, want tallies", f.Type)
		}
	}
	src.mu.Lock()
	src.wall = []string{"Avoin data kaikille"}
	src.mu.Unlock()
	h.Notify(&participation.PollChange{WorkshopID: 1, Wall: true})
	if got := nextWall(t, c, 2*time.Second); len(got) != 1 || got[0] != "Avoin data kaikille" {
		t.Fatalf("wall after a change = %q", got)
	}
	// A tally change sends no wall; a new subscriber gets the wall with the tallies.
	if got := readWall(t, url, 2*time.Second); len(got) != 1 {
		t.Fatalf("new subscriber's wall = %q", got)
	}
}

// nextWall reads c's frames until a wall frame and returns its proposals' bodies.
func nextWall(t *testing.T, c interface {
	SetReadDeadline(time.Time) error
	ReadJSON(any) error
}, within time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		c.SetReadDeadline(deadline)
		var f struct {
			Type        string `json:"type"`
			Collections []struct {
				Proposals []struct {
					Body string `json:"body"`
				} `json:"proposals"`
			} `json:"collections"`
		}
		if err := c.ReadJSON(&f); err != nil {
			t.Fatalf("no wall frame within %v: %v", within, err)
		}
		if f.Type != "wall" {
			continue
		}
		var out []string
		for _, col := range f.Collections {
			for _, p := range col.Proposals {
				out = append(out, p.Body)
			}
		}
		return out
	}
}
