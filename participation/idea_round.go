package participation

import (
	"context"
	"strings"
	"time"
)

// IdeaRound is an open call for ideas within a process (the first step:
// citizens send ideas, officials group them into themes).
type IdeaRound struct {
	ID             int64     `json:"id" db:"id"`
	ProcessID      int64     `json:"process_id" db:"process_id"`
	Title          string    `json:"title" db:"title"`
	Description    string    `json:"description" db:"description"`
	OpensAt        time.Time `json:"opens_at" db:"opens_at"`
	ClosesAt       time.Time `json:"closes_at" db:"closes_at"`
	AllowAnonymous bool      `json:"allow_anonymous" db:"allow_anonymous"`
	// Premoderated rounds hold new ideas and comments until a moderator approves them.
	Premoderated bool      `json:"premoderated" db:"premoderated"`
	Status       string    `json:"status" db:"-"`
	IdeaCount    int       `json:"idea_count" db:"idea_count"` // visible ideas
	CreatedAt    time.Time `json:"created_at" db:"created_at"`
	ProcessSlug  string    `json:"-" db:"process_slug"` // for the pages' links back
	ProcessTitle string    `json:"-" db:"process_title"`
	// ProcessTexts are the process title's language and translations.
	ProcessTexts Translatable `json:"-" db:"process"`
	Translatable

	// WindowChanges are the changes of its open window since it was
	// created, earliest first ([] when none).
	WindowChanges []WindowChange `json:"window_changes" db:"-"`
}

// NewIdeaRound is what an official gives to open an idea round.
type NewIdeaRound struct {
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	OpensAt        *time.Time `json:"opens_at"`
	ClosesAt       *time.Time `json:"closes_at"`
	AllowAnonymous bool       `json:"allow_anonymous"`
	Premoderated   bool       `json:"premoderated"`
	TranslationInput
	// Texts are the language and translations that Validate accepted.
	Texts Translatable `json:"-"`
}

// IdeaRoundTextMax are the longest texts of an idea round, by field: the
// fields its translations may hold.
var IdeaRoundTextMax = map[string]int{"title": 200, "description": 20000}

// Validate checks a new idea round.
func (n *NewIdeaRound) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	f := FieldErrors{}
	f.Text("title", n.Title, 1, IdeaRoundTextMax["title"])
	f.Text("description", n.Description, 0, IdeaRoundTextMax["description"])
	n.Texts = n.TranslationInput.Check(f, IdeaRoundTextMax)
	if n.OpensAt == nil {
		f.Add("opens_at", RuleRequired, 0)
	}
	if n.ClosesAt == nil {
		f.Add("closes_at", RuleRequired, 0)
	} else if n.OpensAt != nil && !n.ClosesAt.After(*n.OpensAt) {
		f.Add("closes_at", RuleAfterOpen, 0)
	}
	return f.Err()
}

// IdeaRoundPatch changes a round: nil fields stay as they are (a null in
// JSON is the same as leaving the field out, as none of them may be
// cleared). Translations, when given, replace the round's.
type IdeaRoundPatch struct {
	Title          *string       `json:"title"`
	Description    *string       `json:"description"`
	OpensAt        *time.Time    `json:"opens_at"`
	ClosesAt       *time.Time    `json:"closes_at"`
	AllowAnonymous *bool         `json:"allow_anonymous"`
	Premoderated   *bool         `json:"premoderated"`
	Language       *string       `json:"language"`
	Translations   *Translations `json:"translations"`
}

// Apply returns round r with the patch put in it, checked by the rules of
// a new round (NewIdeaRound.Validate): an edit may make nothing that
// creation would refuse. Translations kept from r are checked against the
// language the round ends up in.
func (p *IdeaRoundPatch) Apply(r *IdeaRound) (NewIdeaRound, error) {
	lang := r.OwnLanguage()
	opens, closes := r.OpensAt, r.ClosesAt
	n := NewIdeaRound{
		Title: r.Title, Description: r.Description, OpensAt: &opens, ClosesAt: &closes, AllowAnonymous: r.AllowAnonymous,
		Premoderated: r.Premoderated, TranslationInput: TranslationInput{Language: &lang, Translations: r.Translations.Clone()},
	}
	if p.Title != nil {
		n.Title = *p.Title
	}
	if p.Description != nil {
		n.Description = *p.Description
	}
	if p.OpensAt != nil {
		n.OpensAt = p.OpensAt
	}
	if p.ClosesAt != nil {
		n.ClosesAt = p.ClosesAt
	}
	if p.AllowAnonymous != nil {
		n.AllowAnonymous = *p.AllowAnonymous
	}
	if p.Premoderated != nil {
		n.Premoderated = *p.Premoderated
	}
	if p.Language != nil {
		n.Language = p.Language
	}
	if p.Translations != nil {
		n.Translations = *p.Translations
	}
	return n, n.Validate()
}

