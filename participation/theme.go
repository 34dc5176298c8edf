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

// ThemeService groups a round's ideas into themes.
type ThemeService interface {
	// CreateTheme adds a theme to a round (officials).
	CreateTheme(ctx context.Context, roundID int64, n NewTheme) (*Theme, error)
	// FindThemes lists a round's themes in the order they were made.
	FindThemes(ctx context.Context, roundID int64) ([]*Theme, error)
	// FindTheme returns one theme with its count of visible ideas.
	FindTheme(ctx context.Context, id int64) (*Theme, error)
	// SetIdeaTheme puts ideas into a theme (nil clears it); every idea must be in the theme's round.
	SetIdeaTheme(ctx context.Context, themeID *int64, ideaIDs ...int64) ([]*Idea, error)
}
