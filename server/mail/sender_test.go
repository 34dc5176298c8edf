package mail

import (
	"context"
	"errors"
	"net"
	netmail "net/mail"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"osallistu/participation"
	"osallistu/participation/postgres"
	"osallistu/participation/postgres/pgtest"
	"osallistu/server/mail/mailtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestBackoff(t *testing.T) {
	s := New(nil, Config{})
	s.jitter = func() float64 { return 0.5 } // the middle: no jitter
	for attempt, want := range map[int]time.Duration{
		1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 9: 256 * time.Minute, 10: 6 * time.Hour, 40: 6 * time.Hour,
	} {
		if got := s.Backoff(attempt); got != want {
			t.Errorf("attempt %d: %v, want %v", attempt, got, want)
		}
	}
	s.jitter = func() float64 { return 0 }
	if got := s.Backoff(1); got != 45*time.Second {
		t.Errorf("least: %v", got)
	}
	s.jitter = func() float64 { return 0.999999 }
	if got := s.Backoff(3); got < 4*time.Minute || got > 5*time.Minute {
		t.Errorf("most: %v", got)
	}
}

func TestMessageLink(t *testing.T) {
	m := &participation.Message{SubjectKind: participation.SubjectCommitment, SubjectID: 3, Params: participation.MessageParams{MilestoneID: 9}}
	if got := MessageLink("https://osallistu.example.fi/", m); got != "https://osallistu.example.fi/commitments/3#milestone-9" {
		t.Errorf("link %q", got)
	}
	m.Params.MilestoneID = 0
	if got := MessageLink("https://osallistu.example.fi", m); got != "https://osallistu.example.fi/commitments/3" {
		t.Errorf("link %q", got)
	}
	if got := MessageLink("", m); got != "" {
		t.Errorf("link without a base %q", got)
	}
	// An account's messages lead to signing in; a subject without a page, nowhere.
	account := &participation.Message{SubjectKind: participation.SubjectAccount, SubjectID: 3}
	if got := MessageLink("https://osallistu.example.fi", account); got != "https://osallistu.example.fi/login" {
		t.Errorf("link %q", got)
	}
	if got := MessageLink("https://osallistu.example.fi", &participation.Message{SubjectKind: "nothing", SubjectID: 3}); got != "" {
		t.Errorf("link to no page %q", got)
	}
	if got := MessagePath(m); got != "/commitments/3" {
		t.Errorf("path %q", got)
	}
	// A survey invitation's link is personal: it carries the token.
	m = &participation.Message{SubjectKind: participation.SubjectSurvey, SubjectID: 5, Params: participation.MessageParams{Token: "a-b_c"}}
	if got := MessageLink("https://osallistu.example.fi/", m); got != "https://osallistu.example.fi/surveys/5?invitation=a-b_c" {
		t.Errorf("invitation link %q", got)
	}
}

// world is a store on a fresh database with a settable clock, a test SMTP
// server and a sender to it.
type world struct {
	store  *postgres.Store
	now    time.Time
	smtp   *mailtest.Server
	sender *Sender
	admin  context.Context
}

func newWorld(t *testing.T, opt mailtest.Options, configure ...func(*Config)) *world {
	t.Helper()
	w := &world{now: time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)}
	w.store = postgres.NewStore(pgtest.New(t), func() time.Time { return w.now })
	w.smtp = mailtest.Start(t, opt)
	from := "noreply@example.fi"
	cfg := Config{SMTP: &SMTP{Host: "127.0.0.1", Port: w.smtp.Port, From: netmail.Address{Name: "Osallistu", Address: from}, Helo: "localhost"},
		BaseURL: "https://osallistu.example.fi", Timeout: 5 * time.Second}
	for _, f := range configure {
		f(&cfg)
	}
	w.sender = New(w.store, cfg)
	w.sender.jitter = func() float64 { return 0.5 }
	admin, err := w.store.EnsureAdmin(context.Background(), "admin@example.fi", "correct horse battery", "Admin")
	if err != nil {
		t.Fatal(err)
	}
	w.admin = participation.NewContextWithAccount(context.Background(), admin)
	return w
}

