package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"osallistu/participation"
	"osallistu/server/browsertest"
)

// TestBrowserSurvey runs a survey in three browsers: the official builds
// it on the builder's pages; a signed-in respondent without JavaScript
// answers on the plain form, errors first; an invited one with JavaScript
// places the two-axis items on the plane, one with the keyboard and one by
// dragging; then the official sees the quadrant chart. Every page has no
// axe violations, in Finnish and in Swedish.
func TestBrowserSurvey(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	s := newSurveySite(t, ts)
	official := mustAccount(t, ts, s.bearer)

	// The official, in Finnish: a new survey and its questions.
	off := browsertest.New(t, browsertest.WithTimeout(120*time.Second))
	off.Visit(base + "/login?lang=fi")
	off.Fill("#email", official.Email)
	off.Fill("#password", "correct horse battery")
	off.Submit(`form[action="/login"] button[type=submit]`)
	off.VisitAndAudit(base + "/processes/" + s.slug)
	off.VisitAndAudit(base + "/processes/" + s.slug + "/surveys/new")
	off.Submit(`form.survey-settings button[type=submit]`)
	if off.Text(".error-summary") == "" {
		t.Fatal("no error summary for an empty survey")
	}
	off.Audit()
	off.Fill("#title", "Tavoitteiden arviointi")
	off.Fill("#title_sv", "Bedömning av målen")
	off.Click("#anonymous-no")
	off.Submit(`form.survey-settings button[type=submit]`)
	if !strings.HasSuffix(off.URL(), "/edit") {
		t.Fatalf("after creating: %s", off.URL())
	}
	off.Audit()
	edit := off.URL()
	id := mustID(t, strings.TrimSuffix(strings.TrimPrefix(edit, base+"/surveys/"), "/edit"))
	page := fmt.Sprintf("%s/surveys/%d", base, id)
	// The two-axis question on its form, with its defaults (importance and
	// feasibility, 1–5), its items typed in.
	off.Fill("#kind", "grid2d")
	off.Submit(`form.add-question button[type=submit]`)
	off.Audit()
	off.Fill("#prompt", "Arvioi tavoitteet")
	off.Click("#required")
	off.Fill("#item_1", "Avoin data")
	off.Fill("#item_1_sv", "Öppna data")
	off.Fill("#item_2", "Selkeä kieli")
	off.Fill("#item_3", "Lasten osallisuus")
	off.Submit(`form.question-form button[type=submit]`)
	off.Audit()
	// The other questions through the pages' forms, as a browser posts them.
	s.addQuestion(t, id, "single", url.Values{"prompt": {"Mistä kuulit kyselystä?"}, "required": {"yes"}, "option_1": {"Uutiskirjeestä"}, "option_2": {"Ystävältä"}})
	s.addQuestion(t, id, "scale", url.Values{"prompt": {"Kuinka tärkeää avoimuus on?"}, "min": {"1"}, "max": {"5"}})
	sv := s.survey(t, id)
	grid, single, scale := sv.Questions[0], sv.Questions[1], sv.Questions[2]
	if grid.X.Label != "Tärkeys" || grid.Y.Label != "Toteutettavuus" || len(grid.Items) != 3 || !grid.Required {
		t.Fatalf("the two-axis question: %+v", grid)
	}
	off.VisitAndAudit(page + "/preview")
	off.Visit(edit)
	off.Submit(fmt.Sprintf(`form[action="/surveys/%d/open"] button`, id))
	off.Audit()
	off.VisitAndAudit(page + "/progress")
	off.Fill("#emails", "aino@example.fi")
	off.Submit(fmt.Sprintf(`form[action="/surveys/%d/invitations"] button`, id))
	off.Audit()
	token := invitationToken(t, ts, "aino@example.fi")

	field := func(item int, axis string) string {
		return fmt.Sprintf("q%d_%d_%s", grid.ID, grid.Items[item].ID, axis)
	}

	// A signed-in respondent without JavaScript, in Swedish.
	ts.signUp("citizen@example.fi")
	plain := browsertest.New(t, browsertest.WithoutJavaScript())
	plain.Visit(base + "/login?lang=sv")
	plain.Fill("#email", "citizen@example.fi")
	plain.Fill("#password", "correct horse battery")
	plain.Submit(`form[action="/login"] button[type=submit]`)
	plain.VisitAndAudit(page)
	if none, err := chromedp.Run(plain.Context(), chromedp.Evaluate[bool](`document.querySelector(".grid2d-area") === null`)); err != nil || !none {
		t.Fatalf("a plane without JavaScript (%v)", err)
	}
	// One axis of an item only, and the required choice left out.
	plain.Click("#" + field(0, "x") + "_4")
	plain.Submit(`button[name=action][value=submit]`)
	if plain.Text(".error-summary") == "" || plain.Text(fmt.Sprintf("#q%d-error", grid.ID)) == "" || plain.Text(fmt.Sprintf("#q%d-error", single.ID)) == "" {
		t.Fatal("no errors for a half-rated item and a missing answer")
	}
	plain.Audit()
	plain.Click("#" + field(0, "y") + "_5")
	plain.Click("#" + field(2, "x") + "_2")
	plain.Click("#" + field(2, "y") + "_1")
	plain.Click(fmt.Sprintf("#q%d-%d", single.ID, single.Options[0].ID))
	plain.Click(fmt.Sprintf("#q%d-3", scale.ID))
	plain.Submit(`button[name=action][value=submit]`)
	if !strings.HasSuffix(plain.URL(), "/thanks") {
		t.Fatalf("after sending: %s", plain.URL())
	}
	plain.Audit()

	// An invited respondent with JavaScript, in Finnish: the plane.
	js := browsertest.New(t)
	js.Visit(base + "/?lang=fi")
	js.VisitAndAudit(page + "?invitation=" + url.QueryEscape(token))
	checked := func(name string) string {
		t.Helper()
		v, err := chromedp.Run(js.Context(), chromedp.Evaluate[string](fmt.Sprintf(
			`(document.querySelector('input[name=%q]:checked') || {value: "none"}).value`, name)))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tokenSel := func(item int) string {
		return fmt.Sprintf(`#q%d .grid2d-token[title=%q]`, grid.ID, grid.Items[item].Label)
	}
	// By keyboard: Enter puts the item in the middle (3, 3), two steps
	// right and one up make it (5, 4).
	js.Run(chromedp.Focus(chromedp.CSS(tokenSel(0))), chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.ArrowRight),
		chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowUp))
	if x, y := checked(field(0, "x")), checked(field(0, "y")); x != "5" || y != "4" {
		t.Errorf("after the keys the fields say (%s, %s), want (5, 4)", x, y)
	}
	label, err := chromedp.Run(js.Context(), chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).getAttribute("aria-label")`, tokenSel(0))))
	if err != nil || !strings.Contains(label, "Tärkeys 5") || !strings.Contains(label, "Toteutettavuus 4") {
		t.Errorf("the item's name after the keys: %q (%v)", label, err)
	}
	if js.Text(".grid2d-widget [role=status]") == "" {
		t.Error("the move was not announced")
	}
	// Delete takes it back off the plane; it goes back on by keyboard.
	js.Run(chromedp.KeyEvent(kb.Delete))
	if x := checked(field(0, "x")); x != "" {
		t.Errorf("after Delete the x field says %q", x)
	}
	js.Run(chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowUp))
	// By dragging: the second item from the tray to (2, 4).
	type rect struct{ X, Y, W, H float64 }
	box := func(sel string) rect {
		t.Helper()
		r, err := chromedp.Run(js.Context(), chromedp.Evaluate[rect](fmt.Sprintf(
			`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return {X: r.left, Y: r.top, W: r.width, H: r.height}; })()`, sel)))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if _, err := chromedp.Run(js.Context(), chromedp.Evaluate[bool](fmt.Sprintf(`(document.querySelector("#q%d .grid2d-area").scrollIntoView({block: "center"}), true)`, grid.ID))); err != nil {
		t.Fatal(err)
	}
	from, area := box(tokenSel(1)), box(fmt.Sprintf("#q%d .grid2d-area", grid.ID))
	// The plane keeps 6 % of its size free at each end (grid2d.js PAD).
	tx := area.X + area.W*(0.06+0.88*0.25)
	ty := area.Y + area.H*(1-(0.06+0.88*0.75))
	fx, fy := from.X+10, from.Y+from.H/2
	js.Run(
		chromedp.MouseEvent(chromedp.MouseMoved, fx, fy),
		chromedp.MouseEvent(chromedp.MousePressed, fx, fy, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseMoved, (fx+tx)/2, (fy+ty)/2, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, tx, ty, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, tx, ty, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	)
	if x, y := checked(field(1, "x")), checked(field(1, "y")); x != "2" || y != "4" {
		t.Errorf("after dragging the fields say (%s, %s), want (2, 4)", x, y)
	}
	js.Audit()
	// The plain form is a button away, and shows the same values.
	js.Click(fmt.Sprintf("#q%d .grid2d-toggle", grid.ID))
	if got := js.Text(fmt.Sprintf(`label[for="%s_2"]`, field(1, "x"))); got != "2" {
		t.Errorf("the plain form's label %q", got)
	}
	js.Audit()
	js.Click(fmt.Sprintf("#q%d .grid2d-toggle", grid.ID))
	js.Click(fmt.Sprintf("#q%d-%d", single.ID, single.Options[1].ID))
	// Saved, and back through the link: the plane shows the saved places.
	js.Submit(`button[name=action][value=save]`)
	js.Visit(page + "?invitation=" + url.QueryEscape(token))
	if x, y := checked(field(1, "x")), checked(field(1, "y")); x != "2" || y != "4" {
		t.Errorf("the saved draft says (%s, %s), want (2, 4)", x, y)
	}
	if n, err := chromedp.Run(js.Context(), chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll("#q%d .grid2d-area .grid2d-token").length`, grid.ID))); err != nil || n != 2 {
		t.Errorf("%d items on the plane after coming back (%v), want 2", n, err)
	}
	js.Submit(`button[name=action][value=submit]`)
	if !strings.HasSuffix(js.URL(), "/thanks") {
		t.Fatalf("after sending with JavaScript: %s (%s)", js.URL(), js.Text(".error-summary"))
	}
	js.Audit()

	// The official sees the quadrant chart, live and after the close, in
	// Finnish and in Swedish.
	results := page + "/results"
	off.VisitAndAudit(results)
	off.Visit(edit)
	off.Submit(fmt.Sprintf(`form[action="/surveys/%d/close"] button`, id))
	for _, lang := range []string{"fi", "sv"} {
		off.VisitAndAudit(results + "?lang=" + lang)
		markers, err := chromedp.Run(off.Context(), chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll("#chart-q%d-title ~ g.point").length`, grid.ID)))
		if err != nil || markers != 3 {
			t.Errorf("%s: the quadrant chart has %d items (%v), want 3", lang, markers, err)
		}
		// The first item's name in the page's language: it has a Swedish one.
		if want := map[string]string{"fi": "Avoin data", "sv": "Öppna data"}[lang]; !strings.Contains(off.Text(fmt.Sprintf("#result-%d .ranking-table", grid.ID)), want) {
			t.Errorf("%s: no %q in the ranking table", lang, want)
		}
		off.VisitAndAudit(results + "?relative=true")
		off.VisitAndAudit(page)
		off.VisitAndAudit(edit)
		off.VisitAndAudit(page + "/progress")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := ts.store.FindMyResponse(ctx, id, participation.Responder{InvitationToken: token})
	if err != nil || !res.Submitted {
		t.Errorf("the invited response: %+v, %v", res, err)
	}
}
