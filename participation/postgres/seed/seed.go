// Package seed fills an idea round with many ideas and comments straight in
// SQL, for the benchmarks and the load program: a round of 10 000 ideas
// takes seconds this way instead of minutes through the API.
//
// The texts are Finnish and Swedish sentences from a 26-word vocabulary, so
// that each search word matches about a quarter of the ideas: a harsh case
// for search, which ranks every match.
package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// words is the vocabulary of the ideas' and comments' texts, as SQL.
const words = `ARRAY['kunnat','kirjastot','avoin','data','päätökset','verkossa','osallistuminen','nuoret','selkokieli',
	'viranomaiset','palvelut','digitaaliset','hallinto','kansalaiset','avoimuus','tiedot','julkaistaan','kouluissa',
	'kommuner','öppenhet','beslut','bibliotek','unga','tjänster','medborgare','förvaltning']`

// Ideas adds ideas published ideas to the round, one a minute back from
// now, and comments comments spread over them, in one transaction. It keeps
// what the store keeps alongside: each idea's count of comments and the
// round's count of visible ideas (count.go's shard rows). Then it analyses the
// tables, so that the planner sees their new size at once.
func Ideas(ctx context.Context, db *sqlx.DB, round int64, ideas, comments int, now time.Time) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("seed ideas: %w", err)
	}
	defer tx.Rollback()
	// The new ideas are told apart from the round's own by their ids.
	var first int64
	if err := tx.GetContext(ctx, &first, `SELECT coalesce(max(id), 0) + 1 FROM ideas`); err != nil {
		return fmt.Errorf("seed ideas: %w", err)
	}
	steps := []struct {
		what string
		sql  string
		args []any
	}{
		{"ideas", `
		INSERT INTO ideas (round_id, title, body, author_name, municipality, language, supports, created_at)
		SELECT $1,
		       'Idea ' || g || ': ' || w[1 + g % 26] || ' ' || w[1 + (g * 7) % 26],
		       'Ehdotan että ' || w[1 + (g * 3) % 26] || ' ja ' || w[1 + (g * 5) % 26] || ' sekä ' || w[1 + (g * 11) % 26] || '.',
		       CASE WHEN g % 3 = 0 THEN 'Osallistuja ' || g END, NULL, CASE WHEN g % 5 = 0 THEN 'sv' ELSE 'fi' END,
		       g % 17, $2::timestamptz - g * interval '1 minute'
		FROM generate_series(1, $3) g, (SELECT ` + words + ` AS w) v`, []any{round, now, ideas}},
		{"comments", `
		WITH new AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM ideas WHERE round_id = $1 AND id >= $5)
		INSERT INTO comments (idea_id, body, language, created_at)
		SELECT new.id, 'Kommentti: ' || w[1 + g % 26] || ' ' || w[1 + (g * 13) % 26], 'fi', $2
		FROM generate_series(1, $3) g JOIN new ON new.n = g % $4, (SELECT ` + words + ` AS w) v`,
			[]any{round, now, comments, max(ideas, 1), first}},
		{"comment counts", `
		INSERT INTO idea_comment_counts (idea_id, shard, n)
		SELECT c.idea_id, 0, count(*) FROM comments c JOIN ideas i ON i.id = c.idea_id
		WHERE i.round_id = $1 AND i.id >= $2 GROUP BY c.idea_id`, []any{round, first}},
		{"count", `
		INSERT INTO idea_round_counts (round_id, shard, n) VALUES ($1, 0, $2)
		ON CONFLICT (round_id, shard) DO UPDATE SET n = idea_round_counts.n + EXCLUDED.n`, []any{round, ideas}},
		{"analyse", `ANALYZE ideas; ANALYZE comments`, nil},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("seed %s: %w", st.what, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("seed ideas: %w", err)
	}
	return nil
}
