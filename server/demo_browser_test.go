package server_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"osallistu/participation"
	"osallistu/participation/postgres/demo"
	"osallistu/server/browsertest"
)

// demoPage is a page of the demo process and what it must show in each
// language (fi, sv, en): a text of the demo's data, translated where the
// data is. Path may name ids by the keys of demoIDs, as {key}.
type demoPage struct {
	name, path string
	want       [3]string
}

// demoPages are every page of the demo process. More pages are one more row.
var demoPages = []demoPage{
	{"front page", "/", [3]string{"Avoimen hallinnon toimintaohjelma 2017–2019", "Handlingsplan för öppen förvaltning 2017–2019", "Open Government Action Plan 2017–2019"}},
	{"process", "/processes/" + demo.Slug, [3]string{"esittelyaineisto", "demomaterial", "demo material"}},
	{"idea round", "/idea-rounds/{round}", [3]string{"Ennakkotehtävä: mitä avoimen hallinnon pitäisi seuraavaksi tehdä?",
		"Förhandsuppgift: vad borde öppen förvaltning göra härnäst?", "Pre-task: what should open government do next?"}},
	{"ideas of an area", "/idea-rounds/{round}?theme_id={area}", [3]string{"Valmisteluaineistot verkkoon heti", "Valmisteluaineistot verkkoon heti", "Valmisteluaineistot verkkoon heti"}},
	{"area", "/themes/{area}", [3]string{"Tiedon ja päätöksenteon avoimuus", "Öppen information och öppet beslutsfattande", "Open information and decision-making"}},
	{"idea", "/ideas/{idea}", [3]string{"Håller med: då hinner också organisationerna reagera i tid.", "Håller med: då hinner också organisationerna reagera i tid.", "Håller med: då hinner också organisationerna reagera i tid."}},
	{"workshop and results", "/workshops/{workshop}", [3]string{"Palvelujen saavutettavuus ja esteettömyys", "Tjänster som är tillgängliga för alla", "Accessible services"}},
	{"second workshop and its wall", "/workshops/{wall}", [3]string{"Toinen työpaja: tavoitteista sitoumuksiksi", "Andra verkstaden: från mål till åtaganden", "Second workshop: from goals to commitments"}},
	{"second workshop's wall", "/workshops/{wall}", [3]string{"Julkisuusperiaate koskemaan myös yhtiöitä, jotka tuottavat julkisia palveluja",
		"Julkisuusperiaate koskemaan myös yhtiöitä, jotka tuottavat julkisia palveluja", "Julkisuusperiaate koskemaan myös yhtiöitä, jotka tuottavat julkisia palveluja"}},
	{"event", "/events/{event}", [3]string{"Avoimen hallinnon treffit", "Träff om öppen förvaltning", "Open government meetup"}},
	{"discussion", "/idea-rounds/{discussion}", [3]string{"Keskustelu: toimintasuunnitelman teemat", "Diskussion: handlingsplanens teman", "Discussion: the themes of the action plan"}},
	{"discussion theme", "/themes/{theme}", [3]string{"Ymmärrettävyys", "Begriplighet", "Understandability"}},
	{"survey", "/surveys/{survey}", [3]string{"ZEF-kysely: sitoumusluonnosten tärkeys ja toteutettavuus", "ZEF-enkät: utkastens betydelse och genomförbarhet",
		"ZEF survey: importance and feasibility of the draft commitments"}},
	{"survey results", "/surveys/{survey}/results", [3]string{"Toteutettavuus", "Genomförbarhet", "Feasibility"}},
	{"statement request", "/statement-requests/{request}", [3]string{"Lausuntopyyntö: avoimen hallinnon toimintasuunnitelma 2017–2019",
		"Begäran om utlåtande: handlingsplanen för öppen förvaltning 2017–2019", "Request for statements: Open Government Action Plan 2017–2019"}},
	{"statements in the summary", "/statement-requests/{request}/summary", [3]string{"Klart språk och tillgänglig kommunikation måste alltid gälla även svenska.",
		"Klart språk och tillgänglig kommunikation måste alltid gälla även svenska.", "Klart språk och tillgänglig kommunikation måste alltid gälla även svenska."}},
	{"statement summary", "/statement-requests/{request}/summary", [3]string{"Lausunnoissa suunnitelmaa pidettiin yleisesti hyvänä",
		"I utlåtandena ansågs planen överlag bra", "The statements found the plan good overall"}},
	{"organisation", "/organisations/{organisation}", [3]string{"Svenska Finlands folkting", "Svenska Finlands folkting", "Svenska Finlands folkting"}},
	{"commitments", "/processes/" + demo.Slug + "/commitments", [3]string{"Julkaistaan valtion hankintatiedot kansalaisille",
		"Statens upphandlingsuppgifter publiceras för medborgarna", "Julkaistaan valtion hankintatiedot kansalaisille"}},
	{"commitment", "/commitments/{commitment}", [3]string{"Tutkihankintoja.fi avataan", "Tutkihankintoja.fi öppnas", "Tutkihankintoja.fi avataan"}},
	{"merged commitment", "/commitments/{merged}", [3]string{"Tukea ja koulutusta selkeään kieleen", "Stöd och utbildning i klart språk", "Tukea ja koulutusta selkeään kieleen"}},
	{"commitment history", "/commitments/{commitment}/versions", [3]string{"Julkaistaan valtion hankintatiedot kansalaisille",
		"Statens upphandlingsuppgifter publiceras för medborgarna", "Julkaistaan valtion hankintatiedot kansalaisille"}},
	{"milestone", "/milestones/{milestone}", [3]string{"Palvelu avautui syyskuussa 2017.", "Tjänsten öppnades i september 2017.", "Palvelu avautui syyskuussa 2017."}},
	{"status board", "/processes/" + demo.Slug + "/status", [3]string{"Avoimen hallinnon peli", "Spelet om öppen förvaltning", "Avoimen hallinnon peli"}},
	{"self-assessment", "/processes/" + demo.Slug + "/report", [3]string{"myöhässä: 4; ei käynnistetty: 1", "försenade: 4; inte påbörjade: 1", "late: 4; not started: 1"}},
	{"self-assessment at the review", "/processes/" + demo.Slug + "/report?as_of=2018-08-31", [3]string{"Valmiina: 9; etenee suunnitellusti: 14; myöhässä: 4; ei käynnistetty: 1",
		"Klara: 9; enligt plan: 14; försenade: 4; inte påbörjade: 1", "Done: 9; on track: 14; late: 4; not started: 1"}},
	{"reach", "/processes/" + demo.Slug + "/reach", [3]string{"Pirkanmaa", "Birkaland", "Pirkanmaa"}},
	{"statistics", "/statistics", [3]string{"Avoimen hallinnon toimintaohjelma 2017–2019", "Handlingsplan för öppen förvaltning 2017–2019", "Open Government Action Plan 2017–2019"}},
	{"trace of an idea", "/ideas/{traced}/trace", [3]string{"Julkaistaan valtion hankintatiedot kansalaisille",
		"Statens upphandlingsuppgifter publiceras för medborgarna", "Julkaistaan valtion hankintatiedot kansalaisille"}},
}

