package server_test

import (
	"strings"
	"testing"
)

// TestProcessPageLanguageOfParts: the organisers' texts carry the language
// they are written in, whatever the interface's (WCAG 3.1.2): the language
// the official declared, Finnish unless given.
func TestProcessPageLanguageOfParts(t *testing.T) {
	ts := newTestServer(t)
	official, _ := ts.signUp("official@example.fi", "official")
	ts.do("POST", "/api/v1/processes", map[string]any{"slug": "oppen-forvaltning", "title": "Öppen förvaltning", "language": "sv",
		"description": "Vi bereder handlingsplanen och vill höra vad du tycker om den."}, official).want(t, 201)
	for _, lang := range []string{"fi", "sv", "en"} {
		t.Run("Swedish texts marked on the "+lang+" page", func(t *testing.T) {
			page := string(ts.do("GET", "/processes/oppen-forvaltning?lang="+lang, nil, "").want(t, 200).body)
			for _, want := range []string{`<h1 lang="sv">Öppen förvaltning</h1>`, `<p class="description" lang="sv">Vi bereder`} {
				if !strings.Contains(page, want) {
					t.Errorf("%s page: no %s", lang, want)
				}
			}
		})
	}
	t.Run("a text whose language is not given is Finnish", func(t *testing.T) {
		ts.do("POST", "/api/v1/processes", map[string]any{"slug": "ogp-2019", "title": "OGP 2019", "description": ""}, official).want(t, 201)
		if page := string(ts.do("GET", "/processes/ogp-2019?lang=en", nil, "").want(t, 200).body); !strings.Contains(page, `<h1 lang="fi">OGP 2019</h1>`) {
			t.Error("a title without a declared language is not marked as Finnish")
		}
	})
}
