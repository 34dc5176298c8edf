package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"osallistu/server/browsertest"
)

// projectorLayout is what the projector test measures in the page: the
// viewport, the page's size, each option row with its bar and count, and
// the full-screen button (nil without one).
type projectorLayout struct {
	VW, VH           float64
	ScrollW, ScrollH float64
	Rows             []struct {
		Box, Bar, Votes [4]float64 // left, top, right, bottom
		Title, Text     string
		Cut             bool // the label is shortened on the screen
	}
	Button   *[4]float64
	Question [4]float64
}

const measureProjector = `JSON.stringify((() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const out = {VW: innerWidth, VH: innerHeight, ScrollW: document.documentElement.scrollWidth, ScrollH: document.documentElement.scrollHeight, Rows: [], Button: null};
  for (const tr of document.querySelectorAll("[data-results] tbody tr")) {
    const th = tr.querySelector("th"), l = th.querySelector(".option-label");
    out.Rows.push({Box: box(tr), Bar: box(tr.querySelector(".bar-cell")), Votes: box(tr.querySelector(".votes")),
      Title: th.title, Text: th.textContent.trim(), Cut: l.scrollWidth > l.clientWidth + 1 || l.scrollHeight > l.clientHeight + 1});
  }
  out.Question = box(document.querySelector(".projector-question"));
  const b = document.querySelector(".projector-fullscreen");
  if (b) out.Button = box(b);
  return out;
})())`

func inside(b [4]float64, w, h float64) bool { return b[0] >= 0 && b[1] >= 0 && b[2] <= w && b[3] <= h }

func overlaps(a, b [4]float64) bool { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3] }

