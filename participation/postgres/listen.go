package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lib/pq"

	"osallistu/participation"
)

// PollChannel is the NOTIFY channel of poll changes. The payload is a
// participation.PollChange as its Encode writes it.
const PollChannel = "osallistu_poll"

// Listener hears the poll changes that every server instance's store
// publishes (NOTIFY on PollChannel) over a connection of its own (LISTEN),
// and delivers them on Events. lib/pq's listener connects in the background
// and, after losing the database, connects again (waiting longer after each
// failed attempt, up to listenMaxReconnect); then the Listener delivers nil:
// changes may have been missed, so everything must be loaded again.
type Listener struct {
	pl        *pq.Listener
	events    chan *participation.PollChange
	log       *slog.Logger
	done      chan struct{}
	listened  chan struct{} // closed when the first LISTEN has returned, with listenErr
	listenErr error
	wg        sync.WaitGroup
	once      sync.Once
}

// Listener timing: how soon a lost connection is tried again (doubling up
// to the maximum), and how long an idle connection goes unchecked (pq sends
// no keep-alives of its own, so a dead connection would go unnoticed).
const (
	listenMinReconnect = 100 * time.Millisecond
	listenMaxReconnect = 10 * time.Second
	listenPingInterval = 30 * time.Second
)

// NewListener connects to the database at url and listens on PollChannel.
// It returns once the LISTEN is in place, so that no change committed after
// it returns is missed, or with ctx's error when the database does not answer.
func NewListener(ctx context.Context, url string, log *slog.Logger) (*Listener, error) {
	l := StartListener(url, log)
	if err := l.Wait(ctx); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// StartListener is NewListener without the wait: it returns at once and
// listens as soon as the database answers, for a server that starts before
// its database is up. Wait says when the LISTEN is in place.
func StartListener(url string, log *slog.Logger) *Listener {
	if log == nil {
		log = slog.Default()
	}
	l := &Listener{events: make(chan *participation.PollChange, 1024), log: log, done: make(chan struct{}), listened: make(chan struct{})}
	l.pl = pq.NewListener(url, listenMinReconnect, listenMaxReconnect, func(ev pq.ListenerEventType, err error) {
		switch ev {
		case pq.ListenerEventConnectionAttemptFailed, pq.ListenerEventDisconnected:
			log.Warn("poll listener cannot reach the database", "err", err)
		case pq.ListenerEventReconnected:
			log.Info("poll listener reconnected")
		}
	})
	go func() {
		// pq's Listen waits for the first connection, however long that takes.
		l.listenErr = l.pl.Listen(PollChannel)
		close(l.listened)
	}()
	l.wg.Add(1)
	go l.run()
	return l
}

// Wait returns once the LISTEN is in place, with ctx's error when ctx ends
// first, or with the error of a LISTEN the server refused.
func (l *Listener) Wait(ctx context.Context) error {
	select {
	case <-l.listened:
		if l.listenErr != nil {
			return fmt.Errorf("listen for poll changes: %w", l.listenErr)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("listen for poll changes: %w", ctx.Err())
	}
}

// Events delivers the changes, and nil after a reconnection. It is closed
// by Close.
func (l *Listener) Events() <-chan *participation.PollChange { return l.events }

func (l *Listener) run() {
	defer l.wg.Done()
	defer close(l.events)
	ping := time.NewTicker(listenPingInterval)
	defer ping.Stop()
	for {
		select {
		case <-l.done:
			return
		case n, ok := <-l.pl.Notify:
			if !ok {
				return
			}
			var ev *participation.PollChange // nil: reconnected, reload everything
			if n != nil {
				c, err := participation.ParsePollChange(n.Extra)
				if err != nil {
					l.log.Warn("poll listener: bad notification", "payload", n.Extra, "err", err)
					continue
				}
				ev = &c
			}
			select {
			case l.events <- ev:
			case <-l.done:
				return
			}
		case <-ping.C:
			// A failed ping makes pq reconnect, and then send nil.
			go l.pl.Ping()
		}
	}
}

// Close stops listening and closes Events.
func (l *Listener) Close() error {
	var err error
	l.once.Do(func() {
		close(l.done)
		err = l.pl.Close()
		l.wg.Wait()
	})
	return err
}
