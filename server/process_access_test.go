package server_test

import (
	"strings"
	"testing"
)

// TestOfficialToolsForTheProcessOfficials: the pages of a process's things
// show their officials' tools to the process's officials and to admins,
// not to every official (whose writes the store refuses anyway).
func TestOfficialToolsForTheProcessOfficials(t *testing.T) {
	t.Parallel()
	ts := newTableServer(t)
	w := newAPIWorld(t, ts)
	p := w.process(t)
	other, _ := ts.signUp("toinen.virkailija@example.fi", "official")
	id := func(kind string) string { return itoa10(p.ids[kind]) }
	// Each page, and a mark of its officials' tools.
	pages := []struct{ path, mark string }{
		{"/idea-rounds/" + id("idea-rounds"), `class="official-tools"`},
		{"/themes/" + id("themes"), `class="official-tools"`},
		{"/ideas/" + id("ideas"), `action="/ideas/` + id("ideas") + `/hide"`},
		{"/workshops/" + id("workshops"), `/workshops/` + id("workshops") + `/control"`},
		{"/commitments/" + id("commitments"), `class="section official-section"`},
		{"/processes/" + p.slug + "/commitments", `/processes/` + p.slug + `/drafting"`},
		{"/milestones/" + id("milestones"), `id="status-form-heading"`},
		{"/statement-requests/" + id("statement-requests"), `/statement-requests/` + id("statement-requests") + `/edit"`},
		{"/surveys/" + id("surveys"), `survey-tools`},
	}
	for _, pg := range pages {
		t.Run(pg.path, func(t *testing.T) {
			for who, token := range map[string]string{"its official": w.tokens[actorOfficial], "an admin": w.tokens[actorAdmin]} {
				if body := ts.client(token).get(pg.path).want(t, 200).body; !strings.Contains(string(body), pg.mark) {
					t.Errorf("%s does not see the tools (%s)", who, pg.mark)
				}
			}
			if body := ts.client(other).get(pg.path).want(t, 200).body; strings.Contains(string(body), pg.mark) {
				t.Errorf("another official sees the tools (%s)", pg.mark)
			}
		})
	}
}
