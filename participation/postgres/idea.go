package postgres

import (
	"context"
	"fmt"
	"strings"

	"osallistu/participation"
)

// CreateIdea adds an idea to an open round.
func (s *Store) CreateIdea(ctx context.Context, roundID int64, n participation.NewIdea, lang string) (*participation.Idea, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := findRoundRules(ctx, tx, roundID)
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
	var idea participation.Idea
	if err := tx.GetContext(ctx, &idea, `
		INSERT INTO ideas AS i (round_id, title, body, author_id, author_name, respondent_id, municipality, language, created_at, status, hidden_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $10 = 'pending' THEN $9::timestamptz END)
		RETURNING `+ideaColumns,
		roundID, n.Title, n.Body, who.accountID, name, who.respondentID, n.Municipality, n.Language, tx.now, r.NewItemStatus()); err != nil {
		return nil, storeErr(err, "idea")
	}
	// A pending idea is held back (stored hidden) and counted once approved.
	// Counted last: the count's row stays locked until the commit.
	if r.NewItemStatus() == participation.ItemPublished {
		if err := countIdeas(ctx, tx, roundID, +1); err != nil {
			return nil, err
		}
	}
	tx.markIdea(ctx, &idea)
	return &idea, tx.Commit()
}

// ideaColumns are an idea's columns; author_gone says whether the author's
// account was deleted, so that pages can say "deleted user", not "anonymous".
// Its count of visible comments is the sum of its shards (countComments).
const ideaColumns = `i.id, i.round_id, i.title, i.body, i.author_name, i.municipality, i.language, i.theme_id,
	i.supports, i.signed_in_supports,
	(SELECT coalesce(sum(k.n), 0) FROM idea_comment_counts k WHERE k.idea_id = i.id) AS comments, i.hidden_at IS NOT NULL AS hidden, i.hidden_reason, i.status, i.created_at, i.author_id, i.hidden_at,
	i.edited_at, i.respondent_id,
	EXISTS (SELECT 1 FROM accounts a WHERE a.id = i.author_id AND a.erased_at IS NOT NULL) AS author_gone`

// findIdea reads one idea (one its author deleted is ENOTFOUND);
// supporter, when set, fills Supported.
func findIdea(ctx context.Context, tx *Tx, id int64, supporter string) (*participation.Idea, error) {
	var idea participation.Idea
	if err := tx.GetContext(ctx, &idea, `
		SELECT `+ideaColumns+`,
		       EXISTS (SELECT 1 FROM supports s WHERE s.idea_id = i.id AND s.supporter = $2) AS supported
		FROM ideas i WHERE i.id = $1 AND i.deleted_at IS NULL`, id, supporter); err != nil {
		return nil, storeErr(err, "idea")
	}
	return &idea, nil
}

// findVisibleIdea reads an idea that the caller may see
// (participation.Idea.VisibleTo); another is ENOTFOUND.
func findVisibleIdea(ctx context.Context, tx *Tx, id int64, supporter string) (*participation.Idea, error) {
	idea, err := findIdea(ctx, tx, id, supporter)
	if err != nil {
		return nil, err
	}
	if !idea.VisibleTo(participation.AccountFromContext(ctx)) {
		return nil, participation.Errorf(participation.ENOTFOUND, "idea not found")
	}
	return idea, nil
}

// FindIdea returns one idea, as FindIdeas shows it, with whether the
// caller (the account or respondent in ctx) supports it.
func (s *Store) FindIdea(ctx context.Context, id int64) (*participation.Idea, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	idea, err := findVisibleIdea(ctx, tx, id, supporterKey(ctx))
	if err != nil {
		return nil, err
	}
	tx.markIdea(ctx, idea)
	return idea, tx.Commit()
}

// searchQuery is the tsquery of a search (parameter $5, renumbered where
// used): the words stemmed as
// Finnish, as Swedish, as English and as they are, so that a query finds
// texts in any of the content languages.
const searchQuery = `(SELECT websearch_to_tsquery('finnish', $5) || websearch_to_tsquery('swedish', $5) ||
	websearch_to_tsquery('english', $5) || websearch_to_tsquery('simple', $5) AS q)`

