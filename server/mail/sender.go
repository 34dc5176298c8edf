// Package mail delivers the outbox's emails by SMTP: a loop that claims the
// due ones, sends each in its language and records how it went, at least
// once, trying again with a growing wait when a server refuses or is away.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"

	"osallistu/participation"
)

// Outbox is the part of the store the sender uses.
type Outbox interface {
	ClaimDue(ctx context.Context, limit int) ([]*participation.Message, error)
	MarkSent(ctx context.Context, id int64) error
	MarkFailed(ctx context.Context, id int64, reason string, retryIn time.Duration) error
}

// Config is the sender's part of the configuration, read once in cmd.
type Config struct {
	// SMTP is the server to send through; nil turns email off: messages
	// wait in the outbox, readable on the admin page.
	SMTP *SMTP
	// BaseURL is the site's public address (https://osallistu.example.fi),
	// for the link in each email; empty leaves the links out.
	BaseURL string
	// Interval is how often the sender looks for due emails without being poked.
	Interval time.Duration
	// Batch is how many emails one round claims. Its sending must fit in
	// participation.OutboxLease: Batch × Timeout is well below it.
	Batch int
	// Timeout bounds connecting, and then each message's exchange.
	Timeout time.Duration
	// FirstRetry is the wait after the first failed attempt; it doubles
	// with each failure up to MaxRetry, give or take a quarter, so that
	// many emails refused at once do not all come back at once.
	FirstRetry time.Duration
	MaxRetry   time.Duration
	// MaxAttempts is how many attempts an email gets before it is given up.
	MaxAttempts int
	// TLS, when set, is the TLS configuration (its roots, say); the server
	// name is always the SMTP host.
	TLS *tls.Config
	// Logger receives what goes wrong; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultConfig returns the defaults that cmd overrides: 1 minute doubling
// to 6 hours, 12 attempts (about a day and a half of trying).
func DefaultConfig() Config {
	return Config{
		Interval:    15 * time.Second,
		Batch:       10,
		Timeout:     30 * time.Second,
		FirstRetry:  time.Minute,
		MaxRetry:    6 * time.Hour,
		MaxAttempts: 12,
	}
}

// Sender delivers the outbox's emails. Every server instance runs one;
// the store's claims keep them from sending the same email at once.
type Sender struct {
	outbox Outbox
	cfg    Config
	log    *slog.Logger
	poke   chan struct{}
	jitter func() float64 // in [0, 1); tests fix it
}

// New returns a sender on outbox; cfg's zero fields take the defaults.
func New(outbox Outbox, cfg Config) *Sender {
	def := DefaultConfig()
	if cfg.Interval <= 0 {
		cfg.Interval = def.Interval
	}
	if cfg.Batch <= 0 {
		cfg.Batch = def.Batch
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = def.Timeout
	}
	if cfg.FirstRetry <= 0 {
		cfg.FirstRetry = def.FirstRetry
	}
	if cfg.MaxRetry < cfg.FirstRetry {
		cfg.MaxRetry = max(def.MaxRetry, cfg.FirstRetry)
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = def.MaxAttempts
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Sender{outbox: outbox, cfg: cfg, log: cfg.Logger, poke: make(chan struct{}, 1), jitter: rand.Float64}
}

// Poke makes a running sender look for due emails now rather than at its
// next tick, for callers that have just written some. It never blocks.
func (s *Sender) Poke() {
	select {
	case s.poke <- struct{}{}:
	default:
	}
}

// Run sends due emails until ctx ends: at once, then every Interval or
// when poked, and straight on while rounds come back full. Without SMTP it
// returns at once. An email under way when ctx ends is left to be sent
// again (it was not marked sent), after a second.
func (s *Sender) Run(ctx context.Context) {
	if s.cfg.SMTP == nil {
		s.log.Info("email is off: no SMTP server configured (OSALLISTU_SMTP_URL); emails wait in the outbox")
		return
	}
	s.log.Info("sending email", "smtp", s.cfg.SMTP.String())
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-s.poke:
			timer.Stop()
		}
		claimed, err := s.SendDue(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("send email", "err", err)
		}
		wait := s.cfg.Interval
		if err == nil && claimed == s.cfg.Batch {
			wait = 0 // more may be due
		}
		timer.Reset(wait)
	}
}

