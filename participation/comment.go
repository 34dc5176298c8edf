package participation

import (
	"context"
	"time"
)

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
	Status       string    `json:"status" db:"status"` // published, pending or rejected (moderation.go)
	CreatedAt    time.Time `json:"created_at" db:"created_at"`
	AuthorGone   bool      `json:"-" db:"author_gone"` // the author's account was deleted
	Replies      []Comment `json:"-" db:"-"`           // filled for the pages' threads
}

// CommentMax is the longest comment, in characters.
const CommentMax = 5000

// NewComment is what a commenter sends.
type NewComment struct {
	Body       string  `json:"body"`
	AuthorName *string `json:"author_name"`
	ParentID   *int64  `json:"parent_id"`
	Language   string  `json:"language"`
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

// CommentService takes comments on ideas and replies to them.
type CommentService interface {
	// CreateComment adds a comment, or a reply to one, to a visible idea while its round is open.
	CreateComment(ctx context.Context, ideaID int64, n NewComment, lang string) (*Comment, error)
	// FindComments lists an idea's comments in the order they were written, a page at a time.
	FindComments(ctx context.Context, ideaID int64, limit, offset int) ([]*Comment, int, error)
	// FindComment returns one comment of a visible idea (masked when hidden).
	FindComment(ctx context.Context, id int64) (*Comment, error)
}