// enqueue writes an email to address in lang and returns it as stored.
func (w *world) enqueue(t *testing.T, address, lang string) *participation.Message {
	t.Helper()
	if err := w.store.Enqueue(context.Background(), participation.Message{Email: address, Channel: participation.ChannelEmail,
		Kind: participation.MessageCommitmentApproved, SubjectKind: participation.SubjectCommitment, SubjectID: 3, Lang: lang,
		Params: participation.MessageParams{Title: "Avoin data"}}); err != nil {
		t.Fatal(err)
	}
	list, _, err := w.store.FindMessages(w.admin, participation.MessageFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return list[0]
}

// find returns message id as stored now.
func (w *world) find(t *testing.T, id int64) *participation.Message {
	t.Helper()
	m, err := w.store.FindMessage(w.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// round sends one round and fails the test unless it claimed want.
func (w *world) round(t *testing.T, want int) {
	t.Helper()
	n, err := w.sender.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("claimed %d, want %d", n, want)
	}
}

func TestSendDue(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mailtest.Options{})
	ctx, liisa := func() (context.Context, *participation.Account) {
		a, err := w.store.CreateAccount(context.Background(), participation.NewAccount{Email: "liisa@example.fi", Password: "correct horse battery", Name: "Liisa"})
		if err != nil {
			t.Fatal(err)
		}
		// News goes by email to a confirmed address only.
		if _, err := w.store.DB().Exec(`UPDATE accounts SET email_confirmed_at = created_at WHERE id = $1`, a.ID); err != nil {
			t.Fatal(err)
		}
		return participation.NewContextWithAccount(context.Background(), a), a
	}()
	if err := w.store.SetMessageLanguage(ctx, "sv"); err != nil {
		t.Fatal(err)
	}
	if err := w.store.SetEmailNotifications(ctx, true); err != nil {
		t.Fatal(err)
	}
	news := participation.Message{Kind: participation.MessageMilestoneStatus, SubjectKind: participation.SubjectCommitment, SubjectID: 3,
		Params: participation.MessageParams{Title: "Öppen data", MilestoneID: 9, MilestoneTitle: "Kurser", Status: participation.MilestoneDone}}
	if err := w.store.Enqueue(context.Background(), news.ToAccounts([]int64{liisa.ID})...); err != nil {
		t.Fatal(err)
	}
	ext := w.enqueue(t, "ext@example.fi", "en")

	w.round(t, 2)
	got := w.smtp.Messages()
	if len(got) != 2 {
		t.Fatalf("the server got %d messages", len(got))
	}
	byRcpt := map[string]mailtest.Message{}
	for _, r := range got {
		if len(r.To) != 1 || r.From != "noreply@example.fi" {
			t.Fatalf("envelope %s → %v", r.From, r.To)
		}
		byRcpt[r.To[0]] = r
	}
	for rcpt, want := range map[string]struct{ lang, subject, body string }{
		"liisa@example.fi": {"sv", "Delmålets läge: Kurser – Klart", "Läget för delmålet ”Kurser” i åtagandet ”Öppen data” är nu: Klart.\r\n\r\nLäs mer: https://osallistu.example.fi/commitments/3#milestone-9"},
		"ext@example.fi":   {"en", "Commitment approved: Avoin data", "The commitment “Avoin data” has been approved."},
	} {
		r, ok := byRcpt[rcpt]
		if !ok {
			t.Errorf("nothing to %s", rcpt)
			continue
		}
		p := mailtest.Parse(t, r.Data)
		if p.Subject != want.subject || p.Header.Get("Content-Language") != want.lang || !strings.Contains(p.Body, want.body) {
			t.Errorf("to %s: %q in %s:\n%s", rcpt, p.Subject, p.Header.Get("Content-Language"), p.Body)
		}
		if p.Header.Get("To") != "<"+rcpt+">" {
			t.Errorf("To: %s", p.Header.Get("To"))
		}
	}
	sent, total, err := w.store.FindMessages(w.admin, participation.MessageFilter{State: participation.MessageSent, Limit: 10})
	if err != nil || total != 2 || !sent[0].SentAt.Equal(w.now) || sent[0].Attempts != 1 {
		t.Fatalf("sent %d %+v %v", total, sent, err)
	}
	if m := w.find(t, ext.ID); m.State() != participation.MessageSent {
		t.Fatalf("ext %+v", m)
	}
	// The in-app copy is not the sender's business; nothing is left due.
	w.round(t, 0)
	if unread, _ := w.store.CountUnread(ctx); unread != 1 {
		t.Fatalf("in-app unread %d", unread)
	}
}

func TestSendRetriesRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mailtest.Options{})
	w.smtp.Fail(mailtest.Fault{AtRcpt: true, Err: &smtp.SMTPError{Code: 451, Message: "Greylisted, try again later"}},
		mailtest.Fault{Err: &smtp.SMTPError{Code: 554, Message: "Transaction failed"}})
	m := w.enqueue(t, "ext@example.fi", "fi")

	w.round(t, 1)
	got := w.find(t, m.ID)
	if got.State() != participation.MessageWaiting || got.Attempts != 1 || !strings.Contains(got.LastError, "451") ||
		!got.NextAttemptAt.Equal(w.now.Add(time.Minute)) {
		t.Fatalf("after a 451 %+v", got)
	}
	w.round(t, 0) // not due before its time
	w.now = w.now.Add(time.Minute)
	w.round(t, 1)
	got = w.find(t, m.ID)
	if got.State() != participation.MessageWaiting || got.Attempts != 2 || !strings.Contains(got.LastError, "554") ||
		!got.NextAttemptAt.Equal(w.now.Add(2*time.Minute)) {
		t.Fatalf("after a 554 %+v", got)
	}
	w.now = w.now.Add(2 * time.Minute)
	w.round(t, 1)
	if got = w.find(t, m.ID); got.State() != participation.MessageSent || got.Attempts != 3 || got.LastError != "" {
		t.Fatalf("after delivery %+v", got)
	}
	if n := len(w.smtp.Messages()); n != 1 {
		t.Fatalf("the server got %d messages", n)
	}
}

