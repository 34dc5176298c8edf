// Package browsertest drives a headless Chromium through chromedp for the
// browser tests of the platform's pages, and audits pages for accessibility
// at WCAG 2.1 level AA with axe-core.
//
// A test starts one browser with [New], which the test's cleanup stops:
//
//	b := browsertest.New(t)
//	b.VisitAndAudit(srv.URL + "/")
//	b.Fill("#name", "Aino")
//	b.Submit("button[type=submit]")
//	if got := b.Text("h1"); got != "Kiitos!" {
//		t.Errorf("heading = %q", got)
//	}
//
// The harness needs Chromium and axe-core. It looks for Chromium in
// $OSALLISTU_CHROMIUM, /usr/lib/chromium/chromium, /usr/bin/chromium and
// "chromium" or "chromium-browser" on the PATH, and for axe.min.js in
// $OSALLISTU_AXE_JS or in .cache/node_modules/axe-core/axe.min.js of the
// repository root (the folder with go.mod). When one of them is missing the
// test is skipped, except when the environment variable CI is set: then it
// fails, since CI must never skip browser tests silently. Install both with
//
//	apt-get install -y chromium
//	npm install --no-save --prefix .cache axe-core@4.14.1
//
// (the second one in the repository root); .ci/run does that.
//
// Selectors given to the helpers are CSS selectors (document.querySelector).
// A helper whose element never appears fails the test after the step timeout.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Environment variables that the harness reads.
const (
	// EnvChromium names the Chromium binary to use instead of the default
	// locations.
	EnvChromium = "OSALLISTU_CHROMIUM"
	// EnvAxeJS names the axe.min.js file to use instead of the one in the
	// repository's .cache folder.
	EnvAxeJS = "OSALLISTU_AXE_JS"
)

// AxeVersion is the version of axe-core that the repository pins; .ci/run
// installs it into .cache.
const AxeVersion = "4.14.1"

// axeCachePath is where npm installs axe-core, relative to the repository root.
var axeCachePath = filepath.Join(".cache", "node_modules", "axe-core", "axe.min.js")

// chromiumLocations are the absolute paths tried after $OSALLISTU_CHROMIUM.
// /usr/lib/chromium/chromium comes first: Debian's /usr/bin/chromium wrapper
// script prints a harmless shell error on every start.
var chromiumLocations = []string{"/usr/lib/chromium/chromium", "/usr/bin/chromium"}

// chromiumNames are the commands looked up on the PATH after chromiumLocations.
var chromiumNames = []string{"chromium", "chromium-browser"}

const (
	// defaultTimeout bounds the whole life of one browser, from its start to
	// the end of the test. Every audit also lays the page out at two phone
	// widths, which takes a while on a busy machine.
	defaultTimeout = 3 * time.Minute
	// stepTimeout bounds one helper call, such as waiting for an element or
	// for a page to load, so that a failing step leaves time to report the
	// page's URL.
	stepTimeout = 20 * time.Second
	// maxNodesReported is how many nodes of each violation Audit lists.
	maxNodesReported = 3
	// maxBrowserOutput is how much of Chromium's own output is kept for the
	// log of a failed test.
	maxBrowserOutput = 8 << 10
)

// wcagTags are the axe-core tags of WCAG 2.0 and 2.1, levels A and AA.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Option changes how New starts the browser.
type Option func(*config)

type config struct {
	noJS    bool
	timeout time.Duration
}

// WithoutJavaScript starts a browser whose pages run no scripts of their own
// (Emulation.setScriptExecutionDisabled), for testing that pages and forms work
// without JavaScript. The setting holds for every page that the browser loads.
// The helpers and Audit still work: they run through the DevTools protocol,
// and Audit enables scripts only while axe-core runs (axe needs timers, which
// a page without scripts does not fire).
func WithoutJavaScript() Option {
	return func(c *config) { c.noJS = true }
}

// WithTimeout sets how long the browser may run in all, from its start to the
// end of the test; the default is 3 minutes. A deadline of the test itself
// (go test -timeout) that comes earlier shortens it.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// Browser is one headless Chromium with one tab, bound to a test. Its methods
// fail the test on errors, so a test needs no error checks. A Browser is not
// safe for concurrent use; parallel tests each call New.
type Browser struct {
	t       *testing.T
	ctx     context.Context // the tab; ends at the browser's deadline
	axePath string
	noJS    bool
	lastURL string // the last URL seen, for messages when the tab is stuck
}

