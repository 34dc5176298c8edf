package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// The results are counted in SQL aggregates from the answers of the
// submitted responses; each query below takes the survey ($1) and the
// municipality to keep ($2, ” for every one).
const submittedAnswers = `
	survey_answers a JOIN survey_responses r ON r.id = a.response_id
	WHERE r.survey_id = $1 AND r.submitted_at IS NOT NULL AND ($2 = '' OR r.municipality = $2)`

// resultAggregates counts in one pass, one row per option, item, scale
// value and text question: its count, the number of answers it opens (their
// sum per question counts the responses that answered it), and for items
// the ratings' means and sample deviations, plain and of their z-scores.
const resultAggregates = `
	SELECT a.question_id, a.choice_id, a.value, count(*) AS n, count(*) FILTER (WHERE a.first_row) AS answered,
	       avg(a.x) AS mean_x, avg(a.y) AS mean_y, stddev_samp(a.x) AS sd_x, stddev_samp(a.y) AS sd_y,
	       avg(a.zx) AS mean_zx, avg(a.zy) AS mean_zy, stddev_samp(a.zx) AS sd_zx, stddev_samp(a.zy) AS sd_zy
	FROM ` + submittedAnswers + `
	GROUP BY a.question_id, a.choice_id, a.value`

// resultRow is one row of resultAggregates.
type resultRow struct {
	QuestionID int64    `db:"question_id"`
	ChoiceID   *int64   `db:"choice_id"`
	Value      *int     `db:"value"`
	N          int      `db:"n"`
	Answered   int      `db:"answered"`
	MeanX      *float64 `db:"mean_x"`
	MeanY      *float64 `db:"mean_y"`
	SdX        *float64 `db:"sd_x"`
	SdY        *float64 `db:"sd_y"`
	MeanZX     *float64 `db:"mean_zx"`
	MeanZY     *float64 `db:"mean_zy"`
	SdZX       *float64 `db:"sd_zx"`
	SdZY       *float64 `db:"sd_zy"`
}

// aggregate is the row's option or item figures, plain or relative.
func (r *resultRow) aggregate(relative bool) participation.ChoiceAggregate {
	a := participation.ChoiceAggregate{QuestionID: r.QuestionID, ChoiceID: *r.ChoiceID, N: r.N,
		MeanX: r.MeanX, MeanY: r.MeanY, SdX: r.SdX, SdY: r.SdY}
	if relative && r.MeanX != nil {
		a.MeanX, a.MeanY, a.SdX, a.SdY = r.MeanZX, r.MeanZY, r.SdZX, r.SdZY
	}
	return a
}

// FindSurveyResults counts a survey's submitted responses: everyone may
// see them once it is closed, officials always (EFORBIDDEN otherwise).
func (s *Store) FindSurveyResults(ctx context.Context, id int64, f participation.ResultFilter) (*participation.SurveyResults, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sv, err := findSurvey(ctx, tx, id, lockNone)
	if err != nil {
		return nil, err
	}
	if !sv.ResultsVisibleTo(participation.AccountFromContext(ctx)) {
		return nil, participation.Errorf(participation.EFORBIDDEN, "The results are public once the survey has closed.")
	}
	res := participation.NewSurveyResults(sv)
	res.Relative = f.Relative
	if f.Municipality != "" {
		res.Municipality = &f.Municipality
	}
	if err := tx.GetContext(ctx, &res.Responses, `
		SELECT count(*) FROM survey_responses r
		WHERE r.survey_id = $1 AND r.submitted_at IS NOT NULL AND ($2 = '' OR r.municipality = $2)`, id, f.Municipality); err != nil {
		return nil, fmt.Errorf("count responses: %w", err)
	}
	if err := f.CheckShown(res.Responses, participation.AccountFromContext(ctx)); err != nil {
		return nil, err
	}
	var rows []resultRow
	if err := tx.SelectContext(ctx, &rows, resultAggregates, id, f.Municipality); err != nil {
		return nil, fmt.Errorf("count answers: %w", err)
	}
	answered := map[int64]int{}
	for _, r := range rows {
		answered[r.QuestionID] += r.Answered
		switch {
		case r.ChoiceID != nil:
			res.AddChoice(r.aggregate(f.Relative))
		case r.Value != nil:
			res.AddValue(r.QuestionID, *r.Value, r.N)
		}
	}
	for q, n := range answered {
		res.SetAnswered(q, n)
	}
	textIDs := []int64{}
	for _, q := range sv.Questions {
		if q.Kind == participation.QuestionText {
			textIDs = append(textIDs, q.ID)
		}
	}
	var texts []struct {
		QuestionID int64  `db:"question_id"`
		Text       string `db:"text"`
	}
	if err := tx.SelectContext(ctx, &texts, `
		SELECT a.question_id, a.text FROM `+submittedAnswers+` AND a.question_id = ANY($3) AND a.text IS NOT NULL
		ORDER BY r.submitted_at, r.id`, id, f.Municipality, pq.Array(textIDs)); err != nil {
		return nil, fmt.Errorf("find text answers: %w", err)
	}
	for _, t := range texts {
		res.AddText(t.QuestionID, t.Text)
	}
	res.Finish()
	return res, tx.Commit()
}

