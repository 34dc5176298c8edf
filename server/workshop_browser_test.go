package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"osallistu/server/browsertest"
)

// TestBrowserWorkshop runs a workshop in three browsers: the official's
// (control page and projector), a participant's with JavaScript and one
// without. The projector's numbers move when either participant votes; the
// join, ballot, control and projector pages have no axe violations, in
// Finnish and in Swedish; the control page counts participants as they
// join, and closes joining.
func TestBrowserWorkshop(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	ws := newWorkshopSetup(t, ts)
	poll, opts := ws.poll(t, 2, "Avoimuus", "Osallisuus", "Selkeä kieli")
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	official := decode[accountJSON](t, ts.do("GET", "/api/v1/me", nil, ws.official).want(t, 200)).Email

	proj := browsertest.New(t, browsertest.WithTimeout(3*time.Minute)) // each audit also lays the page out at phone widths
	proj.Visit(base + "/login?lang=fi")
	proj.Fill("#email", official)
	proj.Fill("#password", "correct horse battery")
	proj.Submit(`form[action="/login"] button[type=submit]`)
	control := fmt.Sprintf("%s/workshops/%d/control", base, ws.id)
	projector := fmt.Sprintf("%s/workshops/%d/projector", base, ws.id)
	proj.VisitAndAudit(control)
	if got := proj.Text(".join-code-small"); got != ws.code {
		t.Fatalf("control page code %q, want %q", got, ws.code)
	}
	proj.VisitAndAudit(projector)
	ballots := fmt.Sprintf(`[data-ballots="%d"]`, poll)
	if got := proj.Text(ballots); got != "0" {
		t.Fatalf("projector ballots %q", got)
	}
	if !strings.Contains(proj.Text(".projector-code"), ws.code) {
		t.Fatal("the projector shows no join code")
	}
	waitProjector := func(want string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(proj.Context(), 5*time.Second)
		defer cancel()
		start := time.Now()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector('%s')?.textContent === %q`, ballots, want))); err != nil {
			t.Fatalf("the projector did not show %s ballots: %v (it shows %q)", want, err, proj.Text(ballots))
		}
		t.Logf("projector showed %s ballots %v after the vote", want, time.Since(start))
	}

	// A participant with JavaScript opens the QR link: the code is filled in.
	p1 := browsertest.New(t, browsertest.WithTimeout(180*time.Second))
	p1.VisitAndAudit(base + "/join?lang=fi&code=" + strings.ToLower(ws.code))
	p1.Fill("#name", "Aino")
	p1.Submit(`form[action="/join"] button[type=submit]`)
	if !strings.HasSuffix(p1.URL(), "/vote") {
		t.Fatalf("after joining: %s", p1.URL())
	}
	p1.Audit()
	p1.Click(fmt.Sprintf("#option-%d", opts[0]))
	p1.Click(fmt.Sprintf("#option-%d", opts[1]))
	p1.Submit(fmt.Sprintf(`form[action="/vote/%d"] button[type=submit]`, poll))
	if p1.Text(".ballot-counted") == "" {
		t.Fatal("no \"your vote is counted\" after voting")
	}
	p1.Audit()
	waitProjector("1")
	if got := proj.Text(fmt.Sprintf(`[data-results="%d"] tr[data-option="%d"] .votes`, poll, opts[0])); got != "1" {
		t.Fatalf("votes of the first option on the projector: %q", got)
	}

	// A participant without JavaScript: plain form posts.
	p2 := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(180*time.Second))
	p2.VisitAndAudit(base + "/join?lang=sv")
	p2.Fill("#code", ws.code)
	p2.Submit(`form[action="/join"] button[type=submit]`)
	p2.Audit()
	// Too many choices: the page says so, and nothing is counted.
	for _, o := range opts {
		p2.Click(fmt.Sprintf("#option-%d", o))
	}
	p2.Submit(fmt.Sprintf(`form[action="/vote/%d"] button[type=submit]`, poll))
	if p2.Text(".field-error") == "" {
		t.Fatal("no error for three choices of two")
	}
	p2.Audit()
	p2.Click(fmt.Sprintf("#option-%d", opts[0])) // leaves two chosen
	p2.Submit(fmt.Sprintf(`form[action="/vote/%d"] button[type=submit]`, poll))
	if p2.Text(".ballot-counted") == "" {
		t.Fatal("no \"your vote is counted\" without JavaScript")
	}
	waitProjector("2")
	// A changed vote replaces the earlier one.
	p2.Click(fmt.Sprintf("#option-%d", opts[1]))
	p2.Submit(fmt.Sprintf(`form[action="/vote/%d"] button[type=submit]`, poll))
	waitProjector("2")

	// The official closes the poll: the ballot pages follow (with
	// JavaScript, live), and the result stays on the projector.
	proj.Visit(control)
	proj.Submit(fmt.Sprintf(`form[action="/polls/%d/close"] button`, poll))
	proj.Visit(projector)
	if got := proj.Text(ballots); got != "2" {
		t.Fatalf("after closing the projector shows %q ballots", got)
	}
	ctx, cancel := context.WithTimeout(p1.Context(), 5*time.Second)
	defer cancel()
	for {
		// The page reloads itself when the poll closes: a check that runs
		// just then loses its page ("Cannot find context") and is run again.
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('[data-status="closed"]') !== null && document.querySelector('form.ballot-form') === null`))
		if err == nil {
			break
		}
		if ctx.Err() != nil || !strings.Contains(err.Error(), "Cannot find context") {
			t.Fatalf("the JavaScript ballot page did not follow the close: %v", err)
		}
	}
	p1.Audit()
	p2.VisitAndAudit(base + "/vote")

	// The same pages in Swedish (and the participant's in Finnish).
	proj.VisitAndAudit(control + "?lang=sv")
	proj.VisitAndAudit(projector)
	p1.VisitAndAudit(base + "/vote?lang=sv")
	p2.VisitAndAudit(base + "/vote?lang=fi")

	// The control page counts the participants as they join, live (two so
	// far), and its button closes joining.
	proj.VisitAndAudit(control + "?lang=en")
	joined := fmt.Sprintf(`[data-participants="%d"]`, ws.id)
	if got := proj.Text(joined); got != "2" {
		t.Fatalf("the control page counts %q participants", got)
	}
	ws.join(t)
	jctx, jcancel := context.WithTimeout(proj.Context(), 5*time.Second)
	defer jcancel()
	if _, err := chromedp.Run(jctx, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector('%s')?.textContent === "3"`, joined))); err != nil {
		t.Fatalf("the control page did not count the third participant: %v (it shows %q)", err, proj.Text(joined))
	}
	proj.Submit(fmt.Sprintf(`form[action="/workshops/%d/joining"] button`, ws.id))
	proj.Audit()
	ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": ws.code}, "").want(t, 409)
}
