// Package localpg runs a private PostgreSQL server from the binaries installed
// on the machine, so that Osallistu (and its tests) work without anyone
// setting up a database: with no DATABASE_URL, the server's cluster lives in
// the data directory and listens only on a Unix socket there.
package localpg

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/lib/pq"
)

// Database is the database Start creates in every instance: the one
// Osallistu itself uses.
const Database = "osallistu"

// port is the server's port number. With no TCP listener it only names the
// socket file (.s.PGSQL.5432), so it never clashes with another server.
const port = 5432

// maxSocketPath keeps the socket's path well below the kernel's limit for
// Unix socket addresses (107 bytes on Linux, 103 on macOS).
const maxSocketPath = 90

// ErrNoBinaries is wrapped by the error of Find (and Start) when no
// PostgreSQL server binaries are installed; the wrapping message says how to
// go on.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries (initdb, pg_ctl, postgres) found")

// installDirs are the usual install folders, in the order Find tries them
// after pg_config and PATH. Within one pattern the highest version wins.
var installDirs = []string{
	"/usr/lib/postgresql/*/bin",                               // Debian, Ubuntu
	"/usr/local/pgsql/bin",                                    // built from source
	"/opt/homebrew/opt/postgresql*/bin",                       // Homebrew on Apple silicon
	"/usr/local/opt/postgresql*/bin",                          // Homebrew on Intel
	"/usr/pgsql-*/bin",                                        // PGDG packages on Red Hat family
	"/Applications/Postgres.app/Contents/Versions/latest/bin", // Postgres.app
}

// Instance is a private PostgreSQL server on a data directory.
type Instance struct {
	// Dir is the data directory given to Start; the cluster is Dir/pgdata and
	// the server's log Dir/postgres.log.
	Dir string
	// SocketDir is the folder of the server's Unix socket: Dir, unless Dir's
	// path is too long for a socket address.
	SocketDir string

	bins    Binaries
	pgdata  string
	port    int
	cred    *syscall.Credential // nil unless the server runs as another user
	log     *slog.Logger
	started bool // this Instance started the server (rather than found it running)

	mu      sync.Mutex
	stopped bool
}

// Start runs a PostgreSQL server whose cluster is dir/pgdata, creating the
// cluster first if there is none, and creates the database "osallistu" in it
// if missing. The server listens on a Unix socket only (in dir, or in a short
// folder under os.TempDir when dir's path is too long for a socket address)
// and trusts every local connection it accepts, which the socket's 0700
// permissions restrict to the server's user (and root).
//
// If a server from an earlier run is still running on dir and answers, Start
// uses it, and Stop then leaves it running: whoever started it stops it. A
// postmaster.pid left behind by a server that died is no obstacle: PostgreSQL
// sees that its process is gone and starts anyway (after crash recovery).
//
// PostgreSQL refuses to run as root, so when this process is root the server
// runs as the "postgres" system user: Start hands dir (recursively) to that
// user and needs every parent folder of dir to let that user through. Start
// does not loosen parents' permissions itself, because they may be private on
// purpose (as /root is); it says which one blocks. Note that os.MkdirTemp and
// testing's t.TempDir create 0700 folders: callers that put dir under such a
// folder they created should chmod it 0755.
//
// A nil log logs to slog.Default().
func Start(ctx context.Context, dir string, log *slog.Logger) (*Instance, error) {
	if log == nil {
		log = slog.Default()
	}
	bins, err := Find()
	if err != nil {
		return nil, err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	// Parents Start creates are 0755 so that, as root, the postgres user
	// can get through them; dir itself is the server's alone.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	inst := &Instance{
		Dir:    dir,
		bins:   bins,
		pgdata: filepath.Join(dir, "pgdata"),
		port:   port,
		log:    log,
	}
	var owner *user.User
	if os.Geteuid() == 0 {
		if owner, inst.cred, err = postgresUser(); err != nil {
			return nil, err
		}
		if err := checkTraversable(dir, owner, inst.cred); err != nil {
			return nil, err
		}
	}
	if inst.SocketDir, err = inst.socketDir(); err != nil {
		return nil, err
	}
	if inst.cred != nil {
		// Every run, not just the first: files an earlier run as root put in
		// dir must be the server's too.
		if err := chownTree(dir, int(inst.cred.Uid), int(inst.cred.Gid)); err != nil {
			return nil, fmt.Errorf("hand %s to the %s user: %w", dir, owner.Username, err)
		}
		if err := os.Lchown(inst.SocketDir, int(inst.cred.Uid), int(inst.cred.Gid)); err != nil {
			return nil, err
		}
	}

	if reused, err := inst.reuse(ctx); err != nil {
		return nil, err
	} else if reused {
		log.Info("using the PostgreSQL server already running on the data directory; it stays running after exit",
			"pgdata", inst.pgdata, "socket_dir", inst.SocketDir)
	} else {
		if err := inst.initdb(ctx); err != nil {
			return nil, err
		}
		if err := inst.start(ctx); err != nil {
			return nil, err
		}
		inst.started = true
		log.Info("started private PostgreSQL", "pgdata", inst.pgdata, "socket_dir", inst.SocketDir,
			"log", filepath.Join(dir, "postgres.log"))
	}
	if err := inst.createDatabase(ctx, Database); err != nil {
		inst.Stop()
		return nil, err
	}
	return inst, nil
}

