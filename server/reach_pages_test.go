package server_test

import "testing"

// TestReachPage renders the report in every language with its figures,
// charts and definitions, and links to it from the process page and the
// reports; a draft is 404.
func TestReachPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	reachWorld(t, ts)
	anon := ts.client("")
	for lang, want := range map[string][]string{
		"fi": {"Tavoittavuus", "Pohjois-Pohjanmaa", "Pohjois-Karjala", "Uusimaa", "Helsinki, Espoo, Vantaa, Kauniainen", "50 %", "Miten osallistujat lasketaan", "Tilastokeskuksen luokitus kunnista maakunnittain, 2025"},
		"sv": {"Räckvidd", "Norra Österbotten", "Norra Karelen", "Nyland", "Helsingfors, Esbo, Vanda, Grankulla", "50 %", "Hur deltagarna räknas", "Statistikcentralens klassificering av kommuner per landskap, 2025"},
		"en": {"Reach", "North Ostrobothnia", "North Karelia", "Uusimaa", "Helsinki, Espoo, Vantaa, Kauniainen", "50 %", "How participants are counted", "classification of municipalities by region, 2025"},
	} {
		r := anon.get("/processes/avoin/reach?lang="+lang).want(t, 200)
		r.contains(t, append(want, `<svg`, `role="img"`, `href="/api/v1/processes/avoin/reach"`)...)
	}
	anon.get("/processes/avoin?lang=en").want(t, 200).contains(t, `href="/processes/avoin/reach"`)
	anon.get("/processes/avoin/report?lang=en").want(t, 200).contains(t, `href="/processes/avoin/reach"`)
	anon.get("/processes/avoin/status?lang=en").want(t, 200).contains(t, `href="/processes/avoin/reach"`)
	anon.get("/processes/luonnos/reach").want(t, 404)
	anon.get("/processes/ei-ole/reach").want(t, 404)
}
