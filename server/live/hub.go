// Package live is the broadcast hub of live tallies (hub.go: the rooms, the
// recount loop and the broadcasts; subscriber.go: each connection's writer
// and pings; frames.go: the prepared frames).
//
// The hub is one per server instance: it holds the WebSocket subscribers of each workshop, recounts a
// poll when it hears that the poll changed (from any instance, through the
// store's LISTEN/NOTIFY), and writes the new tally to every subscriber.
//
// The path of a ballot ends here (participation/ballot.go has it whole):
//
//	ballot → NOTIFY PollChange → listener → hub.recount → frame
//
// The flow: a change arrives (Notify) → the poll is marked dirty → the flush
// loop's recount counts every dirty poll at most once per Interval (a burst
// of ballots becomes one recount and one frame) → each tally is encoded
// once per audience as a prepared WebSocket message (the public's, with the
// votes hidden where the workshop hides them until the poll closes, and the
// officials'; one message for both where they are the same) → it goes to
// each subscriber's writer
// goroutine through a small bounded queue (in slices, letting other
// goroutines run between them). The next recount waits until the
// subscribers have written the last one out (at most MaxDrain), and a
// quarter as long again: when there are more subscribers than the machine
// writes to in an Interval, frames come less often, each with the latest
// state, instead of queueing up behind each other, and the requests that
// change the tally still get their share of the machine. A subscriber
// whose queue is full (it fell behind) or that stops answering pings is
// dropped, never waited on beyond MaxDrain: one slow phone must not hold up
// a room of hundreds.
package live

import (
	"context"
	"log/slog"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"osallistu/participation"
)

// Source counts tallies and participants and reads idea walls; the store
// implements it.
type Source interface {
	FindTallies(ctx context.Context, f participation.TallyFilter) ([]*participation.Tally, error)
	CountParticipants(ctx context.Context, workshopIDs []int64) (map[int64]int, error)
	FindWalls(ctx context.Context, workshopIDs []int64) ([]*participation.Wall, error)
}

// Audience is whom a subscriber's frames are for: chosen at subscribe time,
// it picks one of the frames prepared for each change.
type Audience int

// The audiences: the public's frames hide what the workshop hides (the
// votes, until the poll closes, where results are not shown live);
// officials (the control page, the projector) get every number, and the
// count of participants as they join.
const (
	Public Audience = iota
	Officials
)

// Options tune the hub; zero values take the defaults.
type Options struct {
	// Interval is the shortest time between two recounts (default 100 ms).
	Interval time.Duration
	// QueueSize is how many frame batches a subscriber's writer may have
	// waiting before the subscriber is dropped as too slow (default 8).
	QueueSize int
	// PingInterval is how often each subscriber is pinged (default 20 s);
	// one that has not answered within PongWait (default 45 s) is dropped.
	PingInterval, PongWait time.Duration
	// WriteWait bounds each write to a subscriber (default 10 s).
	WriteWait time.Duration
	// RecountTimeout bounds one recount's database work (default 5 s).
	RecountTimeout time.Duration
	// MaxDrain is the longest the next recount waits for the subscribers to
	// write the last frames out (default 1 s).
	MaxDrain time.Duration
	// JoinInterval is the shortest time between two counts of a workshop's
	// participants for the officials (default 1 s): a room joining at once
	// becomes a frame a second.
	JoinInterval time.Duration
	// Logger receives recount failures; nil means slog.Default().
	Logger *slog.Logger
}

