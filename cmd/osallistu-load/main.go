// Command osallistu-load is the load test of live workshop voting. Against
// an osallistu server on this machine it creates a workshop with one poll,
// opens N WebSocket clients on it, has P participants vote at a set rate
// for a set time, and reports:
//
//   - the time to connect the clients (each: handshake and first frame);
//   - ballots per second answered 200, and any other answers;
//   - the delay from a ballot's 200 to the first frame that shows it (p50,
//     p99, max), measured on a sample of the clients: a frame shows every
//     ballot answered before its as_of;
//   - whether every client's last frame equals the tally counted from the
//     ballots table (GET /tally) and the tally the 200-answered ballots give;
//   - the server's memory per connection, from its /metrics before and after
//     the clients connect (with the server's OSALLISTU_METRICS_TOKEN, from
//     the environment: /metrics is not public).
//
// The clients share the machine with the server, so they are read as
// cheaply as can be: gorilla makes each connection and reads its first
// frame, then one epoll loop per core reads them all (reader_linux.go).
//
// It talks to loopback addresses only, its counts and duration are bounded,
// and it stops by itself.
//
//	osallistu-load -url http://127.0.0.1:8080 -email E -password P \
//	    -clients 10000 -participants 1000 -rate 500 -duration 30s
//
// Several instances: -url takes a comma-separated list, over which the
// clients and the participants' ballots are spread in turn; or -url is a
// proxy in front of them (haproxy.cfg) and -metrics-url lists the
// instances, whose /metrics then tell how the clients were spread.
//
// With -signups N it measures sign-ups instead (signups.go): N at once,
// the server's memory and the time of other pages meanwhile.
//
//	osallistu-load -url http://127.0.0.1:8080 -signups 60 -pid PID
//
// With -mixed it measures pages and writes together, and the ceilings they
// are compared to (mixed.go): a static file and pgbench's inserts.
//
//	osallistu-load -url http://127.0.0.1:8080 -mixed -c 200 -email E -password P \
//	    -dbinit postgres://postgres@127.0.0.1:5432/postgres -db DATABASE_URL -seed-ideas 10000
//
// The account must be an official (start the server with
// OSALLISTU_ADMIN_EMAIL and OSALLISTU_ADMIN_PASSWORD), and the server's rate
// limits must let the run through (OSALLISTU_ADDRESS_WRITE_LIMIT).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Bounds of the flags, so that a typo cannot turn the tool into a flood.
const (
	maxClients      = 20000
	maxParticipants = 5000
	maxRate         = 5000
	maxDuration     = 5 * time.Minute
	observers       = 200 // clients that time every frame, for the delays
)

type config struct {
	base                    string
	bases                   []string // base split at commas: the servers, in turn
	metricsURLs             string   // the instances whose /metrics are read; empty: the bases
	email, password         string
	clients, participants   int
	rate                    int
	duration                time.Duration
	options, maxChoices     int
	dialWorkers, httpWorker int
}

func main() {
	var c config
	flag.StringVar(&c.base, "url", "http://127.0.0.1:8080", "the server, on a loopback address; for the live run, several comma-separated, used in turn")
	flag.StringVar(&c.metricsURLs, "metrics-url", "", "live run: comma-separated instances whose /metrics are read (default: -url's); with a proxy in -url, the instances behind it")
	flag.StringVar(&c.email, "email", os.Getenv("OSALLISTU_ADMIN_EMAIL"), "an official's email (default $OSALLISTU_ADMIN_EMAIL)")
	flag.StringVar(&c.password, "password", os.Getenv("OSALLISTU_ADMIN_PASSWORD"), "the official's password (default $OSALLISTU_ADMIN_PASSWORD)")
	flag.IntVar(&c.clients, "clients", 1000, fmt.Sprintf("WebSocket clients (at most %d)", maxClients))
	flag.IntVar(&c.participants, "participants", 100, fmt.Sprintf("participants who vote (at most %d)", maxParticipants))
	flag.IntVar(&c.rate, "rate", 100, fmt.Sprintf("ballots per second in all (at most %d)", maxRate))
	flag.DurationVar(&c.duration, "duration", 20*time.Second, fmt.Sprintf("how long to vote (at most %v)", maxDuration))
	flag.IntVar(&c.options, "options", 10, "options of the poll")
	flag.IntVar(&c.maxChoices, "max-choices", 3, "choices per ballot at most")
	flag.IntVar(&c.dialWorkers, "dial-workers", 64, "clients connecting at once")
	flag.IntVar(&c.httpWorker, "http-workers", 64, "ballot requests under way at once")
	var sc signupConfig
	flag.IntVar(&sc.signups, "signups", 0, fmt.Sprintf("instead of voting: this many parallel sign-ups (at most %d; see signups.go)", maxSignups))
	flag.IntVar(&sc.pid, "pid", 0, "with -signups: the server's process id, whose memory (VmRSS) is sampled")
	var mc mixedConfig
	mc.register(flag.CommandLine)
	flag.Parse()
	var err error
	switch {
	case mc.mixed:
		mc.base, mc.email, mc.password = c.base, c.email, c.password
		err = runMixed(mc)
	case sc.signups > 0:
		sc.base = c.base
		err = runSignups(sc)
	default:
		err = run(c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "osallistu-load:", err)
		os.Exit(1)
	}
}

