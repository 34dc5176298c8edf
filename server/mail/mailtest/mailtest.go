// Package mailtest runs a real SMTP server on a loopback port for tests:
// the mail sender's own, and the server's that follow an email from the
// change that writes it to the SMTP server that accepts it.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Server is a real SMTP server (go-smtp) on a loopback port: it keeps what
// it accepts, and can be told to refuse or to hang up on the next messages.
type Server struct {
	// Addr is its host:port, Port the port alone.
	Addr string
	Port string

	mu       sync.Mutex
	got      []Message
	faults   []Fault
	authOK   int // sessions that authenticated
	tlsSeen  int // messages that came over TLS
	user     string
	password string
}

// Message is one accepted message: the envelope and the data as sent.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Fault is what the server does to one message instead of accepting it:
// refuse at RCPT (AtRcpt) or at the end of DATA with Err, or (HangUp) close
// the connection in the middle of the data.
type Fault struct {
	AtRcpt bool
	Err    *smtp.SMTPError
	HangUp bool
}

// Options: TLS for STARTTLS (or, with Implicit, TLS from the start); User
// and Password, when set, are required.
type Options struct {
	TLS      *tls.Config
	Implicit bool
	User     string
	Password string
}

// Start starts a server that stops when the test ends.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	ts := &Server{user: opt.User, password: opt.Password}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &testSession{ts: ts, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = opt.TLS == nil
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = testLogger{t}
	var ln net.Listener
	var err error
	if opt.Implicit {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", opt.TLS)
	} else {
		srv.TLSConfig = opt.TLS
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	ts.Addr = ln.Addr().String()
	_, ts.Port, _ = net.SplitHostPort(ts.Addr)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ts
}

// Fail queues faults for the next messages, in order.
func (ts *Server) Fail(f ...Fault) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.faults = append(ts.faults, f...)
}

// Messages returns what the server has accepted.
func (ts *Server) Messages() []Message {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]Message(nil), ts.got...)
}

// Parsed is an email as its reader's program sees it.
type Parsed struct {
	Header  netmail.Header
	Subject string // decoded
	Body    string // decoded from quoted-printable
	// Attachments are the files of a multipart/mixed email, by file name.
	Attachments map[string][]byte
}

// Parse reads an email as the sender writes them (a plain text body in
// quoted-printable); the test fails when it is not one.
func Parse(t testing.TB, data []byte) Parsed {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not an email: %v\n%s", err, data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	out := Parsed{Header: msg.Header, Subject: subject, Attachments: map[string][]byte{}}
	media, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if media != "multipart/mixed" {
		out.Body = readQuoted(t, msg.Body)
		return out
	}
	// The text first, then the files, base64.
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for i := 0; ; i++ {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			return out
		} else if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if i == 0 {
			out.Body = readQuoted(t, part)
			continue
		}
		data, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, part))
		if err != nil {
			t.Fatalf("attachment %s: %v", part.FileName(), err)
		}
		out.Attachments[part.FileName()] = data
	}
}

// readQuoted reads a quoted-printable text.
func readQuoted(t testing.TB, r io.Reader) string {
	t.Helper()
	body, err := io.ReadAll(quotedprintable.NewReader(r))
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// WaitFor waits up to timeout for the server to have accepted n messages
// and returns them; the test fails when they do not come.
func (ts *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	for end := time.Now().Add(timeout); ; time.Sleep(10 * time.Millisecond) {
		got := ts.Messages()
		if len(got) >= n {
			return got
		}
		if time.Now().After(end) {
			t.Fatalf("%d messages in %v, want %d", len(got), timeout, n)
		}
	}
}

// Counts returns how many sessions authenticated and how many messages
// came over TLS.
func (ts *Server) Counts() (auth, tlsMessages int) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.authOK, ts.tlsSeen
}

// nextFault pops the next fault if it applies at this step.
func (ts *Server) nextFault(atRcpt bool) *Fault {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.faults) == 0 || ts.faults[0].AtRcpt != atRcpt {
		return nil
	}
	f := ts.faults[0]
	ts.faults = ts.faults[1:]
	return &f
}

type testSession struct {
	ts     *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (s *testSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *testSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != s.ts.user || password != s.ts.password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		s.ts.mu.Lock()
		s.ts.authOK++
		s.ts.mu.Unlock()
		return nil
	}), nil
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if f := s.ts.nextFault(true); f != nil {
		return f.Err
	}
	s.to = append(s.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	if f := s.ts.nextFault(false); f != nil {
		if f.HangUp {
			io.ReadFull(r, make([]byte, 100))
			s.conn.Conn().Close()
			return errors.New("hung up")
		}
		io.Copy(io.Discard, r)
		return f.Err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	s.ts.got = append(s.ts.got, Message{From: s.from, To: s.to, Data: data})
	if isTLS {
		s.ts.tlsSeen++
	}
	return nil
}

func (s *testSession) Reset()        { s.from, s.to = "", nil }
func (s *testSession) Logout() error { return nil }

// testLogger sends the server's error log to the test's.
type testLogger struct{ t testing.TB }

func (l testLogger) Printf(format string, v ...any) { l.t.Logf("smtp server: "+format, v...) }
func (l testLogger) Println(v ...any)               { l.t.Log(append([]any{"smtp server:"}, v...)...) }

// TLS returns a server configuration with a certificate for 127.0.0.1 and
// a client configuration that trusts it.
func TLS(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "test SMTP"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return server, &tls.Config{RootCAs: pool}
}
