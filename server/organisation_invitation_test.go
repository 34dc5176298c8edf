package server_test

import (
	"net/url"
	"strings"
	"testing"

	"osallistu/participation"
)

// TestOrganisationInvitationAPI: an invited address joins only through its
// emailed link: registering with the address joins nothing; the holder of
// the link joins, whatever its address; the link works once.
func TestOrganisationInvitationAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	maija, _ := ts.signUp("maija@example.fi")
	org := decode[struct {
		ID int64 `json:"id"`
	}](t, ts.do("POST", "/api/v1/organisations", map[string]any{"name": "Suomen Kuntaliitto"}, maija).want(t, 201))
	path := "/api/v1/organisations/" + itoa(org.ID)
	ts.do("POST", path+"/members", map[string]any{"email": "uusi@example.fi"}, maija).want(t, 201)
	link := linkToken(t, ts, participation.MessageOrganisationInvitation, "uusi@example.fi")
	if link == "" {
		t.Fatal("no link in the invitation")
	}
	t.Run("a stranger who registers with the address is no member", func(t *testing.T) {
		ts.do("POST", "/api/v1/accounts", map[string]any{"email": "uusi@example.fi", "password": "correct horse battery", "name": "Stranger"}, "").want(t, 201)
		stranger := mustSession(t, ts, "uusi@example.fi")
		if mine := decode[list[struct{}]](t, ts.do("GET", "/api/v1/me/organisations", nil, stranger).want(t, 200)); mine.Total != 0 {
			t.Errorf("a member by registering: %+v", mine)
		}
		ts.do("GET", path+"/members", nil, stranger).want(t, 403)
	})
	holder, _ := ts.signUp("holder@example.fi")
	mustRun(t, "the token holder joins", func(t *testing.T) {
		ts.do("POST", "/api/v1/organisation-invitations/accept", map[string]any{"token": link}, "").want(t, 401)
		o := decode[struct {
			ID          int64 `json:"id"`
			MemberCount int   `json:"member_count"`
		}](t, ts.do("POST", "/api/v1/organisation-invitations/accept", map[string]any{"token": link}, holder).want(t, 200))
		if o.ID != org.ID || o.MemberCount != 2 {
			t.Fatalf("%+v", o)
		}
		ts.do("GET", path+"/members", nil, holder).want(t, 200)
	})
	t.Run("the token works once", func(t *testing.T) {
		other, _ := ts.signUp("other@example.fi")
		ts.do("POST", "/api/v1/organisation-invitations/accept", map[string]any{"token": link}, other).want(t, 404).wantCode(t, "not_found")
		ts.do("POST", "/api/v1/organisation-invitations/accept", map[string]any{"token": "guess"}, other).want(t, 404)
		ts.do("POST", "/api/v1/organisation-invitations/accept", map[string]any{}, other).want(t, 422)
	})
}

// TestOrganisationInvitationPage: the link's page asks a signed-out
// visitor to sign in (or register) and come back, and a signed-in one to
// accept; accepting leads to the organisation; a used link says so.
func TestOrganisationInvitationPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	maija, _ := ts.signUp("maija@example.fi")
	org := decode[struct {
		ID int64 `json:"id"`
	}](t, ts.do("POST", "/api/v1/organisations", map[string]any{"name": "Suomen Kuntaliitto"}, maija).want(t, 201))
	ts.do("POST", "/api/v1/organisations/"+itoa(org.ID)+"/members", map[string]any{"email": "uusi@example.fi"}, maija).want(t, 201)
	link := linkToken(t, ts, participation.MessageOrganisationInvitation, "uusi@example.fi")
	page := "/organisation-invitation?token=" + url.QueryEscape(link)
	back := "%2forganisation-invitation%3ftoken%3d" + link // as the template escapes it; the token is URL-safe

	anon := ts.client("")
	anon.get(page+"&lang=en").want(t, 200).contains(t, "You have been invited to join “Suomen Kuntaliitto”",
		`href="/login?next=`+back+`"`, `href="/register?next=`+back+`"`)
	// Signing in comes back to the link.
	ts.signUp("liisa@example.fi")
	anon.post(t, "/login", "/login", url.Values{"email": {"liisa@example.fi"}, "password": {"correct horse battery"}, "next": {page}}).redirectsTo(t, page)
	anon.get(page+"&lang=en").want(t, 200).contains(t, "Join the organisation", "liisa@example.fi")
	anon.post(t, page, "/organisation-invitation", url.Values{"token": {link}}).redirectsTo(t, "/organisations/"+itoa(org.ID))
	anon.get("/organisations/"+itoa(org.ID)+"?lang=en").want(t, 200).contains(t, "You are now a member of the organisation.")
	r := anon.get(page+"&lang=en").want(t, 404)
	r.contains(t, "This invitation link is not valid")
	if strings.Contains(string(r.body), `action="/organisation-invitation"`) {
		t.Error("a used link still offers to accept")
	}
}
