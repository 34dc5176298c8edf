package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"osallistu/participation"
)

// SMTP is where email goes: an SMTP server, the credentials and the sender
// address, read from a URL (see ParseURL).
type SMTP struct {
	Host string
	Port string
	// ImplicitTLS speaks TLS from the start (smtps://); otherwise the
	// connection is upgraded with STARTTLS when the server offers it.
	ImplicitTLS bool
	Username    string
	Password    string
	From        netmail.Address // the envelope sender and the From header
	Helo        string          // the name given in EHLO; "localhost" unless set
}

// ParseURL reads an SMTP URL:
//
//	smtp://user:pass@host:port?from=noreply@example.fi   (STARTTLS when offered; port 587 by default)
//	smtps://user:pass@host:port?from=Osallistu%20<noreply@example.fi>   (TLS from the start; port 465)
//
// from is required; helo optionally names this host in EHLO. Credentials
// are optional; net/smtp sends them only over TLS (or to localhost).
func ParseURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// Not url.Parse's own error: it repeats the URL, password and all.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("SMTP URL: %w", err)
	}
	s := &SMTP{Host: u.Hostname(), Port: u.Port(), Helo: "localhost"}
	switch u.Scheme {
	case "smtp":
		if s.Port == "" {
			s.Port = "587"
		}
	case "smtps":
		s.ImplicitTLS = true
		if s.Port == "" {
			s.Port = "465"
		}
	default:
		return nil, fmt.Errorf("SMTP URL: the scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if s.Host == "" {
		return nil, errors.New("SMTP URL: no host")
	}
	if n, err := strconv.Atoi(s.Port); err != nil || n < 1 || n > 65535 {
		return nil, fmt.Errorf("SMTP URL: bad port %q", s.Port)
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	q := u.Query()
	for name := range q {
		if name != "from" && name != "helo" {
			return nil, fmt.Errorf("SMTP URL: unknown parameter %q (use from and helo)", name)
		}
	}
	from, err := netmail.ParseAddress(q.Get("from"))
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: from=%q is not an address: %w", q.Get("from"), err)
	}
	s.From = *from
	if h := q.Get("helo"); h != "" {
		s.Helo = h
	}
	return s, nil
}

// String describes the server without the password, for logs.
func (s *SMTP) String() string {
	scheme := "smtp"
	if s.ImplicitTLS {
		scheme = "smtps"
	}
	user := ""
	if s.Username != "" {
		user = s.Username + "@"
	}
	return scheme + "://" + user + net.JoinHostPort(s.Host, s.Port)
}

// conn is one SMTP session, for one or more messages.
type conn struct {
	c    *smtp.Client
	raw  net.Conn
	stop func() bool // ends the close-on-cancel watch
}

// dial connects, says EHLO, upgrades with STARTTLS when offered (TLS from
// the start for smtps) and authenticates when credentials are given.
// Cancelling ctx closes the connection, which ends any exchange under way.
func dial(ctx context.Context, s *SMTP, tlsConfig *tls.Config, timeout time.Duration) (*conn, error) {
	cfg := &tls.Config{ServerName: s.Host}
	if tlsConfig != nil {
		cfg = tlsConfig.Clone()
		cfg.ServerName = s.Host
	}
	d := &net.Dialer{Timeout: timeout}
	addr := net.JoinHostPort(s.Host, s.Port)
	var raw net.Conn
	var err error
	if s.ImplicitTLS {
		raw, err = (&tls.Dialer{NetDialer: d, Config: cfg}).DialContext(ctx, "tcp", addr)
	} else {
		raw, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", addr, err)
	}
	raw.SetDeadline(time.Now().Add(timeout))
	cn := &conn{raw: raw, stop: context.AfterFunc(ctx, func() { raw.Close() })}
	fail := func(step string, err error) (*conn, error) {
		cn.close()
		return nil, fmt.Errorf("%s: %w", step, err)
	}
	if cn.c, err = smtp.NewClient(raw, s.Host); err != nil {
		return fail("greeting", err)
	}
	if err := cn.c.Hello(s.Helo); err != nil {
		return fail("EHLO", err)
	}
	if ok, _ := cn.c.Extension("STARTTLS"); ok && !s.ImplicitTLS {
		if err := cn.c.StartTLS(cfg); err != nil {
			return fail("STARTTLS", err)
		}
	}
	if s.Username != "" {
		if err := cn.c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return fail("AUTH", err)
		}
	}
	return cn, nil
}

