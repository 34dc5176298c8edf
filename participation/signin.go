package participation

import (
	"context"
	"time"
)

// Sign-in throttling. Failures are counted per account and address: after
// LoginFailureLimit failures from one address within LoginFailureWindow,
// that address may not try the account again until the window passes, while
// the owner's own address still can. Failures from every address together
// slow each attempt on the account down instead (LoginDelay), so that
// guessing from many addresses is slow but nobody can lock the owner out.
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
