package server

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// pageViewFlush is how often the page views counted in memory are added
// to the database.
const pageViewFlush = time.Minute

// pageViews counts the pages served, for the public statistics, without
// cookies and without writing on a view (DESIGN.md: a page view writes
// nothing): each instance counts in memory, by year, and adds its counts
// to the database every pageViewFlush and when it shuts down. A view that
// was opened from outside the site (no Referer of this host) begins a
// visit. Who viewed is not kept at all.
type pageViews struct {
	svc    participation.StatisticsService
	mu     sync.Mutex
	counts map[int]*participation.PageViewCount
	stop   context.CancelFunc
	done   chan struct{}
}

// newPageViews starts counting, and flushing every pageViewFlush; nil svc
// counts nothing.
func newPageViews(svc participation.StatisticsService, log func(msg string, args ...any)) *pageViews {
	pv := &pageViews{svc: svc, counts: map[int]*participation.PageViewCount{}, done: make(chan struct{})}
	if svc == nil {
		close(pv.done)
		return pv
	}
	ctx, stop := context.WithCancel(context.Background())
	pv.stop = stop
	go func() {
		defer close(pv.done)
		tick := time.NewTicker(pageViewFlush)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if err := pv.flush(ctx); err != nil && ctx.Err() == nil {
					log("page views not saved; kept for the next try", "err", err)
				}
			}
		}
	}()
	return pv
}

// count is the middleware of the pages: it counts a GET answered with a
// page (200, HTML).
func (pv *pageViews) count(c *fiber.Ctx) error {
	err := c.Next()
	if pv.svc == nil || err != nil || c.Method() != fiber.MethodGet || c.Response().StatusCode() != fiber.StatusOK ||
		!strings.HasPrefix(string(c.Response().Header.ContentType()), fiber.MIMETextHTML) {
		return err
	}
	visit := true
	if ref, perr := url.Parse(c.Get(fiber.HeaderReferer)); perr == nil && ref.Host != "" && ref.Host == c.Hostname() {
		visit = false
	}
	year := time.Now().In(participation.Helsinki).Year()
	pv.mu.Lock()
	defer pv.mu.Unlock()
	n := pv.counts[year]
	if n == nil {
		n = &participation.PageViewCount{Year: year}
		pv.counts[year] = n
	}
	n.PageViews++
	if visit {
		n.Visits++
	}
	return nil
}

// flush adds the counts so far to the database; on failure they are kept
// for the next flush.
func (pv *pageViews) flush(ctx context.Context) error {
	pv.mu.Lock()
	counts := pv.counts
	pv.counts = map[int]*participation.PageViewCount{}
	pv.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	list := make([]participation.PageViewCount, 0, len(counts))
	for _, n := range counts {
		list = append(list, *n)
	}
	if err := pv.svc.AddPageViews(ctx, list); err != nil {
		pv.mu.Lock()
		for _, n := range list {
			if m := pv.counts[n.Year]; m != nil {
				m.PageViews += n.PageViews
				m.Visits += n.Visits
			} else {
				pv.counts[n.Year] = &n
			}
		}
		pv.mu.Unlock()
		return err
	}
	return nil
}

// close stops the flushing and adds what is left.
func (pv *pageViews) close(ctx context.Context) error {
	if pv.svc == nil {
		return nil
	}
	pv.stop()
	<-pv.done
	return pv.flush(ctx)
}
