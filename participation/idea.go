package participation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
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
	Status         string    `json:"status" db:"-"`
	IdeaCount      int       `json:"idea_count" db:"idea_count"` // visible ideas
	CreatedAt      time.Time `json:"created_at" db:"created_at"`
	ProcessSlug    string    `json:"-" db:"process_slug"` // for the pages' links back
	ProcessTitle   string    `json:"-" db:"process_title"`
}

// NewIdeaRound is what an official gives to open an idea round.
type NewIdeaRound struct {
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	OpensAt        *time.Time `json:"opens_at"`
	ClosesAt       *time.Time `json:"closes_at"`
	AllowAnonymous bool       `json:"allow_anonymous"`
}

// Validate checks a new idea round.
func (n *NewIdeaRound) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	f := FieldErrors{}
	f.Text("title", n.Title, 1, 200)
	f.Text("description", n.Description, 0, 20000)
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

// Theme groups ideas of a round; workshop polls vote on themes.
type Theme struct {
	ID          int64  `json:"id" db:"id"`
	RoundID     int64  `json:"round_id" db:"round_id"`
	Title       string `json:"title" db:"title"`
	Description string `json:"description" db:"description"`
	IdeaCount   int    `json:"idea_count" db:"idea_count"` // visible ideas
}

// NewTheme is what an official gives to create a theme.
type NewTheme struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Validate checks a new theme.
func (n *NewTheme) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	f := FieldErrors{}
	f.Text("title", n.Title, 1, 200)
	f.Text("description", n.Description, 0, 5000)
	return f.Err()
}

// Idea is a citizen's idea. Hidden ideas are shown to officials only.
type Idea struct {
	ID           int64      `json:"id" db:"id"`
	RoundID      int64      `json:"round_id" db:"round_id"`
	Title        string     `json:"title" db:"title"`
	Body         string     `json:"body" db:"body"`
	AuthorName   *string    `json:"author_name" db:"author_name"`
	Municipality *string    `json:"municipality" db:"municipality"`
	Language     string     `json:"language" db:"language"`
	ThemeID      *int64     `json:"theme_id" db:"theme_id"`
	Supports     int        `json:"supports" db:"supports"`
	Comments     int        `json:"comments" db:"comments"`
	Hidden       bool       `json:"hidden" db:"hidden"`
	HiddenReason *string    `json:"hidden_reason" db:"hidden_reason"`
	CreatedAt    time.Time  `json:"created_at" db:"created_at"`
	Supported    bool       `json:"-" db:"supported"`   // by the caller; filled by FindIdea only
	AuthorGone   bool       `json:"-" db:"author_gone"` // the author's account was deleted
	AuthorID     *int64     `json:"-" db:"author_id"`
	HiddenAt     *time.Time `json:"-" db:"hidden_at"`
}

// Length limits of ideas and comments, in characters.
const (
	IdeaTitleMin = 3
	IdeaTitleMax = 200
	IdeaBodyMax  = 10000
	CommentMax   = 5000
	NameMax      = 100
	ReasonMax    = 1000
)