// loopbackBase checks that base is an http(s) URL of this machine and
// returns it without a trailing slash.
func loopbackBase(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("-url %q: want http://host:port", base)
	}
	host := u.Hostname()
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return "", fmt.Errorf("-url: cannot resolve %q", host)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return "", fmt.Errorf("-url: %s is not a loopback address; this tool only loads this machine", host)
		}
	}
	return strings.TrimSuffix(base, "/"), nil
}

// loopbackBases is loopbackBase of each of a comma-separated list.
func loopbackBases(list string) ([]string, error) {
	var bases []string
	for _, u := range strings.Split(list, ",") {
		base, err := loopbackBase(strings.TrimSpace(u))
		if err != nil {
			return nil, err
		}
		bases = append(bases, base)
	}
	return bases, nil
}

func (c *config) validate() error {
	var err error
	if c.bases, err = loopbackBases(c.base); err != nil {
		return err
	}
	c.base = c.bases[0]
	switch {
	case c.clients < 1 || c.clients > maxClients:
		return fmt.Errorf("-clients must be 1–%d", maxClients)
	case c.participants < 1 || c.participants > maxParticipants:
		return fmt.Errorf("-participants must be 1–%d", maxParticipants)
	case c.rate < 1 || c.rate > maxRate:
		return fmt.Errorf("-rate must be 1–%d", maxRate)
	case c.duration <= 0 || c.duration > maxDuration:
		return fmt.Errorf("-duration must be up to %v", maxDuration)
	case c.options < 2 || c.options > 50 || c.maxChoices < 1 || c.maxChoices > c.options:
		return fmt.Errorf("-options must be 2–50 and -max-choices 1–options")
	case c.email == "" || c.password == "":
		return fmt.Errorf("give an official's -email and -password")
	}
	return nil
}

