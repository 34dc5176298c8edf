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
	r, err := findIdeaRound(ctx, tx, idea.RoundID)
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
		ideaID, n.ParentID, n.Body, who.accountID, n.AuthorName, who.respondentID, n.Language, tx.now, r.NewItemStatus()); err != nil {
		return nil, storeErr(err, "comment")
	}
	// A pending comment is held back (stored hidden) and counted once approved.
	if c.Status == participation.ItemPending {
		return &c, tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE ideas SET comments = comments + 1, discussion = discussion || to_tsvector(osallistu_tsconfig($2), $3)
		WHERE id = $1`, ideaID, n.Language, n.Body); err != nil {
		return nil, fmt.Errorf("count comment: %w", err)
	}
	return &c, tx.Commit()
}

// commentColumns masks a hidden comment: it keeps its place and shows the
// moderator's reason, not its text or author.
const commentColumns = `id, idea_id, parent_id,
	CASE WHEN hidden_at IS NULL THEN body END AS body,
	CASE WHEN hidden_at IS NULL THEN author_name END AS author_name,
	language, hidden_at IS NOT NULL AS hidden, hidden_reason, status, created_at,
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
	return &c, tx.Commit()
}