// NewIdea is what a citizen sends. Website is the honeypot field of the
// public form: people leave it empty, form-filling robots do not.
type NewIdea struct {
	Title        string  `json:"title"`
	Body         string  `json:"body"`
	AuthorName   *string `json:"author_name"`
	Municipality *string `json:"municipality"`
	Language     string  `json:"language"`
	Website      string  `json:"-"`
	// RespondentToken is an anonymous author's token (X-Respondent-Token or
	// the browser's cookie), so that counts can tell people apart.
	RespondentToken string `json:"-"`
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

// Comment is a comment on an idea, or a reply to one (one level deep). A
// hidden comment keeps its place but shows only the moderator's reason.
type Comment struct {
	ID           int64     `json:"id" db:"id"`
	IdeaID       int64     `json:"idea_id" db:"idea_id"`
	ParentID     *int64    `json:"parent_id" db:"parent_id"`
	Body         *string   `json:"body" db:"body"`
	AuthorName   *string   `json:"author_name" db:"author_name"`
	Language     string    `json:"language" db:"language"`
	Hidden       bool      `json:"hidden" db:"hidden"`
	HiddenReason *string   `json:"hidden_reason" db:"hidden_reason"`
	CreatedAt    time.Time `json:"created_at" db:"created_at"`
	AuthorGone   bool      `json:"-" db:"author_gone"` // the author's account was deleted
	Replies      []Comment `json:"-" db:"-"`           // filled for the pages' threads
}

// NewComment is what a commenter sends.
type NewComment struct {
	Body       string  `json:"body"`
	AuthorName *string `json:"author_name"`
	ParentID   *int64  `json:"parent_id"`
	Language   string  `json:"language"`
	Website    string  `json:"-"`
	// RespondentToken is an anonymous commenter's token, as for ideas.
	RespondentToken string `json:"-"`
}

// Validate checks a new comment.
func (n *NewComment) Validate(fallbackLang string) error {
	n.AuthorName = trimOptional(n.AuthorName)
	f := FieldErrors{}
	checkHoneypot(f, n.Website)
	f.Text("body", n.Body, 1, CommentMax)
	checkAuthorName(f, n.AuthorName)
	n.Language = contentLanguage(n.Language, n.Body, fallbackLang, f)
	return f.Err()
}

// Hide says why a moderator hides an item.
type Hide struct {
	Reason string `json:"reason"`
}

// Validate checks a moderation reason.
func (h *Hide) Validate() error {
	h.Reason = strings.TrimSpace(h.Reason)
	f := FieldErrors{}
	f.Text("reason", h.Reason, 1, ReasonMax)
	return f.Err()
}

// Report is anyone's report of an idea or comment to the moderators.
type Report struct {
	Reason  string `json:"reason"`
	Website string `json:"-"`
}

// Validate checks a report.
func (r *Report) Validate() error {
	r.Reason = strings.TrimSpace(r.Reason)
	f := FieldErrors{}
	checkHoneypot(f, r.Website)
	f.Text("reason", r.Reason, 1, ReasonMax)
	return f.Err()
}

// Moderation item kinds.
const (
	KindIdea    = "idea"
	KindComment = "comment"
)

// ModerationItem is a reported item waiting for a moderator.
type ModerationItem struct {
	Kind    string   `json:"kind" db:"kind"`
	ID      int64    `json:"id" db:"id"`
	Reports int      `json:"reports" db:"reports"`
	Reasons []string `json:"reasons" db:"-"`
	IdeaID  int64    `json:"idea_id" db:"idea_id"` // the idea itself, or the one commented on
	Excerpt string   `json:"excerpt" db:"excerpt"`
}

// ModerationAction is one entry of the moderation audit log.
type ModerationAction struct {
	ID        int64     `json:"id" db:"id"`
	Kind      string    `json:"kind" db:"kind"`
	ItemID    int64     `json:"item_id" db:"item_id"`
	IdeaID    int64     `json:"idea_id" db:"idea_id"` // the idea itself, or the one commented on
	Action    string    `json:"action" db:"action"`   // hide or restore
	Reason    string    `json:"reason" db:"reason"`
	ActorName *string   `json:"actor_name" db:"actor_name"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
}

// Idea sort orders.
const (
	SortNew      = "new"
	SortSupports = "supports"
	SortRank     = "rank" // search relevance, the default with a query
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

// Supporter identifies who supports an idea: the signed-in account (from
// the context) or else an anonymous respondent token.
type Supporter struct {
	RespondentToken string
}

// ValidRespondentToken reports whether t is an opaque string of 16–128
// URL-safe characters, as API.md asks of X-Respondent-Token.
func ValidRespondentToken(t string) bool {
	if len(t) < 16 || len(t) > 128 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '~') {
			return false
		}
	}
	return true
}

// IdeaService runs idea rounds, themes, comments, supports and moderation.
type IdeaService interface {
	CreateIdeaRound(ctx context.Context, processSlug string, n NewIdeaRound) (*IdeaRound, error)
	FindIdeaRound(ctx context.Context, id int64) (*IdeaRound, error)
	FindIdeaRounds(ctx context.Context, processID int64) ([]*IdeaRound, error)

	// CreateIdea adds an idea: signed in, or anonymously where the round allows it.
	CreateIdea(ctx context.Context, roundID int64, n NewIdea, lang string) (*Idea, error)
	// FindIdea returns an idea; hidden ones only to officials (ENOTFOUND otherwise).
	FindIdea(ctx context.Context, id int64, s Supporter) (*Idea, error)
	FindIdeas(ctx context.Context, f IdeaFilter) ([]*Idea, int, error)

	CreateTheme(ctx context.Context, roundID int64, n NewTheme) (*Theme, error)
	FindThemes(ctx context.Context, roundID int64) ([]*Theme, error)
	FindTheme(ctx context.Context, id int64) (*Theme, error)
	// SetIdeaTheme puts ideas into a theme (nil clears it); every idea must be in the theme's round.
	SetIdeaTheme(ctx context.Context, themeID *int64, ideaIDs ...int64) ([]*Idea, error)

	CreateComment(ctx context.Context, ideaID int64, n NewComment, lang string) (*Comment, error)
	FindComments(ctx context.Context, ideaID int64, limit, offset int) ([]*Comment, int, error)
	// FindComment returns one comment of a visible idea (masked when hidden).
	FindComment(ctx context.Context, id int64) (*Comment, error)

	// SupportIdea records one support per account or respondent and returns the count.
	SupportIdea(ctx context.Context, ideaID int64, s Supporter) (int, error)

	ReportItem(ctx context.Context, kind string, id int64, r Report) error
	HideItem(ctx context.Context, kind string, id int64, h Hide) error
	RestoreItem(ctx context.Context, kind string, id int64) error
	FindModerationQueue(ctx context.Context, limit, offset int) ([]*ModerationItem, int, error)
	FindModerationLog(ctx context.Context, limit, offset int) ([]*ModerationAction, int, error)
}

func checkHoneypot(f FieldErrors, website string) {
	if website != "" {
		f.Add("website", RuleHoneypot, 0)
	}
}

func checkAuthorName(f FieldErrors, name *string) {
	if name != nil && utf8.RuneCountInString(*name) > NameMax {
		f.Add("author_name", RuleMaxLength, NameMax)
	}
}

// ContentLanguages are the languages content can be marked as written in.
var ContentLanguages = []string{"fi", "sv", "en"}

func contentLanguage(given, text, fallback string, f FieldErrors) string {
	if given != "" {
		for _, l := range ContentLanguages {
			if given == l {
				return given
			}
		}
		f.Add("language", RuleChoice, 0)
		return given
	}
	return DetectLanguage(text, fallback)
}
