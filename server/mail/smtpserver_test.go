package mail

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testSMTP is a real SMTP server (go-smtp) on a loopback port, for the
// sender's tests: it keeps what it accepts, and can be told to refuse or to
// hang up on the next messages.
type testSMTP struct {
	addr string // host:port
	port string

	mu       sync.Mutex
	got      []received
	faults   []fault
	authOK   int // sessions that authenticated
	tlsSeen  int // messages that came over TLS
	user     string
	password string
}

// received is one accepted message.
type received struct {
	from string
	to   []string
	data []byte
}

// fault is what the server does to one message instead of accepting it:
// refuse at RCPT or at the end of DATA with err, or (hangUp) close the
// connection in the middle of the data.
type fault struct {
	atRcpt bool
	err    *smtp.SMTPError
	hangUp bool
}

// smtpOptions: TLS for STARTTLS (or, with implicit, TLS from the start);
// user and password, when set, are required.
type smtpOptions struct {
	tls      *tls.Config
	implicit bool
	user     string
	password string
}

func startSMTP(t *testing.T, opt smtpOptions) *testSMTP {
	t.Helper()
	ts := &testSMTP{user: opt.user, password: opt.password}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &testSession{ts: ts, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = opt.tls == nil
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = testLogger{t}
	var ln net.Listener
	var err error
	if opt.implicit {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", opt.tls)
	} else {
		srv.TLSConfig = opt.tls
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	_, ts.port, _ = net.SplitHostPort(ts.addr)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ts
}

// fail queues faults for the next messages, in order.
func (ts *testSMTP) fail(f ...fault) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.faults = append(ts.faults, f...)
}

// messages returns what the server has accepted.
func (ts *testSMTP) messages() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.got...)
}

func (ts *testSMTP) counts() (auth, tlsMessages int) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.authOK, ts.tlsSeen
}

// nextFault pops the next fault if it applies at this step.
func (ts *testSMTP) nextFault(atRcpt bool) *fault {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.faults) == 0 || ts.faults[0].atRcpt != atRcpt {
		return nil
	}
	f := ts.faults[0]
	ts.faults = ts.faults[1:]
	return &f
}

type testSession struct {
	ts     *testSMTP
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
		return f.err
	}
	s.to = append(s.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	if f := s.ts.nextFault(false); f != nil {
		if f.hangUp {
			io.ReadFull(r, make([]byte, 100))
			s.conn.Conn().Close()
			return errors.New("hung up")
		}
		io.Copy(io.Discard, r)
		return f.err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	s.ts.got = append(s.ts.got, received{from: s.from, to: s.to, data: data})
	if isTLS {
		s.ts.tlsSeen++
	}
	return nil
}

func (s *testSession) Reset()        { s.from, s.to = "", nil }
func (s *testSession) Logout() error { return nil }

// testLogger sends the server's error log to the test's.
type testLogger struct{ t *testing.T }

func (l testLogger) Printf(format string, v ...any) { l.t.Logf("smtp server: "+format, v...) }
func (l testLogger) Println(v ...any)               { l.t.Log(append([]any{"smtp server:"}, v...)...) }

// testTLS returns a server configuration with a certificate for 127.0.0.1
// and a client configuration that trusts it.
func testTLS(t *testing.T) (server, client *tls.Config) {
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
