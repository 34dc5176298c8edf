package live

// The frames the hub sends: each change is encoded once per audience, never
// per subscriber, with the domain's answers for the pages computed once.

import (
	"encoding/json"
	"sort"

	"github.com/gorilla/websocket"

	"osallistu/participation"
)

// frame is one poll's latest tally, prepared once per audience: public and
// officials are the same message where nothing is hidden.
type frame struct {
	pollID            int64
	position          int
	public, officials *websocket.PreparedMessage
}

// msg returns the frame's message for aud.
func (f frame) msg(aud Audience) *websocket.PreparedMessage {
	if aud == Officials {
		return f.officials
	}
	return f.public
}

// tallyFrame is the live frame of API.md: {"type": "tally", ...tally
// fields}, with the domain's answers for the pages, computed once per frame
// so that the page script decides nothing: show_results, whether screens
// that everyone sees show the votes (participation.Tally.ShowsResults), and
// current, whether this is the poll a projector shows
// (participation.CurrentPoll).
type tallyFrame struct {
	Type string `json:"type"`
	*participation.Tally
	ShowResults bool `json:"show_results"`
	Current     bool `json:"current"`
}

// participantsFrame tells officials how many have joined the workshop.
type participantsFrame struct {
	Type       string `json:"type"` // "participants"
	WorkshopID int64  `json:"workshop_id"`
	Count      int    `json:"count"`
}

// prepareTallies takes new tallies into their rooms (loaded: the
// workshops counted whole) and prepares the frames to send, by workshop:
// each new tally's, or, when the current poll changed, every poll's, as
// each frame says whether it is the current one.
func (h *Hub) prepareTallies(rooms map[int64]*room, loaded []int64, tallies []*participation.Tally) map[int64][]frame {
	changed := make(map[int64][]int64, 1) // workshop → its new polls
	for _, wid := range loaded {
		if r := rooms[wid]; r != nil {
			r.tallies = map[int64]*participation.Tally{}
		}
	}
	for _, t := range tallies {
		r := rooms[t.WorkshopID]
		if r == nil {
			continue
		}
		if r.tallies == nil {
			r.tallies = map[int64]*participation.Tally{}
		}
		r.tallies[t.PollID] = t
		changed[t.WorkshopID] = append(changed[t.WorkshopID], t.PollID)
	}
	out := make(map[int64][]frame, len(changed))
	for wid, pids := range changed {
		r := rooms[wid]
		all := make([]*participation.Tally, 0, len(r.tallies))
		for _, t := range r.tallies {
			all = append(all, t)
		}
		sort.Slice(all, func(i, j int) bool { return all[i].Position < all[j].Position })
		var current int64
		if i := participation.CurrentPoll(all); i >= 0 {
			current = all[i].PollID
		}
		if current != r.current {
			r.current = current
			pids = pids[:0]
			for _, t := range all {
				pids = append(pids, t.PollID)
			}
		}
		for _, pid := range pids {
			if fr, ok := h.prepareTally(r.tallies[pid], pid == current); ok {
				out[wid] = append(out[wid], fr)
			}
		}
	}
	return out
}

// prepareTally encodes a poll's frame for each audience: one message for
// both where the public may see the votes, else the public's with them
// hidden (participation.Tally.HidesVotesFrom).
func (h *Hub) prepareTally(t *participation.Tally, current bool) (frame, bool) {
	show := t.ShowsResults()
	fr := frame{pollID: t.PollID, position: t.Position}
	fr.officials = h.prepare(tallyFrame{Type: "tally", Tally: t, ShowResults: show, Current: current})
	fr.public = fr.officials
	if t.HidesVotesFrom(nil) {
		fr.public = h.prepare(tallyFrame{Type: "tally", Tally: t.Hidden(), ShowResults: show, Current: current})
	}
	return fr, fr.officials != nil && fr.public != nil
}

// prepare encodes v as a prepared text message, or logs why it cannot.
func (h *Hub) prepare(v any) *websocket.PreparedMessage {
	data, err := json.Marshal(v)
	if err != nil {
		h.opt.Logger.Error("live: encode frame", "err", err)
		return nil
	}
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, data)
	if err != nil {
		h.opt.Logger.Error("live: prepare frame", "err", err)
		return nil
	}
	return pm
}
