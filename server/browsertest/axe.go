package browsertest

// The accessibility audit: axe-core found and loaded once, run in the page,
// its violations read and reported.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// findAxe returns the path of axe.min.js.
func findAxe() (string, error) {
	if p := os.Getenv(EnvAxeJS); p != "" {
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			return "", fmt.Errorf("$%s is %q, which is not a file", EnvAxeJS, p)
		}
		return p, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, axeCachePath)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("axe-core not found at %s; install it with "+
			"`npm install --no-save --prefix .cache axe-core@%s` in %s, or set $%s to an axe.min.js",
			p, AxeVersion, root, EnvAxeJS)
	}
	return p, nil
}

// repoRoot walks up from the working directory to the folder with go.mod.
func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod found above %s, so the axe-core in .cache cannot be located; set $%s to an axe.min.js", wd, EnvAxeJS)
		}
		dir = parent
	}
}

// axeSources caches the contents of axe.min.js files by path.
var axeSources sync.Map // path -> *axeSource

type axeSource struct {
	once sync.Once
	src  string
	err  error
}

// loadAxe returns the contents of the axe.min.js at path, read once per process.
func loadAxe(path string) (string, error) {
	v, _ := axeSources.LoadOrStore(path, &axeSource{})
	s := v.(*axeSource)
	s.once.Do(func() {
		b, err := os.ReadFile(path)
		if err != nil {
			s.err = fmt.Errorf("reading axe-core: %w", err)
			return
		}
		s.src = string(b)
	})
	return s.src, s.err
}

// violation is one failed axe-core rule with the nodes that fail it.
type violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []string `json:"target"`
		HTML           string   `json:"html"`
		FailureSummary string   `json:"failureSummary"`
	} `json:"nodes"`
}

// axeRun runs axe-core on the document and returns its violations in a shape
// that Go decodes easily: each node's target as a list of strings (a frame
// path joined by " >> ", a shadow DOM path by " >>> ").
var axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ` + jsStrings(wcagTags) + `}}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : String(t)),
		html: n.html, failureSummary: n.failureSummary || '',
	})),
})))`

func jsStrings(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

// audit injects axe-core into the current page if it is not there yet, runs
// it at WCAG 2.1 AA, and returns the violations.
func (b *Browser) audit() ([]violation, error) {
	src, err := loadAxe(b.axePath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := b.step()
	defer cancel()
	if b.noJS {
		// Runtime.evaluate works without page scripts, but timers do not
		// fire, and axe.run waits on them. Enabling scripts now runs none of
		// the page's scripts: they were skipped when the page loaded.
		b.setScriptsDisabled(false)
		defer b.setScriptsDisabled(true)
	}
	// Runtime.evaluate is not subject to the page's Content-Security-Policy,
	// so this works on pages that forbid inline scripts too.
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object' && typeof window.axe.run === 'function'`))
	if err != nil {
		return nil, fmt.Errorf("checking for axe-core: %w", err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src+"\n;void 0")); err != nil {
			return nil, fmt.Errorf("injecting axe-core: %w", err)
		}
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("running axe-core: %w", explain(err))
	}
	return vs, nil
}

// Audit checks the current page with axe-core against WCAG 2.0 and 2.1 at
// levels A and AA. Each violation fails the test (t.Errorf, so the test goes
// on) with its rule, impact, help text and the first few offending elements.
// Audit then checks the page at phone width with CheckPhoneWidth, so that
// every kind of audited page is read on a phone too (once: firstOfItsKind).
// Audit returns the number of violations and phone-width problems.
func (b *Browser) Audit() int {
	b.t.Helper()
	vs, err := b.audit()
	if err != nil {
		b.fail("Audit", err)
	}
	if len(vs) > 0 {
		b.t.Errorf("%s", formatViolations(b.currentURL(), vs))
	}
	n := len(vs)
	if firstOfItsKind(b.currentURL()) {
		n += b.CheckPhoneWidth()
	}
	return n
}

// phoneChecked holds the kinds of page (paths with their numbers taken out:
// /ideas/N) that an Audit of this test binary has checked at phone width.
// A kind is checked once: each check costs a page two layouts, and the
// browser tests must stay within go test's ten minutes on two cores.
var phoneChecked sync.Map

var digits = regexp.MustCompile(`[0-9]+`)

// firstOfItsKind reports whether the page at address is the first of its
// kind to be audited, and marks its kind.
func firstOfItsKind(address string) bool {
	kind := address
	if u, err := url.Parse(address); err == nil {
		kind = u.Path
	}
	_, seen := phoneChecked.LoadOrStore(digits.ReplaceAllString(kind, "N"), true)
	return !seen
}

// formatViolations describes the violations of the page at url.
func formatViolations(url string, vs []violation) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "browsertest: %d accessibility violation(s) (WCAG 2.1 AA, axe-core) on %s:", len(vs), url)
	for _, v := range vs {
		impact := v.Impact
		if impact == "" {
			impact = "unknown impact"
		}
		fmt.Fprintf(&sb, "\n- %s (%s): %s\n  %s", v.ID, impact, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == maxNodesReported {
				fmt.Fprintf(&sb, "\n  ... and %d more element(s)", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&sb, "\n  * %s\n    %s", strings.Join(n.Target, " >> "), truncate(n.HTML, 200))
		}
	}
	return sb.String()
}

// truncate collapses the white space of s and cuts it to n runes.
func truncate(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "..."
}
