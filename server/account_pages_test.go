package server_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"osallistu/participation"
)

// mainOf is a page's main landmark, where one answer may differ from another.
var mainOf = regexp.MustCompile(`(?s)<main.*</main>`)

// TestRegisterPage: the registration page answers a new address and one
// that has an account alike ("we sent a message"), signs nobody in, and
// writes the new account a welcome with its confirmation link and the
// existing one's owner a word of
// the attempt, each in its own language.
func TestRegisterPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	form := func(password string) url.Values {
		return url.Values{"email": {" Aino@Example.FI "}, "name": {"Aino"}, "password": {password}, "password_again": {password}}
	}
	emails := func(t *testing.T) []*participation.Message {
		t.Helper()
		list, _, err := ts.store.FindMessages(adminContext(t, ts), participation.MessageFilter{Channel: participation.ChannelEmail, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	var first response
	mustRun(t, "a new address", func(t *testing.T) {
		pc := ts.client("")
		first = pc.post(t, "/register?lang=sv", "/register", form("correct horse battery")).want(t, 200)
		first.contains(t, "Kontrollera din e-post", "Vi skickade ett meddelande till aino@example.fi.", `href="/login"`)
		if _, in := pc.cookies["osallistu_session"]; in {
			t.Error("signed in at once")
		}
		got := emails(t)
		if len(got) != 1 || got[0].Kind != participation.MessageEmailConfirmation || got[0].Address != "aino@example.fi" || got[0].Lang != "sv" {
			t.Fatalf("emails %+v", got)
		}
		// The account exists and signs in.
		token := mustSession(t, ts, "aino@example.fi")
		ts.do("GET", "/api/v1/me", nil, token).want(t, 200)
	})
	t.Run("an address that has an account", func(t *testing.T) {
		pc := ts.client("")
		again := pc.post(t, "/register?lang=sv", "/register", form("another horse battery")).want(t, 200)
		if a, b := mainOf.Find(first.body), mainOf.Find(again.body); a == nil || string(a) != string(b) {
			t.Errorf("the answers differ:\n%s\n---\n%s", a, b)
		}
		if _, in := pc.cookies["osallistu_session"]; in {
			t.Error("signed in")
		}
		got := emails(t)
		if len(got) != 2 || got[0].Kind != participation.MessageAccountExists || *got[0].AccountID != *got[1].AccountID || got[0].Lang != "sv" {
			t.Fatalf("emails %+v", got)
		}
		// The account keeps its password.
		mustSession(t, ts, "aino@example.fi")
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		pc := ts.client("")
		bad := form("correct horse battery")
		bad.Set("password_again", "another horse battery")
		pc.post(t, "/register?lang=en", "/register", bad).want(t, 422).contains(t, "error-summary", `id="password_again"`)
		if got := emails(t); len(got) != 2 {
			t.Fatalf("a refused sign-up wrote %+v", got)
		}
	})
}

// TestAccountSettingsPage: a citizen turns email on and chooses the
// language of messages on the account page, and sees it saved.
func TestAccountSettingsPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token, a := ts.signUp("liisa@example.fi")
	pc := ts.client(token)
	ctx := participation.NewContextWithAccount(context.Background(), a)

	t.Run("the defaults", func(t *testing.T) {
		r := pc.get("/account?lang=en").want(t, 200)
		r.contains(t, "Email me when something I follow moves", "The emails go to liisa@example.fi.", `<option value="fi" lang="fi" selected>suomi</option>`)
		if strings.Contains(string(r.body), `name="email_notifications" value="yes" checked`) {
			t.Error("email is on by default")
		}
	})
	mustRun(t, "save", func(t *testing.T) {
		pc.post(t, "/account", "/account/settings", url.Values{"email_notifications": {"yes"}, "lang": {"sv"}}).redirectsTo(t, "/account")
		pc.get("/account").want(t, 200).contains(t, "Your settings have been saved.", `value="yes" checked`, `<option value="sv" lang="sv" selected>svenska</option>`)
		if st, err := ts.store.FindMessageSettings(ctx); err != nil || st.Lang != "sv" || !st.EmailNotifications {
			t.Fatalf("settings %+v %v", st, err)
		}
	})
	t.Run("an unchecked box turns email off", func(t *testing.T) {
		pc.post(t, "/account", "/account/settings", url.Values{"lang": {"sv"}}).redirectsTo(t, "/account")
		if st, _ := ts.store.FindMessageSettings(ctx); st.EmailNotifications {
			t.Fatal("still on")
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		r := pc.post(t, "/account", "/account/settings", url.Values{"email_notifications": {"yes"}, "lang": {"de"}}).want(t, 422)
		r.contains(t, "error-summary", `aria-invalid="true"`, `id="lang-error"`)
		if n := strings.Count(string(r.body), `id="error-summary-title"`); n != 1 {
			t.Errorf("%d error summaries, want the settings form's", n)
		}
		if st, _ := ts.store.FindMessageSettings(ctx); st.Lang != "sv" || st.EmailNotifications {
			t.Fatalf("a refused form saved %+v", st)
		}
	})
	t.Run("signed out, saving is signing in first", func(t *testing.T) {
		ts.client("").post(t, "/login", "/account/settings", url.Values{"lang": {"en"}}).redirectsTo(t, "/login?next=/account")
	})
}