// SendDue sends one round: it claims up to Batch due emails and delivers
// them over one connection, recording each. It returns how many it claimed.
// An error is the store's; delivery failures are recorded, not returned.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	msgs, err := s.outbox.ClaimDue(ctx, s.cfg.Batch)
	if err != nil {
		return 0, err
	}
	var cn *conn
	var dialErr error // once connecting fails, the rest of the round fails alike
	defer func() {
		if cn != nil {
			cn.close()
		}
	}()
	var errs []error
	for _, m := range msgs {
		switch {
		case ctx.Err() != nil:
			errs = append(errs, s.record(m, errors.New("not sent: the server was shutting down"), time.Second))
			continue
		case m.Address == "":
			errs = append(errs, s.record(m, errors.New("no address: the account has been erased"), 0))
			continue
		}
		if cn == nil && dialErr == nil {
			cn, dialErr = dial(ctx, s.cfg.SMTP, s.cfg.TLS, s.cfg.Timeout)
		}
		err := dialErr
		if err == nil {
			if err = s.deliver(cn, m); err != nil {
				cn.close() // in an unknown state; the next message starts afresh
				cn = nil
			}
		}
		switch {
		case err == nil:
			errs = append(errs, s.record(m, nil, 0))
		case ctx.Err() != nil: // cut off by the shutdown: no fault of the email's
			errs = append(errs, s.record(m, fmt.Errorf("not sent: the server was shutting down (%w)", err), time.Second))
		case m.Attempts >= s.cfg.MaxAttempts:
			errs = append(errs, s.record(m, err, 0))
		default:
			errs = append(errs, s.record(m, err, s.Backoff(m.Attempts)))
		}
	}
	return len(msgs), errors.Join(errs...)
}

// deliver renders m in its language and sends it.
func (s *Sender) deliver(cn *conn, m *participation.Message) error {
	var text participation.MessageText
	var err error
	unsubscribe := ""
	if m.Kind == participation.MessageNewsletterDigest {
		text, err = m.RenderDigest(MessageLink(s.cfg.BaseURL, m), func(it participation.DigestItem) string {
			return s.link(DigestItemPath(it))
		}, s.link(UnsubscribePath(m.Params.Token)))
		unsubscribe = s.link(OneClickUnsubscribePath(m.Params.Token))
	} else {
		text, err = m.Render(MessageLink(s.cfg.BaseURL, m))
	}
	if err != nil {
		return err
	}
	return cn.send(s.cfg.SMTP.From.Address, m.Address, compose(s.cfg.SMTP.From, m.Address, m, text, unsubscribe), s.cfg.Timeout)
}

// link is path under the base URL, or "" without one.
func (s *Sender) link(path string) string {
	if s.cfg.BaseURL == "" || path == "" {
		return ""
	}
	return s.cfg.BaseURL + path
}

// UnsubscribePath is the page that ends a subscription with its token,
// without signing in.
func UnsubscribePath(token string) string {
	return "/subscriptions/unsubscribe?token=" + url.QueryEscape(token)
}

// OneClickUnsubscribePath takes the POST of a mail program's one-click
// unsubscribe (RFC 8058), without a form or a session.
func OneClickUnsubscribePath(token string) string {
	return "/api/v1/subscriptions/unsubscribe?token=" + url.QueryEscape(token)
}

// DigestItemPath is the page of a digest's item: the step, its results,
// the commitment or its milestone.
func DigestItemPath(it participation.DigestItem) string {
	id := strconv.FormatInt(it.ID, 10)
	switch it.Kind {
	case participation.DigestCommitmentApproved:
		return "/commitments/" + id
	case participation.DigestMilestoneStatus:
		return "/commitments/" + id + "#milestone-" + strconv.FormatInt(it.MilestoneID, 10)
	case participation.DigestResults:
		switch it.StepKind {
		case participation.StepSurvey:
			return "/surveys/" + id + "/results"
		case participation.StepStatementRequest:
			return "/statement-requests/" + id + "/summary"
		}
	}
	switch it.StepKind {
	case participation.StepIdeaRound:
		return "/idea-rounds/" + id
	case participation.StepWorkshop:
		return "/workshops/" + id
	case participation.StepSurvey:
		return "/surveys/" + id
	case participation.StepStatementRequest:
		return "/statement-requests/" + id
	}
	return ""
}

