package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"osallistu/server/browsertest"
)

// storedScript is what an attacker writes into every text field: markup that
// would run script or load an image if a page wrote it unescaped.
const storedScript = `<script>window.xss=1</script><img src=x onerror="window.xss=2">`

// TestBrowserStoredScript stores the payload in every kind of text the
// platform keeps (a process, an idea round, an idea and its author's name, a
// comment, a theme, a report's reason, a workshop, a poll and its options, a
// commitment and a milestone) and visits, with JavaScript on, every page
// that shows them: each must show the payload as text, with no element of it
// in the page and no script of it run.
func TestBrowserStoredScript(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	official, _ := ts.signUp("virkailija@example.fi", "official")
	api := func(method, path string, body any) map[string]any {
		t.Helper()
		r := ts.do(method, path, body, official)
		if r.status >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, r.status, r.body)
		}
		if len(r.body) == 0 {
			return nil
		}
		return r.json(t)
	}
	num := func(m map[string]any) int64 { return int64(m["id"].(float64)) }
	id := func(m map[string]any) string { return fmt.Sprint(num(m)) }

	api("POST", "/api/v1/processes", map[string]any{"slug": "xss", "title": storedScript, "description": storedScript})
	now := time.Now().UTC()
	round := id(api("POST", "/api/v1/processes/xss/idea-rounds", map[string]any{"title": storedScript, "description": storedScript,
		"opens_at": now.Add(-time.Hour), "closes_at": now.Add(time.Hour), "allow_anonymous": true}))
	ideaJSON := api("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": storedScript, "body": storedScript})
	idea := id(ideaJSON)
	ts.do("POST", "/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Nimetön " + storedScript, "body": "x", "author_name": storedScript}, "").want(t, 201)
	api("POST", "/api/v1/ideas/"+idea+"/comments", map[string]any{"body": storedScript})
	ts.do("POST", "/api/v1/ideas/"+idea+"/reports", map[string]any{"reason": storedScript}, "").want(t, 202)
	themeJSON := api("POST", "/api/v1/idea-rounds/"+round+"/themes", map[string]any{"title": storedScript, "description": storedScript})
	theme := id(themeJSON)
	api("PUT", "/api/v1/ideas/"+idea+"/theme", map[string]any{"theme_id": num(themeJSON)})
	workshop := id(api("POST", "/api/v1/processes/xss/workshops", map[string]any{"title": storedScript, "starts_at": now}))
	poll := id(api("POST", "/api/v1/workshops/"+workshop+"/polls", map[string]any{"question": storedScript, "max_choices": 1,
		"options": []map[string]any{{"label": storedScript}, {"label": "B " + storedScript}}}))
	api("POST", "/api/v1/polls/"+poll+"/open", nil)
	commitment := api("POST", "/api/v1/processes/xss/commitments", map[string]any{"title": storedScript, "problem": storedScript,
		"description": storedScript, "lead_agency": storedScript, "source_idea_ids": []any{num(ideaJSON)}, "source_theme_ids": []any{},
		"milestones": []map[string]any{{"title": storedScript, "due": "2030-06-30"}}})
	api("POST", "/api/v1/commitments/"+id(commitment)+"/approve", nil)
	milestone := fmt.Sprint(int64(commitment["milestones"].([]any)[0].(map[string]any)["id"].(float64)))

	b := browsertest.New(t)
	b.Visit(base + "/login")
	b.Fill("#email", "virkailija@example.fi")
	b.Fill("#password", "correct horse battery")
	b.Submit(`form[action="/login"] button[type=submit]`)

	for _, path := range []string{
		"/", "/processes/xss", "/idea-rounds/" + round, "/idea-rounds/" + round + "/group", "/ideas/" + idea,
		"/ideas/" + idea + "/trace", "/themes/" + theme, "/moderation", "/workshops/" + workshop,
		"/workshops/" + workshop + "/control", "/workshops/" + workshop + "/projector", "/processes/xss/commitments",
		"/commitments/" + id(commitment), "/commitments/" + id(commitment) + "/versions", "/milestones/" + milestone,
		"/processes/xss/status", "/processes/xss/report",
	} {
		t.Run(path, func(t *testing.T) {
			b.Visit(base + path)
			got, err := chromedp.Run(b.Context(), chromedp.Evaluate[pageCheck](`({
				ran: window.xss !== undefined,
				elements: document.querySelectorAll('img[src="x"], img[onerror]').length +
					[...document.scripts].filter(s => s.textContent.includes('window.xss')).length,
				asText: document.body.innerText.includes('<script>window.xss=1</script>'),
			})`))
			if err != nil {
				t.Fatal(err)
			}
			if got.Ran || got.Elements > 0 {
				t.Errorf("%s: the stored markup became part of the page (script ran: %v, elements: %d)", path, got.Ran, got.Elements)
			}
			if !got.AsText {
				t.Errorf("%s: the stored text is not shown as text: %q", path, truncateText(b.Text("main"), 300))
			}
		})
	}
}

// pageCheck is what TestBrowserStoredScript reads from a page.
type pageCheck struct {
	Ran      bool `json:"ran"`
	Elements int  `json:"elements"`
	AsText   bool `json:"asText"`
}

func truncateText(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n])) + "…"
}
