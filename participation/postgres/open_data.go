package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"osallistu/participation"
)

// openDataQueries select each open data file's rows (participation.
// OpenDataFiles), their columns named and ordered as the file's header;
// ExportOpenData checks that they are. $1 is the process id, $2 (where used) the
// transaction's time. Each keeps to the public items only (see
// participation/open_data.go); published says which ideas and comments
// everyone sees.
var openDataQueries = map[string]string{
	"process.csv": `SELECT slug AS process, ` + trCols("title", "title", "") + `, ` + trCols("description", "description", "") + `,
		language, status, organiser, created_at FROM processes WHERE id = $1`,
	// As findProcess's steps; a step whose status is not given by its kind
	// (a workshop's open poll) is judged by its window, as
	// participation.WindowStatus judges it.
	"steps.csv": `SELECT kind, id, ` + trCols("title", "title", "") + `, language, opens_at, closes_at,
		coalesce(status, CASE WHEN opens_at IS NULL OR $2 < opens_at THEN 'upcoming'
		                      WHEN closes_at IS NOT NULL AND $2 >= closes_at THEN 'closed' ELSE 'open' END) AS status
		FROM (` + stepsQuery + `) s WHERE process_id = $1 ORDER BY opens_at NULLS LAST, kind, id`,
	"idea_rounds.csv": `SELECT id, ` + trCols("title", "title", "") + `, ` + trCols("description", "description", "") + `, language,
		opens_at, closes_at, allow_anonymous FROM idea_rounds WHERE process_id = $1 ORDER BY opens_at, id`,
	"themes.csv": `SELECT t.id, t.round_id AS idea_round_id, ` + trCols("title", "title", "t.") + `, ` + trCols("description", "description", "t.") + `,
		t.language, t.merged_into FROM themes t JOIN idea_rounds r ON r.id = t.round_id WHERE r.process_id = $1 ORDER BY t.id`,
	"ideas.csv": `SELECT i.id, i.round_id AS idea_round_id, i.theme_id, i.title, i.body, i.language,
		` + shownName("i") + ` AS author_name, i.municipality, i.supports, i.signed_in_supports,
		(SELECT count(*) FROM comments c WHERE c.idea_id = i.id AND ` + published("c") + `) AS comments,
		i.created_at, i.edited_at
		FROM ideas i JOIN idea_rounds r ON r.id = i.round_id WHERE r.process_id = $1 AND ` + published("i") + ` ORDER BY i.id`,
	"comments.csv": `SELECT c.id, c.idea_id, c.parent_id, c.body, c.language, ` + shownName("c") + ` AS author_name, c.created_at, c.edited_at
		FROM comments c JOIN ideas i ON i.id = c.idea_id JOIN idea_rounds r ON r.id = i.round_id
		WHERE r.process_id = $1 AND ` + published("i") + ` AND ` + published("c") + ` ORDER BY c.id`,
	"workshops.csv": `SELECT w.id, ` + trCols("title", "title", "w.") + `, w.language, w.starts_at, w.ends_at, w.ended_at,
		(SELECT count(*) FROM participants pa WHERE pa.workshop_id = w.id) AS participants
		FROM workshops w WHERE w.process_id = $1 ORDER BY w.starts_at, w.id`,
	"polls.csv": `SELECT p.id, p.workshop_id, p.position, ` + trCols("question", "question", "p.") + `, p.language, p.max_choices,
		p.status, p.opened_at, p.closed_at, (SELECT count(*) FROM ballots b WHERE b.poll_id = p.id) AS ballots
		FROM polls p JOIN workshops w ON w.id = p.workshop_id WHERE w.process_id = $1 ORDER BY w.starts_at, w.id, p.position`,
	// Votes where someone signed out sees them: participation.Tally.VotesVisibleTo.
	"poll_options.csv": `SELECT o.id, o.poll_id, o.position, ` + trCols("label", "label", "o.") + `, o.language, o.theme_id,
		CASE WHEN p.status = 'closed' OR (p.status = 'open' AND w.show_results_live) THEN
			(SELECT count(*) FROM ballots b WHERE b.poll_id = p.id AND o.id = ANY(b.option_ids)) END AS votes
		FROM poll_options o JOIN polls p ON p.id = o.poll_id JOIN workshops w ON w.id = p.workshop_id
		WHERE w.process_id = $1 ORDER BY w.starts_at, w.id, p.position, o.position`,
	"surveys.csv": `SELECT s.id, ` + trCols("title", "title", "s.") + `, ` + trCols("description", "description", "s.") + `, s.language,
		s.anonymous, s.status, s.opened_at, s.closed_at,
		CASE WHEN s.status = 'closed' THEN (SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id AND r.submitted_at IS NOT NULL) END AS responses
		FROM surveys s WHERE s.process_id = $1 AND s.status <> 'draft' ORDER BY s.opened_at, s.id`,
	"survey_questions.csv": `SELECT q.id, q.survey_id, q.position, q.kind, ` + trCols("prompt", "prompt", "q.") + `, q.language, q.required,
		q.scale_min, q.scale_max, ` + trCols("min_label", "min_label", "q.") + `, ` + trCols("max_label", "max_label", "q.") + `,
		` + trCols("x_label", "x.label", "q.") + `, q.x_min, q.x_max, ` + trCols("y_label", "y.label", "q.") + `, q.y_min, q.y_max
		FROM survey_questions q JOIN surveys s ON s.id = q.survey_id
		WHERE s.process_id = $1 AND s.status <> 'draft' ORDER BY q.survey_id, q.position`,
	"survey_choices.csv": `SELECT c.id, c.question_id, c.position, ` + trCols("label", "label", "c.") + `, c.language, c.commitment_id
		FROM survey_choices c JOIN survey_questions q ON q.id = c.question_id JOIN surveys s ON s.id = q.survey_id
		WHERE s.process_id = $1 AND s.status <> 'draft' ORDER BY q.survey_id, q.position, c.position`,
	// Responses are numbered within their survey; no token, account or
	// time of a response is written.
	"survey_answers.csv": `WITH r AS (
			SELECT r.id, r.survey_id, row_number() OVER (PARTITION BY r.survey_id ORDER BY r.id) AS response
			FROM survey_responses r JOIN surveys s ON s.id = r.survey_id
			WHERE s.process_id = $1 AND s.status = 'closed' AND r.submitted_at IS NOT NULL)
		SELECT r.survey_id, r.response, a.question_id, a.choice_id, a.value, a.x, a.y, a.text
		FROM r JOIN survey_answers a ON a.response_id = r.id JOIN survey_questions q ON q.id = a.question_id
		LEFT JOIN survey_choices c ON c.id = a.choice_id
		ORDER BY r.survey_id, r.response, q.position, c.position`,
	"statement_requests.csv": `SELECT q.id, ` + trCols("title", "title", "q.") + `, ` + trCols("background", "background", "q.") + `, q.language,
		q.published_at, q.deadline,
		(SELECT count(*) FROM statements s WHERE s.request_id = q.id AND s.submitted_at IS NOT NULL) AS statements
		FROM statement_requests q WHERE q.process_id = $1 AND q.published_at IS NOT NULL ORDER BY q.published_at, q.id`,
	"statement_questions.csv": `SELECT q.id, q.request_id, q.position, ` + trCols("prompt", "prompt", "q.") + `, q.language, q.commitment_id, q.response,
		n.support, n.oppose, n.neutral, n.no_comment
		FROM statement_questions q JOIN statement_requests r ON r.id = q.request_id ` + positionCounts + `
		WHERE r.process_id = $1 AND r.published_at IS NOT NULL ORDER BY q.request_id, q.position`,
	"statements.csv": `SELECT s.id, s.request_id, o.name AS organisation, o.kind AS organisation_kind,
		CASE WHEN a.erased_at IS NULL THEN a.name END AS author_name, s.summary, s.language, s.submitted_at
		FROM statements s JOIN statement_requests r ON r.id = s.request_id
		LEFT JOIN organisations o ON o.id = s.organisation_id LEFT JOIN accounts a ON a.id = s.author_id
		WHERE r.process_id = $1 AND r.published_at IS NOT NULL AND s.submitted_at IS NOT NULL ORDER BY s.submitted_at, s.id`,
	"statement_answers.csv": `SELECT a.statement_id, a.question_id, a.position, a.text
		FROM statement_answers a JOIN statements s ON s.id = a.statement_id JOIN statement_requests r ON r.id = s.request_id
		JOIN statement_questions q ON q.id = a.question_id
		WHERE r.process_id = $1 AND r.published_at IS NOT NULL AND s.submitted_at IS NOT NULL ORDER BY a.statement_id, q.position`,
	"commitments.csv": `SELECT c.id, c.status, c.version, c.merged_into, ` + trCols("title", "title", "c.") + `, ` + trCols("problem", "problem", "c.") + `,
		` + trCols("description", "description", "c.") + `, ` + trCols("how_it_addresses", "how_it_addresses", "c.") + `,
		` + trCols("relevance", "relevance", "c.") + `, ` + trCols("lead_agency", "lead_agency", "c.") + `, ` + trCols("other_actors", "other_actors", "c.") + `,
		c.language, c.starts_on::text, c.ends_on::text, c.created_at, c.approved_at, c.merged_at
		FROM commitments c WHERE c.process_id = $1 ORDER BY c.id`,
	"commitment_versions.csv": `SELECT v.commitment_id, v.version, v.created_at, v.change_note,
		array_to_string(v.changed_fields, ';') AS changed_fields, v.merged_from
		FROM commitment_versions v JOIN commitments c ON c.id = v.commitment_id WHERE c.process_id = $1 ORDER BY v.commitment_id, v.version`,
	"commitment_sources.csv": `SELECT s.commitment_id, s.idea_id, s.theme_id, s.merged_from
		FROM commitment_sources s JOIN commitments c ON c.id = s.commitment_id
		LEFT JOIN ideas i ON i.id = s.idea_id
		WHERE c.process_id = $1 AND (s.idea_id IS NULL OR ` + published("i") + `) ORDER BY s.commitment_id, s.id`,
	"milestones.csv": `SELECT m.id, m.commitment_id, m.origin_commitment_id, m.position, ` + trCols("title", "title", "m.") + `,
		` + trCols("responsible", "responsible", "m.") + `, m.language, m.due::text, m.status, m.note, m.updated_at
		FROM milestones m JOIN commitments c ON c.id = m.commitment_id WHERE c.process_id = $1 ORDER BY m.commitment_id, m.position`,
}

