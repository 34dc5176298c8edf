package postgres

import (
	"context"
	"fmt"

	"osallistu/participation"
)

// CreateComment adds a comment, or a reply to a top-level comment, to a
// visible idea while its round is open.
func (s *Store) CreateComment(ctx context.Context, ideaID int64, n participation.NewComment, lang string) (*participation.Comment, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	idea, err := findVisibleIdea(ctx, tx, ideaID, "")
	if err != nil {
		return nil, err
	}
	if err := idea.CheckCommentable(); err != nil {
		return nil, err
	}
	r, err := findRoundRules(ctx, tx, idea.RoundID)
	if err != nil {
		return nil, err
	}
	who, err := checkContributor(ctx, r, tx.now)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(lang); err != nil {
		return nil, err
	}
	name, err := participation.AuthorName(participation.AccountFromContext(ctx), n.AuthorName, n.Anonymous, r.AllowAnonymous)
	if err != nil {
		return nil, err
	}
	if n.ParentID != nil {
		var ok bool
		if err := tx.GetContext(ctx, &ok, `
			SELECT EXISTS (SELECT 1 FROM comments WHERE id = $1 AND idea_id = $2 AND parent_id IS NULL AND hidden_at IS NULL)`,
			*n.ParentID, ideaID); err != nil {
			return nil, fmt.Errorf("find parent comment: %w", err)
		}
		if !ok {
			f := participation.FieldErrors{}
			f.Add("parent_id", participation.RuleChoice, 0)
			return nil, f.Err()
		}
	}
	var c participation.Comment
	if err := tx.GetContext(ctx, &c, `
		INSERT INTO comments (idea_id, parent_id, body, author_id, author_name, respondent_id, language, created_at, status, hidden_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $9 = 'pending' THEN $8::timestamptz END)
		RETURNING `+commentColumns,
		ideaID, n.ParentID, n.Body, who.accountID, name, who.respondentID, n.Language, tx.now, r.NewItemStatus()); err != nil {
		return nil, storeErr(err, "comment")
	}
	// The idea's row is not written, so that comments on one idea do not
	// wait for each other: its search reads the comments (FindIdeas), and
	// its count is sharded. A pending comment is held back (stored hidden)
	// and counted once approved.
	if c.Status == participation.ItemPublished {
		if err := countComments(ctx, tx, ideaID, +1); err != nil {
			return nil, err
		}
	}
	tx.markComment(ctx, &c)
	return &c, tx.Commit()
}

// countComments keeps an idea's count of visible comments, in the
// transaction that adds, hides or restores one.
func countComments(ctx context.Context, tx *Tx, ideaID int64, delta int) error {
	return addToCount(ctx, tx, ideaCommentCounts, ideaID, delta)
}

// commentColumns masks a hidden comment: it keeps its place and shows the
// moderator's reason, not its text or author. A comment its author deleted
// is hidden too, but shows as deleted, not as hidden by a moderator.
const commentColumns = `id, idea_id, parent_id,
	CASE WHEN hidden_at IS NULL THEN body END AS body,
	CASE WHEN hidden_at IS NULL THEN author_name END AS author_name,
	language, hidden_at IS NOT NULL AND deleted_at IS NULL AS hidden,
	CASE WHEN deleted_at IS NULL THEN hidden_reason END AS hidden_reason, status, created_at,
	edited_at, deleted_at IS NOT NULL AS deleted, author_id, respondent_id,
	EXISTS (SELECT 1 FROM accounts a WHERE a.id = comments.author_id AND a.erased_at IS NOT NULL) AS author_gone`

