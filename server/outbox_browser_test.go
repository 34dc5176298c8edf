package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/server/browsertest"
)

// TestBrowserOutbox: an admin filters the outbox and opens a message, in
// each language, without JavaScript, with an axe audit of every page.
func TestBrowserOutbox(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fi", "sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			ts := newOutboxServer(t)
			base := ts.listen()
			ctx := context.Background()
			if _, err := ts.store.EnsureAdmin(ctx, "admin@example.fi", "admin-password-1", "Admin"); err != nil {
				t.Fatal(err)
			}
			if err := ts.store.Enqueue(ctx, outboxEmail("ext@example.fi", "sv"), outboxEmail("gone@example.fi", "en")); err != nil {
				t.Fatal(err)
			}
			claimed, err := ts.store.ClaimDue(ctx, 10)
			if err != nil || len(claimed) != 2 {
				t.Fatalf("claimed %+v %v", claimed, err)
			}
			if err := ts.store.MarkFailed(ctx, claimed[1].ID, "RCPT TO: 550 No such user", 0); err != nil {
				t.Fatal(err)
			}
			if err := ts.store.MarkFailed(ctx, claimed[0].ID, "RCPT TO: 451 Greylisted", time.Minute); err != nil {
				t.Fatal(err)
			}
			b := browsertest.New(t, browsertest.WithoutJavaScript())
			b.Visit(base + "/login?lang=" + lang)
			b.Fill("#email", "admin@example.fi")
			b.Fill("#password", "admin-password-1")
			b.Submit(`form[action="/login"] button[type=submit]`)

			b.VisitAndAudit(base + "/admin/outbox")
			b.Fill("#state", participation.MessageFailed)
			b.Submit(`form[action="/admin/outbox"] button[type=submit]`)
			if rows := b.Text("tbody"); !strings.Contains(rows, "gone@example.fi") || strings.Contains(rows, "ext@example.fi") {
				t.Fatalf("failed messages: %q", rows)
			}
			b.Audit()
			b.Submit(`tbody th a`)
			if got := b.Text("#message"); !strings.Contains(got, "Commitment approved: Avoin data") || !strings.Contains(got, "550 No such user") {
				t.Fatalf("the chosen message: %q", got)
			}
			b.Audit()
		})
	}
}
