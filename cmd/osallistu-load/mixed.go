package main

// The -mixed mode: pages and writes together, against the server's two
// ceilings. In one run, each phase -phase long (the reads-only pass's
// -read-phase), it measures:
//
//  1. fiber serving the site's stylesheet alone, at -c at once: the most
//     requests per second any page could reach;
//  2. pgbench's single-row inserts on the same PostgreSQL (-c 16 -j 2) in
//     a scratch database made through -dbinit: the most writes;
//  3. the reads-only pass: each page alone, anonymous and signed in, at 50
//     and at -c at once;
//  4. the mixed load: -c simulated people, a -signed-in share of them
//     signed in, each making requests one after another, each request's
//     kind drawn from -mix: pages read, a search, ideas and comments sent
//     through the API, ballots cast in a workshop poll.
//
// It prints each as a Markdown table: per kind of request its count,
// throughput, p50, p99, errors (no answer, or one outside 2xx and 3xx) and
// its share of the ceiling (reads of the static file's, writes of pgbench's).
//
// The pages read are the first published process with commitments (load
// the demo: osallistu demo); the writes go to a process the run makes as
// the official (-email, -password): an open round, which -seed-ideas fills
// straight in the server's database (-db), and an open poll. Every request
// comes from one address, so the server's limits must be raised for the
// run: OSALLISTU_WRITE_LIMIT, OSALLISTU_ADDRESS_WRITE_LIMIT,
// OSALLISTU_JOIN_LIMIT, OSALLISTU_RESPONDENT_LIMIT, OSALLISTU_SIGNUP_LIMIT
// (README, Performance).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Bounds of the -mixed flags.
const (
	maxConcurrency = 1000
	maxPhase       = time.Minute
	maxSeedIdeas   = 100000
	// readsOnlyLow is the lower concurrency of the reads-only pass.
	readsOnlyLow = 50
)

// mixedConfig is the -mixed mode's configuration.
type mixedConfig struct {
	mixed                 bool
	base, email, password string
	concurrency           int
	phase, readPhase      time.Duration
	mix                   string
	signedIn              float64
	dbinit, db            string
	seedIdeas, deepPage   int
	reads                 bool
}

// register defines the mode's flags (-url, -email and -password are the
// voting mode's, shared).
func (mc *mixedConfig) register(fs *flag.FlagSet) {
	fs.BoolVar(&mc.mixed, "mixed", false, "instead of voting: the mixed load and its ceilings (see mixed.go)")
	fs.IntVar(&mc.concurrency, "c", 200, fmt.Sprintf("with -mixed: simulated people at once (at most %d)", maxConcurrency))
	fs.DurationVar(&mc.phase, "phase", 10*time.Second, "with -mixed: the length of the mixed load and of each ceiling")
	fs.DurationVar(&mc.readPhase, "read-phase", 3*time.Second, "with -mixed: the length of each page's reads-only run")
	fs.StringVar(&mc.mix, "mix", defaultMix, "with -mixed: the kinds of request and their weights")
	fs.Float64Var(&mc.signedIn, "signed-in", 0.25, "with -mixed: the share of people signed in")
	fs.StringVar(&mc.dbinit, "dbinit", "", "with -mixed: a PostgreSQL URL through which pgbench's scratch database is made and dropped (empty: no pgbench)")
	fs.StringVar(&mc.db, "db", "", "with -seed-ideas: the server's database URL")
	fs.IntVar(&mc.seedIdeas, "seed-ideas", 0, fmt.Sprintf("with -mixed: fill the round with this many ideas, three comments each (at most %d)", maxSeedIdeas))
	fs.IntVar(&mc.deepPage, "deep-page", 250, "with -mixed: the page of the round read as round-deep (or its last)")
	fs.BoolVar(&mc.reads, "reads", true, "with -mixed: the reads-only pass")
}

func (mc *mixedConfig) validate() (*mix, error) {
	base, err := loopbackBase(mc.base)
	if err != nil {
		return nil, err
	}
	mc.base = base
	switch {
	case mc.concurrency < 1 || mc.concurrency > maxConcurrency:
		return nil, fmt.Errorf("-c must be 1–%d", maxConcurrency)
	case mc.phase <= 0 || mc.phase > maxPhase || mc.readPhase <= 0 || mc.readPhase > maxPhase:
		return nil, fmt.Errorf("-phase and -read-phase must be up to %v", maxPhase)
	case mc.signedIn < 0 || mc.signedIn > 1:
		return nil, errors.New("-signed-in must be 0–1")
	case mc.seedIdeas < 0 || mc.seedIdeas > maxSeedIdeas:
		return nil, fmt.Errorf("-seed-ideas must be 0–%d", maxSeedIdeas)
	case mc.seedIdeas > 0 && mc.db == "":
		return nil, errors.New("-seed-ideas needs the server's database: -db")
	case mc.deepPage < 1:
		return nil, errors.New("-deep-page must be 1 or more")
	case mc.email == "" || mc.password == "":
		return nil, errors.New("give an official's -email and -password")
	}
	return parseMix(mc.mix)
}

