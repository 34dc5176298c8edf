package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// pageCache keeps the pages shown to people who are neither signed in nor
// known as a respondent or participant, so that a consultation in the news
// is read at the speed of the HTTP stack rather than of its queries.
//
// A kept page is given again only while nothing has been written to the
// database since it was made: each request reads the database's current
// snapshot (pg_current_snapshot, one round trip and no transaction), and a
// kept page made under another snapshot is made anew. Two equal snapshots
// see the same committed transactions, so every query behind the page
// would answer the same; a write through any instance ends it at once. The
// time is the one thing a snapshot does not cover (a round that closes at
// noon, "2 hours ago"): a kept page is also made anew after ttl.
//
// The pages' forms carry the reader's own CSRF token: a page is made with
// marker in the token's place, kept so, and the marker is replaced by the
// reader's token each time it is given.
type pageCache struct {
	ttl      time.Duration
	snapshot func(context.Context) (string, error)
	marker   []byte

	mu    sync.Mutex
	pages map[string]cachedPage
	// making holds, by key, a channel closed when the page being made for
	// it is done: readers who ask for it meanwhile wait for that one rather
	// than all making their own (a spike's first second).
	making map[string]chan struct{}
}

// cachedPage is a kept page: its HTML with the marker, the snapshot it was
// made under and when.
type cachedPage struct {
	body     []byte
	snapshot string
	made     time.Time
}

// maxCachedPages bounds the pages kept: a page is kept by its address and
// language, and addresses are the reader's to make up. When it is full,
// every page is let go.
const maxCachedPages = 2000

// newPageCache returns a cache of pages for ttl, or nil when ttl is not
// positive or there is no snapshot to check the pages by.
func newPageCache(ttl time.Duration, snapshot func(context.Context) (string, error)) *pageCache {
	if ttl <= 0 || snapshot == nil {
		return nil
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on the platforms Go supports
	}
	return &pageCache{
		ttl: ttl, snapshot: snapshot, pages: map[string]cachedPage{}, making: map[string]chan struct{}{},
		marker: []byte("csrf-marker-" + hex.EncodeToString(b)),
	}
}

func (pc *pageCache) get(key, snapshot string, now time.Time) ([]byte, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	p, ok := pc.pages[key]
	if !ok || p.snapshot != snapshot || now.Sub(p.made) >= pc.ttl {
		return nil, false
	}
	return p.body, true
}

func (pc *pageCache) put(key string, p cachedPage) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if len(pc.pages) >= maxCachedPages {
		clear(pc.pages)
	}
	pc.pages[key] = p
}

// make returns a function to call when the page for key is made, or, when
// another request is making it already, a channel closed when it is done.
func (pc *pageCache) make(key string) (done func(), wait <-chan struct{}) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if ch, ok := pc.making[key]; ok {
		return nil, ch
	}
	ch := make(chan struct{})
	pc.making[key] = ch
	return func() {
		pc.mu.Lock()
		defer pc.mu.Unlock()
		delete(pc.making, key)
		close(ch)
	}, nil
}

// personalCookies are the cookies that make a page someone's own: a
// session, a respondent, a participant, a message to show once (the flash).
var personalCookies = [...]string{sessionCookie, respondentCookie, participantCookie, flashCookie}

// personal reports whether the request's page may be someone's own.
func personal(c *fiber.Ctx) bool {
	for _, name := range personalCookies {
		if c.Cookies(name) != "" {
			return true
		}
	}
	return false
}

// cachePage gives an impersonal page read (GET) from the page cache, or
// makes it and keeps it when it is a page (200, HTML) that set no cookie of
// its own. It runs after checkCSRF, which gives the request its token.
func (s *Server) cachePage(c *fiber.Ctx) error {
	pc := s.pageCache
	if pc == nil || c.Method() != fiber.MethodGet || personal(c) {
		return c.Next()
	}
	token, _ := c.Locals(localCSRF).(string)
	snapshot, err := pc.snapshot(c.UserContext())
	if err != nil { // the handler meets the same database and answers for it
		return c.Next()
	}
	key := requestLang(c) + " " + c.OriginalURL()
	now := time.Now()
	if body, ok := pc.get(key, snapshot, now); ok {
		return sendKept(c, body, pc.marker, token)
	}
	done, wait := pc.make(key)
	if wait != nil {
		select {
		case <-wait:
		case <-c.UserContext().Done():
		}
		if body, ok := pc.get(key, snapshot, time.Now()); ok {
			return sendKept(c, body, pc.marker, token)
		}
	} else {
		defer done()
	}
	cookies := countCookies(c)
	c.Locals(localCSRF, string(pc.marker))
	err = c.Next()
	c.Locals(localCSRF, token) // an error page is rendered after this returns
	if err != nil {
		return err
	}
	res := c.Response()
	body := res.Body()
	if res.StatusCode() == fiber.StatusOK && bytes.HasPrefix(res.Header.ContentType(), []byte("text/html")) &&
		countCookies(c) == cookies {
		pc.put(key, cachedPage{body: bytes.Clone(body), snapshot: snapshot, made: now})
	}
	res.SetBodyRaw(bytes.ReplaceAll(body, pc.marker, []byte(token)))
	return nil
}

// sendKept answers with a kept page, the reader's token in the marker's
// place.
func sendKept(c *fiber.Ctx, body, marker []byte, token string) error {
	c.Status(fiber.StatusOK).Type("html", "utf-8")
	return c.Send(bytes.ReplaceAll(body, marker, []byte(token)))
}

// countCookies counts the cookies that the response sets so far.
func countCookies(c *fiber.Ctx) int {
	n := 0
	c.Response().Header.VisitAllCookie(func(_, _ []byte) { n++ })
	return n
}
