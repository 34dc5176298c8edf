package browsertest

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// goodPage is an accessible page: language, title, landmarks, a labelled
// field. A strict Content-Security-Policy (see newServer) checks that the
// audit works on pages that forbid inline scripts.
const goodPage = `<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><title>Osallistu – palaute</title></head>
<body>
<header><p>Osallistu</p></header>
<nav aria-label="Päävalikko"><a href="/">Etusivu</a></nav>
<main>
<h1 id="heading">Anna palautetta</h1>
<form method="post" action="/submit">
<label for="name">Nimi</label>
<input id="name" name="name" type="text" value="vanha arvo">
<label for="topic">Aihe</label>
<select id="topic" name="topic"><option value="park">Puisto</option><option value="road">Tie</option></select>
<button type="submit">Lähetä</button>
</form>
</main>
<footer><p>Helsinki</p></footer>
</body>
</html>`

// badPage breaks three WCAG rules: no lang, an image without alt text, and a
// field without a label.
const badPage = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>Huono sivu</title></head>
<body>
<main>
<h1>Huono sivu</h1>
<img src="/pixel.png">
<form method="post" action="/submit"><input type="text" name="name"></form>
</main>
</body>
</html>`

// scriptPage has an inline and an external script that each change a text,
// and a form whose POST the server answers with 303 See Other.
const scriptPage = `<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><title>Lomake ilman JavaScriptiä</title>
<script src="/app.js" defer></script>
</head>
<body>
<main>
<h1>Lomake</h1>
<p id="inline">alkuperäinen</p>
<p id="external">alkuperäinen</p>
<script>document.getElementById('inline').textContent = 'skriptin muuttama';</script>
<form method="post" action="/submit">
<label for="name">Nimi</label>
<input id="name" name="name" type="text">
<label for="topic">Aihe</label>
<select id="topic" name="topic"><option value="park">Puisto</option><option value="road">Tie</option></select>
<button id="send" type="submit" name="action" value="send">Lähetä</button>
</form>
</main>
</body>
</html>`

const appJS = `document.getElementById('external').textContent = 'skriptin muuttama';`

// resultPage shows what was submitted; its script would change a text too.
const resultPage = `<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><title>Kiitos</title></head>
<body>
<main>
<h1>Kiitos</h1>
<p id="result">%s</p>
<p id="script">alkuperäinen</p>
<script>document.getElementById('script').textContent = 'skriptin muuttama';</script>
</main>
</body>
</html>`

// newServer serves the test pages. The handler of /submit redirects after a
// short delay, so that a Submit that does not wait for the new page fails.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	var (
		mu   sync.Mutex
		last string // the last form submitted
	)
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", "default-src 'self'")
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("GET /good", page(goodPage))
	mux.HandleFunc("GET /bad", page(badPage))
	mux.HandleFunc("GET /script", func(w http.ResponseWriter, r *http.Request) {
		// No CSP here: the inline script must be allowed to run when
		// JavaScript is on.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, scriptPage)
	})
	mux.HandleFunc("GET /app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, appJS)
	})
	mux.HandleFunc("GET /pixel.png", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	})
	mux.HandleFunc("POST /submit", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		last = fmt.Sprintf("%s/%s/%s", r.PostForm.Get("name"), r.PostForm.Get("topic"), r.PostForm.Get("action"))
		time.Sleep(300 * time.Millisecond) // a slow save
		http.Redirect(w, r, "/result", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /result", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Millisecond)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, resultPage, html.EscapeString(last))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func ruleIDs(vs []violation) []string {
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	return ids
}

func TestAuditAccessiblePage(t *testing.T) {
	srv := newServer(t)
	b := New(t)
	b.Visit(srv.URL + "/good")

	vs, err := b.audit()
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 0 {
		t.Fatalf("audit of the accessible page found violations:\n%s", formatViolations(b.URL(), vs))
	}
	// The public API, on a page where axe-core is injected already.
	if n := b.Audit(); n != 0 {
		t.Errorf("Audit() = %d, want 0", n)
	}
	if n := b.VisitAndAudit(srv.URL + "/good"); n != 0 {
		t.Errorf("VisitAndAudit() = %d, want 0", n)
	}

	if got, want := b.URL(), srv.URL+"/good"; got != want {
		t.Errorf("URL() = %q, want %q", got, want)
	}
	if got, want := b.Text("#heading"), "Anna palautetta"; got != want {
		t.Errorf("Text(#heading) = %q, want %q", got, want)
	}

	shot := filepath.Join(t.TempDir(), "page.png")
	b.Screenshot(shot)
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("Screenshot did not write a PNG (starts with %q)", data[:min(8, len(data))])
	}
}

func TestAuditFindsViolations(t *testing.T) {
	srv := newServer(t)
	b := New(t)
	b.Visit(srv.URL + "/bad")

	vs, err := b.audit()
	if err != nil {
		t.Fatal(err)
	}
	ids := ruleIDs(vs)
	for _, want := range []string{"html-has-lang", "image-alt", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("audit of the bad page did not report %q; it reported %v", want, ids)
		}
	}

	msg := formatViolations(srv.URL+"/bad", vs)
	for _, want := range []string{srv.URL + "/bad", "image-alt (critical)", `<img src="/pixel.png">`, "https://dequeuniversity.com/rules/axe/"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the report lacks %q:\n%s", want, msg)
		}
	}
	for _, v := range vs {
		if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 || v.Help == "" {
			t.Errorf("violation %q lacks its nodes or help: %+v", v.ID, v)
		}
	}
}

// TestScriptsRunByDefault makes sure that the scripts of the test page work,
// so that TestWithoutJavaScript proves something.
func TestScriptsRunByDefault(t *testing.T) {
	srv := newServer(t)
	b := New(t)
	b.Visit(srv.URL + "/script")
	for _, sel := range []string{"#inline", "#external"} {
		if got := b.Text(sel); got != "skriptin muuttama" {
			t.Errorf("with JavaScript, Text(%s) = %q, want the script's text", sel, got)
		}
	}

	b.Fill("#name", "Aino")
	b.Submit("#send")
	if got, want := b.URL(), srv.URL+"/result"; got != want {
		t.Errorf("after Submit, URL() = %q, want %q", got, want)
	}
	if got, want := b.Text("#result"), "Aino/park/send"; got != want {
		t.Errorf("after Submit, Text(#result) = %q, want %q", got, want)
	}
}

func TestWithoutJavaScript(t *testing.T) {
	srv := newServer(t)
	b := New(t, WithoutJavaScript())
	b.Visit(srv.URL + "/script")
	for _, sel := range []string{"#inline", "#external"} {
		if got := b.Text(sel); got != "alkuperäinen" {
			t.Errorf("without JavaScript, Text(%s) = %q, want it unchanged", sel, got)
		}
	}

	if n := b.Audit(); n != 0 {
		t.Errorf("Audit() = %d, want 0", n)
	}
	// The audit enables scripts for axe-core only: a new page still runs none.
	b.Visit(srv.URL + "/script")
	if got := b.Text("#inline"); got != "alkuperäinen" {
		t.Errorf("after an audit, a new page ran its script: Text(#inline) = %q", got)
	}

	b.Fill("#name", "Aino <Virtanen>")
	b.Fill("#topic", "road")
	// The form itself, not its button: requestSubmit sends no button value.
	b.Submit("form")
	if got, want := b.URL(), srv.URL+"/result"; got != want {
		t.Errorf("after Submit, URL() = %q, want %q", got, want)
	}
	if got, want := b.Text("#result"), "Aino <Virtanen>/road/"; got != want {
		t.Errorf("after Submit, Text(#result) = %q, want %q", got, want)
	}
	if got := b.Text("#script"); got != "alkuperäinen" {
		t.Errorf("the result page ran its script: Text(#script) = %q", got)
	}
	if n := b.Audit(); n != 0 {
		t.Errorf("Audit() of the result page = %d, want 0", n)
	}

	// Once more through the button, after an audit re-disabled scripts.
	b.Visit(srv.URL + "/script")
	b.Fill("#name", "Eero")
	b.Submit("#send")
	if got, want := b.Text("#result"), "Eero/park/send"; got != want {
		t.Errorf("after Submit(#send), Text(#result) = %q, want %q", got, want)
	}
}

func TestFillReplacesValue(t *testing.T) {
	srv := newServer(t)
	b := New(t)
	b.Visit(srv.URL + "/good")
	b.Fill("#name", "uusi")
	b.Fill("#name", "uudempi")
	b.Submit("button[type=submit]")
	if got, want := b.Text("#result"), "uudempi/park/"; got != want {
		t.Errorf("Text(#result) = %q, want %q", got, want)
	}
}

// isHelper reports whether this test runs as a child of runHelper.
func isHelper() bool { return os.Getenv("BROWSERTEST_HELPER") == "1" }

// runHelper runs the test named test in a new process of this test binary,
// with the extra environment variables env, and returns its output and error.
func runHelper(t *testing.T, test string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	cmd.Env = append(append(os.Environ(), "BROWSERTEST_HELPER=1"), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestAuditFailsTheTest checks, in a child process, that Audit fails a test
// on a page with violations, and what it reports.
func TestAuditFailsTheTest(t *testing.T) {
	if isHelper() {
		srv := newServer(t)
		b := New(t)
		if n := b.VisitAndAudit(srv.URL + "/bad"); n == 0 {
			t.Log("HELPER: Audit found no violations")
		}
		t.Log("HELPER: the test went on after Audit")
		return
	}
	if _, _, err := findTools(); err != nil {
		missing(t, err) // the child would skip too, or fail under CI
	}
	out, err := runHelper(t, "TestAuditFailsTheTest")
	if err == nil || !strings.Contains(out, "--- FAIL") {
		t.Fatalf("Audit of a bad page did not fail the test; err=%v, output:\n%s", err, out)
	}
	for _, want := range []string{"accessibility violation(s)", "/bad", "image-alt (critical)", "label (critical)", "html-has-lang (serious)", `<img src="/pixel.png">`, "HELPER: the test went on"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
}

// TestMissingTools runs this test binary again with a Chromium that does not
// exist: without CI the test skips, with CI it fails.
func TestMissingTools(t *testing.T) {
	if isHelper() {
		New(t)
		t.Fatal("New returned although Chromium is missing")
	}
	for _, ci := range []string{"", "true"} {
		out, err := runHelper(t, "TestMissingTools", EnvChromium+"=/nonexistent/chromium", "CI="+ci)
		switch {
		case ci == "" && (err != nil || !strings.Contains(out, "--- SKIP")):
			t.Errorf("without CI, a missing Chromium should skip; err=%v, output:\n%s", err, out)
		case ci != "" && (err == nil || !strings.Contains(out, "--- FAIL") || !strings.Contains(out, "CI is set")):
			t.Errorf("with CI, a missing Chromium should fail; err=%v, output:\n%s", err, out)
		}
		if !strings.Contains(out, "/nonexistent/chromium") {
			t.Errorf("the message does not name the bad path:\n%s", out)
		}
	}
}

// TestMissingAxeSkipsAlike runs TestAuditFailsTheTest in a new process of this
// test binary (as itself, not as its helper) with Chromium where it is and an
// axe-core that does not exist: without CI it skips, as every browser test
// does, and with CI it fails.
func TestMissingAxeSkipsAlike(t *testing.T) {
	if isHelper() {
		t.Skip("runs only as the parent")
	}
	for _, ci := range []string{"", "true"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAuditFailsTheTest$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), EnvAxeJS+"=/nonexistent/axe.min.js", "CI="+ci)
		b, err := cmd.CombinedOutput()
		out := string(b)
		switch {
		case ci == "" && (err != nil || !strings.Contains(out, "--- SKIP")):
			t.Errorf("without CI, a missing axe-core should skip; err=%v, output:\n%s", err, out)
		case ci != "" && (err == nil || !strings.Contains(out, "--- FAIL") || !strings.Contains(out, "CI is set")):
			t.Errorf("with CI, a missing axe-core should fail; err=%v, output:\n%s", err, out)
		}
	}
}

func TestFindAxeInRepoRoot(t *testing.T) {
	t.Setenv(EnvAxeJS, "")
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repoRoot() = %q, which has no go.mod", root)
	}
	p, err := findAxe()
	if err != nil {
		if !strings.Contains(err.Error(), "npm install --no-save --prefix .cache axe-core@"+AxeVersion) {
			t.Errorf("the error does not say how to install axe-core: %v", err)
		}
		return
	}
	if want := filepath.Join(root, axeCachePath); p != want {
		t.Errorf("findAxe() = %q, want %q", p, want)
	}
}

// widePage does not read on a phone: a box wider than the screen, a table
// in a region that scrolls sideways, a table whose narrow column breaks a
// word letter by letter and squeezes a bar to nothing.
const widePage = `<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Leveä sivu</title>
<style>
.wide { width: 600px; }
.scroll { overflow-x: auto; }
.scroll table { min-width: 36rem; }
.squeezed { width: 100%; table-layout: fixed; }
.squeezed td { overflow-wrap: anywhere; }
.squeezed .long { width: 97%; }
svg { display: block; width: 100%; height: 1rem; }
</style></head>
<body>
<main>
<h1>Leveä sivu</h1>
<div class="wide">Tämä laatikko on kuusisataa pikseliä leveä.</div>
<div class="scroll"><table><tr><th>Tila</th><th>Päivä</th></tr><tr><td>Valmis</td><td>3.3.2017</td></tr></table></div>
<table class="squeezed"><tr><td class="long">Virstanpylväs</td><td>Valmis</td><td><svg viewBox="0 0 100 10" role="img" aria-label="40 %"><rect width="40" height="10"></rect></svg></td></tr></table>
</main>
</body>
</html>`

// phonePage reads on a phone: the same table stacked, nothing fixed-width.
const phonePage = `<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Kapea sivu</title>
<style>svg { display: block; width: 100%; height: 1rem; } td { display: block; }</style></head>
<body>
<main>
<h1>Kapea sivu</h1>
<p>Virstanpylväs on valmis 3.3.2017 klo 14.05, ja sen tila näkyy alla.</p>
<table><tr><td>Virstanpylväs</td><td>Valmis</td><td><svg viewBox="0 0 100 10" role="img" aria-label="40 %"><rect width="40" height="10"></rect></svg></td></tr></table>
<p class="visually-hidden" style="position:absolute;width:1px;height:1px;overflow:hidden">Piilotettu teksti ruudunlukijoille</p>
</main>
</body>
</html>`

func phoneServer(t *testing.T) string {
	t.Helper()
	mux := http.NewServeMux()
	for path, body := range map[string]string{"/wide": widePage, "/phone": phonePage} {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestCheckPhoneWidth checks that the phone-width check finds each kind of
// problem on a deliberately wide page, none on a page made for phones, and
// gives the viewport back.
func TestCheckPhoneWidth(t *testing.T) {
	base := phoneServer(t)
	b := New(t)

	b.Visit(base + "/phone")
	ps, err := b.phoneProblems()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Errorf("the phone page has problems:\n%s", strings.Join(ps, "\n"))
	}
	if n := b.CheckPhoneWidth(); n != 0 {
		t.Errorf("CheckPhoneWidth() = %d, want 0", n)
	}

	b.Visit(base + "/wide")
	ps, err = b.phoneProblems()
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(ps, "\n")
	for _, want := range []string{
		"at 390 px: the page is 6", // 600 px and the body's margin
		`div.wide "Tämä laatikko`,
		`div.scroll "Tila`,
		"scrolls sideways",
		`"Valmis" is broken across lines`,
		`td "Valmis" is `,
		"svg is drawn",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the wide page's problems lack %q:\n%s", want, all)
		}
	}
	w, err := chromedp.Run(b.Context(), chromedp.Evaluate[int](`window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if w != 1280 {
		t.Errorf("after the check the window is %d px wide, want the browser's 1280", w)
	}
}

// TestCheckPhoneWidthFailsTheTest checks, in a child process, that Audit
// fails a test on a page that does not fit a phone.
func TestCheckPhoneWidthFailsTheTest(t *testing.T) {
	if isHelper() {
		b := New(t)
		b.VisitAndAudit(phoneServer(t) + "/wide")
		t.Log("HELPER: the test went on after Audit")
		return
	}
	if _, err := findChromium(); err != nil {
		t.Skip(err) // the child would skip
	}
	out, err := runHelper(t, "TestCheckPhoneWidthFailsTheTest")
	if err == nil || !strings.Contains(out, "--- FAIL") {
		t.Fatalf("Audit of a wide page did not fail the test; err=%v, output:\n%s", err, out)
	}
	for _, want := range []string{"does not read at phone width", "/wide", "sideways", "HELPER: the test went on"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
}