// TestBrowserDemoProcess loads the demo and reads every page of its process
// in Finnish, Swedish and English: each shows its data in that language and
// axe finds nothing.
func TestBrowserDemoProcess(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	if err := demo.Load(context.Background(), ts.store, "", io.Discard); err != nil {
		t.Fatal(err)
	}
	ids := demoIDs(t, ts)
	// The demo's open data: every file loads back, and the demo's
	// addresses (the official's, the organisations' members') are in none.
	ex := readOpenData(t, ts.do("GET", "/api/v1/processes/"+demo.Slug+"/export.zip", nil, "").want(t, 200).body)
	statements := ex.rows(t, "statements.csv")
	if n := len(statements); n != 46 {
		t.Errorf("the export holds %d statements, want 46", n)
	}
	swedish := 0
	for _, st := range statements {
		if st["language"] == "sv" {
			swedish++
		}
	}
	if swedish != 7 {
		t.Errorf("%d Swedish statements, want the demo's 7", swedish)
	}
	for name, text := range ex.raw {
		if strings.Contains(text, "@") {
			t.Errorf("%s holds an @: an email address?", name)
		}
	}
	// A browser for each language, side by side.
	for i, lang := range []string{"fi", "sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			b := browsertest.New(t)
			for _, pg := range demoPages {
				path := pg.path
				for k, id := range ids {
					path = strings.ReplaceAll(path, "{"+k+"}", fmt.Sprint(id))
				}
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				b.VisitAndAudit(base + path + sep + "lang=" + lang)
				if got := b.Text("main"); !strings.Contains(got, pg.want[i]) {
					t.Errorf("%s in %s (%s): no %q in %.300q", pg.name, lang, path, pg.want[i], got)
				}
			}
		})
	}
}

// demoIDs finds the ids the demo's pages are at, by the data's titles.
func demoIDs(t *testing.T, ts *testServer) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for key, q := range map[string]string{
		"round":        `SELECT id FROM idea_rounds WHERE title LIKE 'Ennakkotehtävä%'`,
		"discussion":   `SELECT id FROM idea_rounds WHERE title LIKE 'Keskustelu%'`,
		"area":         `SELECT id FROM themes WHERE title = 'Tiedon ja päätöksenteon avoimuus'`,
		"theme":        `SELECT id FROM themes WHERE title = 'Ymmärrettävyys'`,
		"idea":         `SELECT id FROM ideas WHERE title = 'Lagberedningens material öppet från början'`,
		"traced":       `SELECT id FROM ideas WHERE title = 'Hankintatiedot kaikkien nähtäville'`,
		"workshop":     `SELECT id FROM workshops WHERE title = 'Avaustilaisuuden työpaja'`,
		"wall":         `SELECT id FROM workshops WHERE title LIKE 'Toinen työpaja%'`,
		"event":        `SELECT id FROM events`,
		"survey":       `SELECT id FROM surveys`,
		"request":      `SELECT id FROM statement_requests`,
		"organisation": `SELECT id FROM organisations WHERE name = 'Svenska Finlands folkting'`,
		"commitment":   `SELECT id FROM commitments WHERE title = 'Julkaistaan valtion hankintatiedot kansalaisille'`,
		"merged":       `SELECT id FROM commitments WHERE title = 'Tukea ja koulutusta selkeään kieleen'`,
		"milestone":    `SELECT id FROM milestones WHERE title = 'Tutkihankintoja.fi avataan'`,
	} {
		var id int64
		if err := ts.store.DB().Get(&id, q); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		ids[key] = id
	}
	if c, err := ts.store.FindCommitment(context.Background(), ids["merged"]); err != nil || c.Status != participation.CommitmentMerged {
		t.Fatalf("the merged draft: %v", err)
	}
	return ids
}