// WindowChange is one change of a round's open window, kept so that the
// round's page can say that the window moved, when, and from what.
type WindowChange struct {
	OpensAtBefore  time.Time `json:"opens_at_before" db:"opens_at_before"`
	OpensAt        time.Time `json:"opens_at" db:"opens_at"`
	ClosesAtBefore time.Time `json:"closes_at_before" db:"closes_at_before"`
	ClosesAt       time.Time `json:"closes_at" db:"closes_at"`
	// AuthorName is the official who changed it; null once their account
	// is erased.
	AuthorName *string   `json:"author_name" db:"author_name"`
	ChangedAt  time.Time `json:"changed_at" db:"changed_at"`
}

// OpensChanged reports whether the change moved the opening time.
func (w WindowChange) OpensChanged() bool { return !w.OpensAt.Equal(w.OpensAtBefore) }

// ClosesChanged reports whether the change moved the closing time.
func (w WindowChange) ClosesChanged() bool { return !w.ClosesAt.Equal(w.ClosesAtBefore) }

// WindowChangeTo returns the change of r's window that n makes, or nil
// when n keeps it.
func (r *IdeaRound) WindowChangeTo(n NewIdeaRound) *WindowChange {
	w := WindowChange{OpensAtBefore: r.OpensAt, OpensAt: *n.OpensAt, ClosesAtBefore: r.ClosesAt, ClosesAt: *n.ClosesAt}
	if !w.OpensChanged() && !w.ClosesChanged() {
		return nil
	}
	return &w
}

// CheckOpen returns ECLOSED unless the round takes contributions at now.
func (r *IdeaRound) CheckOpen(now time.Time) error {
	if now.Before(r.OpensAt) {
		return Errorf(ECLOSED, "The idea round has not opened yet.")
	}
	if !now.Before(r.ClosesAt) {
		return Errorf(ECLOSED, "The idea round has closed.")
	}
	return nil
}

// NewItemStatus is the status of a new idea or comment in the round:
// pending where the round is pre-moderated, else published.
func (r *IdeaRound) NewItemStatus() string {
	if r.Premoderated {
		return ItemPending
	}
	return ItemPublished
}

// CheckContributor returns why author (nil when anonymous) may not send an
// idea or comment to the round at now, or nil: the round's window is
// checked first (ECLOSED), then whether an anonymous person may take part
// (EUNAUTHENTICATED) — the state before who is asking — and last whether
// the account is blocked from writing (EFORBIDDEN).
func (r *IdeaRound) CheckContributor(author *Account, now time.Time) error {
	if err := r.CheckOpen(now); err != nil {
		return err
	}
	if author == nil && !r.AllowAnonymous {
		return Errorf(EUNAUTHENTICATED, "Sign in to take part in this idea round.")
	}
	return CheckNotBlocked(author, now)
}

// IdeaRoundService opens idea rounds, changes them and finds them.
type IdeaRoundService interface {
	// CreateIdeaRound opens an idea round in a process (officials).
	CreateIdeaRound(ctx context.Context, processSlug string, n NewIdeaRound) (*IdeaRound, error)
	// UpdateIdeaRound changes a round (officials); a change of its window
	// is recorded, with who made it and when.
	UpdateIdeaRound(ctx context.Context, id int64, p IdeaRoundPatch) (*IdeaRound, error)
	// FindIdeaRound returns one round with its status and count of visible ideas.
	FindIdeaRound(ctx context.Context, id int64) (*IdeaRound, error)
	// FindIdeaRounds lists a process's rounds, earliest first.
	FindIdeaRounds(ctx context.Context, processID int64) ([]*IdeaRound, error)
}
