package localpg_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"osallistu/participation/postgres"
	"osallistu/participation/postgres/localpg"
)

// needBinaries skips the test on a developer machine without PostgreSQL's
// server, but fails it in CI, where a skipped database test would hide that
// nothing was tested.
func needBinaries(t *testing.T) {
	t.Helper()
	if _, err := localpg.Find(); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
}

// dataDir returns a fresh folder for a data directory. As root, the server
// runs as the postgres user, who must get through the 0700 folders that
// t.TempDir creates; they are the test's own, so opening them is harmless.
func dataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		for _, d := range []string{dir, filepath.Dir(dir)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return filepath.Join(dir, "osallistu-data")
}

func logger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

func start(t *testing.T, dir string) *localpg.Instance {
	t.Helper()
	inst, err := localpg.Start(t.Context(), dir, logger(t))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func open(t *testing.T, inst *localpg.Instance) *sqlx.DB {
	t.Helper()
	db, err := postgres.Open(t.Context(), inst.URL(localpg.Database))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStartStopReuse(t *testing.T) {
	needBinaries(t)
	t.Parallel()
	ctx := context.Background()
	dir := dataDir(t)

	first := start(t, dir)
	t.Cleanup(func() { first.Stop() })
	if got := first.SocketDir; got != dir {
		t.Errorf("socket folder = %s, want the data directory %s", got, dir)
	}
	db := open(t, first)
	if _, err := db.ExecContext(ctx, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// A second Start while the first server runs uses it, and its Stop
	// leaves the server to the first.
	second := start(t, dir)
	if err := second.Stop(); err != nil {
		t.Fatal(err)
	}
	db = open(t, first)
	var n int
	if err := db.GetContext(ctx, &n, `SELECT count(*) FROM kept`); err != nil || n != 1 {
		t.Fatalf("after the reusing instance's Stop: count = %d, %v; want 1, nil", n, err)
	}
	db.Close()

	// Keep postmaster.pid to put it back after the stop, as a server that
	// died would have left it.
	pid, err := os.ReadFile(filepath.Join(dir, "pgdata", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := first.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	waitGone(t, pid)
	if err := os.WriteFile(filepath.Join(dir, "pgdata", "postmaster.pid"), pid, 0o600); err != nil {
		t.Fatal(err)
	}

	// Starting again on the same directory keeps the data.
	third := start(t, dir)
	t.Cleanup(func() { third.Stop() })
	db = open(t, third)
	var v string
	if err := db.GetContext(ctx, &v, `SELECT v FROM kept`); err != nil || v != "still here" {
		t.Fatalf("after restart: v = %q, %v; want %q", v, err, "still here")
	}
	db.Close()
	if err := third.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Open(ctx, third.URL(localpg.Database)); err == nil {
		t.Fatal("server still answers after Stop")
	}
}

// waitGone waits until the process of a postmaster.pid has been reaped, as
// one that died before a reboot would have been: until then PostgreSQL
// rightly takes the file for a live server's.
func waitGone(t *testing.T, pidFile []byte) {
	t.Helper()
	line, _, _ := strings.Cut(string(pidFile), "\n")
	pid, err := strconv.Atoi(line)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
	}
	t.Fatalf("process %d still there", pid)
}

func TestStartLongDirectory(t *testing.T) {
	needBinaries(t)
	t.Parallel()
	dir := filepath.Join(dataDir(t), strings.Repeat("a-long-folder-name/", 6))
	inst := start(t, dir)
	t.Cleanup(func() { inst.Stop() })
	if len(inst.SocketDir) >= len(dir) || !strings.HasPrefix(inst.SocketDir, os.TempDir()) && !strings.HasPrefix(inst.SocketDir, "/tmp") {
		t.Errorf("socket folder = %s, want a short folder under the temporary directory", inst.SocketDir)
	}
	db := open(t, inst)
	var one int
	if err := db.GetContext(t.Context(), &one, `SELECT 1`); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
	db.Close()
	if err := inst.Stop(); err != nil {
		t.Fatal(err)
	}
}

func TestFindInNothingSaysWhatToDo(t *testing.T) {
	_, err := localpg.FindIn(t.TempDir(), []string{filepath.Join(t.TempDir(), "*", "bin")})
	if !errors.Is(err, localpg.ErrNoBinaries) {
		t.Fatalf("err = %v, want ErrNoBinaries", err)
	}
	for _, want := range []string{"apt-get install postgresql", "brew install postgresql", "DATABASE_URL", "docker compose up"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%s", want, err)
		}
	}
}

// fakeBin makes a folder with executables of the given names.
func fakeBin(t *testing.T, dir string, names ...string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFindInOrder(t *testing.T) {
	root := t.TempDir()
	server := []string{"initdb", "pg_ctl", "postgres"}
	fakeBin(t, filepath.Join(root, "lib/postgresql/9.6/bin"), server...)
	v15 := fakeBin(t, filepath.Join(root, "lib/postgresql/15/bin"), server...)
	fakeBin(t, filepath.Join(root, "lib/postgresql/16/bin"), "initdb", "pg_ctl") // no server: skipped
	patterns := []string{filepath.Join(root, "lib/postgresql/*/bin")}

	b, err := localpg.FindIn("", patterns)
	if err != nil || b.Dir != v15 {
		t.Fatalf("install folders: Dir = %q, %v; want %s", b.Dir, err, v15)
	}

	// A client-only pg_config (Debian's says /usr/bin) is passed over; a
	// complete folder on PATH comes before the install folders.
	client := fakeBin(t, filepath.Join(root, "client"))
	script := "#!/bin/sh\necho " + client + "\n"
	if err := os.WriteFile(filepath.Join(client, "pg_config"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	onPath := fakeBin(t, filepath.Join(root, "path"), server...)
	b, err = localpg.FindIn(client+string(os.PathListSeparator)+onPath, patterns)
	if err != nil || b.Dir != onPath {
		t.Fatalf("PATH: Dir = %q, %v; want %s", b.Dir, err, onPath)
	}

	// pg_config naming a complete folder wins.
	script = "#!/bin/sh\necho " + v15 + "\n"
	if err := os.WriteFile(filepath.Join(client, "pg_config"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err = localpg.FindIn(client+string(os.PathListSeparator)+onPath, patterns)
	if err != nil || b.Dir != v15 {
		t.Fatalf("pg_config: Dir = %q, %v; want %s", b.Dir, err, v15)
	}
}

// TestReachable: as root, a data directory under a 0700 folder the postgres
// user cannot enter is refused, and says which folder; opened, it is fine.
// Not as root, the server runs as this user and every folder is fine.
func TestReachable(t *testing.T) {
	private := t.TempDir() // in a 0700 folder
	dir := filepath.Join(private, "osallistu-data")
	if os.Geteuid() != 0 {
		if err := localpg.Reachable(dir); err != nil {
			t.Fatalf("Reachable(%s) = %v, want nil when not root", dir, err)
		}
		return
	}
	if _, err := user.Lookup("postgres"); err != nil {
		t.Skip("no postgres system user:", err)
	}
	err := localpg.Reachable(dir)
	if err == nil || !strings.Contains(err.Error(), "cannot enter "+filepath.Dir(private)) {
		t.Fatalf("Reachable(%s) = %v, want an error naming %s", dir, err, filepath.Dir(private))
	}
	for _, d := range []string{private, filepath.Dir(private)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := localpg.Reachable(dir); err != nil {
		t.Fatalf("Reachable(%s) after chmod 0755 = %v, want nil", dir, err)
	}
}