func TestSendRetriesServerDown(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mailtest.Options{})
	up := w.sender.cfg.SMTP.Port
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, down, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close() // nothing listens there now
	w.sender.cfg.SMTP.Port = down
	a, b := w.enqueue(t, "a@example.fi", "fi"), w.enqueue(t, "b@example.fi", "sv")

	w.round(t, 2)
	for _, m := range []*participation.Message{a, b} {
		if got := w.find(t, m.ID); got.State() != participation.MessageWaiting || !strings.Contains(got.LastError, "connect") {
			t.Fatalf("while the server is down %+v", got)
		}
	}
	w.sender.cfg.SMTP.Port = up
	w.now = w.now.Add(time.Minute)
	w.round(t, 2)
	for _, m := range []*participation.Message{a, b} {
		if got := w.find(t, m.ID); got.State() != participation.MessageSent || got.Attempts != 2 {
			t.Fatalf("once the server is up %+v", got)
		}
	}
	if n := len(w.smtp.Messages()); n != 2 {
		t.Fatalf("the server got %d messages", n)
	}
}

func TestSendNotMarkedWhenCutOff(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mailtest.Options{})
	// The connection drops in the middle of the data, and at the next
	// attempt the server refuses the end of the data: neither time did it
	// take the message, and neither time is it marked sent.
	w.smtp.Fail(mailtest.Fault{HangUp: true}, mailtest.Fault{Err: &smtp.SMTPError{Code: 452, Message: "Out of storage"}})
	m := w.enqueue(t, "ext@example.fi", "sv")
	w.round(t, 1)
	if got := w.find(t, m.ID); got.State() != participation.MessageWaiting || got.SentAt != nil || got.LastError == "" {
		t.Fatalf("after the hang-up %+v", got)
	}
	w.now = w.now.Add(time.Minute)
	w.round(t, 1)
	if got := w.find(t, m.ID); got.State() != participation.MessageWaiting || !strings.Contains(got.LastError, "452") {
		t.Fatalf("after the refusal %+v", got)
	}
	if n := len(w.smtp.Messages()); n != 0 {
		t.Fatalf("the server kept %d messages", n)
	}
	w.now = w.now.Add(2 * time.Minute)
	w.round(t, 1)
	if got := w.find(t, m.ID); got.State() != participation.MessageSent {
		t.Fatalf("at last %+v", got)
	}
	if got := w.smtp.Messages(); len(got) != 1 || got[0].To[0] != "ext@example.fi" {
		t.Fatalf("the server got %+v", got)
	}
}

