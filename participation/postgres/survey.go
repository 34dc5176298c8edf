package postgres

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// CreateSurvey builds a draft survey in a process (officials). Questions
// with items_from_commitments get one item per draft commitment of the
// process as it is now: a snapshot that later changes do not move.
func (s *Store) CreateSurvey(ctx context.Context, slug string, n participation.NewSurvey) (*participation.Survey, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireProcessOfficial(ctx, tx, participation.RefToProcess(slug)); err != nil {
		return nil, err
	}
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	if n.Drafts, err = draftCommitments(ctx, tx, processID); err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	salt := make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("create survey: %w", err)
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
		INSERT INTO surveys (process_id, title, description, anonymous, language, translations, salt, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		processID, n.Title, n.Description, *n.Anonymous, *n.Language, jsonText(n.Translations), salt, me.ID, tx.now); err != nil {
		return nil, storeErr(err, "survey")
	}
	if err := writeQuestions(ctx, tx, id, n.Questions); err != nil {
		return nil, err
	}
	sv, err := findSurvey(ctx, tx, id, lockNone)
	if err != nil {
		return nil, err
	}
	return sv, tx.Commit()
}

// draftCommitments lists a process's draft commitments, oldest first: the
// items of a question made from them.
func draftCommitments(ctx context.Context, tx *Tx, processID int64) ([]participation.SourceRef, error) {
	refs := []participation.SourceRef{}
	if err := tx.SelectContext(ctx, &refs, `
		SELECT id, title FROM commitments WHERE process_id = $1 AND status = 'draft' ORDER BY id`, processID); err != nil {
		return nil, fmt.Errorf("find draft commitments: %w", err)
	}
	return refs, nil
}

// questionRecord and choiceRecord are the rows writeQuestions writes, as
// JSON for jsonb_to_recordset: one statement for all of them.
type questionRecord struct {
	ID                   int64                      `json:"id"`
	Position             int                        `json:"position"`
	Kind                 string                     `json:"kind"`
	Prompt               string                     `json:"prompt"`
	Required             bool                       `json:"required"`
	Language             string                     `json:"language"`
	Translations         participation.Translations `json:"translations"`
	ScaleMin             *int                       `json:"scale_min"`
	ScaleMax             *int                       `json:"scale_max"`
	MinLabel             *string                    `json:"min_label"`
	MaxLabel             *string                    `json:"max_label"`
	XLabel               *string                    `json:"x_label"`
	XMin                 *float64                   `json:"x_min"`
	XMax                 *float64                   `json:"x_max"`
	YLabel               *string                    `json:"y_label"`
	YMin                 *float64                   `json:"y_min"`
	YMax                 *float64                   `json:"y_max"`
	ItemsFromCommitments bool                       `json:"items_from_commitments"`
}

type choiceRecord struct {
	ID           int64                      `json:"id"`
	QuestionID   int64                      `json:"question_id"`
	Position     int                        `json:"position"`
	Label        string                     `json:"label"`
	CommitmentID *int64                     `json:"commitment_id"`
	Language     string                     `json:"language"`
	Translations participation.Translations `json:"translations"`
}

