package participation

import (
	"context"
	"sync"
	"time"
)

// Sign-in throttling. Failures are counted per account and address: after
// LoginFailureLimit failures from one address within LoginFailureWindow,
// that address may not try the account again until the window passes, while
// the owner's own address still can. Failures from every address together
// slow each attempt on the account down instead (LoginDelay), so that
// guessing from many addresses is slow but nobody can lock the owner out.
//
// The failures per account are kept in the database (without an address);
// those per account and address only in memory (LoginLockout), so that no
// network address is ever stored.
const (
	LoginFailureLimit  = 10
	LoginFailureWindow = 15 * time.Minute
)

// Bounds of LoginDelay.
const (
	loginDelayFree  = 3 // failures that cost nothing: typing mistakes
	loginDelayFirst = 250 * time.Millisecond
	loginDelayMax   = 4 * time.Second
)

// LoginDelay is how long an attempt to sign in to an account waits before its
// password is checked, when the account has had failures failed attempts
// from any address within LoginFailureWindow: nothing for the first few,
// then 250 ms doubling with each failure, at most 4 s.
func LoginDelay(failures int) time.Duration {
	if failures < loginDelayFree {
		return 0
	}
	d := loginDelayFirst
	for i := loginDelayFree; i < failures && d < loginDelayMax; i++ {
		d *= 2
	}
	return min(d, loginDelayMax)
}

type addressKey struct{}

// NewContextWithAddress returns ctx carrying the network address a request
// came from, which sign-in throttling counts failures by.
func NewContextWithAddress(ctx context.Context, address string) context.Context {
	return context.WithValue(ctx, addressKey{}, address)
}

// AddressFromContext returns the request's network address, or "" when
// there is none (a command, a test).
func AddressFromContext(ctx context.Context) string {
	a, _ := ctx.Value(addressKey{}).(string)
	return a
}

// LoginLockout counts failed sign-ins per account and address in memory,
// within LoginFailureWindow: the addresses are never written anywhere. Each
// server instance counts the failures it saw, so behind a load balancer an
// address may try LoginFailureLimit times on each instance (the delay per
// account, kept in the database, still applies across them). The zero
// value is ready to use.
type LoginLockout struct {
	mu       sync.Mutex
	failures map[lockoutKey][]time.Time // the latest, oldest first, at most LoginFailureLimit
	swept    time.Time
}

type lockoutKey struct{ email, address string }

// Locked reports whether address has had LoginFailureLimit failures on the
// account of email within LoginFailureWindow before now.
func (l *LoginLockout) Locked(email, address string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	return recentFailures(l.failures[lockoutKey{email, address}], now) >= LoginFailureLimit
}

// Fail counts a failure of address on the account of email at now.
func (l *LoginLockout) Fail(email, address string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	if l.failures == nil {
		l.failures = map[lockoutKey][]time.Time{}
	}
	k := lockoutKey{email, address}
	times := append(l.failures[k], now)
	if len(times) > LoginFailureLimit {
		times = times[len(times)-LoginFailureLimit:]
	}
	l.failures[k] = times
}

// Clear forgets the failures of address on the account of email: its owner
// signed in from there.
func (l *LoginLockout) Clear(email, address string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, lockoutKey{email, address})
}

// sweep forgets, once a window, the addresses whose failures have all
// expired, so that memory holds no address longer than about two windows
// after its last failure and a sign-in attempt.
func (l *LoginLockout) sweep(now time.Time) {
	if now.Sub(l.swept) <= LoginFailureWindow {
		return
	}
	for k, times := range l.failures {
		if recentFailures(times, now) == 0 {
			delete(l.failures, k)
		}
	}
	l.swept = now
}

// recentFailures counts the times within LoginFailureWindow before now.
func recentFailures(times []time.Time, now time.Time) int {
	n := 0
	for _, t := range times {
		if now.Sub(t) < LoginFailureWindow {
			n++
		}
	}
	return n
}
