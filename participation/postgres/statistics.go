package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// FindStatistics returns the public figures of the statement service,
// year by year in Finnish time (newest first) and in all: the
// organisations and persons registered (erased accounts left out), the
// requests published, the statements submitted, and the page views and
// visits counted.
func (s *Store) FindStatistics(ctx context.Context) (*participation.Statistics, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	years := []participation.YearStatistics{}
	if err := tx.SelectContext(ctx, &years, `
		WITH c AS (
			SELECT extract(year FROM created_at AT TIME ZONE 'Europe/Helsinki')::int AS year, 'organisation' AS kind FROM organisations
			UNION ALL
			SELECT extract(year FROM created_at AT TIME ZONE 'Europe/Helsinki')::int, 'person' FROM accounts WHERE erased_at IS NULL
			UNION ALL
			SELECT extract(year FROM published_at AT TIME ZONE 'Europe/Helsinki')::int, 'request' FROM statement_requests
			WHERE published_at IS NOT NULL
			UNION ALL
			SELECT extract(year FROM submitted_at AT TIME ZONE 'Europe/Helsinki')::int, 'statement' FROM statements
			WHERE submitted_at IS NOT NULL
		), ys AS (SELECT year FROM c UNION SELECT year FROM page_views)
		SELECT ys.year,
		       count(c.kind) FILTER (WHERE c.kind = 'organisation') AS organisations,
		       count(c.kind) FILTER (WHERE c.kind = 'person') AS persons,
		       count(c.kind) FILTER (WHERE c.kind = 'request') AS requests,
		       count(c.kind) FILTER (WHERE c.kind = 'statement') AS statements,
		       coalesce(max(v.page_views), 0) AS page_views, coalesce(max(v.visits), 0) AS visits
		FROM ys LEFT JOIN c ON c.year = ys.year LEFT JOIN page_views v ON v.year = ys.year
		GROUP BY ys.year ORDER BY ys.year DESC`); err != nil {
		return nil, fmt.Errorf("count statistics: %w", err)
	}
	out := &participation.Statistics{Years: years}
	for _, y := range years {
		out.Organisations += y.Organisations
		out.Persons += y.Persons
		out.Requests += y.Requests
		out.Statements += y.Statements
	}
	return out, tx.Commit()
}

// AddPageViews adds page views and visits counted in memory to their
// years, in one statement.
func (s *Store) AddPageViews(ctx context.Context, counts []participation.PageViewCount) error {
	if len(counts) == 0 {
		return nil
	}
	years := make([]int64, len(counts))
	views := make([]int64, len(counts))
	visits := make([]int64, len(counts))
	for i, c := range counts {
		years[i], views[i], visits[i] = int64(c.Year), int64(c.PageViews), int64(c.Visits)
	}
	if _, err := s.db.ExecContext(ctx, `
		INSERT INTO page_views (year, page_views, visits)
		SELECT y, sum(p), sum(v) FROM unnest($1::int[], $2::bigint[], $3::bigint[]) AS c(y, p, v) GROUP BY y
		ON CONFLICT (year) DO UPDATE SET page_views = page_views.page_views + excluded.page_views,
		                                 visits = page_views.visits + excluded.visits`,
		pq.Array(years), pq.Array(views), pq.Array(visits)); err != nil {
		return fmt.Errorf("add page views: %w", err)
	}
	return nil
}
