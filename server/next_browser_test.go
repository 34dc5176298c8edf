package server_test

import (
	"net/url"
	"strings"
	"testing"

	"osallistu/server/browsertest"
)

// TestBrowserSignInRedirectStaysOnSite signs in from /login?next=… with the
// ways an open redirect is usually smuggled through, in a real browser (which
// reads a Location header more leniently than Go does): each sign-in must end
// on this site.
func TestBrowserSignInRedirectStaysOnSite(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	base := ts.listen()
	ts.signUp("kirjautuja@example.fi")
	site, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	// The table test of safeNext (next_test.go) has the long list; these are
	// the kinds of it, each in a browser.
	for _, next := range []string{
		"/\t/evil.example", "/ /evil.example", "//evil.example", "/\\evil.example", "/%2F/evil.example",
		"/%252F/evil.example", "/a/../..//evil.example", "http://evil.example/", "/\uff0f\uff0fevil.example",
	} {
		t.Run(url.QueryEscape(next), func(t *testing.T) {
			// A browser of its own: a redirect off the site fails the
			// subtest wherever it is noticed (a page that does not load, or
			// the address it ends at).
			b := browsertest.New(t)
			b.Visit(base + "/login?next=" + url.QueryEscape(next))
			b.Fill("#email", "kirjautuja@example.fi")
			b.Fill("#password", "correct horse battery")
			b.Submit(`form[action="/login"] button[type=submit]`)
			landed, err := url.Parse(b.URL())
			if err != nil {
				t.Fatal(err)
			}
			if landed.Host != site.Host || strings.Contains(landed.Path, "evil") {
				t.Errorf("next %q: the sign-in ended at %s", next, landed)
			}
		})
	}
}
