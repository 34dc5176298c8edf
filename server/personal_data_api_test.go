package server_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/server"
)

// exportData is the data of GET /api/v1/me/export, without the time it
// was made, so that two exports can be compared.
func exportData(t *testing.T, r response) map[string]json.RawMessage {
	t.Helper()
	x := decode[struct {
		Data map[string]json.RawMessage `json:"data"`
	}](t, r)
	if len(x.Data) == 0 {
		t.Fatalf("an export without data: %s", r.body)
	}
	return x.Data
}

// rowsOf decodes one table of an export.
func rowsOf(t *testing.T, data map[string]json.RawMessage, table string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	if err := json.Unmarshal(data[table], &rows); err != nil {
		t.Fatalf("%s: %v in %s", table, err, data[table])
	}
	return rows
}

// TestDeleteMeAsWritten checks DELETE /api/v1/me clause by clause (API.md,
// "Accounts and sessions"), and that the account page's export is the API's.
func TestDeleteMeAsWritten(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	_, round := openRound(t, ts, false)
	leaver, _ := ts.signUp("leaving@example.fi")
	stayer, _ := ts.signUp("staying@example.fi")
	const name = "Liisa Lähtijä"

	// A contribution of each kind the API names: an idea and a comment
	// under a chosen name, a support, an organisation with another member.
	idea := postIdea(t, ts, round, map[string]any{"title": "Avoimet kokoukset", "body": "Kokoukset verkkoon.", "author_name": name, "municipality": "Kuopio"}, leaver)
	comment := decode[commentJSON](t, ts.do("POST", "/api/v1/ideas/"+itoa(idea.ID)+"/comments", map[string]any{"body": "Ja pöytäkirjat.", "author_name": name}, leaver).want(t, 201))
	theirs := postIdea(t, ts, round, map[string]any{"title": "Selkokieli", "body": "Päätökset selkokielellä."}, stayer)
	ts.do("POST", "/api/v1/ideas/"+itoa(theirs.ID)+"/supports", nil, leaver).want(t, 200)
	org := decode[struct {
		ID int64 `json:"id"`
	}](t, ts.do("POST", "/api/v1/organisations", map[string]any{"name": "Lähtijöiden yhdistys"}, leaver).want(t, 201))
	ts.do("POST", "/api/v1/organisations/"+itoa(org.ID)+"/members", map[string]any{"email": "staying@example.fi"}, leaver).want(t, 201)
	orgPage := "/organisations/" + itoa(org.ID)
	if page := string(ts.client(stayer).get(orgPage).want(t, 200).body); !strings.Contains(page, "Name of leaving@example.fi") {
		t.Fatalf("the organisation page does not list the member who leaves:\n%s", page)
	}
	othersBefore := exportData(t, ts.do("GET", "/api/v1/me/export", nil, stayer).want(t, 200))

	t.Run("ExportHoldsEveryContribution", func(t *testing.T) {
		data := exportData(t, ts.do("GET", "/api/v1/me/export", nil, leaver).want(t, 200))
		for table, want := range map[string]int{"accounts": 1, "ideas": 1, "comments": 1, "supports": 1, "organisations": 1, "organisation_members": 1, "sessions": 1} {
			if got := len(rowsOf(t, data, table)); got != want {
				t.Errorf("%s: %d rows, want %d", table, got, want)
			}
		}
		if rows := rowsOf(t, data, "ideas"); rows[0]["author_name"] != name || rows[0]["municipality"] != "Kuopio" {
			t.Errorf("the exported idea %v", rows[0])
		}
		if strings.Contains(string(data["sessions"]), "token") {
			t.Errorf("the export shows session tokens: %s", data["sessions"])
		}
		// The account page's link gives the same JSON, as a download.
		page := ts.client(leaver).get("/account/export.json").want(t, 200)
		if cd := page.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
			t.Errorf("the page's export is not a download: %q", cd)
		}
		fromPage := exportData(t, page)
		for table, rows := range data {
			if string(fromPage[table]) != string(rows) {
				t.Errorf("%s differs: API %s, page %s", table, rows, fromPage[table])
			}
		}
		if len(fromPage) != len(data) {
			t.Errorf("the page exports %d tables, the API %d", len(fromPage), len(data))
		}
	})

	ts.checkStatuses(t, []statusCase{
		{name: "erase needs a bearer", method: "DELETE", path: "/api/v1/me", status: 401},
		{name: "erase", method: "DELETE", path: "/api/v1/me", token: leaver, status: 204},
		{name: "the token is 401", method: "GET", path: "/api/v1/me", token: leaver, status: 401},
		{name: "its export is 401", method: "GET", path: "/api/v1/me/export", token: leaver, status: 401},
		{name: "erasing again is 401", method: "DELETE", path: "/api/v1/me", token: leaver, status: 401},
		{name: "no more sign-in", method: "POST", path: "/api/v1/session", body: map[string]any{"email": "leaving@example.fi", "password": "correct horse battery"}, status: 401},
	})

	t.Run("ContributionsStayWithoutTheName", func(t *testing.T) {
		got := decode[ideaJSON](t, ts.do("GET", "/api/v1/ideas/"+itoa(idea.ID), nil, "").want(t, 200))
		if got.AuthorName != nil || got.Municipality != nil || got.Body != idea.Body {
			t.Errorf("the idea after erasure: %+v", got)
		}
		comments := decode[struct {
			Items []commentJSON `json:"items"`
		}](t, ts.do("GET", "/api/v1/ideas/"+itoa(idea.ID)+"/comments", nil, "").want(t, 200)).Items
		if len(comments) != 1 || comments[0].ID != comment.ID || comments[0].AuthorName != nil || comments[0].Body == nil {
			t.Errorf("the comments after erasure: %+v", comments)
		}
		if got := decode[ideaJSON](t, ts.do("GET", "/api/v1/ideas/"+itoa(theirs.ID), nil, "").want(t, 200)); got.Supports != 1 {
			t.Errorf("the support went: %+v", got)
		}
	})

	t.Run("PagesSayDeletedUser", func(t *testing.T) {
		for lang, words := range map[string]string{"fi": "Poistettu käyttäjä", "sv": "Raderad användare", "en": "Deleted user"} {
			page := string(ts.client("").get("/ideas/"+itoa(idea.ID)+"?lang="+lang).want(t, 200).body)
			if n := strings.Count(page, words); n < 2 || strings.Contains(page, name) {
				t.Errorf("%s: %q %d times (the idea and the comment), the name shown: %v", lang, words, n, strings.Contains(page, name))
			}
		}
	})

	t.Run("MembershipsEnd", func(t *testing.T) {
		page := string(ts.client(stayer).get(orgPage).want(t, 200).body)
		if strings.Contains(page, "leaving@example.fi") || !strings.Contains(page, "Name of staying@example.fi") {
			t.Errorf("the organisation's members after erasure:\n%s", page)
		}
	})

	t.Run("OthersExportUnaffected", func(t *testing.T) {
		after := exportData(t, ts.do("GET", "/api/v1/me/export", nil, stayer).want(t, 200))
		for table, rows := range othersBefore {
			if string(after[table]) != string(rows) {
				t.Errorf("%s of another account changed: %s, was %s", table, after[table], rows)
			}
		}
	})

	// The email is free: whoever owns the address may make a new account,
	// which has nothing of the erased one.
	t.Run("EmailFree", func(t *testing.T) {
		ts.do("POST", "/api/v1/accounts", map[string]any{"email": "leaving@example.fi", "password": "a new password 2026", "name": "Uusi"}, "").want(t, 201)
		token := decode[struct {
			Token string `json:"token"`
		}](t, ts.do("POST", "/api/v1/session", map[string]any{"email": "leaving@example.fi", "password": "a new password 2026"}, "").want(t, 200)).Token
		data := exportData(t, ts.do("GET", "/api/v1/me/export", nil, token).want(t, 200))
		for _, table := range []string{"ideas", "comments", "supports", "organisation_members"} {
			if rows := rowsOf(t, data, table); len(rows) != 0 {
				t.Errorf("the new account has the erased one's %s: %v", table, rows)
			}
		}
	})
}