// record writes how an attempt went: sent (err nil), or failed and tried
// again after retryIn, or given up (retryIn 0). It is written even when the
// server is shutting down, so that a sent email is not sent again.
func (s *Sender) record(m *participation.Message, err error, retryIn time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err == nil {
		return s.outbox.MarkSent(ctx, m.ID)
	}
	reason := err.Error()
	if r := []rune(reason); len(r) > 500 {
		reason = string(r[:500])
	}
	if retryIn > 0 {
		s.log.Warn("email not sent; trying again", "message", m.ID, "attempt", m.Attempts, "retry_in", retryIn.Round(time.Second), "err", reason)
	} else {
		s.log.Error("email not sent; giving up", "message", m.ID, "attempts", m.Attempts, "err", reason)
	}
	return s.outbox.MarkFailed(ctx, m.ID, reason, retryIn)
}

// Backoff is the wait after an email's attempt'th failed attempt:
// FirstRetry doubled for each earlier failure, at most MaxRetry, and then
// a quarter more or less at random.
func (s *Sender) Backoff(attempt int) time.Duration {
	d := s.cfg.FirstRetry
	for i := 1; i < attempt && d < s.cfg.MaxRetry; i++ {
		d *= 2
	}
	d = min(d, s.cfg.MaxRetry)
	return time.Duration(float64(d) * (0.75 + 0.5*s.jitter()))
}

// MessageLink is the address of the page a message is about, under
// baseURL; "" without a base URL or for a subject without a page. An
// invitation to join an organisation, sent to an address without an
// account, carries its personal link.
func MessageLink(baseURL string, m *participation.Message) string {
	path := MessagePath(m)
	if baseURL == "" || path == "" {
		return ""
	}
	return strings.TrimRight(baseURL, "/") + path
}

// MessagePath is the path of the page a message is about, or "" for a
// subject without one: the one place that maps a message's subject to a
// page, for the in-app messages' pages and API and for the emails' links.
// A message about an account leads to its personal link, or to signing in.
func MessagePath(m *participation.Message) string {
	switch m.SubjectKind {
	case participation.SubjectCommitment:
		path := "/commitments/" + strconv.FormatInt(m.SubjectID, 10)
		if m.Params.MilestoneID > 0 {
			path += "#milestone-" + strconv.FormatInt(m.Params.MilestoneID, 10)
		}
		return path
	case participation.SubjectAccount:
		// A personal link carries its token; other account messages lead
		// to signing in.
		switch {
		case m.Params.Token == "":
		case m.Kind == participation.MessagePasswordReset:
			return "/password/reset?token=" + url.QueryEscape(m.Params.Token)
		case m.Kind == participation.MessageEmailConfirmation || m.Kind == participation.MessageEmailChange:
			return "/account/confirm-email?token=" + url.QueryEscape(m.Params.Token)
		}
		return "/login"
	case participation.SubjectStatementRequest:
		return "/statement-requests/" + strconv.FormatInt(m.SubjectID, 10)
	case participation.SubjectOrganisation:
		if m.Kind == participation.MessageOrganisationInvitation {
			// The personal link: whoever opens it and accepts joins.
			if m.Params.Token != "" {
				return "/organisation-invitation?token=" + url.QueryEscape(m.Params.Token)
			}
			return "/register" // an invitation written before links had tokens
		}
		return "/organisations/" + strconv.FormatInt(m.SubjectID, 10)
	case participation.SubjectSubscription:
		if m.Kind == participation.MessageSubscriptionConfirmation {
			return "/subscriptions/confirm?token=" + url.QueryEscape(m.Params.Token)
		}
		if d := m.Params.Digest; d != nil && d.Slug != "" {
			return "/processes/" + url.PathEscape(d.Slug)
		}
		return "/"
	case participation.SubjectEvent:
		// A registration's personal links: confirm the address, or cancel.
		if e := m.Params.Event; e != nil && m.Params.Token != "" {
			action := "/cancel"
			if m.Kind == participation.MessageRegistrationAddress {
				action = "/confirm"
			}
			return "/registrations/" + strconv.FormatInt(e.RegistrationID, 10) + action + "?token=" + url.QueryEscape(m.Params.Token)
		}
		return "/events/" + strconv.FormatInt(m.SubjectID, 10)
	case participation.SubjectSurvey:
		// An invitation's personal link: the survey's page takes the token
		// from ?invitation= and answers as the invitation.
		path := "/surveys/" + strconv.FormatInt(m.SubjectID, 10)
		if m.Params.Token != "" {
			path += "?invitation=" + url.QueryEscape(m.Params.Token)
		}
		return path
	}
	return ""
}