func (o *Options) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&o.Interval, 100*time.Millisecond)
	set(&o.PingInterval, 20*time.Second)
	set(&o.PongWait, 45*time.Second)
	set(&o.WriteWait, 10*time.Second)
	set(&o.RecountTimeout, 5*time.Second)
	set(&o.MaxDrain, time.Second)
	set(&o.JoinInterval, time.Second)
	if o.QueueSize <= 0 {
		o.QueueSize = 8
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Reasons a subscriber is dropped, the label of the dropped counter.
const (
	DropBehind = "behind" // its queue was full
	DropPing   = "ping"   // it did not answer pings in time
)

// Hub is the broadcast hub of one server instance. Its methods are safe for
// concurrent use.
type Hub struct {
	src Source
	opt Options

	connections    prometheus.Gauge
	framesSent     prometheus.Counter
	dropped        *prometheus.CounterVec
	recountSeconds prometheus.Histogram

	mu             sync.Mutex
	rooms          map[int64]*room // by workshop
	dirtyPolls     map[int64]int64 // poll → its workshop
	dirtyWorkshops map[int64]bool  // every poll of these
	dirtyJoins     map[int64]bool  // workshops whose participants to count again
	dirtyWalls     map[int64]bool  // workshops whose idea walls to load again (wall.go)
	lastJoinCount  time.Time       // when participants were counted last
	joinWake       bool            // a wake-up for the next count is set
	reloadAll      bool
	closed         bool
	nextPhase      int // the ping phase of the next subscriber

	kick chan struct{} // wakes the flush loop; holds at most one wake-up
	done chan struct{} // closed by Close
	wg   sync.WaitGroup
}

// room is one workshop's subscribers and the latest frame of each of its
// polls, which a new subscriber gets first.
type room struct {
	subs      map[*subscriber]struct{}
	officials int             // how many of subs are Officials
	frames    map[int64]frame // by poll
	loaded    bool            // frames holds every poll
	// joined is the officials' latest count of participants; nil until
	// counted, and again while no official follows the room.
	joined *websocket.PreparedMessage
	// wall is the latest frame of the workshop's idea wall; nil for none.
	wall *websocket.PreparedMessage

	// Only the flush loop reads and writes these.
	tallies map[int64]*participation.Tally // the latest of each poll
	current int64                          // the current poll (participation.CurrentPoll), 0 for none
}

// batch returns the room's frames for aud in poll order, and the count of
// participants for officials.
func (r *room) batch(aud Audience) []*websocket.PreparedMessage {
	fs := make([]frame, 0, len(r.frames))
	for _, f := range r.frames {
		fs = append(fs, f)
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].position < fs[j].position })
	out := make([]*websocket.PreparedMessage, len(fs), len(fs)+2)
	for i, f := range fs {
		out[i] = f.msg(aud)
	}
	if r.wall != nil {
		out = append(out, r.wall)
	}
	if aud == Officials && r.joined != nil {
		out = append(out, r.joined)
	}
	return out
}

// batch is what a subscriber's writer gets: frames to write, and the
// broadcast they belong to (nil for a new subscriber's first frames). A
// batch without frames asks for a ping.
type batch struct {
	msgs []*websocket.PreparedMessage
	bc   *broadcast
}

// broadcast counts the subscribers that have yet to write one flush's
// frames; done closes when none has, at doneAt.
type broadcast struct {
	remaining atomic.Int64
	done      chan struct{}
	doneAt    time.Time // set before done closes
}

func newBroadcast() *broadcast {
	bc := &broadcast{done: make(chan struct{})}
	bc.remaining.Store(1) // the flush's own hold, let go when it has sent to all
	return bc
}

// release tells that one subscriber is done with the broadcast's frames
// (written, or never to be written).
func (bc *broadcast) release() {
	if bc != nil && bc.remaining.Add(-1) == 0 {
		bc.doneAt = time.Now()
		close(bc.done)
	}
}

func New(src Source, opt Options) *Hub {
	opt.defaults()
	h := &Hub{
		src: src, opt: opt,
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "osallistu_live_connections", Help: "Open WebSocket connections following a workshop.",
		}),
		framesSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "osallistu_live_frames_sent_total", Help: "Tally frames written to WebSocket subscribers.",
		}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "osallistu_live_subscribers_dropped_total", Help: "WebSocket subscribers dropped: behind (queue full) or ping (no pong in time).",
		}, []string{"reason"}),
		recountSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "osallistu_live_recount_seconds", Help: "Time to recount the changed polls from the ballots table.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		rooms:          map[int64]*room{},
		dirtyPolls:     map[int64]int64{},
		dirtyWorkshops: map[int64]bool{},
		dirtyJoins:     map[int64]bool{},
		dirtyWalls:     map[int64]bool{},
		kick:           make(chan struct{}, 1),
		done:           make(chan struct{}),
	}
	h.dropped.WithLabelValues(DropBehind)
	h.dropped.WithLabelValues(DropPing)
	h.wg.Add(2)
	go h.flushLoop()
	go h.pingLoop()
	return h
}

// Collectors are the hub's Prometheus metrics, for the server's registry.
func (h *Hub) Collectors() []prometheus.Collector {
	return []prometheus.Collector{h.connections, h.framesSent, h.dropped, h.recountSeconds}
}

// Run feeds the hub the changes of events until events is closed or the
// hub is. A nil change means changes may have been missed (the listener
// reconnected): every followed workshop is loaded again.
func (h *Hub) Run(events <-chan *participation.PollChange) {
	for {
		select {
		case <-h.done:
			return
		case c, ok := <-events:
			if !ok {
				return
			}
			h.Notify(c)
		}
	}
}

// Notify tells the hub that a poll changed (c.PollID 0: the whole workshop;
// c.Joined: its participants; nil: anything may have). Changes of workshops
// nobody follows are ignored: a room loads fresh state when its first
// subscriber comes, and joins of rooms no official follows, too.
func (h *Hub) Notify(c *participation.PollChange) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case c == nil:
		h.reloadAll = true
	case h.rooms[c.WorkshopID] == nil:
		return
	case c.Joined:
		if h.rooms[c.WorkshopID].officials == 0 {
			return
		}
		h.dirtyJoins[c.WorkshopID] = true
	case c.Wall:
		h.dirtyWalls[c.WorkshopID] = true
	case c.PollID == 0:
		h.dirtyWorkshops[c.WorkshopID] = true
	default:
		h.dirtyPolls[c.PollID] = c.WorkshopID
	}
	h.wake()
}

