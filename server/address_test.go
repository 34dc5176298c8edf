package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// sendFrom sends a request with a JSON body (nil for none) through client
// and returns the status and the body; headers come in name, value pairs.
func sendFrom(t *testing.T, client *http.Client, method, url string, body any, headers ...string) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// TestNoAddressStored does from one distinctive address what people do
// (sign up, fail to sign in and then sign in, fail a password change, ask
// for a reset link, get a respondent token, send ideas signed in and
// anonymously, join a workshop, view pages) and then looks through every
// text column of every table: the address is nowhere. The rate limiters and
// the sign-in lockout keep addresses in memory only.
func TestNoAddressStored(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	_, round := openRound(t, ts, true)
	ws := newWorkshopSetup(t, ts)
	base := ts.listen()
	const address = "127.83.41.29"
	c := addressClient(t, address)
	want := func(what string, status, got int, body []byte) {
		t.Helper()
		if got != status {
			t.Fatalf("%s: status %d, want %d: %s", what, got, status, body)
		}
	}

	st, b := sendFrom(t, c, "POST", base+"/api/v1/accounts", map[string]any{"email": "osoite@example.fi", "password": "correct horse battery", "name": "Osoite"})
	want("sign up", 201, st, b)
	for i := 0; i < 3; i++ {
		st, b = sendFrom(t, c, "POST", base+"/api/v1/session", map[string]any{"email": "osoite@example.fi", "password": fmt.Sprintf("wrong guess %d", i)})
		want("a wrong password", 401, st, b)
	}
	st, b = sendFrom(t, c, "POST", base+"/api/v1/session", map[string]any{"email": "osoite@example.fi", "password": "correct horse battery"})
	want("sign in", 200, st, b)
	var session struct {
		Token string `json:"token"`
	}
	json.Unmarshal(b, &session)
	bearer := "Bearer " + session.Token
	st, b = sendFrom(t, c, "PUT", base+"/api/v1/me/password", map[string]any{"current_password": "not the password", "new_password": "another horse battery"}, "Authorization", bearer)
	want("a wrong current password", 422, st, b)
	st, b = sendFrom(t, c, "POST", base+"/api/v1/password-resets", map[string]any{"email": "osoite@example.fi"})
	want("a reset link", 202, st, b)

	st, b = sendFrom(t, c, "POST", base+"/api/v1/respondents", nil)
	want("a respondent token", 201, st, b)
	var respondent struct {
		Token string `json:"respondent_token"`
	}
	json.Unmarshal(b, &respondent)
	st, b = sendFrom(t, c, "POST", base+"/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Nimetön idea", "body": "Ilman tiliä."}, "X-Respondent-Token", respondent.Token)
	want("an anonymous idea", 201, st, b)
	var idea ideaJSON
	json.Unmarshal(b, &idea)
	st, b = sendFrom(t, c, "POST", base+"/api/v1/idea-rounds/"+round+"/ideas", map[string]any{"title": "Oma idea", "body": "Tililtä."}, "Authorization", bearer)
	want("an idea signed in", 201, st, b)
	var own ideaJSON
	json.Unmarshal(b, &own)
	st, b = sendFrom(t, c, "POST", base+"/api/v1/ideas/"+itoa(own.ID)+"/supports", nil, "X-Respondent-Token", respondent.Token)
	want("a support", 200, st, b)
	st, b = sendFrom(t, c, "POST", base+"/api/v1/workshops/join", map[string]any{"code": strings.ToLower(ws.code)})
	want("a join", 201, st, b)
	for _, page := range []string{"/", "/ideas/" + itoa(idea.ID), "/login", "/privacy"} {
		st, b = sendFrom(t, c, "GET", base+page, nil)
		want(page, 200, st, b)
	}

	var columns []struct {
		Table  string `db:"table_name"`
		Column string `db:"column_name"`
	}
	if err := ts.store.DB().Select(&columns, `
		SELECT c.table_name, c.column_name FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
		WHERE c.table_schema = current_schema()
		  AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'inet', 'cidr')`); err != nil {
		t.Fatal(err)
	}
	if len(columns) < 50 {
		t.Fatalf("only %d text columns found", len(columns))
	}
	for _, col := range columns {
		var n int
		if err := ts.store.DB().Get(&n, fmt.Sprintf(`SELECT count(*) FROM %q WHERE %q::text LIKE '%%' || $1 || '%%'`, col.Table, col.Column), address); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			t.Errorf("%s.%s holds the address in %d rows", col.Table, col.Column, n)
		}
	}
}
