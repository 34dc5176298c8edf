package localpg

// Finding PostgreSQL's server programs: pg_config, PATH, then the usual install folders.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Binaries are the PostgreSQL server programs Start runs.
type Binaries struct {
	Dir      string // the folder holding all three
	Initdb   string // creates a cluster
	PgCtl    string // starts and stops the server
	Postgres string // the server itself, run by pg_ctl
}

// Find locates the server binaries: first where `pg_config --bindir` says,
// then on PATH, then in the usual install folders. The error wraps
// ErrNoBinaries and names the ways forward.
func Find() (Binaries, error) {
	return FindIn(os.Getenv("PATH"), installDirs)
}

// FindIn is Find with the search path (a PATH-style list, also used to find
// pg_config) and the install folder patterns (filepath.Glob patterns) given,
// so that a test can see what happens on a machine without PostgreSQL.
func FindIn(path string, patterns []string) (Binaries, error) {
	var candidates []string
	// pg_config knows where its installation keeps programs, but on Debian the
	// client package's pg_config says /usr/bin, which has no initdb: each
	// candidate is therefore checked for all three programs.
	if pgConfig := lookIn(path, "pg_config"); pgConfig != "" {
		if out, err := exec.Command(pgConfig, "--bindir").Output(); err == nil {
			candidates = append(candidates, strings.TrimSpace(string(out)))
		}
	}
	for _, dir := range filepath.SplitList(path) {
		initdb := filepath.Join(dir, "initdb")
		if !isExecutable(initdb) {
			continue
		}
		candidates = append(candidates, dir)
		// A symlinked initdb (as in /usr/local/bin) may have its siblings
		// only in the folder it points into.
		if real, err := filepath.EvalSymlinks(initdb); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
	}
	for _, pattern := range patterns {
		matches, _ := filepath.Glob(pattern)
		slices.SortStableFunc(matches, func(a, b string) int { return compareVersions(b, a) })
		candidates = append(candidates, matches...)
	}
	for _, dir := range candidates {
		b := Binaries{
			Dir:      dir,
			Initdb:   filepath.Join(dir, "initdb"),
			PgCtl:    filepath.Join(dir, "pg_ctl"),
			Postgres: filepath.Join(dir, "postgres"),
		}
		if dir != "" && isExecutable(b.Initdb) && isExecutable(b.PgCtl) && isExecutable(b.Postgres) {
			return b, nil
		}
	}
	return Binaries{}, fmt.Errorf("%w via pg_config, PATH or the usual install folders. To go on, do one of:\n"+
		"  - install PostgreSQL's server (e.g. `apt-get install postgresql` or `brew install postgresql`),\n"+
		"  - set DATABASE_URL to an existing server (e.g. postgres://user:password@localhost:5432/osallistu),\n"+
		"  - run `docker compose up` from the repository", ErrNoBinaries)
}

// lookIn is exec.LookPath on the given search path rather than $PATH.
func lookIn(path, name string) string {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		if p := filepath.Join(dir, name); isExecutable(p) {
			return p
		}
	}
	return ""
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

var digits = regexp.MustCompile(`[0-9]+`)

// compareVersions orders paths by the version numbers in them, so that
// /usr/lib/postgresql/15 beats /usr/lib/postgresql/9.6 (which a string
// comparison would not).
func compareVersions(a, b string) int {
	na, nb := digits.FindAllString(a, -1), digits.FindAllString(b, -1)
	for i := 0; i < len(na) && i < len(nb); i++ {
		x, _ := strconv.Atoi(na[i])
		y, _ := strconv.Atoi(nb[i])
		if x != y {
			return x - y
		}
	}
	if len(na) != len(nb) {
		return len(na) - len(nb)
	}
	return strings.Compare(a, b)
}
