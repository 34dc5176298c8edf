package server_test

import (
	"strings"
	"testing"
)

// TestStatisticsPage shows the platform's figures by year and by process,
// with charts and their tables, in every language.
func TestStatisticsPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	reachWorld(t, ts)
	anon := ts.client("")
	for lang, want := range map[string][]string{
		"fi": {"Tilastot", "Työpajojen osallistujat", "Prosesseittain", "Tavoittavuus"},
		"sv": {"Statistik", "Deltagare i workshoppar", "Per process", "Räckvidd"},
		"en": {"Statistics", "Workshop participants", "By process", "Reach"},
	} {
		anon.get("/statistics?lang="+lang).want(t, 200).contains(t, append(want,
			`href="/processes/avoin"`, `href="/processes/avoin/reach"`, `<svg`, `role="img"`, `<caption id="processes-caption">`)...)
	}
	if body := anon.get("/statistics?lang=en").want(t, 200).body; strings.Contains(string(body), "/processes/luonnos") {
		t.Error("the draft process is listed")
	}
	anon.get("/statistics?offset=x").want(t, 400)
}