func runMixed(mc mixedConfig) error {
	m, err := mc.validate()
	if err != nil {
		return err
	}
	raiseFileLimit(2*mc.concurrency + 256)
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 2 * mc.concurrency, MaxIdleConnsPerHost: 2 * mc.concurrency, IdleConnTimeout: time.Minute},
		// A redirect is the answer (a 3xx counts as answered).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	fmt.Printf("machine: %d cores (%s); load average %s\n", runtime.NumCPU(), cpuModel(), loadAverage())

	s := &site{base: mc.base, http: client}
	anon := &api{base: mc.base, http: client}
	if err := s.discover(anon); err != nil {
		return err
	}
	official := &api{base: mc.base, http: client}
	var sess struct{ Token string }
	if _, err := official.do("POST", "/api/v1/session", map[string]string{"email": mc.email, "password": mc.password}, nil, &sess); err != nil {
		return err
	}
	official.token = sess.Token
	if err := s.prepare(official, mc.db, mc.seedIdeas, mc.deepPage); err != nil {
		return err
	}
	t0 := time.Now()
	// Signed in and anonymous, a full set of each, so that the reads-only
	// pass has as many of either at once as it needs.
	n := max(mc.concurrency, readsOnlyLow)
	people, err := s.people(2*n, n)
	if err != nil {
		return err
	}
	signed, anonymous := people[:n], people[n:]
	fmt.Printf("%d people signed in, %d anonymous with respondent tokens, all joined the workshop, in %v\n\n",
		len(signed), len(anonymous), time.Since(t0).Round(time.Millisecond))

	// The ceilings.
	var front []byte
	if res, err := client.Get(mc.base + "/"); err == nil {
		front, _ = io.ReadAll(res.Body)
		res.Body.Close()
	}
	css := stylesheet(string(front))
	static := hammer(client, mc.concurrency, mc.phase, func(int, *rand.Rand) (string, *http.Request, error) {
		req, err := http.NewRequest("GET", mc.base+css, nil)
		return "static", req, err
	})
	staticPerSec := summarise(static.kinds["static"], static.took).perSec
	fmt.Printf("ceiling: %s alone at -c %d: %.0f req/s (%d errors); load average %s\n",
		css, mc.concurrency, staticPerSec, static.kinds["static"].errors, loadAverage())
	var pgbenchTPS float64
	if mc.dbinit == "" {
		fmt.Println("ceiling: no pgbench (give -dbinit): writes get no share")
	} else {
		if pgbenchTPS, err = pgbenchCeiling(context.Background(), mc.dbinit, mc.phase); err != nil {
			return err
		}
		fmt.Printf("ceiling: pgbench single-row inserts, -c 16 -j 2 -T %.0f: %.0f tps; load average %s\n", mc.phase.Seconds(), pgbenchTPS, loadAverage())
	}
	ceiling := func(kind string) float64 {
		if isWrite(kind) {
			return pgbenchTPS
		}
		return staticPerSec
	}

	if mc.reads {
		fmt.Printf("\nReads only: each page alone for %v, at %d and at %d at once (share: of the static file at %d)\n\n",
			mc.readPhase, readsOnlyLow, mc.concurrency, mc.concurrency)
		fmt.Print(readsOnly(s, signed, anonymous, mc, staticPerSec))
		fmt.Printf("load average %s\n", loadAverage())
	}

	signedIn := int(mc.signedIn * float64(mc.concurrency))
	fmt.Printf("\nMixed load: %d people (%d signed in) for %v, mix %s\n\n", mc.concurrency, signedIn, mc.phase, mc.mix)
	who := make([]*person, mc.concurrency)
	for i := range who {
		if i < signedIn {
			who[i] = signed[i]
		} else {
			who[i] = anonymous[i]
		}
	}
	mixed := hammer(client, mc.concurrency, mc.phase, func(w int, rng *rand.Rand) (string, *http.Request, error) {
		p := who[w]
		kind := m.pick(rng)
		req, err := s.request(p, kind, rng)
		return label(kind, p), req, err
	})
	fmt.Print(mixedTable(mixed, ceiling))
	fmt.Printf("load average %s\n", loadAverage())
	return nil
}

