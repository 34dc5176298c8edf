package live

// The idea wall's frames (participation/proposal.go): a workshop's wall
// travels the tallies' path (NOTIFY → listener → Notify → recount), as one
// {"type": "wall", ...} frame with the whole wall, prepared once for every
// audience: hidden proposals are on no one's wall.

import (
	"context"

	"github.com/gorilla/websocket"

	"osallistu/participation"
)

// wallFrame is a workshop's whole wall as everyone sees it.
type wallFrame struct {
	Type string `json:"type"` // "wall"
	*participation.Wall
}

// takeWallsLocked returns the workshops whose walls to load: those that
// changed, and the rooms loaded anew (loading), whose subscribers need the
// wall as well as the tallies.
func (h *Hub) takeWallsLocked(loading []int64) []int64 {
	out := make([]int64, 0, len(h.dirtyWalls)+len(loading))
	for wid := range h.dirtyWalls {
		if h.rooms[wid] != nil {
			out = append(out, wid)
		}
	}
	for _, wid := range loading {
		if !h.dirtyWalls[wid] {
			out = append(out, wid)
		}
	}
	h.dirtyWalls = map[int64]bool{}
	return out
}

// loadWalls reads the walls of workshopIDs and prepares their frames; a
// workshop without collections has no wall and gets no frame.
func (h *Hub) loadWalls(ctx context.Context, workshopIDs []int64) (map[int64]*websocket.PreparedMessage, error) {
	walls, err := h.src.FindWalls(ctx, workshopIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*websocket.PreparedMessage, len(walls))
	for _, w := range walls {
		if pm := h.prepare(wallFrame{Type: "wall", Wall: w}); pm != nil {
			out[w.WorkshopID] = pm
		}
	}
	return out, nil
}