// SystemDataDir is where a root process that was given no data directory
// keeps the private PostgreSQL when the default one is out of the postgres
// user's reach (see Reachable).
const SystemDataDir = "/var/lib/osallistu"

// Reachable reports why the server could not use dir as its data directory:
// nil unless this process is root and the postgres system user, whom the
// server then runs as, may not pass through one of dir's parents (root's
// home, 0700 on Debian, is the usual one). Start would fail with the same
// error.
func Reachable(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	u, cred, err := postgresUser()
	if err != nil {
		return err
	}
	return checkTraversable(dir, u, cred)
}

// postgresUser looks up the system user the server runs as when this
// process is root.
func postgresUser() (*user.User, *syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, nil, fmt.Errorf("running as root, the private PostgreSQL must run as the postgres system user, but: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, nil, err
	}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.ParseUint(id, 10, 32); err == nil {
				cred.Groups = append(cred.Groups, uint32(g))
			}
		}
	}
	return u, cred, nil
}

// checkTraversable reports the first parent folder of dir that the server's
// user may not pass through, since initdb and the server would otherwise
// fail with a less helpful "permission denied".
func checkTraversable(dir string, u *user.User, cred *syscall.Credential) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return nil
		}
		// The search (x) bit that applies: owner's, group's or others'.
		mode := fi.Mode().Perm()
		search := mode & 0o001
		switch {
		case st.Uid == cred.Uid:
			search = mode & 0o100
		case st.Gid == cred.Gid || slices.Contains(cred.Groups, st.Gid):
			search = mode & 0o010
		}
		if search == 0 {
			return fmt.Errorf("the private PostgreSQL runs as the %s user, who cannot enter %s (mode %v): "+
				"allow it (chmod o+x %s) or choose a data directory elsewhere", u.Username, p, mode, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// chownTree is chown -R. A server that is already running on the folder
// (another test process started it) creates and removes files meanwhile:
// what vanishes during the walk is no error.
func chownTree(root string, uid, gid int) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		} else if err != nil {
			return err
		}
		if err := os.Lchown(path, uid, gid); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
}

