package main

// The fault tests' harness: the osallistu binary, built once per test
// binary, run as a process of its own (so that it can be sent SIGTERM or
// SIGKILL) on a private PostgreSQL that the test starts, stops and
// restarts; and a workshop poll seeded through the HTTP API.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"osallistu/participation/postgres"
	"osallistu/participation/postgres/localpg"
)

// The binary, built by the first test that asks for it.
var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

// osallistuBinary builds the osallistu command once per test binary and
// returns its path; removeBinary (from TestMain) removes it at the end.
func osallistuBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "osallistu-bin-"); buildErr != nil {
			return
		}
		// The server runs as root in CI: the binary must be reachable, no
		// more (the PostgreSQL it starts is the test's, not the binary's).
		buildBin = filepath.Join(buildDir, "osallistu")
		out, err := exec.Command("go", "build", "-o", buildBin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// removeBinary removes the built binary, if any.
func removeBinary() {
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
}

// testPG is a private PostgreSQL server that the test controls: Stop, Start
// and Restart keep its data and its socket, so that a server using it sees
// the same database come back.
type testPG struct {
	t    *testing.T
	dir  string
	mu   sync.Mutex
	inst *localpg.Instance
}

// startPG starts a private PostgreSQL for t and stops it when t ends. It
// skips t where no PostgreSQL server binaries are installed, except in CI
// (CI set), where they must be.
func startPG(t *testing.T) *testPG {
	t.Helper()
	if _, err := localpg.Find(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	dir := t.TempDir()
	if os.Geteuid() == 0 { // the server runs as postgres, who must get through t's folders
		for _, d := range []string{dir, filepath.Dir(dir)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	p := &testPG{t: t, dir: filepath.Join(dir, "pg")}
	p.Start()
	t.Cleanup(func() { p.Stop() })
	return p
}

// Start starts the server (again).
func (p *testPG) Start() {
	p.t.Helper()
	inst, err := localpg.Start(context.Background(), p.dir, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.inst = inst
	p.mu.Unlock()
}

// Stop stops the server (fast: open connections end, open transactions
// roll back). Stopping a stopped server does nothing.
func (p *testPG) Stop() {
	p.t.Helper()
	p.mu.Lock()
	inst := p.inst
	p.mu.Unlock()
	if err := inst.Stop(); err != nil {
		p.t.Fatal(err)
	}
}

// Restart stops the server and starts it again on the same data and socket.
func (p *testPG) Restart() {
	p.t.Helper()
	p.Stop()
	p.Start()
}

// URL is the database's connection string, the same across restarts.
func (p *testPG) URL() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inst.URL(localpg.Database)
}

// Open connects the test itself to the database, for checks; closed when t
// ends.
func (p *testPG) Open() *sqlx.DB {
	p.t.Helper()
	db, err := postgres.Open(p.t.Context(), p.URL())
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { db.Close() })
	return db
}

// The first official's credentials: every instance makes sure of the account.
const (
	harnessAdminEmail    = "virkailija@example.fi"
	harnessAdminPassword = "virkailija-salasana-1"
)

// instance is one osallistu process started by the test.
type instance struct {
	t    *testing.T
	Addr string // host:port it listens on
	Base string // http://Addr
	cmd  *exec.Cmd
	log  lockedBuffer
	done chan struct{} // closed when the process has exited
	err  error         // its exit, once done is closed
}

// startInstance runs `osallistu serve` on the database at dbURL, on a free
// loopback port, with the write and join limits raised far above what a
// test sends from its one address and no metrics address. extra adds to
// (or overrides) its environment. The process is killed when t ends if it
// still runs; when t failed, its log is logged.
func startInstance(t *testing.T, dbURL string, extra map[string]string) *instance {
	t.Helper()
	bin := osallistuBinary(t)
	return startInstanceAt(t, bin, freeAddr(t), dbURL, extra)
}

// startInstanceAt is startInstance on a given address, for a restart on
// the same one.
func startInstanceAt(t *testing.T, bin, addr, dbURL string, extra map[string]string) *instance {
	t.Helper()
	vars := map[string]string{
		"DATABASE_URL":                    dbURL,
		"OSALLISTU_ADDR":                  addr,
		"OSALLISTU_ADMIN_EMAIL":           harnessAdminEmail,
		"OSALLISTU_ADMIN_PASSWORD":        harnessAdminPassword,
		"OSALLISTU_WRITE_LIMIT":           "100000",
		"OSALLISTU_ADDRESS_WRITE_LIMIT":   "1000000",
		"OSALLISTU_JOIN_LIMIT":            "100000",
		"OSALLISTU_RESPONDENT_LIMIT":      "100000",
		"OSALLISTU_LIVE_CONNECTION_LIMIT": "100000",
		"OSALLISTU_PAGE_CACHE":            "0s",
	}
	for k, v := range extra {
		vars[k] = v
	}
	// The test's own environment, without what would configure the server
	// otherwise (PG* changes what lib/pq connects to).
	var envList []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OSALLISTU_") && !strings.HasPrefix(kv, "DATABASE_URL=") && !strings.HasPrefix(kv, "PG") {
			envList = append(envList, kv)
		}
	}
	for k, v := range vars {
		envList = append(envList, k+"="+v)
	}
	in := &instance{t: t, Addr: addr, Base: "http://" + addr, done: make(chan struct{})}
	in.cmd = exec.Command(bin, "serve")
	in.cmd.Env = envList
	in.cmd.Stdout, in.cmd.Stderr = &in.log, &in.log
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { in.err = in.cmd.Wait(); close(in.done) }()
	t.Cleanup(func() {
		in.cmd.Process.Kill()
		<-in.done
		if t.Failed() {
			t.Logf("log of the instance on %s:\n%s", addr, in.log.String())
		}
	})
	return in
}

// WaitReady waits until /readyz answers 200 (the database is migrated and
// the live listener listens).
func (in *instance) WaitReady() {
	in.t.Helper()
	eventually(in.t, "/readyz of "+in.Addr+" answers 200", func() bool {
		select {
		case <-in.done:
			in.t.Fatalf("the instance exited before it was ready: %v", in.err)
		default:
		}
		s, _ := call("GET", in.Base+"/readyz", "", nil)
		return s == http.StatusOK
	})
}

// Signal sends the process sig (syscall.SIGTERM, syscall.SIGKILL).
func (in *instance) Signal(sig syscall.Signal) {
	in.t.Helper()
	if err := in.cmd.Process.Signal(sig); err != nil {
		in.t.Fatal(err)
	}
}

// Wait waits up to timeout for the process to exit and returns its exit
// code (-1 when a signal ended it); it fails t if it is still running.
func (in *instance) Wait(timeout time.Duration) int {
	in.t.Helper()
	select {
	case <-in.done:
		return in.cmd.ProcessState.ExitCode()
	case <-time.After(timeout):
		in.t.Fatalf("the instance on %s did not exit within %v", in.Addr, timeout)
		return 0
	}
}

// Log is what the process has written so far.
func (in *instance) Log() string { return in.log.String() }

// seededPoll is an open poll in a workshop of a process, made through the
// API by the official.
type seededPoll struct {
	Official   string // the official's bearer token
	Process    string // the process's slug
	WorkshopID int64
	JoinCode   string
	PollID     int64
	OptionIDs  []int64
}

// seedPoll signs the official in, creates a process, a workshop anyone may
// join and a poll of options labels (max_choices 1), and opens the poll.
func seedPoll(t *testing.T, base string, labels ...string) seededPoll {
	t.Helper()
	var sp seededPoll
	var sess struct{ Token string }
	mustCall(t, 200, "POST", base+"/api/v1/session", "", map[string]string{"email": harnessAdminEmail, "password": harnessAdminPassword}, &sess)
	sp.Official, sp.Process = sess.Token, "vikasieto"
	mustCall(t, 201, "POST", base+"/api/v1/processes", sp.Official, map[string]string{"slug": sp.Process, "title": "Vikasieto", "description": "Kestääkö alusta?"}, nil)
	var ws struct {
		ID       int64  `json:"id"`
		JoinCode string `json:"join_code"`
	}
	mustCall(t, 201, "POST", base+"/api/v1/processes/"+sp.Process+"/workshops", sp.Official,
		map[string]any{"title": "Työpaja", "starts_at": time.Now().UTC().Format(time.RFC3339), "show_results_live": true, "require_account": false}, &ws)
	sp.WorkshopID, sp.JoinCode = ws.ID, ws.JoinCode
	var options []map[string]string
	for _, l := range labels {
		options = append(options, map[string]string{"label": l})
	}
	var poll struct {
		ID      int64 `json:"id"`
		Options []struct {
			ID int64 `json:"id"`
		} `json:"options"`
	}
	mustCall(t, 201, "POST", fmt.Sprintf("%s/api/v1/workshops/%d/polls", base, sp.WorkshopID), sp.Official,
		map[string]any{"question": "Mikä ensin?", "max_choices": 1, "options": options}, &poll)
	sp.PollID = poll.ID
	for _, o := range poll.Options {
		sp.OptionIDs = append(sp.OptionIDs, o.ID)
	}
	mustCall(t, 200, "POST", fmt.Sprintf("%s/api/v1/polls/%d/open", base, sp.PollID), sp.Official, nil, nil)
	return sp
}

// mustCall is call that fails t unless the status is want, and decodes the
// body into out unless out is nil.
func mustCall(t *testing.T, want int, method, url, token string, body, out any) {
	t.Helper()
	status, b := call(method, url, token, body)
	if status != want {
		t.Fatalf("%s %s: %d %s, want %d", method, url, status, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
}
