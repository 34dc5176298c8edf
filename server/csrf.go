package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// CSRF protection of the pages' forms, with nothing stored (DESIGN.md:
// reading is free). A token is a random nonce and its HMAC under a key that
// every server instance shares (SetSecret), over the nonce and the session
// the token is for: any instance can check it, and none has to remember
// it. It goes in a cookie and in each form's hidden field (double submit),
// so that another site, which can make a browser post but can read neither,
// cannot send a matching pair.
//
// Binding the token to the session keeps a token that someone planted or
// read while the browser was signed out from working once it signs in, and
// one of an ended session from working after it; signed out, the session
// is "". Fiber's csrf middleware cannot do this: it keeps every token in a
// Storage (or a session, which is stored too) and renews it there on every
// view, and neither its KeyGenerator nor its Storage sees the request, so
// a token cannot be bound to the session.

const (
	csrfCookie = "osallistu_csrf"
	csrfField  = "_csrf"
	// localCSRF is where checkCSRF leaves the request's token, for the
	// templates' forms.
	localCSRF = "csrf"
	// csrfNonceSize is the size of a token's random part, in bytes.
	csrfNonceSize = 16
	// MinSecretSize is the size, in bytes, that SetSecret asks of a secret
	// at least.
	MinSecretSize = 32
)

// SetSecret gives the server the secret that it signs its CSRF tokens
// with: the same for every instance that serves the site, so that a form
// served by one can be posted to another. Until it is given, the server is
// not ready: /readyz and whatever needs the database answer 503 (whenReady).
// It may be called while the server serves.
func (s *Server) SetSecret(secret []byte) error {
	if len(secret) < MinSecretSize {
		return fmt.Errorf("the secret has %d bytes; it needs at least %d", len(secret), MinSecretSize)
	}
	// The tokens' key is derived from the secret, so that the secret may
	// sign other things too without one signature passing for another.
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("osallistu csrf token"))
	key := mac.Sum(nil)
	s.csrfKey.Store(&key)
	return nil
}

// checkCSRF protects every form of the pages. A safe request gets the
// token of its cookie when that is valid for its session, else a new one;
// an unsafe one is refused unless its form's token is its cookie's and
// valid for its session. The API needs none: it authenticates with a
// bearer header only, which a browser does not send by itself.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	if isAPI(c) {
		return c.Next()
	}
	key := s.csrfKey.Load()
	if key == nil { // not ready: only what whenReady lets by, which has no forms
		return c.Next()
	}
	session := csrfSession(c)
	cookie := c.Cookies(csrfCookie)
	valid := validCSRFToken(*key, cookie, session)
	if !isSafeMethod(c) {
		field := c.FormValue(csrfField)
		if !valid || subtle.ConstantTimeCompare([]byte(field), []byte(cookie)) != 1 || !fromThisSite(c) {
			return participation.Errorf(participation.EFORBIDDEN, "The form has expired. Go back, reload the page and try again.")
		}
	}
	if valid {
		c.Locals(localCSRF, copyString(cookie))
	} else {
		s.issueCSRF(c, session)
	}
	// The page's forms carry the cookie's token: a cache must not give one
	// browser's page to another.
	c.Vary(fiber.HeaderCookie)
	return c.Next()
}

// issueCSRF gives the browser a new token for session, in its cookie and
// for the forms of the page that the request renders. Signing in calls it
// with the new session, so that the old token ends at once.
func (s *Server) issueCSRF(c *fiber.Ctx, session string) {
	key := s.csrfKey.Load()
	if key == nil { // not ready: no handler that signs in runs (whenReady)
		return
	}
	token := newCSRFToken(*key, session)
	c.Cookie(&fiber.Cookie{
		Name: csrfCookie, Value: token, Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: s.cfg.CookieSecure, SessionOnly: true,
	})
	c.Locals(localCSRF, token)
}

// csrfSession is the session that the request's tokens are bound to: its
// session cookie when that signed someone in, else "".
func csrfSession(c *fiber.Ctx) string {
	if account(c) == nil {
		return ""
	}
	return c.Cookies(sessionCookie)
}

// newCSRFToken makes a token for session: a nonce and its signature.
func newCSRFToken(key []byte, session string) string {
	b := make([]byte, csrfNonceSize, csrfNonceSize+sha256.Size)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(csrfSign(b, key, session))
}

// validCSRFToken reports whether token is one that newCSRFToken made with
// key for session.
func validCSRFToken(key []byte, token, session string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != csrfNonceSize+sha256.Size {
		return false
	}
	return hmac.Equal(b, csrfSign(b[:csrfNonceSize:csrfNonceSize], key, session))
}

// csrfSign appends to nonce the HMAC of the nonce and the session's hash
// (of a fixed size, so that no two pairs read alike).
func csrfSign(nonce, key []byte, session string) []byte {
	h := sha256.Sum256([]byte(session))
	mac := hmac.New(sha256.New, key)
	mac.Write(nonce)
	mac.Write(h[:])
	return mac.Sum(nonce)
}

// fromThisSite reports whether an unsafe request comes from a page of this
// site, as far as its Referer tells, over HTTPS, where browsers send one
// (the site's Referrer-Policy is same-origin); over plain HTTP it does not
// check. A second line of defence behind the token.
func fromThisSite(c *fiber.Ctx) bool {
	if c.Protocol() != "https" {
		return true
	}
	ref, err := url.Parse(c.Get(fiber.HeaderReferer))
	return err == nil && ref.Scheme == "https" && strings.EqualFold(ref.Host, c.Hostname())
}