// New starts a headless Chromium for the test t and returns it. The browser
// is stopped and its temporary profile removed when the test ends.
//
// When Chromium or axe-core is missing, New skips the test with a message that
// says how to install it; when the environment variable CI is not empty, it
// fails the test instead.
func New(t *testing.T, opts ...Option) *Browser {
	t.Helper()
	cfg := config{timeout: defaultTimeout}
	for _, o := range opts {
		o(&cfg)
	}

	chromium, axePath, err := findTools()
	if err != nil {
		missing(t, err)
	}
	if _, err := loadAxe(axePath); err != nil {
		t.Fatalf("browsertest: %v", err)
	}

	timeout := cfg.timeout
	if d, ok := t.Deadline(); ok {
		// Leave a little time for the cleanup and the report.
		if left := time.Until(d) - 5*time.Second; left < timeout {
			timeout = max(left, time.Second)
		}
	}

	out := &tailBuffer{max: maxBrowserOutput}
	logger := &testLogger{t: t}
	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless, // --headless
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 1024),
		chromedp.CombinedOutput(out),
		// No UserDataDir: the allocator then makes a fresh temporary
		// --user-data-dir for this browser, and removes it (killing any
		// leftover child process first) after the browser exits.
	)

	rootCtx, rootCancel := context.WithTimeout(context.Background(), timeout)
	allocCtx, allocCancel := chromedp.NewExecAllocator(rootCtx, allocOpts...)
	tabCtx, tabCancel := chromedp.NewContext(allocCtx,
		chromedp.WithLogf(logger.logf),
		chromedp.WithErrorf(logger.errorf),
	)
	t.Cleanup(func() {
		logger.stop()
		// Cancel closes the browser gracefully; it fails when the deadline
		// has already passed, and the allocator then kills the process.
		_ = chromedp.Cancel(tabCtx)
		tabCancel()
		allocCancel() // waits for the process and removes the profile
		rootCancel()
		if t.Failed() {
			if s := strings.TrimSpace(out.relevant()); s != "" {
				t.Logf("browsertest: Chromium's output (last %d bytes):\n%s", maxBrowserOutput, s)
			}
		}
	})

	b := &Browser{t: t, ctx: tabCtx, axePath: axePath, noJS: cfg.noJS}
	// The first Do starts the browser and opens the tab.
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("browsertest: starting %s: %v\nChromium's output:\n%s", chromium, err, out.relevant())
	}
	if cfg.noJS {
		b.setScriptsDisabled(true)
	}
	return b
}

// missing skips the test because a tool is missing, or fails it in CI.
func missing(t *testing.T, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("browsertest: %v\n(CI is set, so a missing browser tool fails the test instead of skipping it)", err)
	}
	t.Skipf("browsertest: %v", err)
}

// findTools returns the Chromium binary and axe-core's script, or an error
// that names the first one missing. New and the tests that run a browser in a
// child process decide to skip by it, so that they skip alike.
func findTools() (chromium, axePath string, err error) {
	if chromium, err = findChromium(); err != nil {
		return "", "", err
	}
	if axePath, err = findAxe(); err != nil {
		return "", "", err
	}
	return chromium, axePath, nil
}

// findChromium returns the Chromium binary to run.
func findChromium() (string, error) {
	if p := os.Getenv(EnvChromium); p != "" {
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("$%s is %q, which is not an executable file", EnvChromium, p)
	}
	for _, p := range chromiumLocations {
		if isExecutable(p) {
			return p, nil
		}
	}
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("chromium not found (looked at $%s, %s, and %s on the PATH); "+
		"install it with `apt-get install -y chromium`, or set $%s to the browser binary",
		EnvChromium, strings.Join(chromiumLocations, ", "), strings.Join(chromiumNames, " and "), EnvChromium)
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// step returns a context for one helper call.
func (b *Browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// fail reports a failed step with the page's URL and stops the test.
func (b *Browser) fail(what string, err error) {
	b.t.Helper()
	b.t.Fatalf("browsertest: %s: %v\n\tpage: %s", what, explain(err), b.currentURL())
}

// explain turns a timeout into a message that says what it likely means.
func explain(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (no result within the step timeout of %v or the browser's deadline: "+
			"an element that never appears or is not visible, or a page that never loads?)", err, stepTimeout)
	}
	return err
}

// currentURL returns the tab's URL, or the last one seen when the tab does not
// answer.
func (b *Browser) currentURL() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	u, err := urlOf(ctx)
	if err != nil {
		if b.lastURL == "" {
			return "(unknown)"
		}
		return b.lastURL + " (last known URL)"
	}
	b.lastURL = u
	return u
}

