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

// TestBrowserWorkshopIdeaWall runs a workshop's idea wall in three
// browsers: the official's (the wall page and the projector, with
// JavaScript) and two participants' phones without JavaScript, in Finnish
// and in Swedish. The participants' proposals and supports appear on the
// projector live; a proposal the official hides leaves it live; one taken
// to a survey item and a draft commitment shows on the commitment's page
// as from the workshop of its date. Every page is axe-clean.
func TestBrowserWorkshopIdeaWall(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	ws := newWorkshopSetup(t, ts)
	proj := browsertest.New(t, browsertest.WithTimeout(3*time.Minute))
	setSession(t, proj, base, ws.official)
	wallPage := fmt.Sprintf("%s/workshops/%d/wall", base, ws.id)
	proj.VisitAndAudit(wallPage + "?lang=fi")
	proj.Fill("#title", "Julkisuus")
	proj.Submit(fmt.Sprintf(`form[action="/workshops/%d/collections"] button[type=submit]`, ws.id))
	proj.Fill("#title", "Ymmärrettävyys")
	proj.Submit(fmt.Sprintf(`form[action="/workshops/%d/collections"] button[type=submit]`, ws.id))
	proj.Audit()
	wall := ws.wall(t, "")
	if len(wall.Collections) != 2 {
		t.Fatalf("collections after the official's form: %+v", wall)
	}
	julkisuus, ymmarrettavyys := wall.Collections[0].ID, wall.Collections[1].ID
	proj.VisitAndAudit(fmt.Sprintf("%s/workshops/%d/projector", base, ws.id))
	waitWall := func(js, what string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(proj.Context(), 5*time.Second)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js)); err != nil {
			t.Fatalf("the projector did not show %s: %v (it shows %q)", what, err, proj.Text("[data-wall]"))
		}
	}
	cardText := `[...document.querySelectorAll("[data-wall] .wall-card")].map((c) => c.textContent).join("|")`

	// Two phones without JavaScript: plain form posts.
	phone := func(lang, name string) *browsertest.Browser {
		p := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(3*time.Minute))
		p.Visit(base + "/join?lang=" + lang + "&code=" + ws.code)
		p.Fill("#name", name)
		p.Submit(`form[action="/join"] button[type=submit]`)
		p.VisitAndAudit(base + "/wall")
		return p
	}
	p1 := phone("fi", "Aino")
	p1.Fill(fmt.Sprintf("#body-%d", julkisuus), "Asiakirjat verkkoon heti")
	p1.Submit(fmt.Sprintf(`form[action="/wall/collections/%d"] button[type=submit]`, julkisuus))
	if !strings.Contains(p1.Text(fmt.Sprintf("#collection-%d", julkisuus)), "Asiakirjat verkkoon heti") {
		t.Fatal("the phone's wall lacks its own proposal")
	}
	p1.Audit()
	waitWall(cardText+`.includes("Asiakirjat verkkoon heti")`, "the first proposal")

	p2 := phone("sv", "Eero")
	p2.Fill(fmt.Sprintf("#body-%d", ymmarrettavyys), "Selkokieli kaikkiin päätöksiin")
	p2.Submit(fmt.Sprintf(`form[action="/wall/collections/%d"] button[type=submit]`, ymmarrettavyys))
	p2.Audit()
	waitWall(cardText+`.includes("Selkokieli kaikkiin päätöksiin")`, "the second proposal")
	wall = ws.wall(t, "")
	first, second := wall.Collections[0].Proposals[0].ID, wall.Collections[1].Proposals[0].ID
	// The second phone supports the first proposal, once however often.
	for range 2 {
		p2.Submit(fmt.Sprintf(`form[action="/wall/proposals/%d/support"] button`, first))
	}
	p2.Audit()
	waitWall(fmt.Sprintf(`document.querySelector('[data-proposal="%d"] .wall-card-supports')?.textContent.trim().endsWith(" 1")`, first), "one support")

	// The official hides the first proposal: it leaves the projector live.
	op := browsertest.New(t, browsertest.WithTimeout(3*time.Minute))
	setSession(t, op, base, ws.official)
	op.VisitAndAudit(wallPage + "?lang=sv")
	op.Fill(fmt.Sprintf("#reason-%d", first), "Testi")
	op.Submit(fmt.Sprintf(`form[action="/proposals/%d/hide"] button`, first))
	op.Audit()
	waitWall(fmt.Sprintf(`document.querySelector('[data-proposal="%d"]') === null && document.querySelector('[data-proposal="%d"]') !== null`, first, second), "the wall without the hidden proposal")

	// The second proposal becomes an item of a draft survey's two-axis
	// question, and a draft commitment, which names the workshop.
	ts.do("POST", "/api/v1/processes/"+ws.processSlug(t)+"/surveys", map[string]any{
		"title": "ZEF", "description": "", "anonymous": true, "questions": []map[string]any{
			{"kind": "grid2d", "prompt": "Arvioi tavoitteet", "items": []map[string]any{{"label": "Ensimmäinen"}},
				"x": map[string]any{"label": "Tärkeys", "min": 1, "max": 5}, "y": map[string]any{"label": "Toteutettavuus", "min": 1, "max": 5}},
		}}, ws.official).want(t, 201)
	op.VisitAndAudit(wallPage)
	op.Submit(fmt.Sprintf(`form[action="/proposals/%d/to-survey-item"] button`, second))
	op.Submit(fmt.Sprintf(`form[action="/proposals/%d/draft-commitment"] button`, second))
	op.Audit()
	var cid int64
	for _, p := range ws.wall(t, ws.official).Collections[1].Proposals {
		if p.ID == second && p.CommitmentID != nil && p.SurveyItemID != nil {
			cid = *p.CommitmentID
		}
	}
	if cid == 0 {
		t.Fatal("the proposal was not taken to a survey item and a commitment")
	}
	op.VisitAndAudit(fmt.Sprintf("%s/commitments/%d?lang=fi", base, cid))
	if got := op.Text(".from-workshops"); !strings.Contains(got, "Työpajasta 1.3.2017") || !strings.Contains(got, "Selkokieli kaikkiin päätöksiin") {
		t.Fatalf("the commitment's trace says %q", got)
	}
	proj.Audit()
}
