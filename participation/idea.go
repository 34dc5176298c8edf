package participation

import (
	"context"
	"strings"
	"time"
)

// Idea is a citizen's idea. Hidden ideas are shown to officials only.
type Idea struct {
	ID               int64      `json:"id" db:"id"`
	RoundID          int64      `json:"round_id" db:"round_id"`
	Title            string     `json:"title" db:"title"`
	Body             string     `json:"body" db:"body"`
	AuthorName       *string    `json:"author_name" db:"author_name"`
	Municipality     *string    `json:"municipality" db:"municipality"`
	Language         string     `json:"language" db:"language"`
	ThemeID          *int64     `json:"theme_id" db:"theme_id"`
	Supports         int        `json:"supports" db:"supports"`
	SignedInSupports int        `json:"signed_in_supports" db:"signed_in_supports"` // no respondent tokens can multiply these
	Comments         int        `json:"comments" db:"comments"`
	Hidden           bool       `json:"hidden" db:"hidden"`
	HiddenReason     *string    `json:"hidden_reason" db:"hidden_reason"`
	Status           string     `json:"status" db:"status"` // published, pending or rejected (moderation.go)
	CreatedAt        time.Time  `json:"created_at" db:"created_at"`
	EditedAt         *time.Time `json:"edited_at" db:"edited_at"` // the author's last edit; null unless edited
	Supported        bool       `json:"-" db:"supported"`         // by the caller; filled by FindIdea only
	AuthorGone       bool       `json:"-" db:"author_gone"`       // the author's account was deleted
	AuthorID         *int64     `json:"-" db:"author_id"`
	RespondentID     *int64     `json:"-" db:"respondent_id"` // the respondent whose token sent it
	HiddenAt         *time.Time `json:"-" db:"hidden_at"`
	// Mine says that the caller wrote it (IsAuthor); filled by FindIdea.
	Mine bool `json:"-" db:"-"`
	// EditableUntil is when the caller, its author, can no longer edit or
	// delete it; nil for others and once the edit window has passed.
	EditableUntil *time.Time `json:"-" db:"-"`
}

// VisibleTo reports whether viewer (nil when signed out) may see the idea:
// a hidden idea only if they may see hidden items.
func (i *Idea) VisibleTo(viewer *Account) bool { return !i.Hidden || MaySeeHidden(viewer) }

// CheckCommentable returns ECLOSED for a hidden idea: it takes no comments
// (even from the officials who still see it).
func (i *Idea) CheckCommentable() error {
	if i.Hidden {
		return Errorf(ECLOSED, "A hidden idea takes no comments.")
	}
	return nil
}

// Length limits of ideas, in characters.
const (
	IdeaTitleMin = 3
	IdeaTitleMax = 200
	IdeaBodyMax  = 10000
)

// NewIdea is what a citizen sends. A signed-in writer without AuthorName
// is shown under their account's name unless Anonymous (see AuthorName). Website is the honeypot field of the
// public form: people leave it empty, form-filling robots do not.
type NewIdea struct {
	Title        string  `json:"title"`
	Body         string  `json:"body"`
	AuthorName   *string `json:"author_name"`
	Municipality *string `json:"municipality"`
	Language     string  `json:"language"`
	Anonymous    bool    `json:"anonymous"`
	Website      string  `json:"-"`
}

// Validate checks a new idea; Language is detected from the text when empty
// (fallback: the interface language the caller passes).
func (n *NewIdea) Validate(fallbackLang string) error {
	n.Title = strings.TrimSpace(n.Title)
	n.AuthorName = trimOptional(n.AuthorName)
	f := FieldErrors{}
	checkHoneypot(f, n.Website)
	f.Text("title", n.Title, IdeaTitleMin, IdeaTitleMax)
	f.Text("body", n.Body, 1, IdeaBodyMax)
	checkAuthorName(f, n.AuthorName)
	n.Municipality = normalizeMunicipality(f, "municipality", n.Municipality)
	n.Language = contentLanguage(n.Language, n.Title+"\n"+n.Body, fallbackLang, f)
	return f.Err()
}

