package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// CreateTheme adds a theme to a round (officials only).
func (s *Store) CreateTheme(ctx context.Context, roundID int64, n participation.NewTheme) (*participation.Theme, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefIdeaRound, roundID))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findIdeaRound(ctx, tx, roundID); err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO themes (round_id, title, description, language, translations, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		roundID, n.Title, n.Description, n.Texts.Language, n.Texts.Translations, tx.now); err != nil {
		return nil, storeErr(err, "theme")
	}
	t, err := findTheme(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return t, tx.Commit()
}

const themeSelect = `
	SELECT t.id, t.round_id, t.title, t.description, t.language, t.translations, t.merged_into,
	       (SELECT count(*) FROM ideas i WHERE i.theme_id = t.id AND i.hidden_at IS NULL) AS idea_count
	FROM themes t`

func findTheme(ctx context.Context, tx *Tx, id int64) (*participation.Theme, error) {
	var t participation.Theme
	if err := tx.GetContext(ctx, &t, themeSelect+` WHERE t.id = $1`, id); err != nil {
		return nil, storeErr(err, "theme")
	}
	return &t, nil
}

// UpdateTheme renames a theme (officials only), by the rules of a new one;
// a merged theme is ECONFLICT.
func (s *Store) UpdateTheme(ctx context.Context, id int64, p participation.ThemePatch) (*participation.Theme, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefTheme, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := lockThemes(ctx, tx, id); err != nil {
		return nil, err
	}
	t, err := findTheme(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	n, err := p.Apply(t)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE themes SET title = $2, description = $3, language = $4, translations = $5 WHERE id = $1`,
		id, n.Title, n.Description, n.Texts.Language, n.Texts.Translations); err != nil {
		return nil, storeErr(err, "theme")
	}
	if t, err = findTheme(ctx, tx, id); err != nil {
		return nil, err
	}
	return t, tx.Commit()
}

// MergeTheme merges theme id into another theme of its round (officials
// only): its ideas, hidden ones too, move to the target, which ideas moved
// is kept for their traces, and the theme stays, marked merged into the
// target, for the poll options and commitment sources that name it. It
// returns the target. Who asks and the theme's state come before the body.
func (s *Store) MergeTheme(ctx context.Context, id int64, m participation.ThemeMerge) (*participation.Theme, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireProcessOfficial(ctx, tx, participation.RefTo(participation.RefTheme, id)); err != nil {
		return nil, err
	}
	from, err := findTheme(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if from.MergedInto != nil {
		return nil, participation.CheckThemeMerge(from, from)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if *m.IntoID == id {
		return nil, participation.CheckThemeMerge(from, from)
	}
	if _, err := lockThemes(ctx, tx, id, *m.IntoID); err != nil {
		return nil, err
	}
	if from, err = findTheme(ctx, tx, id); err != nil {
		return nil, err
	}
	into, err := findTheme(ctx, tx, *m.IntoID)
	if participation.ErrorCode(err) == participation.ENOTFOUND {
		f := participation.FieldErrors{}
		f.Add("into_id", participation.RuleChoice, 0)
		return nil, &participation.Error{Code: participation.EINVALID, Message: "There is no theme to merge into with that id.", Fields: f}
	} else if err != nil {
		return nil, err
	}
	if err := participation.CheckThemeMerge(from, into); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO theme_merge_ideas (theme_id, idea_id) SELECT $1, id FROM ideas WHERE theme_id = $1
		ON CONFLICT DO NOTHING`, from.ID); err != nil {
		return nil, fmt.Errorf("keep merged ideas: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ideas SET theme_id = $2 WHERE theme_id = $1`, from.ID, into.ID); err != nil {
		return nil, fmt.Errorf("move ideas: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE themes SET merged_into = $2, merged_by = $3, merged_at = $4 WHERE id = $1`,
		from.ID, into.ID, me.ID, tx.now); err != nil {
		return nil, fmt.Errorf("merge theme: %w", err)
	}
	if into, err = findTheme(ctx, tx, into.ID); err != nil {
		return nil, err
	}
	return into, tx.Commit()
}

// lockThemes locks the themes ids that exist, in id order so that crossing
// merges cannot deadlock, and returns their ids; for one id, a theme that
// does not exist is ENOTFOUND.
func lockThemes(ctx context.Context, tx *Tx, ids ...int64) ([]int64, error) {
	var locked []int64
	if err := tx.SelectContext(ctx, &locked, `SELECT id FROM themes WHERE id = ANY($1) ORDER BY id FOR UPDATE`, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("lock themes: %w", err)
	}
	if len(ids) == 1 && len(locked) == 0 {
		return nil, participation.Errorf(participation.ENOTFOUND, "theme not found")
	}
	return locked, nil
}

// FindTheme returns one theme with its count of visible ideas.
func (s *Store) FindTheme(ctx context.Context, id int64) (*participation.Theme, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t, err := findTheme(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return t, tx.Commit()
}

// FindThemes returns a round's themes in the order they were made.
func (s *Store) FindThemes(ctx context.Context, roundID int64) ([]*participation.Theme, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findIdeaRound(ctx, tx, roundID); err != nil {
		return nil, err
	}
	var list []*participation.Theme
	if err := tx.SelectContext(ctx, &list, themeSelect+` WHERE t.round_id = $1 AND t.merged_into IS NULL ORDER BY t.id`, roundID); err != nil {
		return nil, fmt.Errorf("find themes: %w", err)
	}
	return list, tx.Commit()
}

// SetIdeaTheme puts ideas into a theme of their round, or takes them out
// of any theme when themeID is nil (officials only). All or nothing.
func (s *Store) SetIdeaTheme(ctx context.Context, themeID *int64, ideaIDs ...int64) ([]*participation.Idea, error) {
	tx, err := s.beginOfficial(ctx, ideaThemeRef(ideaIDs))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var roundID *int64
	if themeID != nil {
		// Shared, so that a merge cannot take the theme from under the ideas.
		if _, err := tx.ExecContext(ctx, `SELECT id FROM themes WHERE id = $1 FOR SHARE`, *themeID); err != nil {
			return nil, fmt.Errorf("lock theme: %w", err)
		}
		t, err := findTheme(ctx, tx, *themeID)
		if err == nil && t.MergedInto != nil {
			err = participation.Errorf(participation.ENOTFOUND, "theme merged")
		}
		if participation.ErrorCode(err) == participation.ENOTFOUND {
			f := participation.FieldErrors{}
			f.Add("theme_id", participation.RuleChoice, 0)
			return nil, f.Err()
		} else if err != nil {
			return nil, err
		}
		roundID = &t.RoundID
	}
	var found []struct {
		ID      int64 `db:"id"`
		RoundID int64 `db:"round_id"`
	}
	if err := tx.SelectContext(ctx, &found, `SELECT id, round_id FROM ideas WHERE id = ANY($1) FOR UPDATE`, pq.Array(ideaIDs)); err != nil {
		return nil, fmt.Errorf("find ideas: %w", err)
	}
	if len(found) != len(uniqueIDs(ideaIDs)) {
		return nil, participation.Errorf(participation.ENOTFOUND, "idea not found")
	}
	for _, idea := range found {
		if roundID != nil && idea.RoundID != *roundID {
			f := participation.FieldErrors{}
			f.Add("theme_id", participation.RuleChoice, 0)
			return nil, &participation.Error{Code: participation.EINVALID, Message: "The theme belongs to another idea round.", Fields: f}
		}
	}
	// Ideas placed by hand no longer came through a merged theme.
	if _, err := tx.ExecContext(ctx, `DELETE FROM theme_merge_ideas WHERE idea_id IN (
		SELECT id FROM ideas WHERE id = ANY($1) AND theme_id IS DISTINCT FROM $2)`, pq.Array(ideaIDs), themeID); err != nil {
		return nil, fmt.Errorf("forget merged themes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ideas SET theme_id = $1 WHERE id = ANY($2)`, themeID, pq.Array(ideaIDs)); err != nil {
		return nil, fmt.Errorf("set theme: %w", err)
	}
	var ideas []*participation.Idea
	if err := tx.SelectContext(ctx, &ideas, `SELECT `+ideaColumns+` FROM ideas i WHERE i.id = ANY($1) ORDER BY i.id`,
		pq.Array(ideaIDs)); err != nil {
		return nil, fmt.Errorf("find ideas: %w", err)
	}
	return ideas, tx.Commit()
}

func uniqueIDs(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
