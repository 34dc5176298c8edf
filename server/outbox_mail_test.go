package server_test

import (
	"context"
	"io"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/server/mail"
	"osallistu/server/mail/mailtest"
)

// startSender runs a mail sender on the test server's store to a real SMTP
// server until the test ends, poked by the store after each commit that
// writes an email. Its interval is an hour: an email that arrives within
// seconds left because of the poke. The stores in also (on the test
// server's database, with clocks of their own) poke it too.
func startSender(t *testing.T, ts *testServer, also ...*postgres.Store) *mailtest.Server {
	t.Helper()
	smtpd := mailtest.Start(t, mailtest.Options{})
	sender := mail.New(ts.store, mail.Config{
		SMTP:    &mail.SMTP{Host: "127.0.0.1", Port: smtpd.Port, From: netmail.Address{Name: "Osallistu", Address: "noreply@example.fi"}, Helo: "localhost"},
		BaseURL: "https://osallistu.example.fi/", Interval: time.Hour, Timeout: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); sender.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	ts.store.OnEmail(sender.Poke)
	for _, s := range also {
		s.OnEmail(sender.Poke)
	}
	return smtpd
}

// TestFollowNewsByEmail follows a milestone's news from the official's
// change to an SMTP server: the follower who asked for email gets it at
// once, in their language, with a link from the base URL; the one who did
// not gets the in-app message only. Before it, a sign-up on the page gets
// its welcome the same way.
func TestFollowNewsByEmail(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	ts := w.ts
	s := w.scenario(t)
	smtpd := startSender(t, ts)

	mustRun(t, "a sign-up's welcome leaves at once", func(t *testing.T) {
		ts.client("").post(t, "/register?lang=en", "/register", url.Values{"email": {"aino@example.fi"}, "name": {"Aino"},
			"password": {"correct horse battery"}, "password_again": {"correct horse battery"}}).want(t, 200)
		got := smtpd.WaitFor(t, 1, 10*time.Second)
		p := mailtest.Parse(t, got[0].Data)
		if got[0].To[0] != "aino@example.fi" || p.Subject != "Confirm your email address" || p.Header.Get("Content-Language") != "en" ||
			!strings.Contains(p.Body, "Your Osallistu account is ready") ||
			!strings.Contains(p.Body, "Confirm your address here: https://osallistu.example.fi/account/confirm-email?token=") {
			t.Fatalf("welcome to %v: %q\n%s", got[0].To, p.Subject, p.Body)
		}
	})

	liisa, _ := ts.signUp("liisa@example.fi")
	matti, mattiAccount := ts.signUp("matti@example.fi")
	mustRun(t, "Liisa asks for email in Swedish, Matti for English and no email", func(t *testing.T) {
		type meJSON struct {
			Email              string `json:"email"`
			Lang               string `json:"lang"`
			EmailNotifications bool   `json:"email_notifications"`
		}
		if me := decode[meJSON](t, ts.do("PATCH", "/api/v1/me", map[string]any{"email_notifications": true, "lang": "sv"}, liisa).want(t, 200)); me.Lang != "sv" ||
			!me.EmailNotifications || me.Email != "liisa@example.fi" {
			t.Fatalf("liisa %+v", me)
		}
		if me := decode[meJSON](t, ts.do("PATCH", "/api/v1/me", map[string]any{"lang": "en"}, matti).want(t, 200)); me.Lang != "en" || me.EmailNotifications {
			t.Fatalf("matti %+v", me)
		}
		for _, token := range []string{liisa, matti} {
			ts.do("PUT", "/api/v1/commitments/"+itoa(s.a.ID)+"/follow", nil, token).want(t, 200)
		}
	})

	m := s.a.Milestones[0]
	link := "https://osallistu.example.fi/commitments/" + itoa(s.a.ID) + "#milestone-" + itoa(m.ID)
	mustRun(t, "the official changes a milestone's status", func(t *testing.T) {
		ts.do("PUT", "/api/v1/milestones/"+itoa(m.ID), map[string]any{"status": "late"}, w.official).want(t, 200)
	})
	t.Run("Liisa gets the email in Swedish with the link", func(t *testing.T) {
		got := smtpd.WaitFor(t, 2, 10*time.Second)
		p := mailtest.Parse(t, got[1].Data)
		if got[1].To[0] != "liisa@example.fi" || p.Subject != "Delmålets läge: "+m.Title+" – Försenat" || p.Header.Get("Content-Language") != "sv" {
			t.Fatalf("email to %v: %q in %s", got[1].To, p.Subject, p.Header.Get("Content-Language"))
		}
		for _, want := range []string{"är nu: Försenat.", "Läs mer: " + link, "Du kan stänga av dem"} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("body lacks %q:\n%s", want, p.Body)
			}
		}
	})
	t.Run("Matti gets the in-app message only", func(t *testing.T) {
		emails, _, err := ts.store.FindMessages(adminContext(t, ts), participation.MessageFilter{Channel: participation.ChannelEmail, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range emails {
			if e.AccountID != nil && *e.AccountID == mattiAccount.ID {
				t.Errorf("an email to Matti: %+v", e)
			}
		}
		if n := len(smtpd.Messages()); n != 2 {
			t.Errorf("%d emails sent, want 2", n)
		}
		for token, lang := range map[string]string{matti: "en", liisa: "sv"} {
			r := ts.do("GET", "/api/v1/me/notifications", nil, token).want(t, 200)
			n := decode[list[struct {
				Kind string `json:"kind"`
				Link string `json:"link"`
			}]](t, r)
			if n.Total != 1 || n.Items[0].Kind != "milestone_status" || n.Items[0].Link != strings.TrimPrefix(link, "https://osallistu.example.fi") {
				t.Errorf("%s's notifications %s", lang, r.body)
			}
		}
	})
}
