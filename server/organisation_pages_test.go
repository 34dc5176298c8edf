package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"osallistu/participation"
)

// TestOrganisationPages registers an organisation through the pages, with
// a bad and a taken Business ID first; finds it in the register; adds
// members by email (one with an account, one without); has an official
// verify it; and has a member leave. Only members see the members.
func TestOrganisationPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	memberToken, _ := ts.signUp("jasen@example.fi")
	otherToken, _ := ts.signUp("toinen@example.fi")
	officialToken, _ := ts.signUp("virkailija@example.fi", participation.RoleCitizen, participation.RoleOfficial)
	member, other, official, anon := ts.client(memberToken), ts.client(otherToken), ts.client(officialToken), ts.client("")

	t.Run("registering asks to sign in first", func(t *testing.T) {
		anon.get("/organisations/new").redirectsTo(t, "/login?next=/organisations/new")
		anon.get("/organisations?lang=en").want(t, 200).contains(t, "Sign in to register an organisation", "No organisations have been registered yet.")
	})
	t.Run("a Business ID with a wrong check digit is the field's error", func(t *testing.T) {
		member.post(t, "/organisations/new", "/organisations", url.Values{"name": {"Kuntaliitto"}, "business_id": {"0245437-3"}, "kind": {"association"}}).
			want(t, 422).contains(t, `id="business_id-error"`, `href="#business_id"`, `value="Kuntaliitto"`)
	})
	var path string
	mustRun(t, "registered, the creator is its first member", func(t *testing.T) {
		path = member.post(t, "/organisations/new", "/organisations", url.Values{"name": {"Kuntaliitto"}, "business_id": {"0245437-2"}, "kind": {"association"}}).
			redirectsTo(t, "/organisations/")
		member.get(path+"?lang=en").want(t, 200).contains(t, "The organisation has been registered", "Kuntaliitto", "0245437-2", "Association",
			"Not verified", "Name of jasen@example.fi", `action="`+path+`/members"`, `action="`+path+`/leave"`)
	})
	t.Run("a taken Business ID says so", func(t *testing.T) {
		other.post(t, "/organisations/new", "/organisations", url.Values{"name": {"Toinen"}, "business_id": {"0245437-2"}, "kind": {"other"}}).
			want(t, 409).contains(t, `id="business_id-error"`, "Tällä Y-tunnuksella on jo organisaatio")
	})
	t.Run("the register finds it by a part of its name", func(t *testing.T) {
		anon.get("/organisations?q=LIITTO&lang=en").want(t, 200).contains(t, `href="`+path+`"`, "1 organisation matches")
		anon.get("/organisations?q=zzz&lang=en").want(t, 200).contains(t, "No organisation matches the search.")
	})
	t.Run("only members see the members", func(t *testing.T) {
		for _, c := range []*pageClient{anon, other} {
			r := c.get(path).want(t, 200)
			if strings.Contains(string(r.body), "Name of jasen@example.fi") || strings.Contains(string(r.body), "/members") {
				t.Error("a non-member sees the members or their form")
			}
		}
		other.get(path+"?lang=en").contains(t, "You are not a member of this organisation.")
	})
	t.Run("a member adds members by email", func(t *testing.T) {
		member.post(t, path, path+"/members", url.Values{"email": {"ei-osoite"}}).want(t, 422).contains(t, `id="email-error"`, `value="ei-osoite"`)
		member.post(t, path, path+"/members", url.Values{"email": {"TOINEN@example.fi"}}).redirectsTo(t, path)
		member.get(path+"?lang=en").want(t, 200).contains(t, "The person has been added as a member.", "Name of toinen@example.fi")
		member.post(t, path, path+"/members", url.Values{"email": {"uusi@example.fi"}}).redirectsTo(t, path)
		member.get(path+"?lang=en").want(t, 200).contains(t, "We sent an invitation")
		anonForm := url.Values{"email": {"x@example.fi"}}
		anon.post(t, "/login", path+"/members", anonForm).redirectsTo(t, "/login?next="+path)
	})
	t.Run("officials verify", func(t *testing.T) {
		other.post(t, path, path+"/verify", nil).want(t, 403)
		official.get(path+"?lang=en").want(t, 200).contains(t, "Mark as verified")
		official.post(t, path, path+"/verify", nil).redirectsTo(t, path)
		anon.get(path+"?lang=en").want(t, 200).contains(t, "Verified")
		if r := official.get(path); strings.Contains(string(r.body), path+"/verify") {
			t.Error("a verified organisation still offers verification")
		}
	})
	t.Run("a member leaves", func(t *testing.T) {
		other.post(t, path, path+"/leave", nil).redirectsTo(t, path)
		other.get(path+"?lang=en").want(t, 200).contains(t, "You are no longer a member", "You are not a member of this organisation.")
		mine, err := ts.store.FindMyOrganisations(tokenContext(t, ts, otherToken))
		if err != nil || len(mine) != 0 {
			t.Errorf("after leaving: %v %v", mine, err)
		}
		other.post(t, path, path+"/leave", nil).want(t, 403)
	})
}

// tokenContext is a context signed in with a session token.
func tokenContext(t *testing.T, ts *testServer, token string) context.Context {
	t.Helper()
	a, err := ts.store.FindAccountByToken(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return participation.NewContextWithAccount(context.Background(), a)
}
