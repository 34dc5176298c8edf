package participation

import (
	"context"
	"time"
)

// Comment is a comment on an idea, or a reply to one (one level deep). A
// hidden comment keeps its place but shows only the moderator's reason; a
// deleted one keeps it too, as deleted by its author.
type Comment struct {
	ID           int64      `json:"id" db:"id"`
	IdeaID       int64      `json:"idea_id" db:"idea_id"`
	ParentID     *int64     `json:"parent_id" db:"parent_id"`
	Body         *string    `json:"body" db:"body"`
	AuthorName   *string    `json:"author_name" db:"author_name"`
	Language     string     `json:"language" db:"language"`
	Hidden       bool       `json:"hidden" db:"hidden"`
	HiddenReason *string    `json:"hidden_reason" db:"hidden_reason"`
	Status       string     `json:"status" db:"status"` // published, pending or rejected (moderation.go)
	CreatedAt    time.Time  `json:"created_at" db:"created_at"`
	EditedAt     *time.Time `json:"edited_at" db:"edited_at"` // the author's last edit; null unless edited
	Deleted      bool       `json:"deleted" db:"deleted"`     // by its author
	AuthorGone   bool       `json:"-" db:"author_gone"`       // the author's account was deleted
	AuthorID     *int64     `json:"-" db:"author_id"`
	RespondentID *int64     `json:"-" db:"respondent_id"`
	Replies      []Comment  `json:"-" db:"-"` // filled for the pages' threads
	// Mine and EditableUntil are as an Idea's, for the caller.
	Mine          bool       `json:"-" db:"-"`
	EditableUntil *time.Time `json:"-" db:"-"`
}

// CommentMax is the longest comment, in characters.
const CommentMax = 5000

// NewComment is what a commenter sends.
type NewComment struct {
	Body       string  `json:"body"`
	AuthorName *string `json:"author_name"`
	ParentID   *int64  `json:"parent_id"`
	Language   string  `json:"language"`
	Anonymous  bool    `json:"anonymous"`
	Website    string  `json:"-"`
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

// CommentEdit is its author's change of a comment's text.
type CommentEdit struct {
	Body string `json:"body"`
}

// Validate checks a comment's new text.
func (e *CommentEdit) Validate() error {
	f := FieldErrors{}
	f.Text("body", e.Body, 1, CommentMax)
	return f.Err()
}

// CommentService takes comments on ideas and replies to them.
type CommentService interface {
	// CreateComment adds a comment, or a reply to one, to a visible idea while its round is open.
	CreateComment(ctx context.Context, ideaID int64, n NewComment, lang string) (*Comment, error)
	// FindComments lists an idea's comments in the order they were written, a page at a time.
	FindComments(ctx context.Context, ideaID int64, limit, offset int) ([]*Comment, int, error)
	// FindComment returns one comment of a visible idea (masked when hidden).
	FindComment(ctx context.Context, id int64) (*Comment, error)
	// UpdateComment changes a comment's text: its author only, within the
	// edit window (EFORBIDDEN otherwise). It is then marked edited.
	UpdateComment(ctx context.Context, id int64, e CommentEdit) (*Comment, error)
	// DeleteComment deletes a comment, as UpdateComment may change it: it
	// keeps its place as deleted by its author and leaves the counts.
	DeleteComment(ctx context.Context, id int64) error
}
