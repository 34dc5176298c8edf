package pgtest

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lib/pq"
)

// Proxy stands between a test and the database server, so that the test can
// take the database away and bring it back: Stop refuses new connections and
// cuts the open ones, as a stopped server does, and Start serves again on
// the same loopback port.
type Proxy struct {
	t               testing.TB
	network, target string // the database server's address
	url             string

	mu    sync.Mutex
	addr  string
	ln    net.Listener // nil while stopped
	conns map[net.Conn]struct{}
}

// NewProxy returns a running proxy to the database at dsn (from NewURL);
// URL is dsn through the proxy. The proxy stops when t ends.
func NewProxy(t testing.TB, dsn string) *Proxy {
	t.Helper()
	cfg, err := pq.NewConfig(dsn)
	if err != nil {
		t.Fatalf("pgtest: proxy: %v", err)
	}
	p := &Proxy{t: t, network: "tcp", target: net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port)), conns: map[net.Conn]struct{}{}}
	if strings.HasPrefix(cfg.Host, "/") {
		p.network, p.target = "unix", filepath.Join(cfg.Host, fmt.Sprintf(".s.PGSQL.%d", cfg.Port))
	}
	p.addr = "127.0.0.1:0"
	p.Start()
	host, port, _ := net.SplitHostPort(p.addr)
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Host = p.addr
		p.url = u.String()
	} else {
		p.url = dsn + " host=" + host + " port=" + port // later keys win
	}
	t.Cleanup(p.Stop)
	return p
}

// URL returns the database's connection string through the proxy.
func (p *Proxy) URL() string { return p.url }

// Start accepts connections again, on the same port.
func (p *Proxy) Start() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		return
	}
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("pgtest: proxy: %v", err)
	}
	p.ln, p.addr = ln, ln.Addr().String()
	go p.accept(ln)
}

// Stop closes the port and cuts every connection through it.
func (p *Proxy) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		return
	}
	p.ln.Close()
	p.ln = nil
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *Proxy) accept(ln net.Listener) {
	for {
		client, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		} else if err != nil {
			continue
		}
		go p.serve(ln, client)
	}
}

// serve joins client to a new connection to the server, unless the proxy
// has stopped meanwhile.
func (p *Proxy) serve(ln net.Listener, client net.Conn) {
	server, err := net.Dial(p.network, p.target)
	if err != nil {
		client.Close()
		return
	}
	p.mu.Lock()
	if p.ln != ln {
		p.mu.Unlock()
		client.Close()
		server.Close()
		return
	}
	p.conns[client], p.conns[server] = struct{}{}, struct{}{}
	p.mu.Unlock()
	pipe := func(dst, src net.Conn) {
		io.Copy(dst, src)
		dst.Close()
		src.Close()
	}
	go pipe(server, client)
	pipe(client, server)
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}