// FindSurveyAnswerRows lists every answer of the submitted responses, one
// row per chosen option, rated item, scale value or text, in the order the
// responses came and the questions stand (officials).
func (s *Store) FindSurveyAnswerRows(ctx context.Context, id int64) ([]participation.AnswerRow, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findSurvey(ctx, tx, id, lockNone); err != nil {
		return nil, err
	}
	rows := []participation.AnswerRow{}
	if err := tx.SelectContext(ctx, &rows, `
		SELECT r.id AS respondent, r.submitted_at, a.question_id, q.prompt AS question, c.label AS option_or_item,
		       a.value::float8 AS value, a.x, a.y, a.text
		FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id
		JOIN survey_questions q ON q.id = a.question_id LEFT JOIN survey_choices c ON c.id = a.choice_id
		WHERE r.survey_id = $1 AND r.submitted_at IS NOT NULL
		ORDER BY r.submitted_at, r.id, q.position, c.position`, id); err != nil {
		return nil, fmt.Errorf("find answer rows: %w", err)
	}
	return rows, tx.Commit()
}

// FindSurveyProgress counts how answering goes (officials): responses
// submitted and saved, submissions per day in Helsinki, and invitations
// answered.
func (s *Store) FindSurveyProgress(ctx context.Context, id int64) (*participation.SurveyProgress, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleOfficial); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sv, err := findSurvey(ctx, tx, id, lockNone)
	if err != nil {
		return nil, err
	}
	p := &participation.SurveyProgress{SurveyID: id, Status: sv.Status, Responses: sv.Responses, PerDay: []participation.DayCount{}}
	if err := tx.GetContext(ctx, p, `
		SELECT (SELECT count(*) FROM survey_responses WHERE survey_id = $1 AND submitted_at IS NULL) AS drafts,
		       (SELECT count(*) FROM survey_invitations WHERE survey_id = $1) AS invited,
		       (SELECT count(*) FROM survey_invitations i WHERE i.survey_id = $1 AND EXISTS (
		           SELECT 1 FROM survey_responses r WHERE r.invitation_id = i.id AND r.submitted_at IS NOT NULL)) AS invited_answered,
		       (SELECT reminded_at FROM surveys WHERE id = $1) AS last_reminder_at`, id); err != nil {
		return nil, fmt.Errorf("count progress: %w", err)
	}
	if err := tx.SelectContext(ctx, &p.PerDay, `
		SELECT to_char(submitted_at AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM-DD') AS date, count(*) AS count
		FROM survey_responses WHERE survey_id = $1 AND submitted_at IS NOT NULL
		GROUP BY 1 ORDER BY 1`, id); err != nil {
		return nil, fmt.Errorf("count responses per day: %w", err)
	}
	return p, tx.Commit()
}

// fillCommitmentSurveyResults gives each commitment its place in the
// closed surveys' two-axis questions that rated it (as an item made from
// it): the item's means and its rank among the question's rated items.
func fillCommitmentSurveyResults(ctx context.Context, tx *Tx, byID map[int64]*participation.Commitment, ids []int64) error {
	var questions []struct {
		SurveyID int64  `db:"survey_id"`
		Title    string `db:"title"`
		questionRow
	}
	if err := tx.SelectContext(ctx, &questions, `
		SELECT s.id AS survey_id, s.title, q.id, q.survey_id, q.position, q.kind, q.prompt, q.required,
		       q.language, q.translations, q.scale_min, q.scale_max, q.min_label, q.max_label,
		       q.x_label, q.x_min, q.x_max, q.y_label, q.y_min, q.y_max, q.items_from_commitments
		FROM survey_questions q JOIN surveys s ON s.id = q.survey_id
		WHERE q.kind = 'grid2d' AND s.status = 'closed'
		  AND q.id IN (SELECT question_id FROM survey_choices WHERE commitment_id = ANY($1))
		ORDER BY s.closed_at, q.id`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find rating questions: %w", err)
	}
	for _, q := range questions {
		var items []struct {
			participation.ChoiceAggregate
			CommitmentID *int64 `db:"commitment_id"`
		}
		if err := tx.SelectContext(ctx, &items, `
			SELECT c.question_id, c.id AS choice_id, c.commitment_id, count(a.x) AS n, avg(a.x) AS mean_x, avg(a.y) AS mean_y,
			       stddev_samp(a.x) AS sd_x, stddev_samp(a.y) AS sd_y
			FROM survey_choices c
			LEFT JOIN (survey_answers a JOIN survey_responses r ON r.id = a.response_id AND r.submitted_at IS NOT NULL)
			       ON a.choice_id = c.id
			WHERE c.question_id = $1
			GROUP BY c.id ORDER BY c.position`, q.ID); err != nil {
			return fmt.Errorf("count ratings: %w", err)
		}
		ranked := make([]participation.ItemResult, len(items))
		for i, it := range items {
			ranked[i] = participation.ItemResult{ItemID: it.ChoiceID, N: it.N, MeanX: it.MeanX, MeanY: it.MeanY}
		}
		participation.RankItems(ranked)
		rated := 0
		for _, r := range ranked {
			if r.Rank != nil {
				rated++
			}
		}
		x := participation.Axis{Label: deref(q.XLabel), Min: deref(q.XMin), Max: deref(q.XMax)}
		y := participation.Axis{Label: deref(q.YLabel), Min: deref(q.YMin), Max: deref(q.YMax)}
		for i, it := range items {
			c := byID[deref(it.CommitmentID)]
			if c == nil {
				continue
			}
			sdX, sdY := it.SdX, it.SdY
			if it.N < 2 {
				sdX, sdY = nil, nil
			}
			c.SurveyResults = append(c.SurveyResults, participation.CommitmentSurveyResult{
				SurveyID: q.SurveyID, SurveyTitle: q.Title, QuestionID: q.ID, Prompt: q.Prompt, ItemID: it.ChoiceID,
				X: x, Y: y, N: it.N, MeanX: it.MeanX, MeanY: it.MeanY, SdX: sdX, SdY: sdY, Rank: ranked[i].Rank, Items: rated})
		}
	}
	return nil
}