// positionCounts counts a statement question q's submitted answers by position.
const positionCounts = `LEFT JOIN LATERAL (
			SELECT count(*) FILTER (WHERE a.position = 'support') AS support, count(*) FILTER (WHERE a.position = 'oppose') AS oppose,
			       count(*) FILTER (WHERE a.position = 'neutral') AS neutral, count(*) FILTER (WHERE a.position = 'no_comment') AS no_comment
			FROM statement_answers a JOIN statements s ON s.id = a.statement_id
			WHERE a.question_id = q.id AND s.submitted_at IS NOT NULL) n ON true`

// published is the condition that the idea or comment row alias is seen
// by everyone: published (not pending or rejected), not hidden, not deleted.
func published(alias string) string {
	return alias + `.status = 'published' AND ` + alias + `.hidden_at IS NULL AND ` + alias + `.deleted_at IS NULL`
}

// shownName is the author name that the pages show for the idea or
// comment row alias: the name the author chose, none of an erased account.
func shownName(alias string) string {
	return `CASE WHEN NOT EXISTS (SELECT 1 FROM accounts ac WHERE ac.id = ` + alias + `.author_id AND ac.erased_at IS NOT NULL)
		THEN ` + alias + `.author_name END`
}

// trCols selects an organiser's text column (field, its translation key
// key, of the row whose columns prefix qualifies) as one column per
// language: the own text in its language's column, a translation in the
// others (participation.OpenDataColumn's Translated).
func trCols(field, key, prefix string) string {
	cols := make([]string, len(participation.OpenDataLanguages))
	for i, lang := range participation.OpenDataLanguages {
		cols[i] = fmt.Sprintf(`CASE WHEN %[1]slanguage = '%[2]s' THEN %[1]s%[3]s ELSE %[1]stranslations->'%[2]s'->>'%[4]s' END AS %[3]s_%[2]s`,
			prefix, lang, field, key)
	}
	return strings.Join(cols, ", ")
}