// FindIdeas lists a round's ideas: filtered by theme, searched in the ideas
// and their comments, sorted, a page at a time.
func (s *Store) FindIdeas(ctx context.Context, f participation.IdeaFilter) ([]*participation.Idea, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	if f.WithHidden {
		if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
			return nil, 0, err
		}
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var visible int // the round's count of visible ideas: the total of an unfiltered list
	if err := tx.GetContext(ctx, &visible, `SELECT `+roundIdeaCount+` FROM idea_rounds r WHERE r.id = $1`, f.RoundID); err != nil {
		return nil, 0, storeErr(err, "idea round")
	}
	// Only the conditions in use go into the query, so that the planner can
	// use the partial indexes of visible ideas.
	args := []any{f.RoundID}
	where := `i.round_id = $1`
	if !f.WithHidden {
		where += ` AND i.hidden_at IS NULL`
	} else {
		where += ` AND i.deleted_at IS NULL` // deleted ideas are hidden too
	}
	if f.ThemeID != nil {
		args = append(args, *f.ThemeID)
		where += fmt.Sprintf(` AND i.theme_id = $%d`, len(args))
	}
	if f.Unthemed {
		where += ` AND i.theme_id IS NULL`
	}
	query := strings.TrimSpace(f.Query)
	from, rank, order := `ideas i`, `0::real`, `p.created_at DESC, p.id DESC`
	if f.Sort == participation.SortSupports {
		order = `p.supports DESC, p.id DESC`
	}
	if query != "" {
		args = append(args, query)
		search := strings.ReplaceAll(searchQuery, "$5", fmt.Sprintf("$%d", len(args)))
		// An idea matches by its own text or by one of its visible
		// comments, each found on its own index; its rank is its best
		// match's, and ts_rank weighs a match in the idea (weight A) above
		// one in a comment (unweighted: D).
		from = `ideas i JOIN (
			SELECT id, max(rank) AS rank FROM (
				SELECT i.id, ts_rank(i.search, s.q) AS rank FROM ideas i, ` + search + ` s WHERE i.round_id = $1 AND i.search @@ s.q
				UNION ALL
				SELECT c.idea_id, ts_rank(c.search, s.q) FROM comments c, ` + search + ` s WHERE c.search @@ s.q AND c.hidden_at IS NULL
			) m GROUP BY id) m ON m.id = i.id`
		rank = `m.rank`
		if f.Sort == participation.SortRank {
			order = `p.rank DESC, p.id DESC`
		}
	}
	// The page is chosen on the few columns that order it (a search counts
	// its matches in the same pass, through the window); only the page's
	// rows are then read in full.
	total := visible
	counted := query == "" && f.ThemeID == nil && !f.Unthemed && !f.WithHidden
	window := `count(*) OVER ()`
	if counted || query == "" {
		window = `0` // known already, or counted below on the index alone
	}
	n := len(args)
	var rows []struct {
		participation.Idea
		Total int `db:"total"`
	}
	if err := tx.SelectContext(ctx, &rows, fmt.Sprintf(`
		SELECT `+ideaColumns+`, p.total FROM (
			SELECT i.id, i.created_at, i.supports, %s AS rank, %s AS total FROM %s WHERE %s
			ORDER BY %s LIMIT $%d OFFSET $%d
		) p JOIN ideas i ON i.id = p.id ORDER BY %s`,
		rank, window, from, where, strings.ReplaceAll(order, "p.", ""), n+1, n+2, order),
		append(args, f.Limit, f.Offset)...); err != nil {
		return nil, 0, fmt.Errorf("find ideas: %w", err)
	}
	list := make([]*participation.Idea, len(rows))
	for i := range rows {
		list[i] = &rows[i].Idea
		if !counted && query != "" {
			total = rows[i].Total
		}
	}
	if !counted && (query == "" || len(rows) == 0) {
		if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM `+from+` WHERE `+where, args...); err != nil {
			return nil, 0, fmt.Errorf("count ideas: %w", err)
		}
	}
	return list, total, tx.Commit()
}

// SupportIdea records the caller's support of an idea, once per account or
// issued respondent (from ctx), a respondent only where the round allows
// anonymous participation; repeating it changes nothing. It returns the
// counts.
func (s *Store) SupportIdea(ctx context.Context, ideaID int64) (*participation.SupportCounts, error) {
	tx, idea, err := s.beginSupportChange(ctx, ideaID)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	a := participation.AccountFromContext(ctx)
	if err := participation.CheckSupportOwn(isAuthor(ctx, idea.AuthorID, idea.RespondentID)); err != nil {
		return nil, err
	}
	var accountID *int64
	signedIn := 0 // what a new support adds to signed_in_supports
	if a != nil {
		accountID, signedIn = &a.ID, 1
	}
	// The primary key (idea, supporter) decides under concurrent requests:
	// the second insert waits for the first and then does nothing.
	res, err := tx.ExecContext(ctx, `
		INSERT INTO supports (idea_id, supporter, account_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, ideaID, supporterKey(ctx), accountID, tx.now)
	if err != nil {
		return nil, fmt.Errorf("support idea: %w", err)
	}
	var counts participation.SupportCounts
	if n, _ := res.RowsAffected(); n == 1 {
		err = tx.GetContext(ctx, &counts, `
			UPDATE ideas SET supports = supports + 1, signed_in_supports = signed_in_supports + $2
			WHERE id = $1 RETURNING supports, signed_in_supports`, ideaID, signedIn)
	} else {
		err = tx.GetContext(ctx, &counts, `SELECT supports, signed_in_supports FROM ideas WHERE id = $1`, ideaID)
	}
	if err != nil {
		return nil, fmt.Errorf("count supports: %w", err)
	}
	return &counts, tx.Commit()
}

// beginSupportChange begins a change of the caller's support of an idea
// (SupportIdea, WithdrawSupport): someone who may support (an account, or
// an issued respondent), the idea visible, its round open to them. The
// caller defers tx.Rollback.
func (s *Store) beginSupportChange(ctx context.Context, ideaID int64) (*Tx, *participation.Idea, error) {
	a := participation.AccountFromContext(ctx)
	if err := participation.CheckSupporter(a, participation.RespondentFromContext(ctx)); err != nil {
		return nil, nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, nil, err
	}
	idea, err := findVisibleIdea(ctx, tx, ideaID, "")
	if err == nil {
		var r *participation.IdeaRound
		if r, err = findRoundRules(ctx, tx, idea.RoundID); err == nil {
			err = r.CheckContributor(a, tx.now)
		}
	}
	if err != nil {
		_ = tx.Rollback()
		return nil, nil, err
	}
	return tx, idea, nil
}

// WithdrawSupport takes back the caller's support of an idea, under the
// rules of SupportIdea (who, and while the round is open); withdrawing a
// support there is none of changes nothing. It returns the counts, kept
// exact: the row deleted is what is taken off them.
func (s *Store) WithdrawSupport(ctx context.Context, ideaID int64) (*participation.SupportCounts, error) {
	tx, _, err := s.beginSupportChange(ctx, ideaID)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Deleting the row decides under concurrent requests: only the one
	// that deleted it takes it off the counts.
	var counts participation.SupportCounts
	err = tx.GetContext(ctx, &counts, `
		WITH gone AS (DELETE FROM supports WHERE idea_id = $1 AND supporter = $2 RETURNING account_id)
		UPDATE ideas SET supports = supports - (SELECT count(*) FROM gone),
		                 signed_in_supports = signed_in_supports - (SELECT count(account_id) FROM gone)
		WHERE id = $1 RETURNING supports, signed_in_supports`, ideaID, supporterKey(ctx))
	if err != nil {
		return nil, fmt.Errorf("withdraw support: %w", err)
	}
	return &counts, tx.Commit()
}

// findOwnIdea reads a visible idea for its author to change, locked:
// EFORBIDDEN for anyone else, and once the edit window has passed.
func findOwnIdea(ctx context.Context, tx *Tx, id int64) (*participation.Idea, error) {
	if err := checkAuthorCredentials(ctx); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM ideas WHERE id = $1 FOR UPDATE`, id); err != nil {
		return nil, fmt.Errorf("lock idea: %w", err)
	}
	idea, err := findVisibleIdea(ctx, tx, id, "")
	if err != nil {
		return nil, err
	}
	if idea.Hidden {
		// An official sees hidden ideas, but no author changes one.
		return nil, participation.Errorf(participation.ENOTFOUND, "idea not found")
	}
	if err := participation.CheckAuthorChange(participation.KindIdea, isAuthor(ctx, idea.AuthorID, idea.RespondentID),
		idea.CreatedAt, tx.now, tx.store.window()); err != nil {
		return nil, err
	}
	return idea, nil
}

// UpdateIdea changes its author's idea within the edit window and marks it
// edited; an edit that changes nothing leaves it as it was.
func (s *Store) UpdateIdea(ctx context.Context, id int64, e participation.IdeaEdit) (*participation.Idea, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	idea, err := findOwnIdea(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	changed, err := e.Apply(idea)
	if err != nil {
		return nil, err
	}
	if changed {
		if _, err := tx.ExecContext(ctx, `UPDATE ideas SET title = $2, body = $3, edited_at = $4 WHERE id = $1`,
			id, idea.Title, idea.Body, tx.now); err != nil {
			return nil, storeErr(err, "idea")
		}
	}
	if idea, err = findIdea(ctx, tx, id, supporterKey(ctx)); err != nil {
		return nil, err
	}
	tx.markIdea(ctx, idea)
	return idea, tx.Commit()
}

// DeleteIdea deletes its author's idea within the edit window: it is
// marked deleted and hidden (without a reason), so that it leaves every
// list and count that leaves hidden ideas out, and its supports go.
func (s *Store) DeleteIdea(ctx context.Context, id int64) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	idea, err := findOwnIdea(ctx, tx, id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE ideas SET deleted_at = $2, hidden_at = $2, supports = 0, signed_in_supports = 0 WHERE id = $1`, id, tx.now); err != nil {
		return fmt.Errorf("delete idea: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM supports WHERE idea_id = $1`, id); err != nil {
		return fmt.Errorf("delete supports: %w", err)
	}
	if err := countIdeas(ctx, tx, idea.RoundID, -1); err != nil {
		return err
	}
	return tx.Commit()
}
