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
	t.Parallel()
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
	t.Parallel()
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

// TestWorkshopEditPages: the official edits the workshop and a draft poll
// on pages of their own (a bad value is shown back, nothing stored), ends
// the workshop from the control page (its page then shows the final
// results and offers no joining) and reopens it.
func TestWorkshopEditPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ws := newWorkshopSetup(t, ts)
	official := ts.client(ws.official)
	control := fmt.Sprintf("/workshops/%d/control", ws.id)
	edit := fmt.Sprintf("/workshops/%d/edit", ws.id)
	poll, _ := ws.poll(t, 1, "Avoimuus", "Osallisuus")
	pollEdit := fmt.Sprintf("/polls/%d/edit", poll)
	t.Run("only officials", func(t *testing.T) {
		ts.do("GET", edit, nil, "").want(t, 401)
		ts.do("GET", pollEdit, nil, "").want(t, 401)
	})
	t.Run("the control page links to the edit pages", func(t *testing.T) {
		official.get(control).want(t, 200).contains(t, `href="`+edit+`"`, `href="`+pollEdit+`"`, `action="/workshops/`+itoa(ws.id)+`/end"`)
	})
	t.Run("the workshop's form is filled in", func(t *testing.T) {
		official.get(edit).want(t, 200).contains(t, `value="Työpaja"`, `value="2017-03-01T11:00"`)
	})
	t.Run("an end before the start: the form says so, nothing stored", func(t *testing.T) {
		r := official.post(t, edit, edit, url.Values{"title": {"Uusi nimi"}, "starts_at": {"2017-03-01T11:00"}, "ends_at": {"2017-03-01T10:00"}}).want(t, 422)
		r.contains(t, "error-summary", `id="ends_at-error"`, `value="Uusi nimi"`)
		official.get(fmt.Sprintf("/workshops/%d", ws.id)).want(t, 200).contains(t, "Työpaja")
	})
	mustRun(t, "official saves the workshop", func(t *testing.T) {
		official.post(t, edit, edit, url.Values{"title": {"Uusi nimi"}, "starts_at": {"2017-03-01T11:00"}, "ends_at": {"2030-03-01T15:00"},
			"tr_sv_title": {"Nytt namn"}, "show_results_live": {"yes"}}).redirectsTo(t, control)
		official.get(control).want(t, 200).contains(t, "Uusi nimi", `role="status"`)
		o := decode[object](t, ts.do("GET", fmt.Sprintf("/api/v1/workshops/%d", ws.id), nil, "").want(t, 200))
		if string(o["ends_at"]) != `"2030-03-01T13:00:00Z"` || !strings.Contains(string(o["translations"]), "Nytt namn") {
			t.Errorf("saved %s", o)
		}
	})
	t.Run("the poll's form is filled in, and a bad change is shown back", func(t *testing.T) {
		official.get(pollEdit).want(t, 200).contains(t, `value="Q?"`, "Avoimuus\nOsallisuus")
		r := official.post(t, pollEdit, pollEdit, url.Values{"question": {"Mikä ensin?"}, "max_choices": {"5"}, "options": {"Avoimuus\nOsallisuus"}}).want(t, 422)
		r.contains(t, `id="max_choices-error"`)
	})
	mustRun(t, "official saves the draft poll", func(t *testing.T) {
		official.post(t, pollEdit, pollEdit, url.Values{"question": {"Mikä ensin?"}, "max_choices": {"2"}, "options": {"Avoimuus\nSelkeä kieli\nOsallisuus"},
			"tr_sv_options": {"Öppenhet\nKlarspråk\nDelaktighet"}}).redirectsTo(t, control)
		p := decode[pollJSON](t, ts.do("POST", fmt.Sprintf("/api/v1/polls/%d/open", poll), nil, ws.official).want(t, 200))
		if p.MaxChoices != 2 || len(p.Options) != 3 || p.Options[1].Label != "Selkeä kieli" {
			t.Errorf("saved %+v", p)
		}
	})
	t.Run("an opened poll has no edit page", func(t *testing.T) {
		official.get(pollEdit).want(t, 409)
	})
	mustRun(t, "official ends the workshop", func(t *testing.T) {
		official.post(t, control, fmt.Sprintf("/workshops/%d/end", ws.id), nil).redirectsTo(t, control)
		official.get(control).want(t, 200).contains(t, `action="/workshops/`+itoa(ws.id)+`/reopen"`)
	})
	t.Run("its page shows the final results and offers no joining", func(t *testing.T) {
		r := ts.client("").get(fmt.Sprintf("/workshops/%d", ws.id)).want(t, 200)
		r.contains(t, "badge-closed", "Avoimuus")
		if strings.Contains(string(r.body), `href="/join"`) {
			t.Error("an ended workshop's page offers joining")
		}
		ts.client("").post(t, "/join", "/join", url.Values{"code": {ws.code}}).want(t, 409)
	})
	mustRun(t, "official reopens it", func(t *testing.T) {
		official.post(t, control, fmt.Sprintf("/workshops/%d/reopen", ws.id), nil).redirectsTo(t, control)
		ts.client("").get(fmt.Sprintf("/workshops/%d", ws.id)).want(t, 200).contains(t, `href="/join"`)
	})
}
