package participation

import (
	"context"
	"strings"
)

// Theme groups ideas of a round; workshop polls vote on themes.
type Theme struct {
	ID          int64  `json:"id" db:"id"`
	RoundID     int64  `json:"round_id" db:"round_id"`
	Title       string `json:"title" db:"title"`
	Description string `json:"description" db:"description"`
	IdeaCount   int    `json:"idea_count" db:"idea_count"` // visible ideas
	// MergedInto is the theme this one was merged into, or nil. A merged
	// theme keeps its row, so that the poll options and commitment sources
	// that name it still resolve, but no ideas and no place in its round's
	// list of themes.
	MergedInto *int64 `json:"merged_into" db:"merged_into"`
	Translatable
}

// NewTheme is what an official gives to create a theme.
type NewTheme struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	TranslationInput
	// Texts are the language and translations that Validate accepted.
	Texts Translatable `json:"-"`
}

// ThemeTextMax are the longest texts of a theme, by field: the fields its
// translations may hold.
var ThemeTextMax = map[string]int{"title": 200, "description": 5000}

// Validate checks a new theme.
func (n *NewTheme) Validate() error {
	n.Title = strings.TrimSpace(n.Title)
	f := FieldErrors{}
	f.Text("title", n.Title, 1, ThemeTextMax["title"])
	f.Text("description", n.Description, 0, ThemeTextMax["description"])
	n.Texts = n.TranslationInput.Check(f, ThemeTextMax)
	return f.Err()
}

// ThemePatch renames a theme: nil fields stay as they are. Translations,
// when given, replace the theme's.
type ThemePatch struct {
	Title        *string       `json:"title"`
	Description  *string       `json:"description"`
	Language     *string       `json:"language"`
	Translations *Translations `json:"translations"`
}

// Apply returns theme t with the patch put in it, checked by the rules of a
// new theme (NewTheme.Validate). A merged theme is ECONFLICT: it lives on
// only for what points at it.
func (p *ThemePatch) Apply(t *Theme) (NewTheme, error) {
	if t.MergedInto != nil {
		return NewTheme{}, Errorf(ECONFLICT, "This theme has been merged into another; change that one instead.")
	}
	lang := t.OwnLanguage()
	n := NewTheme{Title: t.Title, Description: t.Description,
		TranslationInput: TranslationInput{Language: &lang, Translations: t.Translations.Clone()}}
	if p.Title != nil {
		n.Title = *p.Title
	}
	if p.Description != nil {
		n.Description = *p.Description
	}
	if p.Language != nil {
		n.Language = p.Language
	}
	if p.Translations != nil {
		n.Translations = *p.Translations
	}
	return n, n.Validate()
}

// ThemeMerge says which theme another one is merged into.
type ThemeMerge struct {
	IntoID *int64 `json:"into_id"`
}

// Validate checks a merge's fields; the two themes are the store's to
// check (with CheckThemeMerge).
func (m *ThemeMerge) Validate() error {
	f := FieldErrors{}
	if m.IntoID == nil {
		f.Add("into_id", RuleRequired, 0)
	}
	return f.Err()
}

// CheckThemeMerge returns why from cannot be merged into into, or nil:
// ECONFLICT unless they are two different themes, neither merged already,
// and then EINVALID (on into_id) for themes of different rounds.
func CheckThemeMerge(from, into *Theme) error {
	switch {
	case from.MergedInto != nil:
		return Errorf(ECONFLICT, "This theme has already been merged into another.")
	case from.ID == into.ID:
		return Errorf(ECONFLICT, "A theme cannot be merged into itself.")
	case into.MergedInto != nil:
		return Errorf(ECONFLICT, "The target has been merged into another theme; merge into that one instead.")
	case from.RoundID != into.RoundID:
		f := FieldErrors{}
		f.Add("into_id", RuleChoice, 0)
		return &Error{Code: EINVALID, Message: "Only themes of the same idea round can be merged.", Fields: f}
	}
	return nil
}

// ThemeService groups a round's ideas into themes.
type ThemeService interface {
	// CreateTheme adds a theme to a round (officials).
	CreateTheme(ctx context.Context, roundID int64, n NewTheme) (*Theme, error)
	// UpdateTheme renames a theme (officials).
	UpdateTheme(ctx context.Context, id int64, p ThemePatch) (*Theme, error)
	// MergeTheme merges a theme into another of its round (officials): its
	// ideas move to the target, and it stays, marked merged, for what
	// points at it. It returns the target.
	MergeTheme(ctx context.Context, id int64, m ThemeMerge) (*Theme, error)
	// FindThemes lists a round's themes in the order they were made,
	// leaving out merged ones.
	FindThemes(ctx context.Context, roundID int64) ([]*Theme, error)
	// FindTheme returns one theme with its count of visible ideas, merged
	// or not.
	FindTheme(ctx context.Context, id int64) (*Theme, error)
	// SetIdeaTheme puts ideas into a theme (nil clears it); every idea must be in the theme's round.
	SetIdeaTheme(ctx context.Context, themeID *int64, ideaIDs ...int64) ([]*Idea, error)
}
