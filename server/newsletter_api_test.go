package server_test

import (
	"context"
	"io"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/demo"
	"osallistu/participation/postgres/pgtest"
	"osallistu/server"
	"osallistu/server/mail/mailtest"
)

var (
	confirmLink     = regexp.MustCompile(`https://osallistu\.example\.fi(/subscriptions/confirm\?token=\S+)`)
	unsubscribeLink = regexp.MustCompile(`https://osallistu\.example\.fi(/subscriptions/unsubscribe\?token=\S+)`)
)

// TestNewsletterByEmail follows the newsletter of the demo's process from
// subscribing to an SMTP server, on the clock of March 2017: nothing but
// the confirmation goes before the link is opened; the weekly digests and
// the monthly one tell the week's and the month's records, with the
// official's introduction, a List-Unsubscribe header and a link that
// unsubscribes without signing in, after which nothing more is sent; and no
// page or answer an official or admin reads shows a subscriber's address.
func TestNewsletterByEmail(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2017, 3, 1, 8, 0, 0, 0, time.UTC)
	at := func(day, month int) {
		mu.Lock()
		defer mu.Unlock()
		now = time.Date(2017, time.Month(month), day, 8, 0, 0, 0, time.UTC)
	}
	var clock *postgres.Store
	ts := newTestServerWith(t, pgtest.NewURL(t), func(svc *server.Services, s *postgres.Store) {
		clock = postgres.NewStore(s.DB(), func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
		svc.Newsletter = clock
	})
	ctx := context.Background()
	if err := demo.Load(ctx, ts.store, "", io.Discard); err != nil {
		t.Fatal(err)
	}
	smtpd := startSender(t, ts, clock)
	// An admin who is also an official of the demo's process.
	admin, adminAccount := ts.signUp("admin@example.fi", participation.RoleOfficial, participation.RoleAdmin)
	if _, err := ts.store.AddProcessOfficial(participation.NewContextWithAccount(ctx, adminAccount), demo.Slug,
		participation.NewProcessOfficial{Email: adminAccount.Email}); err != nil {
		t.Fatal(err)
	}
	subscribers := []string{"aino@example.fi", "bertta@example.fi", "cecilia@example.fi"}
	sweep := func(t *testing.T, want int) {
		t.Helper()
		if n, err := clock.SendDigests(ctx); err != nil || n != want {
			t.Fatalf("%d digests queued, %v; want %d", n, err, want)
		}
	}
	confirm := map[string]string{}
	// The demo's own emails (statement requests' invitations) go too; the
	// subscribers' are the ones that count.
	waitFor := func(t *testing.T, n int) []mailtest.Message {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			var got []mailtest.Message
			for _, m := range smtpd.Messages() {
				if strings.HasSuffix(m.To[0], "@example.fi") && m.To[0] != "admin@example.fi" && !strings.HasPrefix(m.To[0], "virkailija") {
					got = append(got, m)
				}
			}
			if len(got) >= n || time.Now().After(deadline) {
				if len(got) != n {
					t.Fatalf("%d emails to subscribers, want %d", len(got), n)
				}
				return got
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	mustRun(t, "subscribing on the process page and by the API sends only confirmations", func(t *testing.T) {
		ts.client("").post(t, "/processes/"+demo.Slug+"?lang=en", "/subscribe", url.Values{"email": {"Aino@Example.fi"}, "process": {demo.Slug},
			"language": {"en"}, "frequency": {"monthly"}}).want(t, 200).contains(t, "Look in your email")
		for _, who := range subscribers[1:] {
			ts.do("POST", "/api/v1/subscriptions", map[string]any{"email": who, "process": demo.Slug, "language": "fi", "frequency": "weekly"}, "").want(t, 202)
		}
		ts.do("POST", "/api/v1/subscriptions", map[string]any{"email": "x@example.fi", "language": "fi", "frequency": "daily"}, "").want(t, 422)
		ts.do("POST", "/api/v1/subscriptions", map[string]any{"email": "x@example.fi", "process": "no-such", "language": "fi"}, "").want(t, 404)
		ts.do("POST", "/api/v1/subscriptions", map[string]any{"email": "not an address", "language": "fi"}, "").want(t, 422)
		for _, m := range waitFor(t, 3) {
			p := mailtest.Parse(t, m.Data)
			link := confirmLink.FindStringSubmatch(p.Body)
			if link == nil || p.Header.Get("List-Unsubscribe") != "" {
				t.Fatalf("confirmation to %v: %s\n%s", m.To, p.Subject, p.Body)
			}
			confirm[m.To[0]] = link[1]
		}
		if confirm["aino@example.fi"] == "" || !strings.Contains(mailtest.Parse(t, waitFor(t, 3)[0].Data).Subject, "Confirm your newsletter subscription") {
			t.Fatalf("confirmations %v", confirm)
		}
		at(13, 3) // the week of the statement summary: due, were they confirmed
		sweep(t, 0)
	})

	mustRun(t, "the links confirm without signing in", func(t *testing.T) {
		at(2, 3)
		pc := ts.client("")
		pc.post(t, confirm["aino@example.fi"], "/subscriptions/confirm", url.Values{"token": {strings.TrimPrefix(confirm["aino@example.fi"], "/subscriptions/confirm?token=")}}).
			want(t, 200).contains(t, "on vahvistettu")
		for _, who := range subscribers[1:] {
			token, _ := url.QueryUnescape(strings.TrimPrefix(confirm[who], "/subscriptions/confirm?token="))
			r := ts.do("POST", "/api/v1/subscriptions/confirm", map[string]any{"token": token}, "").want(t, 200)
			if strings.Contains(string(r.body), "@") {
				t.Errorf("the confirmation answers with an address: %s", r.body)
			}
		}
		ts.do("POST", "/api/v1/subscriptions/confirm", map[string]any{"token": "forged"}, "").want(t, 404)
	})

	var bertta string
	mustRun(t, "the week of the statement summary goes to the weekly subscribers", func(t *testing.T) {
		at(13, 3)
		sweep(t, 2)
		sweep(t, 0)
		got := waitFor(t, 5)
		for _, m := range got[3:] {
			p := mailtest.Parse(t, m.Data)
			if !strings.Contains(p.Body, "/statement-requests/") || strings.Contains(p.Body, "/commitments/") {
				t.Errorf("week 6–12.3 to %v:\n%s", m.To, p.Body)
			}
			if m.To[0] == "bertta@example.fi" {
				bertta = unsubscribeLink.FindStringSubmatch(p.Body)[1]
			}
		}
	})

	mustRun(t, "the unsubscribe link works without signing in and stops the next digest", func(t *testing.T) {
		pc := ts.client("")
		pc.get(bertta).want(t, 200).contains(t, "Lopeta tilaus")
		token, _ := url.QueryUnescape(strings.TrimPrefix(bertta, "/subscriptions/unsubscribe?token="))
		pc.post(t, bertta, "/subscriptions/unsubscribe", url.Values{"token": {token}}).want(t, 200).contains(t, "Tilaus on lopetettu")
		pc.get(bertta).want(t, 404)
		at(20, 3)
		sweep(t, 1) // Cecilia's, of the week of the approvals
		got := waitFor(t, 6)
		if got[5].To[0] != "cecilia@example.fi" {
			t.Errorf("the week of 13.3 went to %v", got[5].To)
		}
	})

	mustRun(t, "the admin previews March, writes its introduction, and sees no address", func(t *testing.T) {
		at(25, 3)
		pc := ts.client(admin)
		path := "/processes/" + demo.Slug + "/newsletter?frequency=monthly&period=2017-03-01&lang=en"
		pc.post(t, path, "/processes/"+demo.Slug+"/newsletter", url.Values{"frequency": {"monthly"}, "period": {"2017-03-01"},
			"intro": {"The plan was approved this month."}}).redirectsTo(t, "/processes/"+demo.Slug+"/newsletter")
		page := pc.get(path).want(t, 200).contains(t, "Commitments approved", "The plan was approved this month.", "Confirmed subscribers of this digest: 1.")
		api := ts.do("GET", "/api/v1/processes/"+demo.Slug+"/newsletter/digest?period=2017-03-01", nil, admin).want(t, 200)
		outbox := pc.get("/admin/outbox?lang=en").want(t, 200)
		for _, r := range []response{page, api, outbox} {
			for _, who := range subscribers {
				if strings.Contains(strings.ToLower(string(r.body)), who) {
					t.Errorf("%s is shown to the admin:\n%s", who, r.body)
				}
			}
		}
		ts.do("GET", "/api/v1/processes/"+demo.Slug+"/newsletter/digest", nil, "").want(t, 401)
		// The platform-wide digest is the admins': the same month, nobody subscribed to it.
		platform := decode[participation.DigestPreview](t, ts.do("GET", "/api/v1/newsletter/digest?period=2017-03-01", nil, admin).want(t, 200))
		if platform.Subscribers != 0 || len(platform.Items) != 8 || platform.Intro != "" {
			t.Errorf("the platform's March: %+v", platform)
		}
		pc.get("/newsletter?period=2017-03-01&lang=en").want(t, 200).contains(t, "Results published", "Commitments approved")
		ts.do("GET", "/api/v1/newsletter/digest?period=2017-03-02", nil, admin).want(t, 422)
	})

	mustRun(t, "March's digest carries List-Unsubscribe, and one click ends it", func(t *testing.T) {
		at(2, 4)
		sweep(t, 1)
		got := waitFor(t, 7)
		m := got[6]
		p := mailtest.Parse(t, m.Data)
		head := p.Header.Get("List-Unsubscribe")
		if m.To[0] != "aino@example.fi" || !strings.HasPrefix(head, "<https://osallistu.example.fi/api/v1/subscriptions/unsubscribe?token=") ||
			p.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.Contains(p.Body, "The plan was approved this month.") ||
			!strings.Contains(p.Body, "Commitments approved:") || !unsubscribeLink.MatchString(p.Body) {
			t.Fatalf("March to %v, List-Unsubscribe %q:\n%s", m.To, head, p.Body)
		}
		oneClick := strings.TrimSuffix(strings.TrimPrefix(head, "<https://osallistu.example.fi"), ">")
		ts.do("POST", oneClick, "List-Unsubscribe=One-Click", "", "Content-Type", "application/x-www-form-urlencoded").want(t, 204)
		ts.do("POST", oneClick, "List-Unsubscribe=One-Click", "", "Content-Type", "application/x-www-form-urlencoded").want(t, 404)
	})
}