// label names a kind of request in the tables: who made it as well.
func label(kind string, p *person) string {
	if p.session != "" {
		return kind + " (signed in)"
	}
	return kind
}

// result is what a phase gave and how long it took.
type result struct {
	kinds byKind
	took  time.Duration
}

// hammer has workers goroutines make requests one after another for d,
// each the next that next gives it (with its own random numbers), and
// counts them by the label next gives.
func hammer(client *http.Client, workers int, d time.Duration, next func(w int, rng *rand.Rand) (string, *http.Request, error)) result {
	tallies := make([]byKind, workers)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		tallies[w] = byKind{}
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			for time.Now().Before(deadline) {
				kind, req, err := next(w, rng)
				if err != nil {
					tallies[w].record(kind, 0, 0, err)
					continue
				}
				t0 := time.Now()
				status, err := send(client, req)
				tallies[w].record(kind, time.Since(t0), status, err)
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	// Each phase opens its own connections, so that none carries over to
	// the next (connections left idle through pgbench once got unsolicited
	// 400 answers from the server).
	client.CloseIdleConnections()
	return result{kinds: merge(tallies), took: took}
}

// readsOnly runs each page alone, anonymous and signed in, at readsOnlyLow
// and at mc.concurrency at once, and returns its table.
func readsOnly(s *site, signed, anonymous []*person, mc mixedConfig, staticPerSec float64) string {
	var rows [][]string
	for _, kind := range readKinds {
		for _, people := range [][]*person{anonymous, signed} {
			who := "anonymous"
			if people[0].session != "" {
				who = "signed in"
			}
			row := []string{kind, who}
			var last summary
			for _, c := range []int{readsOnlyLow, mc.concurrency} {
				r := hammer(s.http, c, mc.readPhase, func(w int, rng *rand.Rand) (string, *http.Request, error) {
					req, err := s.request(people[w], kind, rng)
					return kind, req, err
				})
				last = summarise(r.kinds[kind], r.took)
				row = append(row, fmt.Sprintf("%.0f", last.perSec), ms(last.p50), ms(last.p99), fmt.Sprint(last.errors))
			}
			rows = append(rows, append(row, share(last.perSec, staticPerSec)))
		}
	}
	c, C := fmt.Sprint(readsOnlyLow), fmt.Sprint(mc.concurrency)
	return markdownTable([]string{"page", "who",
		"+req/s at " + c, "+p50", "+p99", "+errors",
		"+req/s at " + C, "+p50", "+p99", "+errors", "+share of static"}, rows)
}

// mixedTable is the mixed load's table: each kind (anonymous, then signed
// in), then all reads, all writes and everything.
func mixedTable(r result, ceiling func(kind string) float64) string {
	order := append(slices.Clone(readKinds), kindSearch, kindSendIdea, kindComment, kindVote)
	var rows [][]string
	var notes []string
	row := func(name string, s *series, ceil float64) {
		sum := summarise(s, r.took)
		rows = append(rows, []string{name, fmt.Sprint(sum.count), fmt.Sprintf("%.0f", sum.perSec), ms(sum.p50), ms(sum.p99), fmt.Sprint(sum.errors), share(sum.perSec, ceil)})
		if sum.first != "" {
			notes = append(notes, fmt.Sprintf("%s: first error: %s", name, sum.first))
		}
	}
	reads, writes, all := []byKind{}, []byKind{}, []byKind{}
	for _, kind := range order {
		for _, name := range []string{kind, kind + " (signed in)"} {
			s := r.kinds[name]
			if s == nil {
				continue
			}
			row(name, s, ceiling(kind))
			one := byKind{"": s}
			all = append(all, one)
			if isWrite(kind) {
				writes = append(writes, one)
			} else {
				reads = append(reads, one)
			}
		}
	}
	if len(reads) > 0 {
		row("**all reads**", merge(reads)[""], ceiling(kindFront))
	}
	if len(writes) > 0 {
		row("**all writes**", merge(writes)[""], ceiling(kindVote))
	}
	row("**all**", merge(all)[""], 0)
	table := markdownTable([]string{"request", "+count", "+req/s", "+p50", "+p99", "+errors", "+share of ceiling"}, rows)
	if len(notes) > 0 {
		table += "\n" + strings.Join(notes, "\n") + "\n"
	}
	return table
}

// cpuModel reads the processor's name from /proc/cpuinfo.
func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.SplitSeq(string(b), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return "unknown processor"
}

// loadAverage reads the machine's load averages over 1, 5 and 15 minutes.
func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}
