package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
)

// openDataExport is a downloaded export: its manifest and each CSV file's
// rows, header first.
type openDataExport struct {
	manifest struct {
		Files []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Columns     []struct {
				Name        string `json:"name"`
				Description string `json:"description"`
			} `json:"columns"`
		} `json:"files"`
	}
	files map[string][][]string
	raw   map[string]string // every file's text, manifest.json included
}

// readOpenData unzips an export, parsing every CSV file back with
// encoding/csv, and checks that each file's header is the manifest's
// columns for it and that every file is in the manifest.
func readOpenData(t *testing.T, body []byte) *openDataExport {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	ex := &openDataExport{files: map[string][][]string{}, raw: map[string]string{}}
	for _, f := range z.File {
		if f.Modified.Year() < 2020 {
			t.Errorf("%s: modified %v, not the export's time", f.Name, f.Modified)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		ex.raw[f.Name] = string(b)
		if f.Name == "manifest.json" {
			if err := json.Unmarshal(b, &ex.manifest); err != nil {
				t.Fatalf("manifest.json: %v", err)
			}
			continue
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s does not parse as CSV: %v", f.Name, err)
		}
		ex.files[f.Name] = rows
	}
	if len(ex.manifest.Files) != len(ex.files) {
		t.Errorf("manifest lists %d files, the ZIP holds %d CSV files", len(ex.manifest.Files), len(ex.files))
	}
	for _, mf := range ex.manifest.Files {
		rows, ok := ex.files[mf.Name]
		if !ok || len(rows) == 0 {
			t.Errorf("%s: in the manifest, not in the ZIP (or without a header)", mf.Name)
			continue
		}
		var names []string
		for _, c := range mf.Columns {
			if c.Description == "" {
				t.Errorf("%s: column %s has no description", mf.Name, c.Name)
			}
			names = append(names, c.Name)
		}
		if !slices.Equal(rows[0], names) {
			t.Errorf("%s: header %v, manifest %v", mf.Name, rows[0], names)
		}
		if mf.Description == "" {
			t.Errorf("%s has no description", mf.Name)
		}
	}
	return ex
}

// rows returns file's rows as maps by column, header left out.
func (ex *openDataExport) rows(t *testing.T, file string) []map[string]string {
	t.Helper()
	all, ok := ex.files[file]
	if !ok {
		t.Fatalf("no %s in the export", file)
	}
	var out []map[string]string
	for _, r := range all[1:] {
		m := map[string]string{}
		for i, name := range all[0] {
			m[name] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestOpenDataExport(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	w := newAPIWorld(t, ts)
	// Display names without an address in them, so that any "@" in the
	// export is an address leaking.
	db := ts.store.DB()
	for email, name := range map[string]string{"official@example.fi": "Virkailija Virtanen", "member@example.fi": "Jäsen Järvinen"} {
		if _, err := db.Exec(`UPDATE accounts SET name = $1 WHERE email = $2`, name, email); err != nil {
			t.Fatal(err)
		}
	}
	erasedToken, erased := ts.signUp("erased@example.fi")
	if _, err := db.Exec(`UPDATE accounts SET name = 'Poistuva Pekka' WHERE id = $1`, erased.ID); err != nil {
		t.Fatal(err)
	}
	p := w.process(t)
	official := w.tokens[actorOfficial]
	rounds := itoa10(p.ids["idea-rounds"])
	hidden := postIdea(t, ts, rounds, map[string]any{"title": "Hidden idea", "body": "Salainen piilotettu teksti"}, "")
	ts.do("POST", "/api/v1/ideas/"+itoa10(hidden.ID)+"/hide", map[string]any{"reason": "Spam"}, official).want(t, 200)
	chosen := postIdea(t, ts, rounds, map[string]any{"title": "Named idea", "body": "Anonymous, with a chosen name.", "author_name": "Aino Anonyymi"}, "")
	gone := postIdea(t, ts, rounds, map[string]any{"title": "Idea of a leaver", "body": "Written, then the account went."}, erasedToken)
	ts.do("DELETE", "/api/v1/me", nil, erasedToken).want(t, 204)

	// Two ballots, then the poll closes: its final tally.
	poll := "/api/v1/polls/" + itoa10(p.ids["polls"])
	ts.do("PUT", poll+"/ballot", map[string]any{"option_ids": []int64{p.options[0], p.options[1]}}, "", "X-Participant-Token", p.joined).want(t, 200)
	ts.do("PUT", poll+"/ballot", map[string]any{"option_ids": []int64{p.options[0]}}, "", "X-Participant-Token", w.join(t, p.joinCode)).want(t, 200)
	ts.do("POST", poll+"/close", nil, official).want(t, 200)
	ts.do("PUT", "/api/v1/milestones/"+itoa10(p.ids["milestones"]), map[string]any{"status": "on_track", "note": "Going well."}, official).want(t, 200)

	// An answer to the open survey, which must not be exported yet.
	open := ts.do("GET", "/api/v1/surveys/"+itoa10(p.ids["surveys"]), nil, "").want(t, 200).json(t)
	qs := open["questions"].([]any)
	q := func(i int) map[string]any { return qs[i].(map[string]any) }
	ts.do("POST", "/api/v1/surveys/"+itoa10(p.ids["surveys"])+"/responses", map[string]any{"answers": []map[string]any{
		{"question_id": q(0)["id"], "option_ids": []any{q(0)["options"].([]any)[0].(map[string]any)["id"]}},
		{"question_id": q(3)["id"], "text": "Avoimen kyselyn vastaus"},
	}}, "", "X-Respondent-Token", w.respondent).want(t, 201)

	r := ts.do("GET", "/api/v1/processes/"+p.slug+"/export.zip", nil, "").want(t, 200)
	if ct := r.header.Get("Content-Type"); ct != "application/zip" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, `filename="`+p.slug+`-open-data.zip"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	ex := readOpenData(t, r.body)
	if page := string(ts.do("GET", "/processes/"+p.slug, nil, "").want(t, 200).body); !strings.Contains(page, `href="/api/v1/processes/`+p.slug+`/export.zip"`) {
		t.Error("the process page does not link to its open data")
	}

	t.Run("NoPersonalData", func(t *testing.T) {
		for name, text := range ex.raw {
			for _, bad := range []string{"@", "Poistuva Pekka", "Salainen piilotettu teksti", "Avoimen kyselyn vastaus", "Maija, 029 123"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s contains %q", name, bad)
				}
			}
		}
	})
	t.Run("Ideas", func(t *testing.T) {
		ideas := ex.rows(t, "ideas.csv")
		byID := map[string]map[string]string{}
		for _, i := range ideas {
			byID[i["id"]] = i
		}
		// The fixture's two, the named one and the leaver's; not the hidden one.
		if len(ideas) != 4 || byID[itoa10(hidden.ID)] != nil {
			t.Fatalf("ideas %v", ideas)
		}
		if got := byID[itoa10(chosen.ID)]["author_name"]; got != "Aino Anonyymi" {
			t.Errorf("chosen name %q", got)
		}
		if got := byID[itoa10(gone.ID)]; got == nil || got["author_name"] != "" || got["title"] != "Idea of a leaver" {
			t.Errorf("erased account's idea %v", got)
		}
		if got := byID[itoa10(p.ids["ideas"])]; got["author_name"] != "Virkailija Virtanen" || got["comments"] != "1" {
			t.Errorf("official's idea %v", got)
		}
		if n := len(ex.rows(t, "comments.csv")); n != 1 {
			t.Errorf("%d comments, want 1", n)
		}
	})
	t.Run("Workshop", func(t *testing.T) {
		polls := ex.rows(t, "polls.csv")
		if len(polls) != 1 || polls[0]["status"] != "closed" || polls[0]["ballots"] != "2" || polls[0]["question_fi"] != "Which first?" {
			t.Errorf("polls %v", polls)
		}
		var votes []string
		for _, o := range ex.rows(t, "poll_options.csv") {
			votes = append(votes, o["votes"])
		}
		if !slices.Equal(votes, []string{"2", "1", "0"}) {
			t.Errorf("votes %v, want 2 1 0", votes)
		}
		if ws := ex.rows(t, "workshops.csv"); len(ws) != 1 || ws[0]["participants"] != "2" {
			t.Errorf("workshops %v", ws)
		}
	})
	t.Run("Surveys", func(t *testing.T) {
		surveys := ex.rows(t, "surveys.csv")
		if len(surveys) != 2 {
			t.Fatalf("surveys %v", surveys)
		}
		closed := itoa10(p.ids["surveys/results"])
		for _, s := range surveys {
			if want := map[bool]string{true: "1", false: ""}[s["id"] == closed]; s["responses"] != want {
				t.Errorf("survey %s responses %q, want %q", s["id"], s["responses"], want)
			}
		}
		answers := ex.rows(t, "survey_answers.csv")
		// The closed survey's one response: an option, a value, a text and a point.
		if len(answers) != 4 {
			t.Fatalf("answers %v", answers)
		}
		for _, a := range answers {
			if a["survey_id"] != closed || a["response"] != "1" {
				t.Errorf("answer %v", a)
			}
		}
		if n := len(ex.rows(t, "survey_questions.csv")); n != 10 {
			t.Errorf("%d questions, want 10", n)
		}
	})
	t.Run("StatementsAndCommitments", func(t *testing.T) {
		st := ex.rows(t, "statements.csv")
		if len(st) != 1 || st[0]["author_name"] != "Jäsen Järvinen" || !strings.HasPrefix(st[0]["organisation"], "Organisation ") ||
			st[0]["language"] != "en" {
			t.Errorf("statements %v", st)
		}
		if qs := ex.rows(t, "statement_questions.csv"); len(qs) != 1 || qs[0]["support"] != "1" {
			t.Errorf("statement questions %v", qs)
		}
		if n := len(ex.rows(t, "statement_answers.csv")); n != 1 {
			t.Errorf("%d statement answers, want 1", n)
		}
		if n := len(ex.rows(t, "commitments.csv")); n != 2 {
			t.Errorf("%d commitments, want 2", n)
		}
		if ms := ex.rows(t, "milestones.csv"); len(ms) != 1 || ms[0]["status"] != "on_track" || ms[0]["due"] != "2030-06-30" {
			t.Errorf("milestones %v", ms)
		}
		src := ex.rows(t, "commitment_sources.csv")
		if len(src) != 2 || src[0]["idea_id"] != itoa10(p.ids["ideas"]) || src[1]["theme_id"] != itoa10(p.ids["themes"]) {
			t.Errorf("sources %v", src)
		}
		steps := map[string]string{}
		for _, s := range ex.rows(t, "steps.csv") {
			steps[s["kind"]+" "+s["id"]] = s["status"]
		}
		if len(steps) != 6 || steps["idea_round "+itoa10(p.ids["idea-rounds"])] != "open" || steps["survey "+itoa10(p.ids["surveys/results"])] != "closed" ||
			steps["event "+itoa10(p.ids["events"])] != "upcoming" {
			t.Errorf("steps %v", steps)
		}
		if pr := ex.rows(t, "process.csv"); len(pr) != 1 || pr[0]["process"] != p.slug || pr[0]["title_fi"] == "" {
			t.Errorf("process %v", pr)
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		ts.do("POST", "/api/v1/processes", map[string]any{"slug": "luonnos-vienti", "title": "Luonnos", "description": "", "status": "draft"}, official).want(t, 201)
		ts.do("GET", "/api/v1/processes/luonnos-vienti/export.zip", nil, "").want(t, 404)
		ts.do("GET", "/api/v1/processes/luonnos-vienti/export.zip", nil, w.tokens[actorCitizen]).want(t, 404)
		ts.do("GET", "/api/v1/processes/luonnos-vienti/export.zip", nil, official).want(t, 200)
		ts.do("GET", "/api/v1/processes/no-such-process/export.zip", nil, "").want(t, 404)
	})
}
