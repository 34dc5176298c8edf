package server_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
)

// readCSV parses a CSV download in its dialect: the standard one, or the
// Finnish one (semicolons, decimal commas, a byte order mark first).
func readCSV(t *testing.T, r response, finnish bool) [][]string {
	t.Helper()
	body := string(r.body)
	if finnish && !strings.HasPrefix(body, "\ufeff") {
		t.Errorf("the Finnish dialect lacks its byte order mark: %.40q", body)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	if finnish {
		cr.Comma = ';'
	}
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse back: %v\n%s", err, body)
	}
	return rows
}

// TestCSVDialects: every CSV download comes in the standard dialect by
// default and, with ?dialect=fi, in the Finnish spreadsheet one, whose cells
// are the same but for the decimal commas; the pages link both.
func TestCSVDialects(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	citizen, _ := ts.signUp("citizen@example.fi")
	other, _ := ts.signUp("other@example.fi")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "avoin", "title": "Avoin", "description": ""}, official).want(t, 201)
	for _, title := range []string{"Open data by default", "Plain language"} {
		ts.do("POST", "/api/v1/processes/avoin/commitments", map[string]any{"title": title}, official).want(t, 201)
	}
	sv := decode[surveyJSON](t, ts.do("POST", "/api/v1/processes/avoin/surveys",
		map[string]any{"title": "Draft goals", "description": "", "anonymous": false, "questions": surveyQuestionsBody()}, official).want(t, 201))
	path := fmt.Sprintf("/api/v1/surveys/%d", sv.ID)
	ts.do("POST", path+"/open", nil, official).want(t, 200)
	ts.do("POST", path+"/responses", surveyAnswers(sv, 1, 4, "Hyvä; selkeä, \"lyhyt\"", map[int][2]float64{0: {4.5, 2}, 1: {2, 3.25}}), citizen).want(t, 201)
	ts.do("POST", path+"/responses", surveyAnswers(sv, 0, 2, "", map[int][2]float64{0: {3, 3}}), other).want(t, 201)

	t.Run("survey results: decimal commas, the same cells", func(t *testing.T) {
		std := readCSV(t, ts.do("GET", path+"/results.csv", nil, official).want(t, 200), false)
		r := ts.do("GET", path+"/results.csv?dialect=fi", nil, official).want(t, 200)
		if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, fmt.Sprintf("survey-%d-results-fi.csv", sv.ID)) {
			t.Errorf("file name %q", cd)
		}
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(string(r.body), "\ufeffrespondent;submitted_at;question_id;") {
			t.Errorf("%q: %.60q", r.header.Get("Content-Type"), r.body)
		}
		fi := readCSV(t, r, true)
		if len(fi) != len(std) || len(std) != 1+5+3 { // the citizen: option, scale, text, two points; the other: option, scale, a point
			t.Fatalf("%d rows in Finnish, %d standard", len(fi), len(std))
		}
		decimals := 0
		for i := range std {
			for j := range std[i] {
				want := std[i][j]
				if i > 0 && j >= 5 && j <= 7 { // value, x, y
					want = strings.Replace(want, ".", ",", 1)
				}
				if fi[i][j] != want {
					t.Errorf("row %d cell %d: %q, want %q", i, j, fi[i][j], want)
				}
				if strings.Contains(fi[i][j], ",") && j >= 5 && j <= 7 {
					decimals++
				}
			}
		}
		if decimals != 2 { // 4.5 and 3.25
			t.Errorf("%d decimal commas", decimals)
		}
		if strings.HasPrefix(string(ts.do("GET", path+"/results.csv", nil, official).body), "\ufeff") {
			t.Error("the API's documented CSV gained a byte order mark")
		}
	})
	t.Run("ideas: semicolons, the same cells", func(t *testing.T) {
		rid := decode[struct {
			ID int64 `json:"id"`
		}](t, ts.do("POST", "/api/v1/processes/avoin/idea-rounds", map[string]any{"title": "Ideat", "description": "", "opens_at": "2020-01-01T00:00:00Z",
			"closes_at": "2099-01-01T00:00:00Z", "allow_anonymous": false}, official).want(t, 201)).ID
		ideas := fmt.Sprintf("/api/v1/idea-rounds/%d/ideas", rid)
		ts.do("POST", ideas, map[string]any{"title": "Kirjastot auki; aina", "body": "Pidempään, \"iltaisin\"", "municipality": "Espoo"}, citizen).want(t, 201)
		std := readCSV(t, ts.do("GET", ideas+".csv", nil, official).want(t, 200), false)
		fi := readCSV(t, ts.do("GET", ideas+".csv?dialect=fi", nil, official).want(t, 200), true)
		if len(std) != 2 || strings.Join(fi[0], "|") != strings.Join(std[0], "|") || strings.Join(fi[1], "|") != strings.Join(std[1], "|") || fi[1][1] != "Kirjastot auki; aina" {
			t.Fatalf("standard %q, Finnish %q", std, fi)
		}
		official := ts.client(official)
		official.get(fmt.Sprintf("/idea-rounds/%d?lang=en", rid)).want(t, 200).contains(t,
			fmt.Sprintf(`href="/idea-rounds/%d/ideas.csv" download`, rid), fmt.Sprintf(`href="/idea-rounds/%d/ideas.csv?dialect=fi" download`, rid),
			"in the Finnish spreadsheet format", "semicolons, decimal commas")
	})
	t.Run("an unknown dialect is 400", func(t *testing.T) {
		ts.do("GET", path+"/results.csv?dialect=excel", nil, official).want(t, 400).wantCode(t, "invalid").wantFields(t, "dialect")
	})
}
