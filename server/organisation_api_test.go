package server_test

import (
	"testing"
)

// organisationJSON is an organisation of the register.
type organisationJSON struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	BusinessID  *string `json:"business_id"`
	Kind        string  `json:"kind"`
	Verified    bool    `json:"verified"`
	MemberCount int     `json:"member_count"`
}

func TestOrganisationsAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	maija, _ := ts.signUp("maija@example.fi")
	pekka, _ := ts.signUp("pekka@example.fi")
	official, _ := ts.signUp("official@example.fi", "official")
	var org organisationJSON
	mustRun(t, "create", func(t *testing.T) {
		r := ts.do("POST", "/api/v1/organisations", map[string]any{"name": "Suomen Kuntaliitto", "business_id": "0201256-6", "kind": "association"}, maija).want(t, 201)
		decode[object](t, r).has(t, "organisation", "id", "name", "business_id", "kind")
		org = decode[organisationJSON](t, r)
		if org.Name != "Suomen Kuntaliitto" || org.BusinessID == nil || *org.BusinessID != "0201256-6" || org.Kind != "association" || org.MemberCount != 1 {
			t.Errorf("%+v", org)
		}
	})
	orgPath := "/api/v1/organisations/" + itoa(org.ID)
	ts.checkStatuses(t, []statusCase{
		{name: "signed out", method: "POST", path: "/api/v1/organisations", body: map[string]any{"name": "X"}, status: 401},
		{name: "a bad Business ID", method: "POST", path: "/api/v1/organisations", body: map[string]any{"name": "X", "business_id": "0201256-7"}, token: pekka, status: 422, code: "invalid"},
		{name: "a Business ID of the wrong form", method: "POST", path: "/api/v1/organisations", body: map[string]any{"name": "X", "business_id": "201256-6"}, token: pekka, status: 422, code: "invalid"},
		{name: "a taken Business ID", method: "POST", path: "/api/v1/organisations", body: map[string]any{"name": "Toinen", "business_id": "0201256-6"}, token: pekka, status: 409, code: "conflict"},
		{name: "an unknown kind", method: "POST", path: "/api/v1/organisations", body: map[string]any{"name": "X", "kind": "party"}, token: pekka, status: 422, code: "invalid"},
		{name: "no name", method: "POST", path: "/api/v1/organisations", body: map[string]any{"kind": "other"}, token: pekka, status: 422, code: "invalid"},
		{name: "members add members", method: "POST", path: orgPath + "/members", body: map[string]any{"email": "pekka@example.fi"}, token: pekka, status: 403, code: "forbidden"},
		{name: "members list members", method: "GET", path: orgPath + "/members", token: pekka, status: 403, code: "forbidden"},
		{name: "officials verify", method: "POST", path: orgPath + "/verify", token: maija, status: 403, code: "forbidden"},
		{name: "an unknown organisation", method: "GET", path: "/api/v1/organisations/999999", status: 404, code: "not_found"},
	})
	t.Run("the kind defaults to other", func(t *testing.T) {
		o := decode[organisationJSON](t, ts.do("POST", "/api/v1/organisations", map[string]any{"name": "Helsingin kaupunki"}, pekka).want(t, 201))
		if o.Kind != "other" || o.BusinessID != nil {
			t.Errorf("%+v", o)
		}
	})
	t.Run("search", func(t *testing.T) {
		l := decode[list[organisationJSON]](t, ts.do("GET", "/api/v1/organisations?q=KUNTALIITTO", nil, "").want(t, 200))
		if l.Total != 1 || l.Items[0].ID != org.ID {
			t.Errorf("%+v", l)
		}
		if l := decode[list[organisationJSON]](t, ts.do("GET", "/api/v1/organisations?limit=1", nil, "").want(t, 200)); l.Total != 2 || len(l.Items) != 1 {
			t.Errorf("a page %+v", l)
		}
	})
	mustRun(t, "a member adds an account", func(t *testing.T) {
		r := ts.do("POST", orgPath+"/members", map[string]any{"email": "Pekka@Example.fi"}, maija).want(t, 201)
		if m := decode[struct {
			Status string `json:"status"`
			Email  string `json:"email"`
		}](t, r); m.Status != "member" || m.Email != "pekka@example.fi" {
			t.Errorf("%s", r.body)
		}
		l := decode[list[struct {
			AccountID int64  `json:"account_id"`
			Name      string `json:"name"`
		}]](t, ts.do("GET", orgPath+"/members", nil, pekka).want(t, 200))
		if l.Total != 2 {
			t.Errorf("members %+v", l)
		}
		mine := decode[list[organisationJSON]](t, ts.do("GET", "/api/v1/me/organisations", nil, pekka).want(t, 200))
		if mine.Total != 2 {
			t.Errorf("pekka's organisations %+v", mine)
		}
	})
	t.Run("a member invites an address", func(t *testing.T) {
		r := ts.do("POST", orgPath+"/members", map[string]any{"email": "liisa@example.fi"}, pekka).want(t, 201)
		if m := decode[struct {
			Status string `json:"status"`
		}](t, r); m.Status != "invited" {
			t.Errorf("%s", r.body)
		}
		ts.do("POST", orgPath+"/members", map[string]any{"email": "not an address"}, pekka).want(t, 422).wantCode(t, "invalid").wantFields(t, "email")
	})
	t.Run("an official verifies", func(t *testing.T) {
		if o := decode[organisationJSON](t, ts.do("POST", orgPath+"/verify", nil, official).want(t, 200)); !o.Verified {
			t.Errorf("%+v", o)
		}
		if o := decode[organisationJSON](t, ts.do("GET", orgPath, nil, "").want(t, 200)); !o.Verified {
			t.Errorf("%+v", o)
		}
	})
	t.Run("a member leaves", func(t *testing.T) {
		ts.do("DELETE", orgPath+"/membership", nil, pekka).want(t, 204)
		ts.do("DELETE", orgPath+"/membership", nil, pekka).want(t, 403)
		ts.do("DELETE", orgPath+"/membership", nil, "").want(t, 401)
	})
	t.Run("deleting the account ends its memberships", func(t *testing.T) {
		ts.do("DELETE", "/api/v1/me", nil, maija).want(t, 204)
		if o := decode[organisationJSON](t, ts.do("GET", orgPath, nil, "").want(t, 200)); o.MemberCount != 0 {
			t.Errorf("members after erasure %+v", o)
		}
	})
}
