package server_test

import (
	"fmt"
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