// TestBrowserWorkshopProjector: the projector shows a poll of 20 options
// with long labels on one 16:9 screen, at 1280×720 and at 1920×1080, in
// Finnish and in Swedish: every option row, its bar and its count are
// inside the viewport, the page does not scroll, a label too long for its
// column is shortened with the whole label as its title, and the
// full-screen button covers no count. The screenshots are saved in the
// test's temporary folder (the log names them). The counts still move
// live as votes come in, and when the official ends the workshop the
// projector says so by itself.
func TestBrowserWorkshopProjector(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	ws := newWorkshopSetup(t, ts)
	var labels []string
	for i := 1; i <= 20; i++ {
		labels = append(labels, fmt.Sprintf("Vaihtoehto %d: avoimen hallinnon pitkä teema, jonka nimi ei mahdu valkokankaalle yhdelle riville kokonaan", i))
	}
	poll, opts := ws.poll(t, 3, labels...)
	ts.do("PATCH", fmt.Sprintf("/api/v1/polls/%d", poll), map[string]any{
		"question": "Mitkä kolme teemaa ovat avoimen hallinnon seuraavan toimintaohjelman tärkeimmät, kun ajatellaan koko Suomea?"}, ws.official).want(t, 200)
	ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200)
	for i := range 6 {
		ws.vote(poll, ws.join(t), opts[i], opts[(i+5)%20], opts[19]).want(t, 200)
	}
	official := decode[accountJSON](t, ts.do("GET", "/api/v1/me", nil, ws.official).want(t, 200)).Email

	b := browsertest.New(t, browsertest.WithTimeout(180*time.Second))
	b.Visit(base + "/login?lang=fi")
	b.Fill("#email", official)
	b.Fill("#password", "correct horse battery")
	b.Submit(`form[action="/login"] button[type=submit]`)
	projector := fmt.Sprintf("%s/workshops/%d/projector", base, ws.id)
	dir := t.TempDir()
	for _, lang := range []string{"fi", "sv"} {
		for _, size := range [][2]int64{{1280, 720}, {1920, 1080}} {
			name := fmt.Sprintf("%s-%dx%d", lang, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				b.Run(chromedp.EmulateViewport(size[0], size[1]))
				b.VisitAndAudit(projector + "?lang=" + lang)
				// The live script has run: it puts the full-screen button in the join panel.
				ctx, cancel := context.WithTimeout(b.Context(), 10*time.Second)
				defer cancel()
				if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("[data-live-status]").textContent !== ""`)); err != nil {
					t.Fatalf("the projector did not go live: %v", err)
				}
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				file := filepath.Join(dir, "projector-"+name+".png")
				if err := os.WriteFile(file, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("screenshot: %s", file)
				raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](measureProjector))
				if err != nil {
					t.Fatal(err)
				}
				var l projectorLayout
				if err := json.Unmarshal([]byte(raw), &l); err != nil {
					t.Fatal(err)
				}
				if l.VW != float64(size[0]) || l.VH != float64(size[1]) {
					t.Fatalf("viewport %v×%v, want %v", l.VW, l.VH, size)
				}
				if l.ScrollW > l.VW || l.ScrollH > l.VH {
					t.Errorf("the page is %v×%v: larger than the screen", l.ScrollW, l.ScrollH)
				}
				if !inside(l.Question, l.VW, l.VH) || l.Question[3]-l.Question[1] < 15 {
					t.Errorf("the question is not visible: %v", l.Question)
				}
				if len(l.Rows) != 20 {
					t.Fatalf("%d option rows, want 20", len(l.Rows))
				}
				cut := 0
				for i, r := range l.Rows {
					if !inside(r.Box, l.VW, l.VH) {
						t.Errorf("option %d is outside the viewport: %v", i+1, r.Box)
					}
					if !inside(r.Votes, l.VW, l.VH) || r.Votes[2]-r.Votes[0] < 10 {
						t.Errorf("option %d's count is not visible: %v", i+1, r.Votes)
					}
					if !inside(r.Bar, l.VW, l.VH) || r.Bar[2]-r.Bar[0] < l.VW/8 {
						t.Errorf("option %d's bar is not visible or too narrow: %v", i+1, r.Bar)
					}
					if r.Title != labels[i] || r.Text != labels[i] {
						t.Errorf("option %d: title %q, text %q; want the whole label", i+1, r.Title, r.Text)
					}
					if r.Cut {
						cut++
					}
					if l.Button != nil && overlaps(*l.Button, r.Votes) {
						t.Errorf("the full-screen button %v covers option %d's count %v", *l.Button, i+1, r.Votes)
					}
				}
				if cut == 0 {
					t.Error("no long label was shortened: the rows cannot all be one line high")
				}
				if l.Button == nil {
					t.Log("no full-screen button (the browser offers no full screen)")
				}
			})
		}
	}

	// Live: a vote moves the projector's count of that option.
	votes := fmt.Sprintf(`[data-results="%d"] tr[data-option="%d"] .votes`, poll, opts[15])
	before := b.Text(votes)
	ws.vote(poll, ws.join(t), opts[15]).want(t, 200)
	ctx, cancel := context.WithTimeout(b.Context(), 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector('%s')?.textContent !== %q`, votes, before))); err != nil {
		t.Fatalf("the count did not move live: %v (it shows %q)", err, b.Text(votes))
	}
	if got := strings.TrimSpace(b.Text(votes)); got != "1" {
		t.Errorf("option 16 shows %q votes, want 1", got)
	}

	// The official ends the workshop: the projector follows, live.
	ts.do("POST", fmt.Sprintf("/api/v1/workshops/%d/end", ws.id), nil, ws.official).want(t, 200)
	ectx, ecancel := context.WithTimeout(b.Context(), 10*time.Second)
	defer ecancel()
	for {
		// The page reloads itself: a check that runs just then loses its
		// page and is run again.
		_, err := chromedp.Run(ectx, chromedp.Poll[bool](`document.querySelector(".projector-ended") !== null`))
		if err == nil {
			break
		}
		if ectx.Err() != nil || !strings.Contains(err.Error(), "Cannot find context") && !strings.Contains(err.Error(), "navigated or closed") {
			t.Fatalf("the projector did not show the end: %v", err)
		}
	}
	b.Audit()
}