// socketDir returns (and creates if needed) the folder for the socket: Dir,
// unless the socket's path would be too long or Dir's name has characters
// that unix_socket_directories or pg_ctl's shell command cannot carry; then a
// short folder under the temporary directory, named after Dir so that a later
// run finds the same one.
func (inst *Instance) socketDir() (string, error) {
	if len(inst.Dir)+len("/.s.PGSQL.5432") <= maxSocketPath && !strings.ContainsAny(inst.Dir, ",'\"\\\n\r\t") {
		return inst.Dir, nil
	}
	sum := sha256.Sum256([]byte(inst.Dir))
	name := "osallistu-pg-" + hex.EncodeToString(sum[:6])
	dir := filepath.Join(os.TempDir(), name)
	if len(dir)+len("/.s.PGSQL.5432") > maxSocketPath || strings.ContainsAny(dir, ",'\"\\\n\r\t") {
		dir = filepath.Join("/tmp", name)
	}
	inst.log.Info("the data directory's path is too long (or odd) for a Unix socket; the private PostgreSQL's socket goes in a short folder instead",
		"data_dir", inst.Dir, "socket_dir", dir)
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("create socket folder: %w", err)
	}
	// The name is predictable, so make sure nobody else planted it: anyone
	// owning it could intercept the connections.
	fi, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	mine := ok && (int(st.Uid) == os.Geteuid() || (inst.cred != nil && st.Uid == inst.cred.Uid))
	if !fi.IsDir() || !mine || fi.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("socket folder %s is not a private folder of this user; remove it", dir)
	}
	return dir, nil
}

// reuse reports whether a server is already running on the cluster and
// answers; it then takes the socket folder and port from postmaster.pid, as
// that server may have been started with others.
func (inst *Instance) reuse(ctx context.Context) (bool, error) {
	data, err := os.ReadFile(filepath.Join(inst.pgdata, "postmaster.pid"))
	if err != nil {
		return false, nil
	}
	// Lines: pid, data dir, start time, port, first socket dir, listen
	// address, shared memory key, status.
	lines := strings.Split(string(data), "\n")
	if len(lines) < 5 || lines[4] == "" {
		return false, nil
	}
	p, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err != nil {
		return false, nil
	}
	running := &Instance{SocketDir: strings.TrimSpace(lines[4]), port: p}
	// A server still starting up (or in crash recovery) answers "starting up"
	// for a while: wait for it rather than start a second postmaster, which
	// would fail on the lock file anyway.
	deadline := time.Now().Add(60 * time.Second)
	for {
		err := ping(ctx, running.URL("postgres"))
		if err == nil {
			inst.SocketDir, inst.port = running.SocketDir, running.port
			return true, nil
		}
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || pqErr.Code != "57P03" || time.Now().After(deadline) {
			// Nothing answers (a stale postmaster.pid): start afresh.
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func ping(ctx context.Context, dsn string) error {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// initdb creates the cluster unless it exists. The C.UTF-8 locale makes
// sorting and case rules the same everywhere; where the C library lacks it,
// the cluster does without a locale.
func (inst *Instance) initdb(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(inst.pgdata, "PG_VERSION")); err == nil {
		return nil
	}
	if entries, err := os.ReadDir(inst.pgdata); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not a PostgreSQL cluster (no PG_VERSION) but is not empty either: "+
			"remove it to have a new one created", inst.pgdata)
	}
	inst.log.Info("creating PostgreSQL cluster", "pgdata", inst.pgdata)
	args := []string{"-D", inst.pgdata, "-U", "postgres", "--auth=trust", "-E", "UTF8"}
	out, err := inst.run(ctx, inst.bins.Initdb, append(args, "--locale=C.UTF-8")...)
	if err != nil {
		inst.log.Info("initdb with locale C.UTF-8 failed; trying without a locale", "output", string(out))
		// initdb removes what it created when it fails, but an empty pgdata
		// it found stays: that is fine for the second try.
		out, err = inst.run(ctx, inst.bins.Initdb, append(args, "--no-locale")...)
	}
	if err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	return nil
}

// start runs pg_ctl start and waits until the server accepts connections.
func (inst *Instance) start(ctx context.Context) error {
	logFile := filepath.Join(inst.Dir, "postgres.log")
	// pg_ctl hands -o to /bin/sh, hence the quoting; socketDir made sure
	// the folder's name has no single quote. listen_addresses='' turns TCP
	// off entirely.
	opts := fmt.Sprintf("-c listen_addresses='' -k '%s' -c unix_socket_permissions=0700 -p %d",
		inst.SocketDir, inst.port)
	out, err := inst.run(ctx, inst.bins.PgCtl, "start", "-w", "-t", "120", "-D", inst.pgdata, "-l", logFile, "-o", opts)
	if err != nil {
		return fmt.Errorf("start PostgreSQL: %w\n%s%s", err, out, logTail(logFile))
	}
	return nil
}

// logTail returns the end of the server log, where the reason for a failed
// start is.
func logTail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return "end of " + path + ":\n" + strings.Join(lines, "\n")
}