// urlOf reads the URL of the tab's current history entry, which needs no
// JavaScript in the page.
func urlOf(ctx context.Context) (string, error) {
	h, err := chromedp.Run(ctx, chromedp.NavigationEntries())
	if err != nil {
		return "", err
	}
	if h.CurrentIndex < 0 || int(h.CurrentIndex) >= len(h.Entries) {
		return "", errors.New("no current history entry")
	}
	return h.Entries[h.CurrentIndex].URL, nil
}

// Run runs the chromedp actions in order in the browser's tab, and fails the
// test with the page's URL when one of them fails. Each call has the step
// timeout of 20 seconds. For actions that return a value, use
// chromedp.Run(b.Context(), action).
func (b *Browser) Run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail("Run", err)
	}
}

// Context returns the context of the browser's tab, for calling chromedp
// directly, for example chromedp.Run(b.Context(), chromedp.Title()). It ends
// at the browser's deadline; it has no step timeout.
func (b *Browser) Context() context.Context {
	return b.ctx
}

// Visit navigates to url, waits for the page to load and for its body, and
// fails the test when the page cannot be loaded. An HTTP error status is no
// failure: error pages can be visited and audited too.
func (b *Browser) Visit(url string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	b.lastURL = url
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		b.fail(fmt.Sprintf("Visit(%q)", url), err)
	}
}

// VisitAndAudit visits url and audits the page with Audit. It returns the
// number of accessibility violations.
func (b *Browser) VisitAndAudit(url string) int {
	b.t.Helper()
	b.Visit(url)
	return b.Audit()
}

// URL returns the URL of the current page.
func (b *Browser) URL() string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	u, err := urlOf(ctx)
	if err != nil {
		b.fail("URL", err)
	}
	b.lastURL = u
	return u
}

// Text returns the visible text (innerText) of the first element that
// matches the CSS selector sel, waiting for it to appear.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fail(fmt.Sprintf("Text(%q)", sel), err)
	}
	return s
}

// Screenshot saves a PNG of the whole page, beyond the viewport, to path. It
// is meant for debugging: the file tool or an image viewer shows it.
func (b *Browser) Screenshot(path string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 means PNG
	if err != nil {
		b.fail(fmt.Sprintf("Screenshot(%q)", path), err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("browsertest: Screenshot: %v", err)
	}
}

// typedInputs are the input types whose value Fill types key by key, as a
// person would. Other inputs (date, color, range, ...) and select elements
// get their value set directly.
var typedInputs = map[string]bool{
	"": true, "text": true, "search": true, "email": true, "url": true,
	"tel": true, "password": true, "number": true,
}

// Fill clears the form field that matches the CSS selector sel and enters
// value. Text fields and textareas get the value typed key by key (a text
// input takes no line break, as Enter would submit its form); select elements
// and other inputs get it set. Fill fails the test when the field does not hold
// value afterwards, such as for a select without that option.
func (b *Browser) Fill(sel, value string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	what := fmt.Sprintf("Fill(%q, %q)", sel, value)
	css := chromedp.CSS(sel)
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(css))
	if err != nil {
		b.fail(what, err)
	}
	n := nodes[0]
	typ, _ := n.Attribute("type")
	typed := n.NodeName == "TEXTAREA" || (n.NodeName == "INPUT" && typedInputs[strings.ToLower(typ)])
	if typed && n.NodeName == "INPUT" && strings.ContainsAny(value, "\r\n") {
		b.fail(what, errors.New("a line break in a text input would press Enter and submit the form; use Submit to submit"))
	}
	if typed {
		// Not chromedp.SetValue(css, ""): chromedp v0.23 drops an empty
		// string argument of a function call (JSON v2 omitempty), so the
		// field would get "undefined" and the action fails.
		err = chromedp.Do(ctx, onFirst(css, `function() { this.value = ''; }`), chromedp.SendKeys(css, value))
	} else {
		// Set the value, and tell the page's scripts (if any run) about it.
		// chromedp.SetValue also sends the input and change events. For an
		// empty value it cannot be used (see above).
		set := chromedp.SetValue(css, value)
		if value == "" {
			set = onFirst(css, `function() {
				this.value = '';
				this.dispatchEvent(new Event('input', {bubbles: true}));
				this.dispatchEvent(new Event('change', {bubbles: true}));
			}`)
		}
		err = chromedp.Do(ctx, set)
	}
	if err != nil {
		b.fail(what, err)
	}
	got, err := chromedp.Run(ctx, chromedp.Value(css))
	if err != nil {
		b.fail(what, err)
	}
	// A textarea stores a line break as "\n".
	if want := strings.ReplaceAll(value, "\r\n", "\n"); got != want {
		b.fail(what, fmt.Errorf("the field holds %q afterwards (a maxlength, an input type that rejects the value, or a missing option?)", got))
	}
}

