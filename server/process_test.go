package server_test

import (
	"strings"
	"testing"
)

func TestProcessesAPI(t *testing.T) {
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	citizen, _ := ts.signUp("citizen@example.fi")
	body := map[string]any{"slug": "avoin-hallinto", "title": "Avoin hallinto 2017–2019", "description": "Toimintaohjelma"}

	ts.do("POST", "/api/v1/processes", body, "").want(t, 401)
	ts.do("POST", "/api/v1/processes", body, citizen).want(t, 403)
	p := ts.do("POST", "/api/v1/processes", body, official).want(t, 201).json(t)
	if p["slug"] != "avoin-hallinto" || p["title"] != "Avoin hallinto 2017–2019" {
		t.Fatalf("process %v", p)
	}
	if r := ts.do("POST", "/api/v1/processes", body, official).want(t, 409); r.errorCode(t) != "conflict" {
		t.Fatal(r.errorCode(t))
	}
	r := ts.do("POST", "/api/v1/processes", map[string]any{"slug": "Bad Slug", "title": "", "description": ""}, official).want(t, 422)
	fields := r.json(t)["error"].(map[string]any)["fields"].(map[string]any)
	if fields["slug"] == nil || fields["title"] == nil {
		t.Fatalf("fields %v", fields)
	}

	got := ts.do("GET", "/api/v1/processes/avoin-hallinto", nil, "").want(t, 200).json(t)
	steps, ok := got["steps"].([]any)
	if !ok || len(steps) != 0 {
		t.Fatalf("steps %v", got["steps"])
	}
	stats := got["stats"].(map[string]any)
	for _, k := range []string{"participants", "ideas", "comments", "ballots", "survey_responses", "statements", "municipalities"} {
		if stats[k] != 0.0 {
			t.Errorf("stats.%s = %v", k, stats[k])
		}
	}
	ts.do("GET", "/api/v1/processes/nope", nil, "").want(t, 404)

	for i := 0; i < 3; i++ {
		ts.do("POST", "/api/v1/processes", map[string]any{"slug": "extra-" + itoa(int64(i)), "title": "Extra", "description": ""}, official).want(t, 201)
	}
	l := ts.do("GET", "/api/v1/processes?limit=2&offset=1", nil, "").want(t, 200).json(t)
	if l["total"] != 4.0 || len(l["items"].([]any)) != 2 {
		t.Fatalf("list %v", l)
	}
	ts.do("GET", "/api/v1/processes?limit=abc", nil, "").want(t, 400)
	if l := ts.do("GET", "/api/v1/processes?limit=100000", nil, "").want(t, 200).json(t); len(l["items"].([]any)) != 4 {
		t.Fatalf("list %v", l)
	}
}

// TestProcessPageLanguageOfParts: the organisers' texts carry the language
// they are written in, whatever the interface's (WCAG 3.1.2).
func TestProcessPageLanguageOfParts(t *testing.T) {
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "oppen-forvaltning", "title": "Öppen förvaltning",
		"description": "Vi bereder handlingsplanen och vill höra vad du tycker om den."}, official).want(t, 201)
	for _, lang := range []string{"fi", "sv", "en"} {
		page := string(ts.do("GET", "/processes/oppen-forvaltning?lang="+lang, nil, "").want(t, 200).body)
		for _, want := range []string{`<h1 lang="sv">Öppen förvaltning</h1>`, `<p class="description" lang="sv">Vi bereder`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s page: no %s", lang, want)
			}
		}
	}
	// Without a sign of its language, a text is taken to be in the interface's.
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "ogp-2019", "title": "OGP 2019", "description": ""}, official).want(t, 201)
	if page := string(ts.do("GET", "/processes/ogp-2019?lang=en", nil, "").want(t, 200).body); !strings.Contains(page, `<h1 lang="en">OGP 2019</h1>`) {
		t.Error("a title without words of a language is not marked as the interface's")
	}
}