func run(c config) error {
	if err := c.validate(); err != nil {
		return err
	}
	raiseFileLimit(c.clients + c.httpWorker + 256)
	transport := &http.Transport{MaxIdleConns: c.httpWorker * 2, MaxIdleConnsPerHost: c.httpWorker * 2, IdleConnTimeout: time.Minute}
	a := &api{base: c.base, http: &http.Client{Transport: transport, Timeout: 30 * time.Second}, metricsToken: os.Getenv("OSALLISTU_METRICS_TOKEN")}
	metricsBases := c.bases
	if c.metricsURLs != "" {
		var err error
		if metricsBases, err = loopbackBases(c.metricsURLs); err != nil {
			return fmt.Errorf("-metrics-url: %w", err)
		}
	}
	instances := make([]*api, len(metricsBases))
	for i, b := range metricsBases {
		instances[i] = &api{base: b, http: a.http, metricsToken: a.metricsToken}
	}
	overall, cancel := context.WithTimeout(context.Background(), c.duration+5*time.Minute)
	defer cancel()

	// The workshop.
	var sess struct{ Token string }
	if _, err := a.do("POST", "/api/v1/session", map[string]string{"email": c.email, "password": c.password}, nil, &sess); err != nil {
		return err
	}
	a.token = sess.Token
	slug := fmt.Sprintf("load-%d", time.Now().Unix())
	if _, err := a.do("POST", "/api/v1/processes", map[string]string{"slug": slug, "title": "Load test", "description": ""}, nil, &struct{}{}); err != nil {
		return err
	}
	var w struct {
		ID       int64  `json:"id"`
		JoinCode string `json:"join_code"`
	}
	if _, err := a.do("POST", "/api/v1/processes/"+slug+"/workshops", map[string]any{"title": "Load", "starts_at": time.Now().UTC()}, nil, &w); err != nil {
		return err
	}
	poll, options, err := a.openPoll(w.ID, "Which matter most?", "Option", c.options, c.maxChoices)
	if err != nil {
		return err
	}
	fmt.Printf("workshop %d, poll %d with %d options (pick up to %d)\n", w.ID, poll, c.options, c.maxChoices)

	// The participants join.
	anon := &api{base: c.base, http: a.http}
	tokens := make([]string, c.participants)
	start := time.Now()
	if err := parallel(c.httpWorker, c.participants, func(i int) error {
		var p struct {
			Token string `json:"participant_token"`
		}
		_, err := anon.do("POST", "/api/v1/workshops/join", map[string]string{"code": w.JoinCode}, nil, &p)
		tokens[i] = p.Token
		return err
	}); err != nil {
		return fmt.Errorf("join: %w", err)
	}
	fmt.Printf("%d participants joined in %v\n", c.participants, time.Since(start).Round(time.Millisecond))

	// The clients connect, in turn to each server.
	time.Sleep(time.Second)
	m := instances[0] // one instance: its memory per connection is measured
	rssBefore, err := metric(m, "process_resident_memory_bytes")
	if err != nil {
		return err
	}
	var liveBefore, stackBefore float64
	var seenBefore bool
	if len(instances) == 1 {
		liveBefore, seenBefore = liveHeap(m, 10*time.Second)
		stackBefore, _ = metric(m, "go_memstats_stack_inuse_bytes")
	}
	wsURLs := make([]string, len(c.bases))
	for i, b := range c.bases {
		wsURLs[i] = "ws" + strings.TrimPrefix(b, "http") + fmt.Sprintf("/api/v1/workshops/%d/live", w.ID)
	}
	dialer := &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 256}
	clients := make([]*client, c.clients)
	readers := make([]*reader, runtime.NumCPU())
	for i := range readers {
		if readers[i], err = newReader(poll); err != nil {
			return err
		}
	}
	connectTimes := make([]time.Duration, c.clients)
	done := make(chan struct{})
	for _, rd := range readers {
		go rd.run(done)
	}
	start = time.Now()
	if err := parallel(c.dialWorkers, c.clients, func(i int) error {
		t0 := time.Now()
		conn, _, err := dialer.Dial(wsURLs[i%len(wsURLs)], nil)
		if err != nil {
			return err
		}
		conn.SetReadDeadline(t0.Add(30 * time.Second))
		_, first, err := conn.ReadMessage()
		if err != nil {
			conn.Close()
			return fmt.Errorf("first frame: %w", err)
		}
		connectTimes[i] = time.Since(t0)
		cl := &client{observer: i%max(1, c.clients/observers) == 0}
		clients[i] = cl
		rd := readers[i%len(readers)]
		rd.tally(cl, first, time.Now())
		return rd.add(cl, conn)
	}); err != nil {
		close(done)
		return fmt.Errorf("connect: %w", err)
	}
	connectAll := time.Since(start)
	slices.Sort(connectTimes)
	fmt.Printf("%d clients connected in %v; each (handshake to first frame): p50 %v, p99 %v, max %v\n",
		c.clients, connectAll.Round(time.Millisecond), percentile(connectTimes, .5).Round(time.Microsecond),
		percentile(connectTimes, .99).Round(time.Microsecond), connectTimes[len(connectTimes)-1].Round(time.Microsecond))
	time.Sleep(2 * time.Second)
	memory := func() {
		if len(instances) > 1 {
			for _, in := range instances {
				conns, err := metric(in, "osallistu_live_connections")
				if err != nil {
					fmt.Printf("instance %s: %v\n", in.base, err)
					continue
				}
				fmt.Printf("instance %s: %.0f connections open\n", in.base, conns)
			}
			return
		}
		rssAfter, _ := metric(m, "process_resident_memory_bytes")
		liveAfter, seenAfter := liveHeap(m, 10*time.Second)
		stackAfter, _ := metric(m, "go_memstats_stack_inuse_bytes")
		conns, _ := metric(m, "osallistu_live_connections")
		stack := (stackAfter - stackBefore) / float64(c.clients) / 1024
		resident := (rssAfter - rssBefore) / float64(c.clients) / 1024
		if !seenBefore || !seenAfter {
			fmt.Printf("server memory per connection: %.1f KiB goroutine stacks; live heap not measured (the server made no garbage collection to read it after); resident %.1f KiB; %v connections open\n",
				stack, resident, conns)
			return
		}
		heap := (liveAfter - liveBefore) / float64(c.clients) / 1024
		fmt.Printf("server memory per connection: %.1f KiB (%.1f KiB live heap + %.1f KiB goroutine stacks); resident %.1f KiB; %v connections open\n",
			heap+stack, heap, stack, resident, conns)
	}

	// The participants vote: participant i always through worker i % W, so
	// that each one's ballots go one after the other and the last one
	// answered 200 is the one that stands.
	var (
		ok, refused, failed atomic.Int64
		behind              atomic.Int64
		answeredMu          sync.Mutex
		answered            []time.Time
		lastOK              = make([][]int64, c.participants)
	)
	voters := make([]*api, len(c.bases)) // participant p always through the same one
	for i, b := range c.bases {
		voters[i] = &api{base: b, http: a.http}
	}
	queues := make([]chan int, c.httpWorker)
	var wg sync.WaitGroup
	for wi := range queues {
		queues[wi] = make(chan int, 64)
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(wi), 7))
			for p := range queues[wi] {
				n := 1 + rng.IntN(c.maxChoices)
				perm := rng.Perm(len(options))[:n]
				ids := make([]int64, n)
				for k, j := range perm {
					ids[k] = options[j]
				}
				status, err := voters[wi%len(voters)].do("PUT", fmt.Sprintf("/api/v1/polls/%d/ballot", poll), map[string]any{"option_ids": ids},
					map[string]string{"X-Participant-Token": tokens[p]}, nil)
				now := time.Now()
				switch {
				case err != nil:
					failed.Add(1)
				case status == 200:
					ok.Add(1)
					lastOK[p] = ids // only this worker writes participant p
					answeredMu.Lock()
					answered = append(answered, now)
					answeredMu.Unlock()
				default:
					refused.Add(1)
				}
			}
		}()
	}
	start = time.Now()
	interval := time.Second / time.Duration(c.rate)
	next := start
	for i := 0; time.Since(start) < c.duration && overall.Err() == nil; i++ {
		p := i % c.participants
		select {
		case queues[p%len(queues)] <- p:
		default:
			behind.Add(1) // the server (or this tool) does not keep up
		}
		next = next.Add(interval)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
	}
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	voting := time.Since(start)
	fmt.Printf("ballots: %d answered 200 in %v (%.0f/s), %d refused, %d failed, %d not sent (the senders were behind)\n",
		ok.Load(), voting.Round(time.Millisecond), float64(ok.Load())/voting.Seconds(), refused.Load(), failed.Load(), behind.Load())

	memory() // after the voting, whose garbage collections have run

	// Let the last frames arrive, then compare.
	var truth tally
	for range 50 {
		time.Sleep(300 * time.Millisecond)
		if _, err := a.do("GET", fmt.Sprintf("/api/v1/polls/%d/tally", poll), nil, nil, &truth); err != nil {
			return err
		}
		if settled(clients, &truth) {
			break
		}
	}
	want := map[int64]int{}
	wantBallots := 0
	for _, ids := range lastOK {
		if ids != nil {
			wantBallots++
		}
		for _, id := range ids {
			want[id]++
		}
	}
	truthVotes := truth.votes()
	tableOK := truth.Ballots == wantBallots
	for id, v := range want {
		tableOK = tableOK && truthVotes[id] == v
	}
	wrong, dead := 0, 0
	for _, cl := range clients {
		cl.mu.Lock()
		var last tally
		if json.Unmarshal(cl.last, &last) != nil || last.Ballots != truth.Ballots || !maps.Equal(last.votes(), truthVotes) {
			wrong++
		}
		if cl.err != nil {
			dead++
		}
		cl.mu.Unlock()
	}
	fmt.Printf("ballots table: %d ballots; it equals the ballots answered 200: %v\n", truth.Ballots, tableOK)
	fmt.Printf("final tally: %d of %d clients equal the ballots table (%d wrong, %d connections lost)\n", c.clients-wrong, c.clients, wrong, dead)

	// Delays: for each ballot and each observing client, the first frame
	// whose count began after the ballot's 200.
	var delays []time.Duration
	for _, cl := range clients {
		if !cl.observer {
			continue
		}
		cl.mu.Lock()
		for _, at := range answered {
			i := sort.Search(len(cl.asOf), func(i int) bool { return !cl.asOf[i].Before(at) })
			if i < len(cl.recv) {
				delays = append(delays, cl.recv[i].Sub(at))
			}
		}
		cl.mu.Unlock()
	}
	slices.Sort(delays)
	if len(delays) > 0 {
		fmt.Printf("delay from a ballot's 200 to the frame that shows it (%d samples on %d clients): p50 %v, p99 %v, max %v\n",
			len(delays), min(observers, c.clients), percentile(delays, .5).Round(time.Millisecond),
			percentile(delays, .99).Round(time.Millisecond), delays[len(delays)-1].Round(time.Millisecond))
	}
	var frames, dropped float64
	for _, in := range instances {
		f, _ := metric(in, "osallistu_live_frames_sent_total")
		d, _ := metric(in, `osallistu_live_subscribers_dropped_total{reason="behind"}`)
		frames, dropped = frames+f, dropped+d
	}
	fmt.Printf("servers (%d): %.0f frames sent, %.0f subscribers dropped as behind\n", len(instances), frames, dropped)

	close(done)
	if wrong > 0 || !tableOK {
		return errors.New("tallies differ")
	}
	return nil
}
