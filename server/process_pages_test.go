package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestProcessPageLanguageOfParts: the organisers' texts carry the language
// they are written in, whatever the interface's (WCAG 3.1.2): the language
// the official declared, Finnish unless given.
func TestProcessPageLanguageOfParts(t *testing.T) {
	t.Parallel()
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

// TestProcessPagesLifecycle: a process made on the pages starts as a draft
// that only its officials see; it is edited with the same form, published,
// archived and brought back, each with a confirmation; its officials are
// listed to them, and the edit tools are offered only to those who may use
// them.
func TestProcessPagesLifecycle(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	officialToken, _ := ts.signUp("official@example.fi", "official")
	otherToken, _ := ts.signUp("other@example.fi", "official")
	pc, other, visitor := ts.client(officialToken), ts.client(otherToken), ts.client("")
	mustRun(t, "create a draft", func(t *testing.T) {
		pc.post(t, "/processes/new", "/processes", url.Values{"slug": {"luonnos"}, "title": {"Luonnos"}, "description": {"Kuvaus"},
			"organiser": {"Valtiovarainministeriö"}, "contact_name": {"Katju Holkeri"}, "contact_email": {"katju@example.fi"}}).redirectsTo(t, "/processes/luonnos")
		pc.get("/processes/luonnos").want(t, 200).contains(t, "Hanke on perustettu.", "notice-draft", "Valtiovarainministeriö",
			`href="mailto:katju@example.fi"`, `action="/processes/luonnos/publish"`, `href="/processes/luonnos/edit"`, "official@example.fi")
	})
	t.Run("bad input names its field and stores nothing", func(t *testing.T) {
		pc.post(t, "/processes/new", "/processes", url.Values{"slug": {"toinen"}, "title": {"Toinen"}, "contact_name": {"X"}, "contact_email": {"ei osoite"}}).
			want(t, 422).contains(t, "error-summary", `href="#contact_email"`)
		ts.do("GET", "/processes/toinen", nil, officialToken).want(t, 404)
	})
	t.Run("a draft is not found by a visitor or another official", func(t *testing.T) {
		visitor.get("/processes/luonnos").want(t, 404)
		other.get("/processes/luonnos").want(t, 404)
		if strings.Contains(string(visitor.get("/").want(t, 200).body), "Luonnos") {
			t.Error("the front page lists a draft")
		}
	})
	t.Run("edit with the same form", func(t *testing.T) {
		pc.get("/processes/luonnos/edit").want(t, 200).contains(t, `value="Luonnos"`, `value="katju@example.fi"`, `name="organiser"`)
		pc.post(t, "/processes/luonnos/edit", "/processes/luonnos/edit", url.Values{"title": {""}, "description": {"x"}}).
			want(t, 422).contains(t, "error-summary", `href="#title"`)
		pc.post(t, "/processes/luonnos/edit", "/processes/luonnos/edit", url.Values{"title": {"Avoin hallinto"}, "description": {"Uusi kuvaus"},
			"organiser": {"VM"}, "language": {"fi"}, "tr_sv_title": {"Öppen förvaltning"}}).redirectsTo(t, "/processes/luonnos")
		pc.get("/processes/luonnos?lang=sv").want(t, 200).contains(t, "Projektets uppgifter har sparats.", "Öppen förvaltning", "Uusi kuvaus")
		if strings.Contains(string(pc.get("/processes/luonnos").body), "mailto:") {
			t.Error("the contact emptied on the form stays")
		}
	})
	t.Run("publish, archive and back", func(t *testing.T) {
		pc.post(t, "/processes/luonnos", "/processes/luonnos/publish", nil).redirectsTo(t, "/processes/luonnos")
		pc.get("/processes/luonnos?lang=en").want(t, 200).contains(t, "The process has been published")
		page := string(visitor.get("/processes/luonnos").want(t, 200).body)
		if strings.Contains(page, "/processes/luonnos/edit") || strings.Contains(page, "official@example.fi") || strings.Contains(page, "officials-heading") {
			t.Error("a visitor is offered the edit tools or sees the officials")
		}
		if strings.Contains(string(other.get("/processes/luonnos").want(t, 200).body), "/processes/luonnos/edit") {
			t.Error("another official is offered the edit tools")
		}
		other.post(t, "/processes/luonnos", "/processes/luonnos/archive", nil).want(t, 403)
		pc.post(t, "/processes/luonnos", "/processes/luonnos/archive", nil).redirectsTo(t, "/processes/luonnos")
		visitor.get("/processes/luonnos").want(t, 200).contains(t, "notice-archived")
		visitor.get("/").want(t, 200).contains(t, `id="archived-heading"`, "Avoin hallinto")
		pc.post(t, "/processes/luonnos", "/processes/luonnos/unarchive", nil).redirectsTo(t, "/processes/luonnos")
		if strings.Contains(string(visitor.get("/processes/luonnos").body), "notice-archived") {
			t.Error("still archived")
		}
	})
	t.Run("officials", func(t *testing.T) {
		pc.post(t, "/processes/luonnos", "/processes/luonnos/officials", url.Values{"email": {"nobody@example.fi"}}).want(t, 422).contains(t, "error-summary", `href="#email"`)
		pc.post(t, "/processes/luonnos", "/processes/luonnos/officials", url.Values{"email": {"other@example.fi"}}).redirectsTo(t, "/processes/luonnos")
		other.get("/processes/luonnos").want(t, 200).contains(t, `href="/processes/luonnos/edit"`, "other@example.fi", "/remove")
	})
}
