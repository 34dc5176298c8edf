// Package participation is Osallistu's domain: the entities of an open
// consultation process, their validation and rules, and the error codes the
// rest of the platform speaks. It knows nothing of HTTP or SQL.
package participation

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"unicode"
	"unicode/utf8"
)

// Error codes. The server maps each to an HTTP status in one table.
const (
	EINVALID         = "invalid"         // well-formed input that breaks a rule
	EMALFORMED       = "malformed"       // input that is not even well-formed (bad JSON, wrong type)
	EUNAUTHENTICATED = "unauthenticated" // no or bad credentials
	EFORBIDDEN       = "forbidden"       // authenticated but not allowed
	ENOTFOUND        = "not_found"
	ECLOSED          = "closed"   // outside the open window, deadline passed, poll not open
	ECONFLICT        = "conflict" // duplicate or state clash
	ETOOLARGE        = "too_large"
	ERATELIMITED     = "rate_limited"
	EUNAVAILABLE     = "unavailable" // the server cannot take the request now (busy, or the database is away): retry
	EINTERNAL        = "internal"
)

// Error is the one error type of the domain. Message is safe to show to the
// user; Fields names each bad input field with the reason.
type Error struct {
	Code    string
	Message string
	Fields  FieldErrors
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := fmt.Sprintf("%s: %s (", e.Code, e.Message)
	for i, k := range keys {
		if i > 0 {
			s += ", "
		}
		s += k + ": " + e.Fields[k].Message()
	}
	return s + ")"
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err, or a generic one for
// internal errors (whose details are logged, never shown).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// Validation rules a field can break. The API shows FieldError's English
// message; the pages translate the rule instead.
const (
	RuleRequired  = "required"
	RuleMinLength = "min_length"
	RuleMaxLength = "max_length"
	RuleFormat    = "format"
	RuleChoice    = "choice"
	RuleTaken     = "taken"
	RuleMismatch  = "mismatch"
	RuleAfterOpen = "after_open" // a closing time that is not after the opening time
	RuleHoneypot  = "honeypot"   // the field people do not see was filled in
	// Rules of lists (a poll's options, a ballot's choices, milestones).
	RuleMinChoices = "min_choices" // fewer items than the limit
	RuleMaxChoices = "max_choices" // more items than the limit
	RuleDuplicate  = "duplicate"   // the same item twice
	// RuleCommonPassword is a password among the most common ones.
	RuleCommonPassword = "common_password"
	// RulePersonalPassword is a password made of the account's name or email.
	RulePersonalPassword = "personal_password"
)

// FieldError says which rule a field broke and, for length rules, the limit.
type FieldError struct {
	Rule  string
	Limit int
}

// Message returns the English explanation shown in API errors.
func (f FieldError) Message() string {
	switch f.Rule {
	case RuleRequired:
		return "is required"
	case RuleMinLength:
		return fmt.Sprintf("must be at least %d characters", f.Limit)
	case RuleMaxLength:
		return fmt.Sprintf("must be at most %d characters", f.Limit)
	case RuleFormat:
		return "is not in a valid format"
	case RuleChoice:
		return "is not one of the allowed values"
	case RuleTaken:
		return "is already taken"
	case RuleMismatch:
		return "does not match"
	case RuleAfterOpen:
		return "must be after the opening time"
	case RuleHoneypot:
		return "must be left empty"
	case RuleMinChoices:
		return fmt.Sprintf("must have at least %d items", f.Limit)
	case RuleMaxChoices:
		return fmt.Sprintf("must have at most %d items", f.Limit)
	case RuleDuplicate:
		return "must not have the same item twice"
	case RuleCommonPassword:
		return "is one of the most common passwords: choose another"
	case RulePersonalPassword:
		return "must not contain your name or email address"
	case RuleInFuture:
		return "must be in the future"
	case RuleAnonymousNotAllowed:
		return "is not allowed: this idea round does not take anonymous contributions"
	case RuleNotAfterToday:
		return "must not be after today"
	case RuleWrongPassword:
		return "is wrong"
	}
	return "is not valid"
}

// MarshalJSON writes the message, as API.md's {"fields": {"name": "why"}} wants.
func (f FieldError) MarshalJSON() ([]byte, error) { return json.Marshal(f.Message()) }

// FieldErrors collects per-field validation failures.
type FieldErrors map[string]FieldError

// Add records that field broke rule, keeping the first failure of a field.
func (f FieldErrors) Add(field, rule string, limit int) {
	if _, ok := f[field]; !ok {
		f[field] = FieldError{Rule: rule, Limit: limit}
	}
}

// Text checks a required or optional text's length in Unicode characters.
// The minimum counts visible characters only: a title of bidi controls and
// zero-width characters shows nothing, so it is no title (the maximum
// counts every character, as they are all stored).
func (f FieldErrors) Text(field, value string, min, max int) {
	n := 0
	for _, r := range value {
		if visible(r) {
			n++
		}
	}
	switch {
	case n == 0 && min > 0:
		f.Add(field, RuleRequired, 0)
	case n < min:
		f.Add(field, RuleMinLength, min)
	case utf8.RuneCountInString(value) > max:
		f.Add(field, RuleMaxLength, max)
	}
}

// visible reports whether r shows: not white space, not a format
// character (bidi controls U+202A–U+202E and U+2066–U+2069, zero-width
// U+200B–U+200F, U+2060, U+FEFF, ...) nor a control, nor one of the
// letters and symbols that are drawn blank (Hangul fillers, the blank
// Braille pattern).
func visible(r rune) bool {
	switch r {
	case '\u115f', '\u1160', '\u3164', '\uffa0', '\u2800':
		return false
	}
	return !unicode.IsSpace(r) && !unicode.In(r, unicode.Cf, unicode.Cc)
}

// Err returns nil when no field failed, else an EINVALID *Error.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Some fields are not valid.", Fields: f}
}