// callOnNode calls the JavaScript function decl with the DOM node n as its
// "this". It goes through the DevTools protocol, so it works in a page whose
// own scripts are disabled.
func callOnNode(ctx context.Context, t *chromedp.Target, n *chromedp.Node, decl string) error {
	r, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{NodeID: n.NodeID})
	if err != nil {
		return err
	}
	defer func() {
		// Fails harmlessly when the call made the page navigate.
		_, _ = cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: r.Object.ObjectID})
	}()
	_, err = chromedp.CallFunctionOn[chromedp.Void](decl, func(p *runtime.CallFunctionOnParams) {
		p.ObjectID = r.Object.ObjectID
	})(ctx, t)
	return err
}

// onFirst is an action that calls the JavaScript function decl on the first
// element that matches sel.
func onFirst(sel chromedp.CSS, decl string) chromedp.Action[chromedp.Void] {
	return chromedp.QueryAfter(sel, func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) (chromedp.Void, error) {
		return chromedp.Void{}, callOnNode(ctx, t, nodes[0], decl)
	})
}

// Click clicks the first visible element that matches the CSS selector sel.
// It does not wait for a page that the click may load; use Submit for that.
func (b *Browser) Click(sel string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.fail(fmt.Sprintf("Click(%q)", sel), err)
	}
}

// Submit submits a form and waits until the page that it leads to has fully
// loaded, following redirects (such as a POST answered with 303 See Other),
// so that the next step sees the new page. sel is a CSS selector of the
// element to click, normally a submit button (then its name and value are
// sent, and the browser's form validation applies), or of a form, which is
// then submitted as if by its default button (form.requestSubmit()). It works
// for links too. Submit fails the test when no new page loads within the step
// timeout, for example because form validation stopped the submission.
func (b *Browser) Submit(sel string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	what := fmt.Sprintf("Submit(%q)", sel)
	css := chromedp.CSS(sel)
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(css))
	if err != nil {
		b.fail(what, err)
	}
	var trigger chromedp.Action[chromedp.Void]
	if nodes[0].NodeName == "FORM" {
		trigger = onFirst(css, `function() { this.requestSubmit(); }`)
	} else {
		trigger = chromedp.Click(css)
	}
	// RunResponse listens before it runs the trigger, then waits for the
	// load event of the new document (by its loader id, so an old load event
	// cannot end the wait early).
	if _, err := chromedp.RunResponse(ctx, trigger); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no new page loaded within %v after the submit (did form validation block it, or is %q no submit button?): %w", stepTimeout, sel, err)
		}
		b.fail(what, err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		b.fail(what, err)
	}
}

// setScriptsDisabled switches the page's own scripts off or on.
func (b *Browser) setScriptsDisabled(disabled bool) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: disabled})
	if err != nil {
		b.fail("switching JavaScript", err)
	}
}

// testLogger sends chromedp's log lines to the test log until the test ends
// (a test's log must not be written after it has finished).
type testLogger struct {
	mu      sync.Mutex
	t       *testing.T
	stopped bool
}

func (l *testLogger) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.t.Logf("chromedp: "+format, args...)
	}
}

func (l *testLogger) errorf(format string, args ...any) {
	l.logf("ERROR: "+format, args...)
}

func (l *testLogger) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (w *tailBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if len(w.buf) > w.max {
		w.buf = append(w.buf[:0], w.buf[len(w.buf)-w.max:]...)
	}
	return len(p), nil
}

// relevant returns the kept output without the lines about D-Bus, which
// Chromium prints by the dozen where no D-Bus runs.
func (w *tailBuffer) relevant() string {
	var keep []string
	for _, line := range strings.Split(w.String(), "\n") {
		if !strings.Contains(line, ":ERROR:dbus/") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

func (w *tailBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}
