package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// CreateTheme adds a theme to a round (officials only).
func (s *Store) CreateTheme(ctx context.Context, roundID int64, n participation.NewTheme) (*participation.Theme, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireProcessOfficial(ctx, tx, participation.RefTo(participation.RefIdeaRound, roundID)); err != nil {
		return nil, err
	}
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
	SELECT t.id, t.round_id, t.title, t.description, t.language, t.translations,
	       (SELECT count(*) FROM ideas i WHERE i.theme_id = t.id AND i.hidden_at IS NULL) AS idea_count
	FROM themes t`

func findTheme(ctx context.Context, tx *Tx, id int64) (*participation.Theme, error) {
	var t participation.Theme
	if err := tx.GetContext(ctx, &t, themeSelect+` WHERE t.id = $1`, id); err != nil {
		return nil, storeErr(err, "theme")
	}
	return &t, nil
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
	if err := tx.SelectContext(ctx, &list, themeSelect+` WHERE t.round_id = $1 ORDER BY t.id`, roundID); err != nil {
		return nil, fmt.Errorf("find themes: %w", err)
	}
	return list, tx.Commit()
}

// SetIdeaTheme puts ideas into a theme of their round, or takes them out
// of any theme when themeID is nil (officials only). All or nothing.
func (s *Store) SetIdeaTheme(ctx context.Context, themeID *int64, ideaIDs ...int64) ([]*participation.Idea, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireProcessOfficial(ctx, tx, ideaThemeRef(ideaIDs)); err != nil {
		return nil, err
	}
	var roundID *int64
	if themeID != nil {
		t, err := findTheme(ctx, tx, *themeID)
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
