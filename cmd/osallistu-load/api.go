package main

// The load program's client of the server's API and metrics, and small helpers.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// api is a small JSON client of the server.
type api struct {
	base  string
	token string
	http  *http.Client
	// metricsToken is the server's OSALLISTU_METRICS_TOKEN, which /metrics
	// asks for on the main address.
	metricsToken string
}

func (a *api) do(method, path string, body any, header map[string]string, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := a.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			return res.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	if res.StatusCode >= 300 && out != nil {
		return res.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, bytes.TrimSpace(data))
	}
	return res.StatusCode, nil
}

// tally is the part of a tally (or a frame) the tool compares.
type tally struct {
	Type    string    `json:"type"`
	PollID  int64     `json:"poll_id"`
	Status  string    `json:"status"`
	Ballots int       `json:"ballots"`
	AsOf    time.Time `json:"as_of"`
	Options []struct {
		ID    int64 `json:"id"`
		Votes int   `json:"votes"`
	} `json:"options"`
}

func (t *tally) votes() map[int64]int {
	m := make(map[int64]int, len(t.Options))
	for _, o := range t.Options {
		m[o.ID] = o.Votes
	}
	return m
}

// client is one WebSocket subscriber; a reader (reader_linux.go) reads it.
type client struct {
	fd       int
	pending  []byte // the start of a frame not yet complete
	observer bool
	mu       sync.Mutex
	last     []byte      // the last frame of the poll
	asOf     []time.Time // observers: each frame's as_of ...
	recv     []time.Time // ... and when it arrived
	err      error
}

// metric reads one value from the server's /metrics.
func metric(a *api, name string) (float64, error) {
	req, err := http.NewRequest("GET", a.base+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+a.metricsToken)
	res, err := a.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, name+" ") {
			return strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, name)), 64)
		}
	}
	return 0, fmt.Errorf("no metric %s", name)
}

// liveHeap reads the server's live heap: its allocated heap just after a
// garbage collection (GC timing makes any other reading count garbage). It
// watches the collections' count for up to wait, and reports whether it
// saw one.
func liveHeap(a *api, wait time.Duration) (float64, bool) {
	gcs, _ := metric(a, "go_gc_duration_seconds_count")
	for deadline := time.Now().Add(wait); time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		n, err := metric(a, "go_gc_duration_seconds_count")
		h, _ := metric(a, "go_memstats_heap_alloc_bytes")
		if err == nil && n > gcs {
			return h, true
		}
	}
	return 0, false
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p * float64(len(sorted)-1))
	return sorted[i]
}

func raiseFileLimit(need int) {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) != nil {
		return
	}
	if lim.Cur < uint64(need) && lim.Max > lim.Cur {
		lim.Cur = min(lim.Max, uint64(need))
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	if lim.Cur < uint64(need) {
		fmt.Fprintf(os.Stderr, "warning: the open files limit is %d; %d clients need more (ulimit -n)\n", lim.Cur, need)
	}
}

// openPoll makes a poll in the workshop with options labelled label 1 … n,
// of which a ballot picks at most maxChoices, opens it, and returns its id
// and its options' ids.
func (a *api) openPoll(workshop int64, question, label string, n, maxChoices int) (int64, []int64, error) {
	var opts []map[string]string
	for i := range n {
		opts = append(opts, map[string]string{"label": fmt.Sprintf("%s %d", label, i+1)})
	}
	var poll struct {
		ID      int64 `json:"id"`
		Options []struct {
			ID int64 `json:"id"`
		} `json:"options"`
	}
	if _, err := a.do("POST", fmt.Sprintf("/api/v1/workshops/%d/polls", workshop), map[string]any{"question": question, "max_choices": maxChoices, "options": opts}, nil, &poll); err != nil {
		return 0, nil, err
	}
	if _, err := a.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll.ID), nil, nil, &struct{}{}); err != nil {
		return 0, nil, err
	}
	ids := make([]int64, len(poll.Options))
	for i, o := range poll.Options {
		ids[i] = o.ID
	}
	return poll.ID, ids, nil
}

// settled reports whether every client's last frame has the truth's count.
func settled(clients []*client, truth *tally) bool {
	want := []byte(`"ballots":` + strconv.Itoa(truth.Ballots) + `,`)
	for _, cl := range clients {
		cl.mu.Lock()
		ok := bytes.Contains(cl.last, want)
		cl.mu.Unlock()
		if !ok {
			return false
		}
	}
	return true
}

// parallel runs f(0..n-1) on workers goroutines and returns the first error.
func parallel(workers, n int, f func(i int) error) error {
	var (
		next  atomic.Int64
		first error
		mu    sync.Mutex
		wg    sync.WaitGroup
	)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					next.Store(int64(n)) // stop the others
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}
