package server_test

import (
	"strings"
	"testing"

	"osallistu/server"
	"osallistu/server/browsertest"
)

// TestAPIGuidePage renders the API guide in each language: its own
// language's texts, the OpenAPI document's address, every error code of
// the table with its status, the configured limits, and a footer link.
func TestAPIGuidePage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) {
		c.WriteLimit, c.JoinLimit, c.BaseURL = 77, 4321, "https://osallistu.example.fi/"
	})
	for lang, title := range map[string]string{"fi": "Rajapinta kehittäjille", "sv": "Gränssnitt för utvecklare", "en": "API for developers"} {
		t.Run(lang, func(t *testing.T) {
			body := string(ts.do("GET", "/api?lang="+lang, nil, "").want(t, 200).body)
			for _, want := range []string{
				`<html lang="` + lang + `"`, "<h1>" + title + "</h1>", `<meta name="description"`,
				`href="/api/v1/openapi.json"`, "https://osallistu.example.fi/api/v1/session",
				"wss://osallistu.example.fi/api/v1/workshops/1/live", "/export.zip",
				"<code>invalid</code></th><td", ">400, 422<", "<code>rate_limited</code>", ">429<",
				"<code>unavailable</code>", ">503<", ">77 ", ">4321 ", `<a href="/api">`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("no %q in the %s page", want, lang)
				}
			}
			if strings.Contains(body, "<code>malformed</code>") {
				t.Error("the internal code malformed is shown; the API says invalid")
			}
		})
	}
}

// TestBrowserAPIGuide audits the API guide with axe in each language.
func TestBrowserAPIGuide(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	b := browsertest.New(t, browsertest.WithoutJavaScript())
	for _, lang := range []string{"fi", "sv", "en"} {
		b.VisitAndAudit(base + "/api?lang=" + lang)
		if got := b.Text("h1"); got == "" {
			t.Fatalf("%s: no heading", lang)
		}
	}
}