func TestSendGivesUp(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mailtest.Options{}, func(c *Config) { c.MaxAttempts = 2 })
	for range 5 {
		w.smtp.Fail(mailtest.Fault{AtRcpt: true, Err: &smtp.SMTPError{Code: 550, Message: "No such user"}})
	}
	m := w.enqueue(t, "nobody@example.fi", "fi")
	w.round(t, 1)
	w.now = w.now.Add(time.Minute)
	w.round(t, 1)
	got := w.find(t, m.ID)
	if got.State() != participation.MessageFailed || got.Attempts != 2 || !strings.Contains(got.LastError, "550") || got.NextAttemptAt != nil {
		t.Fatalf("given up %+v", got)
	}
	w.now = w.now.Add(48 * time.Hour)
	w.round(t, 0)
}

func TestSendSTARTTLSAndAuth(t *testing.T) {
	t.Parallel()
	serverTLS, clientTLS := mailtest.TLS(t)
	w := newWorld(t, mailtest.Options{TLS: serverTLS, User: "osallistu", Password: "s3cret"}, func(c *Config) {
		c.TLS = clientTLS
		c.SMTP.Username, c.SMTP.Password = "osallistu", "wrong"
	})
	m := w.enqueue(t, "ext@example.fi", "en")
	w.round(t, 1)
	if got := w.find(t, m.ID); got.State() != participation.MessageWaiting || !strings.Contains(got.LastError, "AUTH") {
		t.Fatalf("with a wrong password %+v", got)
	}
	w.sender.cfg.SMTP.Password = "s3cret"
	w.now = w.now.Add(time.Minute)
	w.round(t, 1)
	if got := w.find(t, m.ID); got.State() != participation.MessageSent {
		t.Fatalf("%+v", got)
	}
	if auth, overTLS := w.smtp.Counts(); auth != 1 || overTLS != 1 {
		t.Fatalf("authenticated %d, over TLS %d", auth, overTLS)
	}
}