// writeQuestions replaces a draft survey's questions with qs, validated:
// ids they keep are written again, new ones are drawn from the sequences.
// A draft has no answers, so nothing refers to the rows it deletes.
func writeQuestions(ctx context.Context, tx *Tx, surveyID int64, qs []participation.NewQuestion) error {
	if _, err := tx.ExecContext(ctx, `
		DELETE FROM survey_choices WHERE question_id IN (SELECT id FROM survey_questions WHERE survey_id = $1)`, surveyID); err != nil {
		return fmt.Errorf("replace survey choices: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM survey_questions WHERE survey_id = $1`, surveyID); err != nil {
		return fmt.Errorf("replace survey questions: %w", err)
	}
	if len(qs) == 0 {
		return nil
	}
	newQuestions, newChoices := 0, 0
	for _, q := range qs {
		if q.ID == 0 {
			newQuestions++
		}
		for _, c := range append(append([]participation.NewChoice{}, q.Options...), q.Items...) {
			if c.ID == 0 {
				newChoices++
			}
		}
	}
	qids, err := nextIDs(ctx, tx, "survey_questions_id_seq", newQuestions)
	if err != nil {
		return err
	}
	cids, err := nextIDs(ctx, tx, "survey_choices_id_seq", newChoices)
	if err != nil {
		return err
	}
	var questions []questionRecord
	var choices []choiceRecord
	for i, q := range qs {
		r := questionRecord{ID: q.ID, Position: i + 1, Kind: q.Kind, Prompt: q.Prompt, Required: q.Required,
			Language: *q.Language, Translations: q.Translations, ScaleMin: q.Min, ScaleMax: q.Max,
			MinLabel: q.MinLabel, MaxLabel: q.MaxLabel, ItemsFromCommitments: q.ItemsFromCommitments}
		if r.ID == 0 {
			r.ID, qids = qids[0], qids[1:]
		}
		if q.X != nil && q.Y != nil {
			r.XLabel, r.XMin, r.XMax = &q.X.Label, q.X.Min, q.X.Max
			r.YLabel, r.YMin, r.YMax = &q.Y.Label, q.Y.Min, q.Y.Max
		}
		questions = append(questions, r)
		for j, c := range append(append([]participation.NewChoice{}, q.Options...), q.Items...) {
			cr := choiceRecord{ID: c.ID, QuestionID: r.ID, Position: j + 1, Label: c.Label, CommitmentID: c.CommitmentID,
				Language: *c.Language, Translations: c.Translations}
			if cr.ID == 0 {
				cr.ID, cids = cids[0], cids[1:]
			}
			choices = append(choices, cr)
		}
	}
	qb, err := json.Marshal(questions)
	if err != nil {
		return fmt.Errorf("write questions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO survey_questions (id, survey_id, position, kind, prompt, required, language, translations,
			scale_min, scale_max, min_label, max_label, x_label, x_min, x_max, y_label, y_min, y_max, items_from_commitments)
		SELECT q.id, $1, q.position, q.kind, q.prompt, q.required, q.language, q.translations,
			q.scale_min, q.scale_max, q.min_label, q.max_label, q.x_label, q.x_min, q.x_max, q.y_label, q.y_min, q.y_max, q.items_from_commitments
		FROM jsonb_to_recordset($2::jsonb) AS q(id bigint, position int, kind text, prompt text, required boolean,
			language text, translations jsonb, scale_min int, scale_max int, min_label text, max_label text,
			x_label text, x_min float8, x_max float8, y_label text, y_min float8, y_max float8, items_from_commitments boolean)`,
		surveyID, string(qb)); err != nil {
		return storeErr(err, "survey question")
	}
	if len(choices) == 0 {
		return nil
	}
	cb, err := json.Marshal(choices)
	if err != nil {
		return fmt.Errorf("write choices: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO survey_choices (id, question_id, position, label, commitment_id, language, translations)
		SELECT c.id, c.question_id, c.position, c.label, c.commitment_id, c.language, c.translations
		FROM jsonb_to_recordset($1::jsonb) AS c(id bigint, question_id bigint, position int, label text,
			commitment_id bigint, language text, translations jsonb)`, string(cb)); err != nil {
		return storeErr(err, "survey option")
	}
	return nil
}

// jsonText is translations as JSON text: parameters go to PostgreSQL in
// binary (lib/pq's binary_parameters), where a []byte would be taken for
// jsonb's binary format.
func jsonText(t participation.Translations) string {
	b, _ := t.MarshalJSON() // a map of strings always marshals
	return string(b)
}

// nextIDs draws n ids from a sequence.
func nextIDs(ctx context.Context, tx *Tx, sequence string, n int) ([]int64, error) {
	ids := []int64{}
	if n == 0 {
		return ids, nil
	}
	if err := tx.SelectContext(ctx, &ids, `SELECT nextval($1::regclass) FROM generate_series(1, $2)`, sequence, n); err != nil {
		return nil, fmt.Errorf("draw ids: %w", err)
	}
	return ids, nil
}

const surveySelect = `
	SELECT s.id, s.process_id, s.title, s.description, s.anonymous, s.status, s.language, s.translations,
	       (SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id AND r.submitted_at IS NOT NULL) AS responses,
	       s.created_at, s.opened_at, s.closed_at, p.slug AS process_slug, p.title AS process_title
	FROM surveys s JOIN processes p ON p.id = s.process_id`

// Row locks findSurvey takes: a change of the survey takes it for update,
// a response for share, so that responses go on side by side and none is
// submitted after a close commits.
const (
	lockNone   = ""
	lockUpdate = " FOR UPDATE OF s"
	lockShare  = " FOR SHARE OF s"
)

// findSurvey reads one survey with its questions, taking its row's lock
// for the rest of the transaction.
func findSurvey(ctx context.Context, tx *Tx, id int64, lock string) (*participation.Survey, error) {
	q := surveySelect + ` WHERE s.id = $1` + lock
	var sv participation.Survey
	if err := tx.GetContext(ctx, &sv, q, id); err != nil {
		return nil, storeErr(err, "survey")
	}
	if err := fillSurveys(ctx, tx, []*participation.Survey{&sv}); err != nil {
		return nil, err
	}
	return &sv, nil
}

// questionRow is a question as survey_questions keeps it.
type questionRow struct {
	participation.Question
	XLabel *string  `db:"x_label"`
	XMin   *float64 `db:"x_min"`
	XMax   *float64 `db:"x_max"`
	YLabel *string  `db:"y_label"`
	YMin   *float64 `db:"y_min"`
	YMax   *float64 `db:"y_max"`
}

// fillSurveys loads the questions, options and items of several surveys.
func fillSurveys(ctx context.Context, tx *Tx, list []*participation.Survey) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	byID := make(map[int64]*participation.Survey, len(list))
	for i, sv := range list {
		ids[i] = sv.ID
		byID[sv.ID] = sv
		sv.Questions = []participation.Question{}
	}
	var rows []questionRow
	if err := tx.SelectContext(ctx, &rows, `
		SELECT id, survey_id, position, kind, prompt, required, language, translations, scale_min, scale_max,
		       min_label, max_label, x_label, x_min, x_max, y_label, y_min, y_max, items_from_commitments
		FROM survey_questions WHERE survey_id = ANY($1) ORDER BY survey_id, position`, pq.Array(ids)); err != nil {
		return fmt.Errorf("find survey questions: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	qids := make([]int64, len(rows))
	for i := range rows {
		qids[i] = rows[i].ID
	}
	var choices []participation.Choice
	if err := tx.SelectContext(ctx, &choices, `
		SELECT id, question_id, label, commitment_id, language, translations
		FROM survey_choices WHERE question_id = ANY($1) ORDER BY question_id, position`, pq.Array(qids)); err != nil {
		return fmt.Errorf("find survey options: %w", err)
	}
	byQuestion := map[int64][]participation.Choice{}
	for _, c := range choices {
		byQuestion[c.QuestionID] = append(byQuestion[c.QuestionID], c)
	}
	for _, r := range rows {
		q := r.Question
		switch q.Kind {
		case participation.QuestionSingle, participation.QuestionMulti:
			q.Options = byQuestion[q.ID]
		case participation.QuestionGrid2D:
			q.Items = byQuestion[q.ID]
			q.X = &participation.Axis{Label: deref(r.XLabel), Min: deref(r.XMin), Max: deref(r.XMax)}
			q.Y = &participation.Axis{Label: deref(r.YLabel), Min: deref(r.YMin), Max: deref(r.YMax)}
		}
		byID[q.SurveyID].Questions = append(byID[q.SurveyID].Questions, q)
	}
	return nil
}

// deref returns what p points to, or the zero value.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// FindSurvey returns a survey with its questions.
func (s *Store) FindSurvey(ctx context.Context, id int64) (*participation.Survey, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sv, err := findSurvey(ctx, tx, id, lockNone)
	if err != nil {
		return nil, err
	}
	return sv, tx.Commit()
}

// FindSurveys lists a process's surveys with their questions, oldest first.
func (s *Store) FindSurveys(ctx context.Context, processID int64) ([]*participation.Survey, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	list := []*participation.Survey{}
	if err := tx.SelectContext(ctx, &list, surveySelect+` WHERE s.process_id = $1 ORDER BY s.created_at, s.id`, processID); err != nil {
		return nil, fmt.Errorf("find surveys: %w", err)
	}
	if err := fillSurveys(ctx, tx, list); err != nil {
		return nil, err
	}
	return list, tx.Commit()
}

// UpdateSurvey changes a draft survey (officials): its texts, anonymity
// and, when given, the whole list of questions in their new order.
// ECONFLICT once it has opened.
func (s *Store) UpdateSurvey(ctx context.Context, id int64, p participation.SurveyPatch) (*participation.Survey, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefSurvey, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sv, err := findSurvey(ctx, tx, id, lockUpdate)
	if err != nil {
		return nil, err
	}
	if err := sv.CheckEditable(); err != nil {
		return nil, err
	}
	drafts, err := draftCommitments(ctx, tx, sv.ProcessID)
	if err != nil {
		return nil, err
	}
	n, t, err := p.Apply(sv, drafts)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE surveys SET title = $2, description = $3, anonymous = $4, language = $5, translations = $6 WHERE id = $1`,
		id, n.Title, n.Description, *n.Anonymous, t.Language, jsonText(t.Translations)); err != nil {
		return nil, storeErr(err, "survey")
	}
	if p.Questions != nil {
		if err := writeQuestions(ctx, tx, id, n.Questions); err != nil {
			return nil, err
		}
	}
	if sv, err = findSurvey(ctx, tx, id, lockNone); err != nil {
		return nil, err
	}
	return sv, tx.Commit()
}

// OpenSurvey opens a draft survey for answers (officials).
func (s *Store) OpenSurvey(ctx context.Context, id int64) (*participation.Survey, error) {
	return s.setSurveyStatus(ctx, id, participation.SurveyOpen)
}

// CloseSurvey closes an open survey (officials): answers after it get
// ECLOSED, and its results become public.
func (s *Store) CloseSurvey(ctx context.Context, id int64) (*participation.Survey, error) {
	return s.setSurveyStatus(ctx, id, participation.SurveyClosed)
}

// setSurveyStatus moves a survey on under its row's lock, so that no
// response is submitted after the close commits.
func (s *Store) setSurveyStatus(ctx context.Context, id int64, to string) (*participation.Survey, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefSurvey, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sv, err := findSurvey(ctx, tx, id, lockUpdate)
	if err != nil {
		return nil, err
	}
	changed, err := sv.NextStatus(to)
	if err != nil || !changed {
		return sv, err
	}
	column := "opened_at"
	if to == participation.SurveyClosed {
		column = "closed_at"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE surveys SET status = $2, `+column+` = $3 WHERE id = $1`, id, to, tx.now); err != nil {
		return nil, fmt.Errorf("set survey status: %w", err)
	}
	if sv, err = findSurvey(ctx, tx, id, lockNone); err != nil {
		return nil, err
	}
	return sv, tx.Commit()
}
