package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// FindStatistics returns the public figures of the platform, year by year
// in Finnish time (newest first, every year from the first to the last)
// and in all: the organisations and persons
// registered (erased accounts left out), the requests published, the
// public contributions (contributionsQuery: visible ideas and comments,
// workshop participants, submitted survey responses and statements) of
// processes that are not drafts, and the page views and visits counted;
// and the page of public processes f names, with their figures.
func (s *Store) FindStatistics(ctx context.Context, f participation.StatisticsFilter) (*participation.Statistics, error) {
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
			SELECT extract(year FROM r.published_at AT TIME ZONE 'Europe/Helsinki')::int, 'request'
			FROM statement_requests r JOIN processes p ON p.id = r.process_id
			WHERE r.published_at IS NOT NULL AND p.status <> 'draft'
			UNION ALL
			SELECT extract(year FROM c.at AT TIME ZONE 'Europe/Helsinki')::int, c.kind
			FROM (`+contributionsQuery+`) c JOIN processes p ON p.id = c.process_id
			WHERE p.status <> 'draft' AND c.kind IN ('idea', 'comment', 'participant', 'survey_response', 'statement')
		), ys AS ( -- every year from the first to the last, quiet ones too
			SELECT generate_series(min(year), max(year)) AS year
			FROM (SELECT year FROM c UNION ALL SELECT year FROM page_views) y
		)
		SELECT ys.year,
		       count(c.kind) FILTER (WHERE c.kind = 'organisation') AS organisations,
		       count(c.kind) FILTER (WHERE c.kind = 'person') AS persons,
		       count(c.kind) FILTER (WHERE c.kind = 'request') AS requests,
		       count(c.kind) FILTER (WHERE c.kind = 'statement') AS statements,
		       count(c.kind) FILTER (WHERE c.kind = 'idea') AS ideas,
		       count(c.kind) FILTER (WHERE c.kind = 'comment') AS comments,
		       count(c.kind) FILTER (WHERE c.kind = 'participant') AS workshop_participants,
		       count(c.kind) FILTER (WHERE c.kind = 'survey_response') AS survey_responses,
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
		out.Ideas += y.Ideas
		out.Comments += y.Comments
		out.WorkshopParticipants += y.WorkshopParticipants
		out.SurveyResponses += y.SurveyResponses
		out.PageViews += y.PageViews
		out.Visits += y.Visits
	}
	if out.Processes, err = findProcessStatistics(ctx, tx, f); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

// findProcessStatistics returns a page of the public processes, newest
// first, with their figures (statsQuery).
func findProcessStatistics(ctx context.Context, tx *Tx, f participation.StatisticsFilter) (participation.ProcessStatisticsList, error) {
	list := participation.ProcessStatisticsList{Items: []participation.ProcessStatistics{}}
	if err := tx.GetContext(ctx, &list.Total, `SELECT count(*) FROM processes WHERE status <> 'draft'`); err != nil {
		return list, fmt.Errorf("count processes: %w", err)
	}
	var rows []struct {
		ID int64 `db:"id"`
		participation.ProcessStatistics
	}
	if err := tx.SelectContext(ctx, &rows, `
		SELECT id, slug, title, language, translations FROM processes WHERE status <> 'draft'
		ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`, f.Limit, f.Offset); err != nil {
		return list, fmt.Errorf("find processes: %w", err)
	}
	if len(rows) == 0 {
		return list, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var stats []struct {
		ProcessID int64 `db:"process_id"`
		participation.Stats
	}
	if err := tx.SelectContext(ctx, &stats, statsQuery, pq.Array(ids)); err != nil {
		return list, fmt.Errorf("count participation: %w", err)
	}
	byID := make(map[int64]participation.Stats, len(stats))
	for _, st := range stats {
		byID[st.ProcessID] = st.Stats
	}
	for _, r := range rows {
		r.Stats = byID[r.ID]
		list.Items = append(list.Items, r.ProcessStatistics)
	}
	return list, nil
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
