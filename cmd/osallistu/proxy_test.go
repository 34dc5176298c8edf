package main

// The reverse proxy of the scale-out (haproxy.cfg at the repository's
// root), run by the tests as docker compose and the instance-loss test
// run it.

import (
	"encoding/binary"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// proxyMetricsToken is the instances' OSALLISTU_METRICS_TOKEN in the
// proxy's tests, for liveConnections.
const proxyMetricsToken = "proxy-test-metrics"

// TestProxyFindsInstancesByDNS: haproxy.cfg in the form docker compose
// runs it (OSALLISTU_APP_DNS): the instances are the addresses a DNS name
// resolves to (here two loopback addresses, from a DNS server of the
// test's), both come into the rotation once their /readyz passes, and
// live listeners through the proxy are spread over both.
func TestProxyFindsInstancesByDNS(t *testing.T) {
	pg := startPG(t)
	port := freePortOn(t, "127.0.0.2", "127.0.0.3")
	env := map[string]string{"OSALLISTU_METRICS_TOKEN": proxyMetricsToken}
	a := startInstanceAt(t, osallistuBinary(t), net.JoinHostPort("127.0.0.2", port), pg.URL(), env)
	a.WaitReady()
	b := startInstanceAt(t, osallistuBinary(t), net.JoinHostPort("127.0.0.3", port), pg.URL(), env)
	b.WaitReady()
	dns := serveDNS(t, "app", "127.0.0.2", "127.0.0.3")
	proxy := startHAProxy(t, "OSALLISTU_APP_DNS=app:"+port, "OSALLISTU_DNS="+dns)

	sp := seedPoll(t, proxy, "Avoimuus", "Osallisuus")
	url := "ws" + strings.TrimPrefix(proxy, "http") + "/api/v1/workshops/" + strconv.FormatInt(sp.WorkshopID, 10) + "/live"
	const listeners = 20
	for i := range listeners {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			t.Fatalf("listener %d through the proxy: %v", i, err)
		}
		t.Cleanup(func() { c.Close() })
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, _, err := c.ReadMessage(); err != nil {
			t.Fatalf("listener %d's first frame: %v", i, err)
		}
	}
	onA, onB := liveConnections(t, a), liveConnections(t, b)
	t.Logf("listeners: %d on %s, %d on %s", onA, a.Addr, onB, b.Addr)
	if onA+onB != listeners || onA == 0 || onB == 0 {
		t.Errorf("the proxy spread %d listeners as %d and %d: it did not find both instances by DNS", listeners, onA, onB)
	}
}

// startHAProxy runs haproxy with the repository's haproxy.cfg and the
// environment vars (NAME=value: the instances, OSALLISTU_APP1… or
// OSALLISTU_APP_DNS) and returns the proxy's base URL, once a request
// through it reaches an instance's /readyz. It skips t where haproxy is not
// installed, except in CI.
func startHAProxy(t *testing.T, vars ...string) string {
	t.Helper()
	bin, err := exec.LookPath("haproxy")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("haproxy is not installed (Debian: apt-get install haproxy)")
		}
		t.Fatal(err)
	}
	cfg, err := filepath.Abs(filepath.Join("..", "..", "haproxy.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, "-db", "-f", cfg)
	cmd.Env = append(append(os.Environ(), "OSALLISTU_PROXY_ADDR="+addr), vars...)
	var log lockedBuffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		<-done
		if t.Failed() {
			t.Logf("haproxy's log:\n%s", log.String())
		}
	})
	base := "http://" + addr
	eventually(t, "haproxy answers with an instance's /readyz", func() bool {
		select {
		case <-done:
			t.Fatalf("haproxy exited: %s", log.String())
		default:
		}
		s, _ := call("GET", base+"/readyz", "", nil)
		return s == http.StatusOK
	})
	return base
}

// freePortOn returns a port that nothing listens on at any of hosts.
func freePortOn(t *testing.T, hosts ...string) string {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", net.JoinHostPort(hosts[0], "0"))
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		free := true
		for _, h := range hosts[1:] {
			other, err := net.Listen("tcp", net.JoinHostPort(h, port))
			if err != nil {
				free = false
				break
			}
			other.Close()
		}
		ln.Close()
		if free {
			return port
		}
	}
	t.Fatalf("no port free on all of %v", hosts)
	return ""
}

// serveDNS answers DNS queries over UDP on a loopback port until t ends:
// name's A records are addrs; every other name does not exist. It returns
// the server's host:port.
func serveDNS(t *testing.T, name string, addrs ...string) string {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			if answer := dnsAnswer(buf[:n], name, addrs); answer != nil {
				conn.WriteTo(answer, from)
			}
		}
	}()
	return conn.LocalAddr().String()
}

// dnsAnswer is the answer to the query q (RFC 1035: a header of 12 bytes,
// one question) when name's A records are addrs; nil for what is no query.
func dnsAnswer(q []byte, name string, addrs []string) []byte {
	if len(q) < 12 || binary.BigEndian.Uint16(q[4:]) != 1 {
		return nil
	}
	var labels []string
	i := 12
	for i < len(q) && q[i] != 0 {
		end := i + 1 + int(q[i])
		if end > len(q) {
			return nil
		}
		labels = append(labels, string(q[i+1:end]))
		i = end
	}
	if i+5 > len(q) {
		return nil
	}
	question := q[12 : i+5]
	qtype := binary.BigEndian.Uint16(q[i+1:])
	flags, count := uint16(0x8180), 0 // a response, recursion desired and available
	switch {
	case !strings.EqualFold(strings.Join(labels, "."), name):
		flags |= 3 // no such name
	case qtype == 1: // A
		count = len(addrs)
	}
	out := binary.BigEndian.AppendUint16(nil, binary.BigEndian.Uint16(q))
	out = binary.BigEndian.AppendUint16(out, flags)
	out = binary.BigEndian.AppendUint16(out, 1)
	out = binary.BigEndian.AppendUint16(out, uint16(count))
	out = append(out, 0, 0, 0, 0)
	out = append(out, question...)
	for _, a := range addrs[:count] {
		// The name by a pointer to the question's; class IN, 5 s, 4 bytes.
		out = append(out, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4)
		out = append(out, net.ParseIP(a).To4()...)
	}
	return out
}
