package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"osallistu/server/browsertest"
)

// TestBrowserWorkshopEditAndEnd: the official edits a draft poll from the
// control page (a bad value first: the form says so and keeps what was
// typed), in Finnish, and the workshop's details in Swedish; then ends the
// workshop. A participant's browser without JavaScript then finds no
// "join with a code" on the workshop's page, which shows the final
// results, and the join page says the workshop can no longer be joined.
// Every page visited has no axe violations.
func TestBrowserWorkshopEditAndEnd(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	ws := newWorkshopSetup(t, ts)
	poll, _ := ws.poll(t, 1, "Avoimuus", "Osallisuus")
	closed, opts := ws.poll(t, 1, "Selkeä kieli", "Avoin data")
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", closed), nil, ws.official).want(t, 200)
	ws.vote(closed, ws.join(t), opts[1]).want(t, 200)
	official := decode[accountJSON](t, ts.do("GET", "/api/v1/me", nil, ws.official).want(t, 200)).Email
	control := fmt.Sprintf("%s/workshops/%d/control", base, ws.id)
	page := fmt.Sprintf("%s/workshops/%d", base, ws.id)

	b := browsertest.New(t, browsertest.WithTimeout(180*time.Second))
	b.Visit(base + "/login?lang=fi")
	b.Fill("#email", official)
	b.Fill("#password", "correct horse battery")
	b.Submit(`form[action="/login"] button[type=submit]`)

	// The draft poll, from the control page, in Finnish.
	b.VisitAndAudit(control)
	b.Submit(fmt.Sprintf(`a[href="/polls/%d/edit"]`, poll))
	b.Audit()
	b.Fill("#question", "Mikä teema ensin?")
	b.Fill("#max_choices", "4")
	b.Fill("#options", "Avoimuus\nOsallisuus\nSelkeä kieli")
	b.Submit(fmt.Sprintf(`form[action="/polls/%d/edit"] button[type=submit]`, poll))
	if b.Text(".error-summary") == "" || b.Text("#max_choices-error") == "" {
		t.Fatalf("no error for 4 choices of 3 options? %s", b.URL())
	}
	b.Audit()
	b.Fill("#max_choices", "2")
	b.Submit(fmt.Sprintf(`form[action="/polls/%d/edit"] button[type=submit]`, poll))
	if !strings.Contains(b.URL(), "/control") || b.Text("[role=status]") == "" {
		t.Fatalf("after saving the poll: %s, flash %q", b.URL(), b.Text("[role=status]"))
	}
	if got := b.Text(fmt.Sprintf("#poll-%d-q", poll)); got != "Mikä teema ensin?" {
		t.Errorf("the control page shows the question %q", got)
	}
	b.Audit()
	w := decode[struct {
		Polls []pollJSON `json:"polls"`
	}](t, ts.do("GET", fmt.Sprintf("/api/v1/workshops/%d", ws.id), nil, ws.official).want(t, 200))
	if len(w.Polls) != 2 || w.Polls[0].MaxChoices != 2 || len(w.Polls[0].Options) != 3 || w.Polls[0].Options[2].Label != "Selkeä kieli" {
		t.Errorf("the poll after editing: %+v", w.Polls)
	}

	// The workshop's details, in Swedish.
	b.VisitAndAudit(control + "?lang=sv")
	b.Submit(fmt.Sprintf(`a[href="/workshops/%d/edit"]`, ws.id))
	b.Audit()
	b.Fill("#title", "Verkstad om öppenhet")
	b.Fill("#language", "sv")
	b.Submit(fmt.Sprintf(`form[action="/workshops/%d/edit"] button[type=submit]`, ws.id))
	if !strings.Contains(b.URL(), "/control") || b.Text("[role=status]") == "" {
		t.Fatalf("after saving the workshop: %s, flash %q", b.URL(), b.Text("[role=status]"))
	}
	b.Audit()

	// The official ends the workshop.
	b.Submit(fmt.Sprintf(`form[action="/workshops/%d/end"] button`, ws.id))
	if b.Text("[role=status]") == "" {
		t.Fatal("no confirmation after ending the workshop")
	}
	b.Audit()
	b.Text(fmt.Sprintf(`form[action="/workshops/%d/reopen"] button`, ws.id))

	// A participant finds it ended, in Finnish and in Swedish.
	pb := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(120*time.Second))
	for _, lang := range []string{"fi", "sv"} {
		pb.VisitAndAudit(page + "?lang=" + lang)
		noJoin, err := chromedp.Run(pb.Context(), chromedp.Evaluate[bool](`document.querySelector('main a[href^="/join"]') === null`))
		if err != nil || !noJoin {
			t.Errorf("%s: the ended workshop's page offers joining (%v)", lang, err)
		}
		text := pb.Text("main")
		if !strings.Contains(text, "Verkstad om öppenhet") || !strings.Contains(text, "Avoin data") {
			t.Errorf("%s: the ended workshop's page lacks its title or final results: %q", lang, text)
		}
		pb.VisitAndAudit(base + "/join?code=" + ws.code)
		pb.Submit(`form[action="/join"] button[type=submit]`)
		if pb.Text(".error-summary") == "" {
			t.Errorf("%s: joining an ended workshop shows no error", lang)
		}
		pb.Audit()
	}
}
