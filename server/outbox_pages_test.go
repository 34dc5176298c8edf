package server_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
	"osallistu/server"
)

// newOutboxServer is a server on a fresh database with the outbox among its
// services and a public address for the emails' links.
func newOutboxServer(t *testing.T) *testServer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := postgres.Open(ctx, pgtest.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store := postgres.NewStore(db, nil)
	cfg := server.DefaultConfig()
	cfg.BaseURL = "https://osallistu.example.fi"
	srv, err := server.New(cfg, server.Services{
		Accounts: store, Processes: store, Ideas: store, Commitments: store, Workshops: store, Outbox: store,
		Ping: store.DB().PingContext,
	})
	if err != nil {
		t.Fatal(err)
	}
	giveSecret(t, srv, store)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return &testServer{Server: srv, store: store, t: t}
}

// outboxEmail is a commitment_approved email to an address without an account.
func outboxEmail(address, lang string) participation.Message {
	return participation.Message{Email: address, Channel: participation.ChannelEmail, Kind: participation.MessageCommitmentApproved,
		SubjectKind: participation.SubjectCommitment, SubjectID: 42, Lang: lang, Params: participation.MessageParams{Title: "Avoin data"}}
}

var outboxRow = regexp.MustCompile(`<tr>\s*<th scope="row">`)

