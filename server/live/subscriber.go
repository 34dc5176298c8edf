package live

// The subscribers: one WebSocket connection each, with its writer and its pings.

import (
	"errors"
	"net"
	"time"

	"github.com/gorilla/websocket"
)

// subscriber is one WebSocket connection following a workshop.
type subscriber struct {
	conn       *websocket.Conn
	workshopID int64
	audience   Audience
	queue      chan batch    // closed (under Hub.mu) when the hub ends the subscription
	readDone   chan struct{} // closed when Serve's read loop has ended
	goingAway  bool          // set before queue closes: send a close frame first
	pingPhase  int           // the pingLoop tick (modulo pingPhases) that pings it
	removed    bool          // guarded by Hub.mu
}

// New returns a running hub that counts tallies from src. Feed it changes
// with Run or Notify, and end it with Close.

// Serve follows workshopID on conn for aud until the peer goes away or is
// dropped, or the hub closes: it sends the tally of every poll of the
// workshop, then one after each change (and, to officials, the count of
// participants as they join). Clients send nothing; Serve reads only to
// answer pings and notice the end. It returns when the connection is done
// with, and closes it.
func (h *Hub) Serve(conn *websocket.Conn, workshopID int64, aud Audience) {
	s := &subscriber{
		conn: conn, workshopID: workshopID, audience: aud,
		queue: make(chan batch, h.opt.QueueSize), readDone: make(chan struct{}),
	}
	if !h.subscribe(s) {
		conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, ""), time.Now().Add(time.Second))
		conn.Close()
		return
	}
	defer h.wg.Done() // added by subscribe, for this goroutine
	h.wg.Add(1)
	go h.writeLoop(s)

	conn.SetReadLimit(512)
	conn.SetReadDeadline(time.Now().Add(h.opt.PongWait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(h.opt.PongWait)) })
	for {
		if _, _, err := conn.NextReader(); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				h.remove(s, DropPing)
			} else {
				h.remove(s, "")
			}
			break
		}
	}
	close(s.readDone)
	conn.Close()
}

// subscribe adds s to its workshop's room and queues the room's frames for
// it; a new room is loaded by the flush loop, which sends it the frames.
// Under the lock, so that s gets the frames in order: the room's current
// ones, then every later broadcast.
func (h *Hub) subscribe(s *subscriber) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.wg.Add(1) // for Serve
	r := h.rooms[s.workshopID]
	if r == nil {
		r = &room{subs: map[*subscriber]struct{}{}, frames: map[int64]frame{}}
		h.rooms[s.workshopID] = r
		h.dirtyWorkshops[s.workshopID] = true
		h.wake()
	}
	r.subs[s] = struct{}{}
	if s.audience == Officials {
		if r.officials++; r.joined == nil {
			h.dirtyJoins[s.workshopID] = true // the first official: count
			h.wake()
		}
	}
	s.pingPhase = h.nextPhase
	h.nextPhase = (h.nextPhase + 1) % pingPhases
	if msgs := r.batch(s.audience); r.loaded && len(msgs) > 0 {
		s.queue <- batch{msgs: msgs} // an empty queue has room
	}
	h.connections.Inc()
	return true
}

// remove takes s out of its room (once) and stops its writer; reason, when
// not "", counts it as dropped. The caller may hold no lock. Sends to a
// queue happen under Hub.mu too, so removeLocked can let go of what is
// still queued and close the queue: the writer ends after the batch it may
// be writing.
func (h *Hub) remove(s *subscriber, reason string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(s, reason, false)
}

func (h *Hub) removeLocked(s *subscriber, reason string, goingAway bool) {
	if s.removed {
		return
	}
	s.removed = true
	if r := h.rooms[s.workshopID]; r != nil {
		delete(r.subs, s)
		if s.audience == Officials {
			if r.officials--; r.officials == 0 {
				r.joined = nil // no longer kept up to date
			}
		}
		if len(r.subs) == 0 {
			delete(h.rooms, s.workshopID)
		}
	}
	h.connections.Dec()
	if reason != "" {
		h.dropped.WithLabelValues(reason).Inc()
	}
	s.goingAway = goingAway
	for drained := false; !drained; {
		select {
		case b := <-s.queue:
			b.bc.release()
		default:
			drained = true
		}
	}
	close(s.queue)
	if goingAway {
		// A writer busy with a slow peer gives up soon, to send the close frame.
		s.conn.NetConn().SetWriteDeadline(time.Now().Add(time.Second))
	} else {
		// Unblocks a writer stuck on a slow peer at once, and the reader.
		s.conn.NetConn().Close()
	}
}

// sendLocked queues b for s without waiting; a full queue drops s.
func (h *Hub) sendLocked(s *subscriber, b batch) {
	if b.bc != nil {
		b.bc.remaining.Add(1)
	}
	select {
	case s.queue <- b:
	default:
		b.bc.release()
		h.removeLocked(s, DropBehind, false)
	}
}

// writeLoop writes s's queued frames and pings until s is removed (its
// queue closed), then, when the hub is closing, sends the close frame.
func (h *Hub) writeLoop(s *subscriber) {
	defer h.wg.Done()
	defer s.conn.Close()
	for b := range s.queue {
		deadline := time.Now().Add(h.opt.WriteWait)
		s.conn.SetWriteDeadline(deadline)
		if b.msgs == nil {
			if s.conn.WriteControl(websocket.PingMessage, nil, deadline) != nil {
				h.remove(s, "")
				return
			}
			continue
		}
		for _, m := range b.msgs {
			if s.conn.WritePreparedMessage(m) != nil {
				b.bc.release()
				h.remove(s, "")
				return
			}
		}
		b.bc.release()
		h.framesSent.Add(float64(len(b.msgs)))
	}
	if s.goingAway {
		// The close handshake: send ours, and give the peer a moment to
		// answer (the reader then ends) before the connection closes.
		if s.conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down"), time.Now().Add(time.Second)) == nil {
			select {
			case <-s.readDone:
			case <-time.After(time.Second):
			}
		}
	}
}

// pingLoop queues a ping for every subscriber each PingInterval; one whose
// queue is full is behind and is dropped. The pings are spread over the
// interval, a share (the subscribers of one phase) at each tick: ten
// thousand pings, and their pongs, all at once would hold up a broadcast.
func (h *Hub) pingLoop() {
	defer h.wg.Done()
	t := time.NewTicker(h.opt.PingInterval / pingPhases)
	defer t.Stop()
	for tick := 0; ; tick++ {
		select {
		case <-h.done:
			return
		case <-t.C:
			h.mu.Lock()
			for _, r := range h.rooms {
				for s := range r.subs {
					if s.pingPhase == tick%pingPhases {
						h.sendLocked(s, batch{})
					}
				}
			}
			h.mu.Unlock()
		}
	}
}

// pingPhases is how many shares the pings of a PingInterval are spread over.
const pingPhases = 20