// wake makes the flush loop run; it never blocks.
func (h *Hub) wake() {
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// flushLoop recounts the dirty polls when woken, at most once per
// Interval, and not before the last broadcast is written out (or MaxDrain
// has passed) and the machine has had a rest after it: a quarter of the
// time the last recount and its writes took, at most an Interval. For a
// small room that is a moment and changes nothing; when a room is so big
// that writing its frames takes most of an Interval, the rest keeps
// broadcasts from running back to back, so that the requests that change
// the tally (the ballots) get the machine between them instead of
// competing with them, and each broadcast is written out sooner.
func (h *Hub) flushLoop() {
	defer h.wg.Done()
	var last time.Time
	var prev *broadcast
	for {
		select {
		case <-h.done:
			return
		case <-h.kick:
		}
		next := last.Add(h.opt.Interval)
		if prev != nil {
			// Changes arriving meanwhile join the next recount.
			end := last.Add(h.opt.MaxDrain)
			select {
			case <-h.done:
				return
			case <-prev.done:
				end = prev.doneAt
			case <-time.After(time.Until(end)):
			}
			if after := end.Add(min(end.Sub(last)/4, h.opt.Interval)); after.After(next) {
				next = after
			}
		}
		if wait := time.Until(next); wait > 0 {
			select {
			case <-h.done:
				return
			case <-time.After(wait):
			}
		}
		last = time.Now()
		prev = h.recount()
	}
}

// recount counts the polls marked dirty (and, at most once per
// JoinInterval, the participants of workshops that officials follow) and
// broadcasts their frames; it returns the broadcast, or nil when it sent
// nothing.
func (h *Hub) recount() *broadcast {
	h.mu.Lock()
	if h.reloadAll {
		for wid, r := range h.rooms {
			h.dirtyWorkshops[wid] = true
			if r.officials > 0 {
				h.dirtyJoins[wid] = true
			}
		}
		h.reloadAll = false
	}
	var f participation.TallyFilter
	for wid := range h.dirtyWorkshops {
		if h.rooms[wid] != nil {
			f.WorkshopIDs = append(f.WorkshopIDs, wid)
		}
	}
	for pid, wid := range h.dirtyPolls {
		if h.rooms[wid] != nil && !h.dirtyWorkshops[wid] {
			f.PollIDs = append(f.PollIDs, pid)
		}
	}
	dirtyPolls, dirtyWorkshops := h.dirtyPolls, h.dirtyWorkshops
	h.dirtyPolls, h.dirtyWorkshops = map[int64]int64{}, map[int64]bool{}
	joins := h.takeJoinsLocked()
	walls := h.takeWallsLocked(f.WorkshopIDs)
	// The rooms as they are now; their tallies are the flush loop's own.
	rooms := make(map[int64]*room, len(f.WorkshopIDs)+len(joins)+len(walls))
	for _, wid := range f.WorkshopIDs {
		rooms[wid] = h.rooms[wid]
	}
	for _, wid := range walls {
		rooms[wid] = h.rooms[wid]
	}
	for _, wid := range dirtyPolls {
		if r := h.rooms[wid]; r != nil {
			rooms[wid] = r
		}
	}
	h.mu.Unlock()
	if len(f.PollIDs) == 0 && len(f.WorkshopIDs) == 0 && len(joins) == 0 && len(walls) == 0 {
		return nil
	}

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), h.opt.RecountTimeout)
	var tallies []*participation.Tally
	var counts map[int64]int
	var err error
	if len(f.PollIDs) > 0 || len(f.WorkshopIDs) > 0 {
		tallies, err = h.src.FindTallies(ctx, f)
		h.recountSeconds.Observe(time.Since(start).Seconds())
	}
	if err == nil && len(joins) > 0 {
		counts, err = h.src.CountParticipants(ctx, joins)
	}
	var wallMsgs map[int64]*websocket.PreparedMessage
	if err == nil && len(walls) > 0 {
		wallMsgs, err = h.loadWalls(ctx, walls)
	}
	cancel()
	if err != nil {
		h.opt.Logger.Error("live: recount failed; trying again", "err", err)
		h.mu.Lock()
		for pid, wid := range dirtyPolls {
			h.dirtyPolls[pid] = wid
		}
		for wid := range dirtyWorkshops {
			h.dirtyWorkshops[wid] = true
		}
		for _, wid := range joins {
			h.dirtyJoins[wid] = true
		}
		for _, wid := range walls {
			h.dirtyWalls[wid] = true
		}
		h.mu.Unlock()
		time.AfterFunc(time.Second, h.wake)
		return nil
	}
	frames := h.prepareTallies(rooms, f.WorkshopIDs, tallies)
	joined := make(map[int64]*websocket.PreparedMessage, len(joins))
	for _, wid := range joins {
		if pm := h.prepare(participantsFrame{Type: "participants", WorkshopID: wid, Count: counts[wid]}); pm != nil {
			joined[wid] = pm
		}
	}

	// The room's frames change first: whoever subscribes from now on gets
	// the new ones from the room, and is not among the targets below.
	bc := newBroadcast()
	defer bc.release()
	var targets []target
	h.mu.Lock()
	for _, wid := range f.WorkshopIDs {
		if r := h.rooms[wid]; r != nil && r == rooms[wid] {
			r.loaded = true // its subscribers get every poll's frame below
		}
	}
	for wid := range joined {
		if _, ok := frames[wid]; !ok {
			frames[wid] = nil
		}
	}
	for wid := range wallMsgs {
		if _, ok := frames[wid]; !ok {
			frames[wid] = nil
		}
	}
	for wid, fs := range frames {
		r, pm := h.rooms[wid], joined[wid]
		if r == nil || (rooms[wid] != nil && r != rooms[wid]) {
			continue // everyone left, or a room made anew meanwhile (loaded next time)
		}
		sort.Slice(fs, func(i, j int) bool { return fs[i].position < fs[j].position })
		public := make([]*websocket.PreparedMessage, len(fs), len(fs)+1)
		officials := make([]*websocket.PreparedMessage, len(fs), len(fs)+2)
		for i, fr := range fs {
			public[i], officials[i] = fr.public, fr.officials
			r.frames[fr.pollID] = fr
		}
		if pm := wallMsgs[wid]; pm != nil {
			r.wall = pm
			public, officials = append(public, pm), append(officials, pm)
		}
		if pm != nil && r.officials > 0 {
			r.joined = pm
			officials = append(officials, pm)
		}
		for s := range r.subs {
			msgs := public
			if s.audience == Officials {
				msgs = officials
			}
			if len(msgs) > 0 {
				targets = append(targets, target{s, msgs})
			}
		}
	}
	h.mu.Unlock()
	// Each send readies a writer goroutine. Ten thousand at once would put
	// every goroutine woken meanwhile (a ballot's request, its database
	// answer) behind all their writes; in slices, with a yield between
	// them, those run after a slice's writes instead.
	for chunk := range slices.Chunk(targets, fanOutSlice) {
		h.mu.Lock()
		for _, t := range chunk {
			if !t.s.removed {
				h.sendLocked(t.s, batch{msgs: t.msgs, bc: bc})
			}
		}
		h.mu.Unlock()
		runtime.Gosched()
	}
	return bc
}