func TestOutboxPage(t *testing.T) {
	t.Parallel()
	ts := newOutboxServer(t)
	ctx := context.Background()
	adminToken, _ := ts.signUp("admin@example.fi", "admin")
	citizenToken, citizen := ts.signUp("liisa@example.fi")
	admin, citizenPage := ts.client(adminToken), ts.client(citizenToken)

	news := participation.Message{Kind: participation.MessageMilestoneStatus, SubjectKind: participation.SubjectCommitment, SubjectID: 42,
		Params: participation.MessageParams{Title: "Avoin data", MilestoneID: 7, MilestoneTitle: "Kurssit", Status: participation.MilestoneDone}}
	if err := ts.store.Enqueue(ctx, append(news.ToAccounts([]int64{citizen.ID}), outboxEmail("ext@example.fi", "sv"), outboxEmail("gone@example.fi", "en"))...); err != nil {
		t.Fatal(err)
	}
	claimed, err := ts.store.ClaimDue(ctx, 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claimed %+v %v", claimed, err)
	}
	failed, waiting := claimed[1], claimed[0]
	if err := ts.store.MarkFailed(ctx, failed.ID, "RCPT TO: 550 No such user <gone>", 0); err != nil {
		t.Fatal(err)
	}
	if err := ts.store.MarkFailed(ctx, waiting.ID, "RCPT TO: 451 Greylisted", time.Minute); err != nil {
		t.Fatal(err)
	}

	t.Run("List", func(t *testing.T) {
		r := admin.get("/admin/outbox?lang=en").want(t, 200)
		r.contains(t, "<h1>Outbox</h1>", `<caption id="outbox-caption">`, "Email is not being sent",
			"ext@example.fi", "gone@example.fi", "liisa@example.fi", fmt.Sprintf("(account %d)", citizen.ID), "Milestone status changed", "Commitment approved",
			"In the service", "Swedish", "Finnish", "English", "Waiting to be sent", "Failed", "Unread",
			"Last error: RCPT TO: 550 No such user &lt;gone&gt;", "Last error: RCPT TO: 451 Greylisted",
			fmt.Sprintf(`href="/admin/outbox?show=%d#message"`, failed.ID))
		if n := len(outboxRow.FindAll(r.body, -1)); n != 3 {
			t.Errorf("%d rows, want 3", n)
		}
		if strings.Contains(string(r.body), `id="message"`) {
			t.Error("a message is shown in full without being chosen")
		}
	})
	t.Run("Filter", func(t *testing.T) {
		r := admin.get("/admin/outbox?lang=en&state=failed").want(t, 200)
		if n := len(outboxRow.FindAll(r.body, -1)); n != 1 || !strings.Contains(string(r.body), "gone@example.fi") {
			t.Fatalf("%d rows\n%s", n, r.body)
		}
		r.contains(t, `<option value="failed" selected>`)
		r = admin.get("/admin/outbox?lang=en&state=sent&channel=email").want(t, 200)
		r.contains(t, "No messages match your choices.")
		admin.get("/admin/outbox?state=lost").want(t, 422)
		admin.get("/admin/outbox?channel=sms").want(t, 422)
	})
	t.Run("Show", func(t *testing.T) {
		// The Swedish email as its recipient reads it, on an English page.
		r := admin.get(fmt.Sprintf("/admin/outbox?lang=en&show=%d", waiting.ID)).want(t, 200)
		r.contains(t, fmt.Sprintf(`<h2 id="message-heading">Message %d</h2>`, waiting.ID),
			`<p lang="sv">Åtagandet har godkänts: Avoin data</p>`,
			`<div class="user-text" lang="sv">Åtagandet ”Avoin data” har godkänts.`,
			"Läs mer: https://osallistu.example.fi/commitments/42</div>",
			"<dt>Attempts to send</dt><dd>1</dd>", "<dt>Next attempt</dt>")
		// An in-app message in Finnish, shown on a Finnish page, without a link.
		list, _, err := ts.store.FindInAppMessages(participation.NewContextWithAccount(ctx, citizen), participation.InAppFilter{Limit: 1})
		if err != nil || len(list) != 1 {
			t.Fatalf("%+v %v", list, err)
		}
		r = admin.get(fmt.Sprintf("/admin/outbox?lang=fi&state=unread&show=%d", list[0].ID)).want(t, 200)
		r.contains(t, "<h1>Lähtevät viestit</h1>", `<p lang="fi">Välitavoitteen tila: Kurssit – Valmis</p>`,
			"Sitoumuksen ”Avoin data” välitavoitteen ”Kurssit” tila on nyt: Valmis.", "Lukematta")
		if strings.Contains(string(r.body), "Lue lisää") {
			t.Error("an in-app message shown with an email's link")
		}
		admin.get("/admin/outbox?show=999999").want(t, 404)
		admin.get("/admin/outbox?show=abc").want(t, 404)
	})
	t.Run("Languages", func(t *testing.T) {
		for lang, title := range map[string]string{"fi": "Lähtevät viestit", "sv": "Utgående meddelanden", "en": "Outbox"} {
			admin.get("/admin/outbox?lang="+lang).want(t, 200).contains(t, "<h1>"+title+"</h1>", `<html lang="`+lang+`">`)
		}
	})
	t.Run("Paging", func(t *testing.T) {
		var batch []participation.Message
		for i := range 60 {
			batch = append(batch, outboxEmail(fmt.Sprintf("many%d@example.fi", i), "fi"))
		}
		if err := ts.store.Enqueue(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		r := admin.get("/admin/outbox?lang=en").want(t, 200)
		if n := len(outboxRow.FindAll(r.body, -1)); n != 50 {
			t.Fatalf("%d rows on the first page", n)
		}
		r.contains(t, `href="/admin/outbox?offset=50" rel="next"`)
		r = admin.get("/admin/outbox?offset=50&lang=en").want(t, 200)
		if n := len(outboxRow.FindAll(r.body, -1)); n != 13 {
			t.Fatalf("%d rows on the second page", n)
		}
		r.contains(t, `rel="prev"`, `href="/admin/outbox?offset=50&amp;show=`)
	})
	t.Run("AdminsOnly", func(t *testing.T) {
		// Admins find the page in the navigation; no one else sees the link.
		admin.get("/?lang=en").want(t, 200).contains(t, `<a href="/admin/outbox">Outbox</a>`)
		admin.get("/admin/outbox?lang=en").want(t, 200).contains(t, `<a href="/admin/outbox" aria-current="page">Outbox</a>`)
		if strings.Contains(string(citizenPage.get("/").body), `href="/admin/outbox"`) {
			t.Error("a citizen sees the outbox link")
		}
		citizenPage.get("/admin/outbox").want(t, 403)
		ts.client("").get("/admin/outbox").want(t, 401)
	})
}

// TestOutboxPageNeedsTheOutbox: a server without the outbox service has no
// outbox page, and no in-app messages either.
func TestOutboxPageNeedsTheOutbox(t *testing.T) {
	t.Parallel()
	store := postgres.NewStore(pgtest.New(t), nil)
	srv, err := server.New(server.DefaultConfig(), server.Services{
		Accounts: store, Processes: store, Ideas: store, Commitments: store, Workshops: store,
		Ping: store.DB().PingContext,
	})
	if err != nil {
		t.Fatal(err)
	}
	giveSecret(t, srv, store)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	ts := &testServer{Server: srv, store: store, t: t}
	token, _ := ts.signUp("admin@example.fi", "admin")
	ts.client(token).get("/admin/outbox").want(t, 404)
	ts.client(token).get("/notifications").want(t, 404)
	ts.do("GET", "/api/v1/me/notifications", nil, token).want(t, 404)
	ts.client(token).get("/").want(t, 200)
}
