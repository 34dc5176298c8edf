package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestSurveyResultsPages shows a survey's results: to officials while it
// is open, to everyone once closed; charts as SVG with their tables, the
// relative view, the municipality filter (a municipality with few
// responses only to officials), a chart as a file, and a commitment's
// place on its own page.
func TestSurveyResultsPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := newSurveySite(t, ts)
	var drafts []int64
	for _, title := range []string{"Avoin data", "Selkeä kieli"} {
		cm := decode[commitmentJSON](t, ts.do("POST", "/api/v1/processes/"+s.slug+"/commitments", map[string]any{
			"title": title, "problem": "", "description": "", "lead_agency": "", "source_idea_ids": []int64{}, "source_theme_ids": []int64{}, "milestones": []any{}}, s.bearer).want(t, 201))
		drafts = append(drafts, cm.ID)
	}
	id, _ := s.build(t, false)
	s.addQuestion(t, id, "grid2d", url.Values{"prompt": {"Arvioi sitoumukset"}, "x_label": {"Tärkeys"}, "x_min": {"1"}, "x_max": {"5"},
		"y_label": {"Toteutettavuus"}, "y_min": {"1"}, "y_max": {"5"}, "items_source": {"commitments"}})
	sv := s.survey(t, id)
	if q := sv.Questions[5]; len(q.Items) != 2 || q.Items[0].CommitmentID == nil {
		t.Fatalf("question from commitments: %+v", q)
	}
	page := fmt.Sprintf("/surveys/%d", id)
	results := page + "/results"
	s.official.post(t, page+"/edit", page+"/open", nil).redirectsTo(t, page+"/edit")
	// Five from Helsinki and one from Tampere answer; the commitments'
	// question rates the first draft high.
	for i, m := range []string{"Helsinki", "Helsinki", "Helsinki", "Helsinki", "Helsinki", "Tampere"} {
		token, _ := ts.signUp(fmt.Sprintf("r%d@example.fi", i))
		v := answerValues(sv, i%2, map[int][2]string{0: {"5", "4"}, 1: {itoa(int64(1 + i%5)), "2"}})
		g := sv.Questions[5]
		v.Set(fmt.Sprintf("q%d_%d_x", g.ID, g.Items[0].ID), "5")
		v.Set(fmt.Sprintf("q%d_%d_y", g.ID, g.Items[0].ID), "5")
		v.Set(fmt.Sprintf("q%d_%d_x", g.ID, g.Items[1].ID), "1")
		v.Set(fmt.Sprintf("q%d_%d_y", g.ID, g.Items[1].ID), itoa(int64(1+i%3)))
		v.Set("action", "submit")
		v.Set("municipality", m)
		ts.client(token).post(t, page, page+"/answers", v).redirectsTo(t, page+"/thanks")
	}
	q := sv.Questions

	t.Run("ErrForbidden", func(t *testing.T) {
		ts.client("").get(results).want(t, 403)
		ts.client("").get(fmt.Sprintf("%s/charts/%d.svg", page, q[0].ID)).want(t, 403)
	})
	t.Run("Live", func(t *testing.T) {
		s.official.get(results).want(t, 200).contains(t, `class="notice notice-info"`, `role="img"`, "Tampere (1)")
	})
	s.official.post(t, page+"/edit", page+"/close", nil).redirectsTo(t, page+"/edit")

	t.Run("Public", func(t *testing.T) {
		r := ts.client("").get(results).want(t, 200)
		r.contains(t,
			// Every choice, scale and grid question has its chart, named
			// by its title and description, and its table.
			`aria-labelledby="chart-q`+itoa(q[0].ID)+`-title chart-q`+itoa(q[0].ID)+`-desc"`,
			`id="chart-q`+itoa(q[2].ID)+`-title"`, `id="chart-q`+itoa(q[4].ID)+`-desc"`, `class="point-marker"`, `class="midline"`, `class="spread"`,
			// The first option was chosen by respondents 0, 2 and 4: 3 of 6, 50 %.
			`<td class="num" data-label="Vastauksia">3</td><td class="num" data-label="Osuus">50,0 %</td>`,
			// The scale: everyone gave 4.
			"<dd>4,00</dd>", "<dd>4,0</dd>",
			// The text answers.
			"Hyvä kysely.",
			// The ranking: "Avoin data" at 5, 4 first, its deviation 0.
			`<td class="num" data-label="Sija">1</td>`, ">Avoin data<", `">5,00</td>`, `">0,00</td>`,
			// The commitments' items link to the commitments.
			fmt.Sprintf(`<a href="/commitments/%d">Avoin data</a>`, drafts[0]),
			"Helsinki (5)", fmt.Sprintf(`href="%s/charts/%d.svg"`, page, q[4].ID))
		if strings.Contains(string(r.body), "Tampere (1)") {
			t.Error("the public filter offers a municipality of one response")
		}
		if strings.Contains(string(r.body), "results.csv") {
			t.Error("the public page links to the officials' CSV")
		}
	})
	t.Run("Relative", func(t *testing.T) {
		ts.client("").get(results+"?relative=true").want(t, 200).contains(t, "(z-arvo)", `id="relative-yes" name="relative" value="true" checked`)
	})
	t.Run("Municipality", func(t *testing.T) {
		ts.client("").get(results+"?municipality=Helsinki").want(t, 200).contains(t, "5 vastausta", `value="Helsinki" selected`)
		ts.client("").get(results+"?municipality=Tampere").want(t, 200).contains(t, "6 vastausta", `class="notice"`)
		s.official.get(results+"?municipality=Tampere").want(t, 200).contains(t, "1 vastaus", `value="Tampere" selected`)
	})
	t.Run("ChartFile", func(t *testing.T) {
		r := ts.client("").get(fmt.Sprintf("%s/charts/%d.svg?relative=true", page, q[4].ID)).want(t, 200)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
			t.Errorf("content type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".svg") {
			t.Errorf("content disposition %q", cd)
		}
		body := string(r.body)
		if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(body, `<svg xmlns="http://www.w3.org/2000/svg"`) || !strings.Contains(body, "z-arvo") {
			t.Errorf("chart file %.300s", body)
		}
		ts.client("").get(fmt.Sprintf("%s/charts/%d.svg", page, q[3].ID)).want(t, 404) // a text question has none
	})
	t.Run("CSV", func(t *testing.T) {
		r := s.official.get(results+".csv").want(t, 200)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		if !strings.HasPrefix(string(r.body), "respondent,submitted_at,question_id,question,option_or_item,value,x,y,text") ||
			strings.Count(string(r.body), "Hyvä kysely.") != 6 {
			t.Errorf("CSV %.300s", r.body)
		}
		s.official.get(results).want(t, 200).contains(t, `href="`+results+`.csv"`)
		ts.client("").get(results+".csv").want(t, 401)
	})
	t.Run("Commitment", func(t *testing.T) {
		ts.client("").get(fmt.Sprintf("/commitments/%d", drafts[0])).want(t, 200).
			contains(t, `id="survey-ratings-heading"`, "1. sijalle 2 arvioidusta", results+"#result-"+itoa(q[5].ID))
	})
}
