package server_test

import (
	"net/url"
	"strings"
	"testing"

	"osallistu/participation/postgres/pgtest"
)

// csrfPost posts an idea form to action as a browser with the session
// cookie (none when "") and the CSRF cookie and field given (each left out
// when ""), with headers besides.
func csrfPost(ts *testServer, action, session, cookie, field string, headers ...string) response {
	var cookies []string
	if session != "" {
		cookies = append(cookies, "osallistu_session="+session)
	}
	if cookie != "" {
		cookies = append(cookies, "osallistu_csrf="+cookie)
	}
	form := url.Values{"title": {"An idea"}, "body": {"Its text."}}
	if field != "" {
		form.Set("_csrf", field)
	}
	headers = append(headers, "Cookie", strings.Join(cookies, "; "), "Content-Type", "application/x-www-form-urlencoded")
	return ts.do("POST", action, form.Encode(), "", headers...)
}

// tamper changes the last character of a token: the signature no longer
// matches.
func tamper(token string) string {
	last := token[len(token)-1]
	if last == 'A' {
		return token[:len(token)-1] + "B"
	}
	return token[:len(token)-1] + "A"
}

// TestCSRF: a form is taken only with the token of the browser's own CSRF
// cookie, in its field, signed for the browser's session; any other post
// is refused and stores nothing.
func TestCSRF(t *testing.T) {
	ts := newTestServer(t)
	f := newIdeaFixture(t, ts)
	form, action := f.path+"/ideas/new", f.path+"/ideas"
	alice, _ := ts.signUp("alice@example.fi")
	bob, _ := ts.signUp("bob@example.fi")
	aliceToken := ts.client(alice).csrfToken(t, form)
	aliceOther := ts.client(alice).csrfToken(t, form) // another of her browsers
	bobToken := ts.client(bob).csrfToken(t, form)
	signedOut := ts.client("").csrfToken(t, form)
	if aliceToken == aliceOther {
		t.Fatal("two browsers got the same token")
	}

	for _, c := range []struct{ name, cookie, field string }{
		{"no token", "", ""},
		{"no cookie", "", aliceToken},
		{"no field", aliceToken, ""},
		{"a field that is not the cookie", aliceToken, aliceOther},
		{"another session's token", bobToken, bobToken},
		{"a token from signed out", signedOut, signedOut},
		{"a tampered token", tamper(aliceToken), tamper(aliceToken)},
		{"a token that is none", "x", "x"},
	} {
		t.Run(c.name, func(t *testing.T) {
			csrfPost(ts, action, alice, c.cookie, c.field).want(t, 403)
		})
	}
	t.Run("over HTTPS, from another site", func(t *testing.T) {
		csrfPost(ts, action, alice, aliceToken, aliceToken, "X-Forwarded-Proto", "https").want(t, 403)
		csrfPost(ts, action, alice, aliceToken, aliceToken, "X-Forwarded-Proto", "https", "Referer", "https://attacker.example/").want(t, 403)
	})
	if n := countIdeas(t, ts, f.round.ID); n != 0 {
		t.Fatalf("the refused posts stored %d ideas", n)
	}

	t.Run("OK", func(t *testing.T) {
		csrfPost(ts, action, alice, aliceToken, aliceToken).redirectsTo(t, "/ideas/")
		csrfPost(ts, action, alice, aliceOther, aliceOther, "X-Forwarded-Proto", "https", "Referer", "https://example.com"+form).redirectsTo(t, "/ideas/")
		csrfPost(ts, action, "", signedOut, signedOut).redirectsTo(t, "/ideas/")
		if n := countIdeas(t, ts, f.round.ID); n != 3 {
			t.Errorf("%d ideas, want 3", n)
		}
	})
	t.Run("the token of an ended session", func(t *testing.T) {
		pc := ts.client(alice)
		token := pc.csrfToken(t, "/account")
		pc.postWith(token, "/logout", nil).redirectsTo(t, "/")
		csrfPost(ts, action, "", token, token).want(t, 403)
		// The page after signing out carries a token that works.
		pc.post(t, form, action, url.Values{"title": {"After"}, "body": {"Signed out."}}).redirectsTo(t, "/ideas/")
	})
}

// TestCSRFTwoInstances: instances on one database sign with its one
// secret, so that a form one of them served is taken by another; an
// instance with another secret takes none of their tokens.
func TestCSRFTwoInstances(t *testing.T) {
	dbURL := pgtest.NewURL(t)
	a, b := newTestServerOn(t, dbURL), newTestServerOn(t, dbURL)
	f := newIdeaFixture(t, a)
	token, _ := a.signUp("alice@example.fi")
	onA := a.client(token)
	csrf := onA.csrfToken(t, f.path+"/ideas/new")
	onB := &pageClient{ts: b, cookies: onA.cookies}
	onB.postWith(csrf, f.path+"/ideas", url.Values{"title": {"Through B"}, "body": {"Text"}}).redirectsTo(t, "/ideas/")
	if n := countIdeas(t, a, f.round.ID); n != 1 {
		t.Errorf("%d ideas, want 1", n)
	}

	// Signed out, a token is for no session: only the secret tells the
	// instances' tokens from another's.
	signIn := url.Values{"email": {"alice@example.fi"}, "password": {"correct horse battery"}}
	signedOut := a.client("")
	csrf = signedOut.csrfToken(t, "/login")
	other := newTestServer(t)
	other.signUp("alice@example.fi")
	(&pageClient{ts: other, cookies: signedOut.cookies}).postWith(csrf, "/login", signIn).want(t, 403)
	(&pageClient{ts: b, cookies: signedOut.cookies}).postWith(csrf, "/login", signIn).redirectsTo(t, "/")
}