// TestDeleteAccountPage erases an account from the account page's form:
// not without the confirmation, and then as DELETE /api/v1/me does.
func TestDeleteAccountPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	token, _ := ts.signUp("lahtija@example.fi")
	pc := ts.client(token)
	pc.post(t, "/account", "/account/delete", url.Values{}).want(t, 422)
	ts.do("GET", "/api/v1/me", nil, token).want(t, 200)
	pc.post(t, "/account", "/account/delete", url.Values{"confirm": {"yes"}}).redirectsTo(t, "/")
	if pc.cookies["osallistu_session"] != "" {
		t.Error("the session cookie stays after erasure")
	}
	ts.do("GET", "/api/v1/me", nil, token).want(t, 401)
	ts.do("POST", "/api/v1/session", map[string]any{"email": "lahtija@example.fi", "password": "correct horse battery"}, "").want(t, 401)
}

// TestPrivacyNoticeTellsRetention checks that the privacy notice gives the
// configured token retention, in every language, and links to the export
// and the deletion.
func TestPrivacyNoticeTellsRetention(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *server.Config) { c.TokenRetention = 14 * 24 * time.Hour })
	for lang, words := range map[string]string{"fi": "14 päivän kuluttua", "sv": "14 dagar efter", "en": "14 days after"} {
		page := string(ts.client("").get("/privacy?lang="+lang).want(t, 200).body)
		for _, want := range []string{words, `href="/account/export.json"`, `href="/account#delete-heading"`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the notice lacks %q", lang, want)
			}
		}
	}
}