// FindComments lists an idea's comments in the order they were written,
// replies included (a page at a time).
func (s *Store) FindComments(ctx context.Context, ideaID int64, limit, offset int) ([]*participation.Comment, int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if _, err := findVisibleIdea(ctx, tx, ideaID, ""); err != nil {
		return nil, 0, err
	}
	var total int
	// Comments waiting for approval, or rejected, never showed: they keep
	// no place in the discussion (moderators find them on their own list).
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM comments WHERE idea_id = $1 AND status = 'published'`, ideaID); err != nil {
		return nil, 0, fmt.Errorf("count comments: %w", err)
	}
	var list []*participation.Comment
	if err := tx.SelectContext(ctx, &list, `SELECT `+commentColumns+` FROM comments WHERE idea_id = $1 AND status = 'published'
		ORDER BY id LIMIT $2 OFFSET $3`, ideaID, limit, offset); err != nil {
		return nil, 0, fmt.Errorf("find comments: %w", err)
	}
	for _, c := range list {
		tx.markComment(ctx, c)
	}
	return list, total, tx.Commit()
}

// FindComment returns one comment of an idea the caller may see.
func (s *Store) FindComment(ctx context.Context, id int64) (*participation.Comment, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var c participation.Comment
	if err := tx.GetContext(ctx, &c, `SELECT `+commentColumns+` FROM comments WHERE id = $1`, id); err != nil {
		return nil, storeErr(err, "comment")
	}
	if c.Status != participation.ItemPublished && !participation.MaySeeHidden(participation.AccountFromContext(ctx)) {
		return nil, participation.Errorf(participation.ENOTFOUND, "comment not found")
	}
	if _, err := findVisibleIdea(ctx, tx, c.IdeaID, ""); err != nil {
		return nil, err
	}
	tx.markComment(ctx, &c)
	return &c, tx.Commit()
}

// findOwnComment reads a comment for its author to change, locked: one of
// a visible idea, neither hidden nor deleted (else ENOTFOUND); EFORBIDDEN
// for anyone else, and once the edit window has passed.
func findOwnComment(ctx context.Context, tx *Tx, id int64) (*participation.Comment, error) {
	if err := checkAuthorCredentials(ctx); err != nil {
		return nil, err
	}
	var c participation.Comment
	if err := tx.GetContext(ctx, &c, `SELECT `+commentColumns+` FROM comments WHERE id = $1 FOR UPDATE`, id); err != nil {
		return nil, storeErr(err, "comment")
	}
	idea, err := findVisibleIdea(ctx, tx, c.IdeaID, "")
	if err != nil {
		return nil, err
	}
	if c.Hidden || c.Deleted || idea.Hidden {
		return nil, participation.Errorf(participation.ENOTFOUND, "comment not found")
	}
	if err := participation.CheckAuthorChange(participation.KindComment, isAuthor(ctx, c.AuthorID, c.RespondentID),
		c.CreatedAt, tx.now, tx.store.window()); err != nil {
		return nil, err
	}
	return &c, nil
}

// UpdateComment changes its author's comment within the edit window and
// marks it edited; the idea's search then finds the new text.
func (s *Store) UpdateComment(ctx context.Context, id int64, e participation.CommentEdit) (*participation.Comment, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := findOwnComment(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	if c.Body == nil || *c.Body != e.Body {
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET body = $2, edited_at = $3 WHERE id = $1`, id, e.Body, tx.now); err != nil {
			return nil, storeErr(err, "comment")
		}
	}
	if err := tx.GetContext(ctx, c, `SELECT `+commentColumns+` FROM comments WHERE id = $1`, id); err != nil {
		return nil, storeErr(err, "comment")
	}
	tx.markComment(ctx, c)
	return c, tx.Commit()
}

// DeleteComment deletes its author's comment within the edit window: it is
// marked deleted and hidden (without a reason), so that it keeps its place
// as deleted by its author and leaves the idea's count and search.
func (s *Store) DeleteComment(ctx context.Context, id int64) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, err := findOwnComment(ctx, tx, id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET deleted_at = $2, hidden_at = $2 WHERE id = $1`, id, tx.now); err != nil {
		return fmt.Errorf("delete comment: %w", err)
	}
	if err := countComments(ctx, tx, c.IdeaID, -1); err != nil {
		return err
	}
	return tx.Commit()
}