// ExportOpenData reads every public item of a process in one read-only
// snapshot, so that the files agree with each other.
func (s *Store) ExportOpenData(ctx context.Context, slug string) (*participation.OpenData, error) {
	tx, err := s.beginSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := checkProcessAccess(ctx, tx, participation.RefToProcess(slug), false); err != nil {
		return nil, err
	}
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	out := &participation.OpenData{Slug: slug, ExportedAt: tx.now}
	for _, f := range participation.OpenDataFiles {
		rows, err := openDataRows(ctx, tx, f, processID)
		if err != nil {
			return nil, err
		}
		out.Tables = append(out.Tables, participation.OpenDataTable{File: f, Rows: rows})
	}
	return out, tx.Commit()
}

// openDataRows runs file f's query and returns its rows as cells, after
// checking that the query's columns are the file's documented header.
func openDataRows(ctx context.Context, tx *Tx, f participation.OpenDataFile, processID int64) ([][]string, error) {
	query, ok := openDataQueries[f.Name]
	if !ok {
		return nil, fmt.Errorf("open data %s: no query", f.Name)
	}
	args := []any{processID}
	if strings.Contains(query, "$2") { // PostgreSQL refuses a parameter that the query does not use
		args = append(args, tx.now)
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("open data %s: %w", f.Name, unavailable(err))
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	if header := f.Header(); !slices.Equal(cols, header) {
		return nil, fmt.Errorf("open data %s: the query's columns %v are not the documented %v", f.Name, cols, header)
	}
	out := [][]string{}
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("open data %s: %w", f.Name, err)
		}
		row := make([]string, len(values))
		for i, v := range values {
			row[i] = openDataCell(v)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open data %s: %w", f.Name, unavailable(err))
	}
	return out, nil
}

// openDataCell writes one value as a CSV cell: NULL empty, times in RFC
// 3339 UTC, numbers in full precision with a decimal point.
func openDataCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case time.Time:
		return v.UTC().Format(time.RFC3339)
	case []byte:
		return string(v)
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(v)
}

// beginSnapshot starts a read-only transaction that sees one snapshot of
// the database throughout (REPEATABLE READ), for reads that must agree.
func (s *Store) beginSnapshot(ctx context.Context) (*Tx, error) {
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, storeErr(err, "begin")
	}
	return &Tx{Tx: tx, now: s.now().UTC(), store: s}, nil
}
