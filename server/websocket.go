package server

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/websocket"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"osallistu/participation"
)

// upgrader makes WebSockets with gorilla on fiber's own port. Idle
// subscribers hold no write buffer (the pool lends one only for writes that
// need it, and prepared frames need none) and a small read buffer (clients
// send nothing but control frames): memory per connection stays small.
var upgrader = websocket.Upgrader{
	HandshakeTimeout: 10 * time.Second,
	ReadBufferSize:   256,
	WriteBufferPool:  &sync.Pool{},
}

// isWebSocketUpgrade checks the handshake's headers before the connection is
// taken over, so that a plain request gets a normal JSON error.
func isWebSocketUpgrade(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodGet &&
		headerHasToken(c.Get(fiber.HeaderConnection), "upgrade") &&
		headerHasToken(c.Get(fiber.HeaderUpgrade), "websocket") &&
		c.Get("Sec-WebSocket-Version") == "13" && c.Get("Sec-WebSocket-Key") != ""
}

func headerHasToken(header, token string) bool {
	for _, t := range strings.Split(header, ",") {
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}

// upgradeWebSocket takes the connection over from fiber and runs serve on it
// as a WebSocket once the handler has returned. fiber's adaptor cannot
// hijack, and gorilla has no server-side constructor for a raw connection,
// so: the request is converted to net/http's form first; fasthttp's Hijack
// then hands over the raw connection (with no response of its own), and a
// small http.ResponseWriter that is also an http.Hijacker gives it to
// gorilla's Upgrade, which does the handshake. serve then runs on a
// goroutine of its own, so that fasthttp can take back the request's memory
// at once (the server keeps hijacked connections open, see New): an idle
// subscriber holds no request buffers. Hijacked connections are beyond
// fiber's Shutdown: the hub closes them. failed runs instead of serve when
// the handshake fails after the connection was taken over (an error
// returned comes before that).
func upgradeWebSocket(c *fiber.Ctx, serve func(*websocket.Conn), failed func()) error {
	if !isWebSocketUpgrade(c) {
		return &participation.Error{Code: participation.EMALFORMED, Message: "This address takes WebSocket connections only."}
	}
	fctx := c.Context()
	var req http.Request
	if err := fasthttpadaptor.ConvertRequest(fctx, &req, true); err != nil {
		return participation.Errorf(participation.EMALFORMED, "The request is malformed.")
	}
	fctx.HijackSetNoResponse(true)
	fctx.Hijack(func(hc net.Conn) {
		// The request still borrows fasthttp's memory here, which stays
		// valid until this function returns; Upgrade is done with it by then.
		conn := hc
		if u, ok := hc.(interface{ UnsafeConn() net.Conn }); ok {
			// The raw connection: fasthttp's buffered reader goes back to its
			// pool when this returns, and a WebSocket client sends nothing
			// before the handshake's answer, so nothing is left in it.
			conn = u.UnsafeConn()
		}
		conn = &deadlineConn{Conn: conn}
		ws, err := upgrader.Upgrade(&hijackWriter{conn: conn, header: http.Header{}}, &req, nil)
		if err != nil {
			conn.Close() // Upgrade has answered with an error status, or the peer left
			failed()
			return
		}
		go serve(ws)
	})
	c.Status(fiber.StatusSwitchingProtocols) // for the request metrics; fasthttp sends nothing itself
	return nil
}

// hijackWriter is the http.ResponseWriter and http.Hijacker that gorilla's
// Upgrade needs, over a connection fasthttp has handed over. Upgrade writes
// only through it when it refuses the handshake.
type hijackWriter struct {
	conn   net.Conn
	header http.Header
	status int
}

func (w *hijackWriter) Header() http.Header { return w.header }

func (w *hijackWriter) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	w.header.Set("Connection", "close")
	w.header.Write(&b)
	b.WriteString("\r\n")
	w.conn.Write([]byte(b.String()))
}

func (w *hijackWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.conn.Write(p)
}

// Hijack hands the connection to gorilla; the buffered reader is empty (a
// client may send nothing before the handshake's answer), and the writer
// only lends its buffer to the handshake's answer.
func (w *hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.conn, bufio.NewReadWriter(bufio.NewReaderSize(w.conn, 16), bufio.NewWriterSize(w.conn, 256)), nil
}

// deadlineConn passes a write deadline on to the connection only when it
// comes sooner than the one in force, or a second or more later. gorilla
// sets the deadline before every frame it writes, and each setting is a
// timer update in the runtime's network poller: with ten thousand
// subscribers and ten frames a second, those updates cost more than the
// frames' own work in Go. A deadline applied this way is at most a second
// earlier than the one asked for (the hub asks for seconds), never later.
type deadlineConn struct {
	net.Conn
	mu       sync.Mutex
	deadline time.Time // the write deadline in force
}

func (c *deadlineConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !t.IsZero() && !c.deadline.IsZero() && !t.Before(c.deadline) && t.Sub(c.deadline) < time.Second {
		return nil
	}
	c.deadline = t
	return c.Conn.SetWriteDeadline(t)
}

// addressCounter counts what each address holds open (live WebSockets),
// up to a limit per address. A map under a mutex: it changes once per
// connection and disconnection, never per frame.
type addressCounter struct {
	limit int
	mu    sync.Mutex
	open  map[string]int
}

func newAddressCounter(limit int) *addressCounter {
	return &addressCounter{limit: limit, open: map[string]int{}}
}

// acquire counts one more for addr, or reports false at the limit.
func (a *addressCounter) acquire(addr string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.open[addr] >= a.limit {
		return false
	}
	a.open[addr]++
	return true
}

// release counts one fewer for addr.
func (a *addressCounter) release(addr string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.open[addr]--; a.open[addr] <= 0 {
		delete(a.open, addr)
	}
}
