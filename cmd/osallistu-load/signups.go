package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxSignups bounds -signups: each sign-up is a real account.
const maxSignups = 500

// pageReaders are the visitors who load other pages while the sign-ups run,
// each waiting pageReaderPause between its requests.
const (
	pageReaders     = 2
	pageReaderPause = 10 * time.Millisecond
)

// signupConfig is the -signups mode's configuration.
type signupConfig struct {
	base    string
	signups int
	pid     int // the server's process, whose memory is sampled; 0 samples none
}

// runSignups sends sc.signups sign-ups at once (POST /api/v1/accounts, each
// a new email, so that every one hashes a password) and reports:
//
//   - the server's resident memory (VmRSS of -pid) before, at its highest
//     while they run (sampled every 5 ms), and after;
//   - the sign-ups' answers and times;
//   - the times of the front page, loaded meanwhile by two visitors, each
//     pausing 10 ms between requests: p50, p99 and the slowest.
//
// Every account it makes is real: run it against a database kept for it.
// They all come from one address, so the server's write and sign-up limits
// must be above sc.signups (OSALLISTU_WRITE_LIMIT, OSALLISTU_SIGNUP_LIMIT).
func runSignups(sc signupConfig) error {
	base, err := loopbackBase(sc.base)
	if err != nil {
		return err
	}
	if sc.signups > maxSignups {
		return fmt.Errorf("-signups must be 1–%d", maxSignups)
	}
	if sc.pid != 0 {
		if _, err := rss(sc.pid); err != nil {
			return fmt.Errorf("-pid: %w", err)
		}
	}
	client := &http.Client{
		Timeout:   time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: sc.signups + pageReaders},
	}
	// Warm up: a connection and the front page once, so that the first
	// request of the run does not count the server's start.
	if _, err := load(client, base+"/"); err != nil {
		return fmt.Errorf("front page: %w", err)
	}

	var peak atomic.Int64
	before, _ := rss(sc.pid)
	peak.Store(before)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if sc.pid != 0 {
		wg.Go(func() {
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if kb, err := rss(sc.pid); err == nil && kb > peak.Load() {
						peak.Store(kb)
					}
				}
			}
		})
	}
	var pagesMu sync.Mutex
	var pages []time.Duration
	var pageErrors atomic.Int64
	for range pageReaders {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				d, err := load(client, base+"/")
				if err != nil {
					pageErrors.Add(1)
				} else {
					pagesMu.Lock()
					pages = append(pages, d)
					pagesMu.Unlock()
				}
				time.Sleep(pageReaderPause)
			}
		})
	}

	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	statuses := make([]int, sc.signups)
	times := make([]time.Duration, sc.signups)
	start := make(chan struct{})
	var signups sync.WaitGroup
	for i := range sc.signups {
		signups.Go(func() {
			body, _ := json.Marshal(map[string]string{
				"email":    fmt.Sprintf("signup-%s-%d@load.example", run, i),
				"password": "pitkä kuormitussalasana 2017",
				"name":     "Load Test",
			})
			<-start
			t0 := time.Now()
			res, err := client.Post(base+"/api/v1/accounts", "application/json", bytes.NewReader(body))
			times[i] = time.Since(t0)
			if err != nil {
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i] = res.StatusCode
		})
	}
	time.Sleep(200 * time.Millisecond) // the visitors' first requests, before the burst
	began := time.Now()
	close(start)
	signups.Wait()
	took := time.Since(began)
	time.Sleep(200 * time.Millisecond) // and after it
	close(stop)
	wg.Wait()
	after, _ := rss(sc.pid)

	count := map[int]int{}
	for _, st := range statuses {
		count[st]++
	}
	slices.Sort(times)
	slices.Sort(pages)
	fmt.Printf("sign-ups: %d at once, all answered in %v; answers %v (0: no answer)\n", sc.signups, took.Round(time.Millisecond), count)
	fmt.Printf("sign-up time: p50 %v, p99 %v, max %v\n", round(percentile(times, 0.5)), round(percentile(times, 0.99)), round(times[len(times)-1]))
	if len(pages) > 0 {
		fmt.Printf("front page meanwhile: %d loads, %d failed; p50 %v, p99 %v, max %v\n", len(pages), pageErrors.Load(),
			round(percentile(pages, 0.5)), round(percentile(pages, 0.99)), round(pages[len(pages)-1]))
	}
	if sc.pid != 0 {
		fmt.Printf("server memory (VmRSS): before %.0f MB, highest %.0f MB, after %.0f MB\n", mb(before), mb(peak.Load()), mb(after))
	}
	return nil
}

// load GETs url and returns how long the whole answer took.
func load(client *http.Client, url string) (time.Duration, error) {
	t0 := time.Now()
	res, err := client.Get(url)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %d", url, res.StatusCode)
	}
	return time.Since(t0), err
}

// rss reads a process's resident memory in KiB from /proc/PID/status; pid 0 is none.
func rss(pid int) (int64, error) {
	if pid == 0 {
		return 0, nil
	}
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

func mb(kib int64) float64 { return float64(kib) * 1024 / 1e6 }

func round(d time.Duration) time.Duration { return d.Round(100 * time.Microsecond) }