func TestSendImplicitTLS(t *testing.T) {
	t.Parallel()
	serverTLS, clientTLS := mailtest.TLS(t)
	w := newWorld(t, mailtest.Options{TLS: serverTLS, Implicit: true}, func(c *Config) {
		c.TLS = clientTLS
		c.SMTP.ImplicitTLS = true
	})
	m := w.enqueue(t, "ext@example.fi", "fi")
	w.round(t, 1)
	if got := w.find(t, m.ID); got.State() != participation.MessageSent {
		t.Fatalf("%+v", got)
	}
	if _, overTLS := w.smtp.Counts(); overTLS != 1 {
		t.Fatalf("over TLS %d", overTLS)
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mailtest.Options{}, func(c *Config) { c.Interval = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.sender.Run(ctx) }()
	m := w.enqueue(t, "ext@example.fi", "fi")
	// The first round may have come before the message; a poke brings it.
	deadline := time.Now().Add(10 * time.Second)
	for w.find(t, m.ID).State() != participation.MessageSent {
		if time.Now().After(deadline) {
			t.Fatal("not sent after a poke")
		}
		w.sender.Poke()
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestRunWithoutSMTP(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mailtest.Options{}, func(c *Config) { c.SMTP = nil })
	m := w.enqueue(t, "ext@example.fi", "fi")
	done := make(chan struct{})
	go func() { defer close(done); w.sender.Run(context.Background()) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run without SMTP did not return")
	}
	if got := w.find(t, m.ID); got.State() != participation.MessageWaiting || got.Attempts != 0 {
		t.Fatalf("%+v", got)
	}
}

// fakeOutbox hands out given messages and keeps what the sender records.
type fakeOutbox struct {
	due    []*participation.Message
	sent   []int64
	failed map[int64]time.Duration
}

func (f *fakeOutbox) ClaimDue(context.Context, int) ([]*participation.Message, error) {
	due := f.due
	f.due = nil
	return due, nil
}

func (f *fakeOutbox) MarkSent(_ context.Context, id int64) error {
	f.sent = append(f.sent, id)
	return nil
}

func (f *fakeOutbox) MarkFailed(_ context.Context, id int64, _ string, retryIn time.Duration) error {
	f.failed[id] = retryIn
	return nil
}

func TestSendDueEdges(t *testing.T) {
	t.Parallel()
	ts := mailtest.Start(t, mailtest.Options{})
	msg := func(id int64, address string) *participation.Message {
		return &participation.Message{ID: id, Email: address, Address: address, Channel: participation.ChannelEmail, Attempts: 1,
			Kind: participation.MessageCommitmentApproved, SubjectKind: participation.SubjectCommitment, SubjectID: 1, Lang: "fi",
			Params: participation.MessageParams{Title: "T"}}
	}
	cfg := Config{SMTP: &SMTP{Host: "127.0.0.1", Port: ts.Port, From: netmail.Address{Address: "noreply@example.fi"}, Helo: "localhost"}}
	t.Run("NoAddress", func(t *testing.T) {
		f := &fakeOutbox{due: []*participation.Message{msg(1, ""), msg(2, "ok@example.fi")}, failed: map[int64]time.Duration{}}
		if _, err := New(f, cfg).SendDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		if retry, ok := f.failed[1]; !ok || retry != 0 || len(f.sent) != 1 || f.sent[0] != 2 {
			t.Fatalf("failed %v, sent %v", f.failed, f.sent)
		}
	})
	t.Run("ShuttingDown", func(t *testing.T) {
		f := &fakeOutbox{due: []*participation.Message{msg(3, "a@example.fi")}, failed: map[int64]time.Duration{}}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := New(f, cfg).SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		if retry := f.failed[3]; retry != time.Second || len(f.sent) != 0 {
			t.Fatalf("failed %v, sent %v", f.failed, f.sent)
		}
	})
	t.Run("UnknownKind", func(t *testing.T) {
		m := msg(4, "a@example.fi")
		m.Kind = "from_a_newer_version"
		f := &fakeOutbox{due: []*participation.Message{m}, failed: map[int64]time.Duration{}}
		s := New(f, cfg)
		s.jitter = func() float64 { return 0.5 }
		if _, err := s.SendDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		if retry := f.failed[4]; retry != time.Minute {
			t.Fatalf("failed %v", f.failed)
		}
	})
	t.Run("StoreError", func(t *testing.T) {
		s := New(&errOutbox{}, cfg)
		if _, err := s.SendDue(context.Background()); err == nil {
			t.Fatal("no error")
		}
	})
}

// errOutbox is an outbox whose database is away.
type errOutbox struct{ fakeOutbox }

func (*errOutbox) ClaimDue(context.Context, int) ([]*participation.Message, error) {
	return nil, errors.New("database away")
}
