package postgres

// Authorship: what the author of an idea or comment may still do with it
// (participation/authorship.go), and their requests for removal.

import (
	"context"
	"fmt"
	"time"

	"osallistu/participation"
)

// SetEditWindow sets how long after writing an author may edit or delete
// an idea or comment (participation.DefaultEditWindow unless set). It may
// be called at any time.
func (s *Store) SetEditWindow(d time.Duration) { s.editWindow.Store(&d) }

// window is the edit window in force.
func (s *Store) window() time.Duration {
	if d := s.editWindow.Load(); d != nil {
		return *d
	}
	return participation.DefaultEditWindow
}

// checkAuthorCredentials refuses a caller who shows no account nor
// respondent, before anything is read (participation.CheckAuthorCredentials).
func checkAuthorCredentials(ctx context.Context) error {
	return participation.CheckAuthorCredentials(participation.AccountFromContext(ctx), participation.RespondentFromContext(ctx))
}

// isAuthor reports whether the caller in ctx wrote an item with these authors.
func isAuthor(ctx context.Context, authorID, respondentID *int64) bool {
	return participation.IsAuthor(participation.AccountFromContext(ctx), participation.RespondentFromContext(ctx), authorID, respondentID)
}

// markIdea fills what the caller may do with an idea as its author.
func (tx *Tx) markIdea(ctx context.Context, i *participation.Idea) {
	i.Mine = isAuthor(ctx, i.AuthorID, i.RespondentID)
	i.EditableUntil = participation.EditableUntil(i.Mine, i.CreatedAt, tx.now, tx.store.window())
}

// markComment fills what the caller may do with a comment as its author;
// a hidden or deleted comment is no longer theirs to change.
func (tx *Tx) markComment(ctx context.Context, c *participation.Comment) {
	c.Mine = isAuthor(ctx, c.AuthorID, c.RespondentID)
	if !c.Hidden && !c.Deleted {
		c.EditableUntil = participation.EditableUntil(c.Mine, c.CreatedAt, tx.now, tx.store.window())
	}
}

// contributionAuthor is an idea or comment as its author's requests see it.
type contributionAuthor struct {
	AuthorID     *int64 `db:"author_id"`
	RespondentID *int64 `db:"respondent_id"`
}

// RequestRemoval files the author's request to remove their visible idea
// or comment with the moderators: a report marked by_author, which the
// moderation queue shows as such. A signed-in author's new request
// replaces their earlier one while it waits, as a report does.
func (s *Store) RequestRemoval(ctx context.Context, kind string, id int64, r participation.RemovalRequest) error {
	if err := checkAuthorCredentials(ctx); err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var q string
	switch kind {
	case participation.KindIdea:
		q = `SELECT author_id, respondent_id FROM ideas WHERE id = $1 AND hidden_at IS NULL`
	case participation.KindComment:
		q = `SELECT c.author_id, c.respondent_id FROM comments c JOIN ideas i ON i.id = c.idea_id
			WHERE c.id = $1 AND c.hidden_at IS NULL AND i.hidden_at IS NULL`
	default:
		return participation.Errorf(participation.ENOTFOUND, "no such kind of item")
	}
	var who contributionAuthor
	if err := tx.GetContext(ctx, &who, q, id); err != nil {
		return storeErr(err, kind)
	}
	if !isAuthor(ctx, who.AuthorID, who.RespondentID) {
		return participation.Errorf(participation.EFORBIDDEN, "Only the author of this %s may ask for its removal; anyone may report it to the moderators.", kind)
	}
	if err := r.Validate(); err != nil {
		return err
	}
	var reporter *int64
	if a := participation.AccountFromContext(ctx); a != nil {
		reporter = &a.ID
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO reports (kind, item_id, reason, reporter_id, created_at, by_author) VALUES ($1, $2, $3, $4, $5, true)
		ON CONFLICT (kind, item_id, reporter_id) WHERE resolved_at IS NULL
		DO UPDATE SET reason = EXCLUDED.reason, created_at = EXCLUDED.created_at, by_author = true`,
		kind, id, r.Reason, reporter, tx.now); err != nil {
		return fmt.Errorf("request removal: %w", err)
	}
	return tx.Commit()
}
