package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"osallistu/server/browsertest"
)

// TestAuthorshipBrowser: in Finnish and in Swedish, with an axe audit of
// every page shown, a signed-in citizen's comment carries their account's
// name without typing it, they support an idea and withdraw the support,
// edit their comment within the edit window and see it marked edited; and
// on the phone ballot, with JavaScript, the choices stop at the poll's
// limit with a message, and go on again once one is removed.
func TestAuthorshipBrowser(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t)
			base := ts.listen()
			f := newIdeaFixture(t, ts)
			idea := f.idea(t, ts, "Avoin data kaikille", "Julkaistaan data.")
			token, acc := ts.signUp("citizen@example.fi")
			b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(6*time.Minute))
			setSession(t, b, base, token)
			flash := flashChecker(t, b, lang)
			value := func(sel string) string {
				t.Helper()
				v, err := chromedp.Run(b.Context(), chromedp.Value(chromedp.CSS(sel)))
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			page := fmt.Sprintf("%s/ideas/%d", base, idea.ID)

			// The comment form carries the account's name: the comment is
			// shown under it without typing it.
			b.VisitAndAudit(page + "?lang=" + lang)
			if got := value("#author_name"); got != acc.Name {
				t.Fatalf("the name field holds %q, want the account's %q", got, acc.Name)
			}
			b.Fill("#body", "Hyvä idea, kannatan.")
			b.Submit(`form.form[action$="/comments"] button[type=submit]`)
			flash("comment_sent")
			if got := b.Text(".comment-author"); got != acc.Name {
				t.Fatalf("the comment is shown under %q, want %q", got, acc.Name)
			}

			// Support, and withdraw it.
			b.Submit(`form[action$="/support"] button`)
			flash("idea_supported")
			if b.Text(".supported") == "" {
				t.Fatal("the page does not say that the citizen supports the idea")
			}
			b.Submit(`form[action$="/support/withdraw"] button`)
			flash("support_withdrawn")
			if got, err := ts.store.FindIdea(context.Background(), idea.ID); err != nil || got.Supports != 0 {
				t.Fatalf("after withdrawing: %+v %v", got, err)
			}
			if b.Text(`form[action$="/support"] button`) == "" {
				t.Fatal("the support button is not offered again")
			}

			// Edit the comment within the window: it is shown as edited.
			b.Submit(`.comment .author-tool a`)
			b.Audit()
			b.Fill("#body", "Hyvä idea, kannatan lämpimästi.")
			b.Submit(`form[action$="/edit"] button[type=submit]`)
			flash("comment_edited")
			if main := b.Text("main"); !strings.Contains(main, "kannatan lämpimästi") {
				t.Fatal("the edited text is not shown")
			}
			if b.Text(".comment .edited") == "" {
				t.Fatal("the comment is not marked edited")
			}
		})
	}
}

// TestBallotLimitBrowser: with JavaScript, the phone ballot stops at the
// poll's limit: the other choices are disabled and a live message says
// why; removing a choice opens them again; the choices sent are counted.
func TestBallotLimitBrowser(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t)
			base := ts.listen()
			ws := newWorkshopSetup(t, ts)
			poll, options := ws.poll(t, 2, "Avoin data", "Selkokieli", "Lapset", "Kunnat")
			ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
			b := browsertest.New(t, browsertest.WithTimeout(6*time.Minute)) // with JavaScript
			if _, err := chromedp.Call(b.Context(), network.SetCookie, network.SetCookieParams{Name: "osallistu_participant", Value: ws.join(t), URL: base}); err != nil {
				t.Fatal(err)
			}
			disabled := func() []bool {
				t.Helper()
				var got []bool
				for _, id := range options {
					d, err := chromedp.Run(b.Context(), chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById("option-%d").disabled`, id)))
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, d)
				}
				return got
			}
			message := func() string {
				t.Helper()
				m, err := chromedp.Run(b.Context(), chromedp.Evaluate[string](`document.querySelector("[data-ballot-limit]").textContent`))
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			b.VisitAndAudit(base + "/vote?lang=" + lang)
			b.Click(fmt.Sprintf("#option-%d", options[0]))
			if got := disabled(); got[1] || got[2] || message() != "" {
				t.Fatalf("after one choice: disabled %v, message %q", got, message())
			}
			b.Click(fmt.Sprintf("#option-%d", options[2]))
			if got := disabled(); got[0] || !got[1] || got[2] || !got[3] {
				t.Fatalf("at the limit: disabled %v, want the two others", got)
			}
			if m := message(); !strings.Contains(m, "2") {
				t.Fatalf("at the limit the message is %q", m)
			}
			b.Audit()
			b.Click(fmt.Sprintf("#option-%d", options[0])) // removed: the others open again
			if got := disabled(); got[1] || got[3] || message() != "" {
				t.Fatalf("after removing one: disabled %v, message %q", got, message())
			}
			b.Click(fmt.Sprintf("#option-%d", options[3]))
			b.Submit(`form[action$="/vote/` + fmt.Sprint(poll) + `"] button[type=submit]`)
			b.Audit()
			ballots, err := ts.store.FindTally(context.Background(), poll)
			if err != nil || ballots.Ballots != 1 {
				t.Fatalf("tally %+v %v", ballots, err)
			}
			for _, o := range ballots.Options {
				want := 0
				if o.ID == options[2] || o.ID == options[3] {
					want = 1
				}
				if o.Votes != want {
					t.Errorf("option %q has %d votes, want %d", o.Label, o.Votes, want)
				}
			}
		})
	}
}
