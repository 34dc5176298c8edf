package participation

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NameMax is the longest name a person gives with a contribution (an
// idea's or comment's author, a workshop participant), in characters.
const NameMax = 100

// trimOptional trims an optional text; an empty one becomes none.
func trimOptional(s *string) *string {
	if s == nil {
		return nil
	}
	t := strings.TrimSpace(*s)
	if t == "" {
		return nil
	}
	return &t
}

// checkHoneypot records a filled-in honeypot field: people leave it empty,
// form-filling robots do not.
func checkHoneypot(f FieldErrors, website string) {
	if website != "" {
		f.Add("website", RuleHoneypot, 0)
	}
}

// checkAuthorName checks the optional name an author signs with.
func checkAuthorName(f FieldErrors, name *string) {
	if name != nil && utf8.RuneCountInString(*name) > NameMax {
		f.Add("author_name", RuleMaxLength, NameMax)
	}
}

// validWebAddress reports whether s is an absolute http or https address.
func validWebAddress(s string) bool {
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
