package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestWorkshopPages: the control and projector pages are the
// officials'; the ballot page sends people without a participant cookie to
// the join page, which takes the code from the QR link.
func TestWorkshopPages(t *testing.T) {
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	for _, c := range []struct {
		path   string
		status int
	}{
		{fmt.Sprintf("/workshops/%d/control", ws.id), 401},
		{fmt.Sprintf("/workshops/%d/projector", ws.id), 401},
		{fmt.Sprintf("/workshops/%d", ws.id), 200},
		{"/workshops/9999", 404},
	} {
		t.Run("GET "+c.path, func(t *testing.T) { ts.do("GET", c.path, nil, "").want(t, c.status) })
	}
	t.Run("the ballot page without joining sends to /join", func(t *testing.T) {
		if r := ts.do("GET", "/vote", nil, ""); r.status != 303 || r.header.Get("Location") != "/join" {
			t.Errorf("ballot page without joining: %d %s", r.status, r.header.Get("Location"))
		}
	})
	t.Run("the join page fills in the code from the link", func(t *testing.T) {
		r := ts.do("GET", "/join?code="+strings.ToLower(ws.code), nil, "").want(t, 200)
		if !strings.Contains(string(r.body), `value="`+ws.code+`"`) {
			t.Error("the join page does not fill in the code from the link")
		}
	})
}

// TestWorkshopJoiningPages: the control page counts those who have joined
// (without JavaScript, at load) and has the button that closes joining; the
// join page of a workshop for signed-in participants says to sign in.
func TestWorkshopJoiningPages(t *testing.T) {
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	official := ts.client(ws.official)
	control := fmt.Sprintf("/workshops/%d/control", ws.id)
	for range 3 {
		ws.join(t)
	}
	t.Run("the control page counts the participants", func(t *testing.T) {
		official.get(control).want(t, 200).contains(t, fmt.Sprintf(`data-participants="%d">3<`, ws.id), `action="/workshops/`+itoa(ws.id)+`/joining"`)
	})
	mustRun(t, "official closes joining with the button", func(t *testing.T) {
		official.post(t, control, fmt.Sprintf("/workshops/%d/joining", ws.id), url.Values{"joining_open": {"no"}}).redirectsTo(t, control)
	})
	t.Run("the join page says joining has closed", func(t *testing.T) {
		anon := ts.client("")
		r := anon.post(t, "/join", "/join", url.Values{"code": {ws.code}}).want(t, 409)
		r.contains(t, "error-summary")
		ts.do("POST", "/api/v1/workshops/join", map[string]any{"code": ws.code}, "").want(t, 409)
	})
	t.Run("the settings: only signed-in participants", func(t *testing.T) {
		official.post(t, control, fmt.Sprintf("/workshops/%d/settings", ws.id), url.Values{"show_results_live": {"yes"}, "require_account": {"yes"}}).redirectsTo(t, control)
		official.post(t, control, fmt.Sprintf("/workshops/%d/joining", ws.id), url.Values{"joining_open": {"yes"}}).redirectsTo(t, control)
		official.get(control).want(t, 200).contains(t, `id="require_account" name="require_account" value="yes" checked`)
	})
	t.Run("the join page says to sign in, and comes back", func(t *testing.T) {
		anon := ts.client("")
		r := anon.post(t, "/join", "/join", url.Values{"code": {strings.ToLower(ws.code)}}).want(t, 401)
		r.contains(t, `href="/login?next=%2fjoin%3fcode%3d`+ws.code+`"`)
	})
}