// send delivers one message: it has been accepted when send returns nil
// (the server's reply to the end of the data), and only then.
func (cn *conn) send(from, to string, msg []byte, timeout time.Duration) error {
	cn.raw.SetDeadline(time.Now().Add(timeout))
	if err := cn.c.Mail(from); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := cn.c.Rcpt(to); err != nil {
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := cn.c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		w.Close()
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("end of DATA: %w", err)
	}
	return nil
}

// close says QUIT when it can and closes the connection.
func (cn *conn) close() {
	cn.stop()
	if cn.c != nil {
		cn.raw.SetDeadline(time.Now().Add(time.Second))
		cn.c.Quit()
	}
	cn.raw.Close()
}

// compose writes m as an email: plain text in UTF-8, quoted-printable, with
// its language; with attachments (an event's calendar file), a
// multipart/mixed message whose first part is the text. Date and Message-ID come from the message itself, so that a
// message sent twice (at least once means that can happen) is the same
// message twice, which mail systems can tell. A newsletter's email carries
// its unsubscribe address (RFC 2369) for one-click unsubscribing (RFC 8058).
func compose(from netmail.Address, to string, m *participation.Message, text participation.MessageText, unsubscribe string) []byte {
	var b bytes.Buffer
	header := func(name, value string) {
		// No line breaks from values: a header ends where the platform says.
		value = strings.NewReplacer("\r", " ", "\n", " ").Replace(value)
		b.WriteString(fold(name + ": " + value))
		b.WriteString("\r\n")
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	header("Date", m.CreatedAt.Format(time.RFC1123Z))
	header("From", from.String())
	header("To", (&netmail.Address{Address: to}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", text.Subject))
	header("Message-ID", fmt.Sprintf("<osallistu.%d.%d@%s>", m.ID, m.CreatedAt.Unix(), domain))
	header("MIME-Version", "1.0")
	header("Content-Language", text.Lang)
	header("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies, please
	if unsubscribe != "" {
		header("List-Unsubscribe", "<"+unsubscribe+">")
		header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	if len(text.Attachments) == 0 {
		header("Content-Type", plainType)
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		writeQuoted(&b, text.Body)
		return b.Bytes()
	}
	// With files: the text first, then each file, as parts of one message.
	mw := multipart.NewWriter(&b)
	header("Content-Type", `multipart/mixed; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	// Writing to a buffer does not fail.
	part, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {plainType}, "Content-Transfer-Encoding": {"quoted-printable"}})
	writeQuoted(part, text.Body)
	for _, a := range text.Attachments {
		part, _ := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {a.ContentType},
			"Content-Transfer-Encoding": {"base64"},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})},
		})
		enc := base64.StdEncoding.EncodeToString(a.Data)
		for len(enc) > 76 { // RFC 2045: lines of at most 76 characters
			io.WriteString(part, enc[:76]+"\r\n")
			enc = enc[76:]
		}
		io.WriteString(part, enc+"\r\n")
	}
	mw.Close()
	return b.Bytes()
}

// plainType is the content type of the message's text.
const plainType = "text/plain; charset=utf-8"

// writeQuoted writes the text, quoted-printable (the whole message's
// body, or its first part's).
func writeQuoted(w io.Writer, body string) {
	qp := quotedprintable.NewWriter(w)
	qp.Write([]byte(body))
	qp.Close()
}

// fold breaks a header line at spaces into lines of at most 78 characters
// where it can (RFC 5322); a long encoded subject is several encoded words
// separated by spaces, so it folds between them.
func fold(line string) string {
	const limit = 78
	var out strings.Builder
	width := 0
	for i, word := range strings.Split(line, " ") {
		if i > 0 {
			if width+1+len(word) > limit {
				out.WriteString("\r\n")
				width = 0
			}
			out.WriteByte(' ')
			width++
		}
		out.WriteString(word)
		width += len(word)
	}
	return out.String()
}