// takeJoinsLocked returns the workshops whose participants are due to be
// counted, at most once per JoinInterval; a count that must wait sets a
// wake-up for its time.
func (h *Hub) takeJoinsLocked() []int64 {
	if len(h.dirtyJoins) == 0 {
		return nil
	}
	if wait := h.opt.JoinInterval - time.Since(h.lastJoinCount); wait > 0 {
		if !h.joinWake {
			h.joinWake = true
			time.AfterFunc(wait, func() {
				h.mu.Lock()
				h.joinWake = false
				h.mu.Unlock()
				h.wake()
			})
		}
		return nil
	}
	h.lastJoinCount = time.Now()
	var out []int64
	for wid := range h.dirtyJoins {
		if r := h.rooms[wid]; r != nil && r.officials > 0 {
			out = append(out, wid)
		}
	}
	h.dirtyJoins = map[int64]bool{}
	return out
}

// fanOutSlice is how many subscribers a flush hands frames to before it
// lets other goroutines run.
const fanOutSlice = 1024

// target is a subscriber and the frames a flush has for it.
type target struct {
	s    *subscriber
	msgs []*websocket.PreparedMessage
}

// Subscribers returns how many connections follow workshopID now.
func (h *Hub) Subscribers(workshopID int64) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r := h.rooms[workshopID]; r != nil {
		return len(r.subs)
	}
	return 0
}

// Close ends every subscription with a close frame ("going away") and stops
// the hub, waiting for its goroutines until ctx ends. Connections that the
// HTTP server hijacked for WebSockets are beyond its own shutdown: this is
// what closes them.
func (h *Hub) Close(ctx context.Context) error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	for _, r := range h.rooms {
		for s := range r.subs {
			h.removeLocked(s, "", true)
		}
	}
	h.mu.Unlock()
	close(h.done)
	waited := make(chan struct{})
	go func() { h.wg.Wait(); close(waited) }()
	select {
	case <-waited:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