// IdeaEdit is its author's change of an idea: the fields given are replaced.
type IdeaEdit struct {
	Title *string `json:"title"`
	Body  *string `json:"body"`
}

// Apply checks the edit and makes it on idea, reporting whether anything
// changed.
func (e *IdeaEdit) Apply(idea *Idea) (bool, error) {
	f := FieldErrors{}
	title, body := idea.Title, idea.Body
	if e.Title != nil {
		title = strings.TrimSpace(*e.Title)
		f.Text("title", title, IdeaTitleMin, IdeaTitleMax)
	}
	if e.Body != nil {
		body = *e.Body
		f.Text("body", body, 1, IdeaBodyMax)
	}
	if err := f.Err(); err != nil {
		return false, err
	}
	changed := title != idea.Title || body != idea.Body
	idea.Title, idea.Body = title, body
	return changed, nil
}

// Idea sort orders.
const (
	SortNew      = "new"
	SortSupports = "supports"
	SortRank     = "rank" // search relevance, the default with a query
	// SortSignedInSupports orders by the supports of signed-in people (then
	// by all supports): the drafting page's default.
	SortSignedInSupports = "signed_in_supports"
)

// IdeaFilter selects a round's ideas.
type IdeaFilter struct {
	RoundID    int64
	Query      string // websearch_to_tsquery syntax over ideas and their comments
	ThemeID    *int64
	Unthemed   bool // only ideas without a theme (the grouping page)
	Sort       string
	Limit      int
	Offset     int
	WithHidden bool // officials' views
}

// Validate checks the filter's sort order.
func (f *IdeaFilter) Validate() error {
	switch f.Sort {
	case "":
		f.Sort = SortNew
		if strings.TrimSpace(f.Query) != "" {
			f.Sort = SortRank
		}
	case SortNew, SortSupports, SortRank:
	default:
		fe := FieldErrors{}
		fe.Add("sort", RuleChoice, 0)
		return fe.Err()
	}
	return nil
}

// IdeaService takes citizens' ideas and their supports.
type IdeaService interface {
	// CreateIdea adds an idea: signed in, or anonymously where the round allows it.
	CreateIdea(ctx context.Context, roundID int64, n NewIdea, lang string) (*Idea, error)
	// FindIdea returns an idea, with whether the caller (the signed-in
	// account or the respondent in ctx) supports it; hidden ones only to
	// officials (ENOTFOUND otherwise).
	FindIdea(ctx context.Context, id int64) (*Idea, error)
	// FindIdeas lists a round's ideas: filtered, searched, sorted, a page at a time.
	FindIdeas(ctx context.Context, f IdeaFilter) ([]*Idea, int, error)
	// SupportIdea records one support per account or respondent (from ctx;
	// a respondent only where the round allows anonymous participation) and
	// returns the counts. Its author may not support it (EFORBIDDEN).
	SupportIdea(ctx context.Context, ideaID int64) (*SupportCounts, error)
	// WithdrawSupport takes back the caller's support, as SupportIdea
	// records it; withdrawing none changes nothing. It returns the counts.
	WithdrawSupport(ctx context.Context, ideaID int64) (*SupportCounts, error)
	// UpdateIdea changes an idea's title or body: its author only, within
	// the edit window (EFORBIDDEN otherwise). It is then marked edited.
	UpdateIdea(ctx context.Context, id int64, e IdeaEdit) (*Idea, error)
	// DeleteIdea deletes an idea, as UpdateIdea may change it: it leaves
	// every list and count.
	DeleteIdea(ctx context.Context, id int64) error
	// RequestRemoval files the author's request to the moderators to
	// remove their idea or comment (kind KindIdea or KindComment): a report
	// marked as the author's own. Others get EFORBIDDEN (they may report it).
	RequestRemoval(ctx context.Context, kind string, id int64, r RemovalRequest) error
}

// SupportCounts are an idea's supports: all of them, and those of
// signed-in people.
type SupportCounts struct {
	Supports         int `json:"supports" db:"supports"`
	SignedInSupports int `json:"signed_in_supports" db:"signed_in_supports"`
}
