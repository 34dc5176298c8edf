package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestReader checks the epoll reader against gorilla's server side: frames
// of every length form (7-bit, 16-bit and 64-bit), split anywhere by TCP,
// arrive whole; a ping gets a pong; a close ends the client.
func TestReader(t *testing.T) {
	frames := []string{
		`{"type":"tally","poll_id":7,"ballots":1}`,
		`{"type":"tally","poll_id":7,"ballots":2,"pad":"` + strings.Repeat("x", 300) + `"}`,
		`{"type":"tally","poll_id":8,"ballots":9}`, // another poll's: not kept
		`{"type":"tally","poll_id":7,"ballots":3,"pad":"` + strings.Repeat("y", 70000) + `"}`,
	}
	ponged := make(chan struct{})
	handedOver := make(chan struct{}) // as in a run: nothing follows the first frame until then
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.SetPongHandler(func(string) error { close(ponged); return nil })
		go func() { // reads, so that the pong is handled
			for {
				if _, _, err := c.NextReader(); err != nil {
					return
				}
			}
		}()
		c.WriteMessage(websocket.TextMessage, []byte(`{"type":"tally","poll_id":7,"ballots":0}`))
		<-handedOver
		for _, f := range frames {
			c.WriteMessage(websocket.TextMessage, []byte(f))
		}
		c.WriteControl(websocket.PingMessage, []byte("hi"), time.Now().Add(time.Second))
		select {
		case <-ponged:
		case <-time.After(5 * time.Second):
		}
		c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, ""), time.Now().Add(time.Second))
	}))
	defer srv.Close()

	rd, err := newReader(7)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	defer close(done)
	go rd.run(done)
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, first, err := conn.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	cl := &client{observer: true}
	rd.tally(cl, first, time.Now())
	if err := rd.add(cl, conn); err != nil {
		t.Fatal(err)
	}
	close(handedOver)
	deadline := time.Now().Add(5 * time.Second)
	for {
		cl.mu.Lock()
		frames, last, cerr := len(cl.recv), append([]byte(nil), cl.last...), cl.err // an observer times every frame of its poll
		cl.mu.Unlock()
		if cerr != nil {
			if frames != 4 || !bytes.Contains(last, []byte(`"ballots":3`)) || len(last) < 70000 {
				t.Fatalf("%d frames of poll 7, the last %.60q… (%d bytes)", frames, last, len(last))
			}
			if !strings.Contains(cerr.Error(), "closed by the server") {
				t.Fatalf("ended with %v", cerr)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no close after %d frames", frames)
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case <-ponged:
	default:
		t.Error("the ping got no pong")
	}
}

func TestNextFrame(t *testing.T) {
	long := bytes.Repeat([]byte("z"), 300)
	frame := append([]byte{0x81, 126, 1, 44}, long...) // 16-bit length 300
	for cut := range len(frame) {
		if _, _, _, ok := nextFrame(frame[:cut]); ok {
			t.Fatalf("a frame cut at %d was taken as whole", cut)
		}
	}
	op, payload, size, ok := nextFrame(append(frame, 0x89, 0))
	if !ok || op != websocket.TextMessage || !bytes.Equal(payload, long) || size != len(frame) {
		t.Fatalf("op %d, %d bytes, size %d, %v", op, len(payload), size, ok)
	}
}
