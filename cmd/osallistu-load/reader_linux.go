package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

// The clients share the machine with the server they measure. A goroutine
// blocked in a read on each of 10 000 connections costs the Go scheduler a
// wake-up per frame and per connection, as much CPU as the server's own
// writes; so once gorilla has done a client's handshake and read its first
// frame, the connection is handed to a reader: one epoll loop per core that
// reads whatever arrived on any of its connections and splits it into
// frames. The frames a server sends are simple (unmasked, unfragmented,
// small): a text frame is a tally, a ping gets its pong, a close ends the
// client.

// reader is one epoll loop and the clients it reads.
type reader struct {
	epfd    int
	poll    int64
	needle  []byte // frames of this poll carry it near their start
	mu      sync.Mutex
	clients map[int]*client // by file descriptor
}

func newReader(poll int64) (*reader, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll: %w", err)
	}
	return &reader{epfd: epfd, poll: poll, clients: map[int]*client{},
		needle: []byte(`"poll_id":` + strconv.FormatInt(poll, 10) + `,`)}, nil
}

// add takes conn over from gorilla (which has read the first frame: no
// more frames come before the voting starts, so its buffer is empty). The
// reader reads a duplicate of the connection's descriptor, which stays open
// when gorilla's connection is closed.
func (rd *reader) add(cl *client, conn *websocket.Conn) error {
	tc, ok := conn.NetConn().(*net.TCPConn)
	if !ok {
		return errors.New("not a TCP connection")
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return err
	}
	fd := -1
	if cerr := raw.Control(func(s uintptr) { fd, err = syscall.Dup(int(s)) }); cerr != nil {
		return cerr
	}
	if err != nil {
		return fmt.Errorf("dup: %w", err)
	}
	conn.NetConn().Close() // the duplicate keeps the connection; it stays non-blocking
	cl.fd = fd
	rd.mu.Lock()
	rd.clients[fd] = cl
	rd.mu.Unlock()
	return syscall.EpollCtl(rd.epfd, syscall.EPOLL_CTL_ADD, fd, &syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(fd)})
}

// run reads until done is closed, then closes the connections.
func (rd *reader) run(done <-chan struct{}) {
	events := make([]syscall.EpollEvent, 256)
	buf := make([]byte, 64<<10)
	for {
		select {
		case <-done:
			rd.mu.Lock()
			for fd := range rd.clients {
				syscall.Close(fd)
			}
			rd.mu.Unlock()
			syscall.Close(rd.epfd)
			return
		default:
		}
		n, err := syscall.EpollWait(rd.epfd, events, 100)
		if err != nil && err != syscall.EINTR {
			panic(fmt.Sprintf("epoll_wait: %v", err))
		}
		now := time.Now()
		for _, ev := range events[:max(n, 0)] {
			rd.mu.Lock()
			cl := rd.clients[int(ev.Fd)]
			rd.mu.Unlock()
			if cl != nil {
				rd.readFrom(cl, buf, now)
			}
		}
		if n < len(events)/4 {
			// A broadcast reaches the connections one after another: a
			// moment's wait lets one epoll_wait gather many of them. (A
			// frame that arrives meanwhile is timed up to 2 ms late: the
			// delays measured are, if anything, longer than they were.)
			time.Sleep(2 * time.Millisecond)
		}
	}
}

// readFrom reads what has arrived on cl's connection and handles its
// complete frames; a partial frame waits in cl.pending.
func (rd *reader) readFrom(cl *client, buf []byte, now time.Time) {
	for {
		n, err := syscall.Read(cl.fd, buf)
		if err == syscall.EAGAIN || err == syscall.EINTR {
			break
		}
		if err != nil || n == 0 {
			if err == nil {
				err = io.EOF
			}
			rd.drop(cl, err)
			return
		}
		cl.pending = append(cl.pending, buf[:n]...)
		if n < len(buf) {
			break
		}
	}
	p := cl.pending
	for {
		op, payload, size, ok := nextFrame(p)
		if !ok {
			break
		}
		switch op {
		case websocket.TextMessage:
			rd.tally(cl, payload, now)
		case websocket.PingMessage:
			pong(cl.fd, payload)
		case websocket.CloseMessage:
			rd.drop(cl, errors.New("closed by the server"))
			return
		}
		p = p[size:]
	}
	cl.pending = append(cl.pending[:0], p...)
}

// nextFrame splits the first complete frame off p: its opcode, payload and
// length in p. Server frames are unmasked.
func nextFrame(p []byte) (op int, payload []byte, size int, ok bool) {
	if len(p) < 2 {
		return 0, nil, 0, false
	}
	op, n, head := int(p[0]&0x0f), uint64(p[1]&0x7f), 2
	switch n {
	case 126:
		if len(p) < 4 {
			return 0, nil, 0, false
		}
		n, head = uint64(binary.BigEndian.Uint16(p[2:])), 4
	case 127:
		if len(p) < 10 {
			return 0, nil, 0, false
		}
		n, head = binary.BigEndian.Uint64(p[2:]), 10
	}
	if uint64(len(p)-head) < n {
		return 0, nil, 0, false
	}
	return op, p[head : head+int(n)], head + int(n), true
}

// pong answers a ping with a masked pong frame (a client's frames are
// masked; a zero mask leaves the payload as it is).
func pong(fd int, payload []byte) {
	frame := append([]byte{0x80 | websocket.PongMessage, 0x80 | byte(len(payload)), 0, 0, 0, 0}, payload...)
	syscall.Write(fd, frame)
}

func (rd *reader) tally(cl *client, frame []byte, now time.Time) {
	if !bytes.Contains(frame, rd.needle) {
		return
	}
	cl.mu.Lock()
	defer cl.mu.Unlock()
	cl.last = append(cl.last[:0], frame...)
	if cl.observer {
		var t tally
		if json.Unmarshal(frame, &t) == nil {
			cl.asOf = append(cl.asOf, t.AsOf)
			cl.recv = append(cl.recv, now)
		}
	}
}

func (rd *reader) drop(cl *client, err error) {
	syscall.EpollCtl(rd.epfd, syscall.EPOLL_CTL_DEL, cl.fd, nil)
	syscall.Close(cl.fd)
	rd.mu.Lock()
	delete(rd.clients, cl.fd)
	rd.mu.Unlock()
	cl.mu.Lock()
	cl.err = err
	cl.mu.Unlock()
}
