package server

import (
	"net/url"
	"strings"
)

// safeNext keeps the redirect after sign-in (and the other ?next= links) on
// this site: next when isLocalPath accepts it, else the front page.
func safeNext(next string) string {
	if isLocalPath(next) {
		return next
	}
	return "/"
}

// isLocalPath reports whether next, used as a Location, can only lead to a
// path on this site. Browsers are lenient with a Location: they drop tabs
// and newlines, read a backslash as a slash and "//host" as another host,
// and some decode %2F or %5C first. So next must be printable ASCII without
// a backslash, with no scheme or host; and its path, percent-decoded until
// nothing changes (double encoding), likewise, starting with one slash and
// holding no empty, "." or ".." segment, which cleaning could turn into a
// leading "//". The query may hold any encoded text: it cannot move the
// host.
func isLocalPath(next string) bool {
	if !strings.HasPrefix(next, "/") || !plainASCII(next) {
		return false
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	path, _, _ := strings.Cut(next, "?")
	path, _, _ = strings.Cut(path, "#")
	for decoded := false; !decoded; {
		d, err := url.PathUnescape(path)
		if err != nil || !plainASCII(d) {
			return false
		}
		decoded, path = d == path, d
	}
	// A trailing slash is harmless: the last segment may be empty.
	segments := strings.Split(strings.TrimSuffix(path[1:], "/"), "/")
	for i, seg := range segments {
		if seg == "." || seg == ".." || (seg == "" && !(i == 0 && path == "/")) {
			return false
		}
	}
	return true
}

// plainASCII reports whether s holds only printable ASCII other than the
// backslash: no control characters, no spaces, nothing a browser might
// strip, map to a slash or fold.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b <= ' ' || b >= 0x7f || b == '\\' {
			return false
		}
	}
	return true
}
