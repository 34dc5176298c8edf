package participation

import (
	"strings"
	"time"
)

// Authorship: who wrote an idea or comment, and what its author may still
// do with it. The author (the signed-in account that wrote it, or the
// respondent whose issued token sent it) may edit or delete it within the
// edit window; afterwards they may ask the moderators to remove it. A
// signed-in writer is named by their account's name unless they give
// another or, where the round allows anonymous contributions, none.

// DefaultEditWindow is how long after writing an author may edit or delete
// an idea or comment, unless configured otherwise.
const DefaultEditWindow = 15 * time.Minute

// RuleAnonymousNotAllowed is broken by a request to post without a name
// where the round does not allow anonymous contributions.
const RuleAnonymousNotAllowed = "anonymous_not_allowed"

// IsAuthor reports whether the caller wrote an item whose author is
// authorID (an account) and respondentID (an issued respondent): the
// signed-in account a, or the respondent r whose token sent it.
func IsAuthor(a *Account, r *Respondent, authorID, respondentID *int64) bool {
	if a != nil && authorID != nil && *authorID == a.ID {
		return true
	}
	return r != nil && respondentID != nil && *respondentID == r.ID
}

// CheckAuthorCredentials returns EUNAUTHENTICATED unless the caller shows
// who they are, as an author would: the signed-in account a, or the issued
// respondent r.
func CheckAuthorCredentials(a *Account, r *Respondent) error {
	if a == nil && r == nil {
		return Errorf(EUNAUTHENTICATED, "Sign in, or send the respondent token that wrote it.")
	}
	return nil
}

// EditableUntil returns when the window for the author to edit or delete
// an item written at created ends, or nil when the caller is not its
// author or the window has passed at now.
func EditableUntil(isAuthor bool, created, now time.Time, window time.Duration) *time.Time {
	end := created.Add(window)
	if !isAuthor || !now.Before(end) {
		return nil
	}
	return &end
}

// CheckAuthorChange returns why the caller may not edit or delete an item
// of kind (KindIdea, KindComment) written at created: EFORBIDDEN for
// someone else than its author, and for its author once the edit window
// has passed (they may then ask the moderators to remove it).
func CheckAuthorChange(kind string, isAuthor bool, created, now time.Time, window time.Duration) error {
	if !isAuthor {
		return Errorf(EFORBIDDEN, "Only the author of this %s may edit or delete it.", kind)
	}
	if EditableUntil(true, created, now, window) == nil {
		return Errorf(EFORBIDDEN, "This %s can no longer be edited or deleted: that is possible for %s after writing it. You can ask the moderators to remove it.",
			kind, window.Round(time.Second).String())
	}
	return nil
}

// CheckSupportOwn returns EFORBIDDEN when the caller is the idea's author:
// nobody supports their own idea.
func CheckSupportOwn(isAuthor bool) error {
	if isAuthor {
		return Errorf(EFORBIDDEN, "You cannot support your own idea.")
	}
	return nil
}

// AuthorName decides the name an idea or comment is shown under: the name
// given (name, already trimmed; nil for none); none when the writer asks to
// post anonymously, which only a round that allows anonymous contributions
// takes (else the field "anonymous" breaks RuleAnonymousNotAllowed); and
// otherwise, for a signed-in writer a, their account's name.
func AuthorName(a *Account, name *string, anonymous, allowAnonymous bool) (*string, error) {
	if anonymous {
		if !allowAnonymous {
			f := FieldErrors{}
			f.Add("anonymous", RuleAnonymousNotAllowed, 0)
			return nil, f.Err()
		}
		return nil, nil
	}
	if name != nil {
		return name, nil
	}
	if a != nil && strings.TrimSpace(a.Name) != "" {
		n := a.Name
		return &n, nil
	}
	return nil, nil
}

// RemovalRequest is an author's request to the moderators to remove their
// own idea or comment, once the edit window has passed: a report marked
// as the author's own. The reason is optional.
type RemovalRequest struct {
	Reason  string `json:"reason"`
	Website string `json:"-"`
}

// Validate checks a removal request.
func (r *RemovalRequest) Validate() error {
	r.Reason = strings.TrimSpace(r.Reason)
	f := FieldErrors{}
	checkHoneypot(f, r.Website)
	f.Text("reason", r.Reason, 0, ReasonMax)
	return f.Err()
}