// run runs a PostgreSQL program, as the postgres user when this process is
// root, without the PG* variables of our environment (PGPORT or PGDATA
// would change what the server does).
func (inst *Instance) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = inst.Dir // the cwd of root may be closed to the postgres user
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if inst.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: inst.cred}
	}
	return cmd.CombinedOutput()
}

// createDatabase creates the database name unless it exists; a concurrent
// creator is no error.
func (inst *Instance) createDatabase(ctx context.Context, name string) error {
	db, err := sql.Open("postgres", inst.URL("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("connect to private PostgreSQL: %w", err)
	}
	if exists {
		return nil
	}
	_, err = db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name))
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "42P04" { // duplicate_database
		err = nil
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// URL returns a lib/pq connection string (key=value form, since lib/pq's
// URL form cannot name a socket folder) for database dbname on the socket,
// as the postgres superuser; postgres.Open takes it.
func (inst *Instance) URL(dbname string) string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable",
		quoteValue(inst.SocketDir), inst.port, quoteValue(dbname))
}

// quoteValue quotes a key=value connection string value when needed.
func quoteValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n\r'\\") {
		return v
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// Stop stops the server (fast: open transactions are rolled back) if this
// Instance started it; a server Start found running is left running for
// whoever started it. Calling Stop again does nothing.
func (inst *Instance) Stop() error {
	inst.mu.Lock()
	defer inst.mu.Unlock()
	if inst.stopped || !inst.started {
		return nil
	}
	return inst.shutdown()
}

// Shutdown stops the server whether or not this Instance started it. It is
// for callers that share one server among processes and decide among
// themselves who stops it (as package pgtest does). Calling it again, or
// after Stop, does nothing.
func (inst *Instance) Shutdown() error {
	inst.mu.Lock()
	defer inst.mu.Unlock()
	if inst.stopped {
		return nil
	}
	return inst.shutdown()
}

func (inst *Instance) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := inst.run(ctx, inst.bins.PgCtl, "stop", "-w", "-t", "100", "-m", "fast", "-D", inst.pgdata)
	if err != nil {
		// Already stopped by someone else is stopped all the same.
		var exitErr *exec.ExitError
		if _, serr := inst.run(ctx, inst.bins.PgCtl, "status", "-D", inst.pgdata); errors.As(serr, &exitErr) && exitErr.ExitCode() == 3 {
			err = nil
		} else {
			return fmt.Errorf("stop PostgreSQL: %w\n%s", err, out)
		}
	}
	inst.stopped = true
	if inst.SocketDir != inst.Dir {
		// Leave nothing behind in the temporary directory. The server
		// removes its socket files last thing on exit, possibly just after
		// pg_ctl saw it gone, so give it a moment.
		for range 20 {
			if err := os.Remove(inst.SocketDir); err == nil || errors.Is(err, fs.ErrNotExist) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	inst.log.Info("stopped private PostgreSQL", "pgdata", inst.pgdata)
	return nil
}
