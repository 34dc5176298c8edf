package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// statementRow is a statements row s as scanned, with its organisation.
type statementRow struct {
	participation.Statement
	OrgID   *int64  `db:"org_id"`
	OrgName *string `db:"org_name"`
	OrgKind *string `db:"org_kind"`
}

func (r *statementRow) statement() *participation.Statement {
	s := r.Statement
	if r.OrgID != nil {
		s.Organisation = &participation.OrganisationRef{ID: *r.OrgID, Name: *r.OrgName, Kind: *r.OrgKind}
	}
	s.Answers = []participation.StatementAnswer{}
	return &s
}

// statementSelect reads statements s with their author's name (null once
// erased) and their organisation.
const statementSelect = `
	SELECT s.id, s.request_id, s.summary, s.language, s.submitted_at, s.created_at, s.updated_at,
	       CASE WHEN s.submitted_at IS NULL THEN 'draft' ELSE 'submitted' END AS status,
	       a.name AS author_name, o.id AS org_id, o.name AS org_name, o.kind AS org_kind
	FROM statements s JOIN accounts a ON a.id = s.author_id LEFT JOIN organisations o ON o.id = s.organisation_id`

// findStatements reads the statements a condition on s selects (its
// arguments from $1), with their answers in the questions' order.
func findStatements(ctx context.Context, tx *Tx, where string, args ...any) ([]*participation.Statement, error) {
	var rows []statementRow
	if err := tx.SelectContext(ctx, &rows, statementSelect+` `+where, args...); err != nil {
		return nil, fmt.Errorf("find statements: %w", err)
	}
	out := make([]*participation.Statement, len(rows))
	ids := make([]int64, len(rows))
	byID := make(map[int64]*participation.Statement, len(rows))
	for i := range rows {
		out[i] = rows[i].statement()
		ids[i] = out[i].ID
		byID[out[i].ID] = out[i]
	}
	if len(ids) == 0 {
		return out, nil
	}
	var answers []struct {
		StatementID int64 `db:"statement_id"`
		participation.StatementAnswer
	}
	if err := tx.SelectContext(ctx, &answers, `
		SELECT a.statement_id, a.question_id, a.position, a.text
		FROM statement_answers a JOIN statement_questions q ON q.id = a.question_id
		WHERE a.statement_id = ANY($1) ORDER BY a.statement_id, q.position, q.id`, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("find answers: %w", err)
	}
	for _, a := range answers {
		s := byID[a.StatementID]
		s.Answers = append(s.Answers, a.StatementAnswer)
	}
	return out, nil
}

// findOwnStatement returns the statement of the organisation (given one)
// or the account's own on a request, or nil; lock takes it FOR UPDATE.
func findOwnStatement(ctx context.Context, tx *Tx, requestID, accountID int64, organisationID *int64, lock bool) (*participation.Statement, error) {
	where := `WHERE s.request_id = $1 AND s.organisation_id = $2`
	args := []any{requestID, organisationID}
	if organisationID == nil {
		where, args = `WHERE s.request_id = $1 AND s.organisation_id IS NULL AND s.author_id = $2`, []any{requestID, accountID}
	}
	if lock {
		where += ` FOR UPDATE OF s`
	}
	list, err := findStatements(ctx, tx, where, args...)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// requireStatementMember checks that the account may write or read the
// organisation's statement: a member. An organisation that does not exist
// is refused alike.
func requireStatementMember(ctx context.Context, tx *Tx, me *participation.Account, organisationID *int64) error {
	if organisationID == nil {
		return nil
	}
	if _, err := requireMember(ctx, tx, me, *organisationID); err != nil {
		if participation.ErrorCode(err) == participation.ENOTFOUND {
			return participation.Errorf(participation.EFORBIDDEN, "You are not a member of this organisation.")
		}
		return err
	}
	return nil
}

// SaveStatement writes the signed-in account's statement on a request,
// for itself or for an organisation it is a member of: who may, then
// whether the request is open and the statement not yet submitted, then
// what it says. Any member may edit the organisation's draft; the last to
// save it, and the one who submits it, is its author.
func (s *Store) SaveStatement(ctx context.Context, requestID int64, in participation.StatementInput) (*participation.Statement, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := findStatementRequest(ctx, tx, requestID, false)
	if err != nil {
		return nil, err
	}
	if err := requireStatementMember(ctx, tx, me, in.OrganisationID); err != nil {
		return nil, err
	}
	if err := r.CheckOpen(tx.now); err != nil {
		return nil, err
	}
	// A person blocked from writing writes no statement (block.go).
	if err := participation.CheckNotBlocked(me, tx.now); err != nil {
		return nil, err
	}
	old, err := findOwnStatement(ctx, tx, requestID, me.ID, in.OrganisationID, true)
	if err != nil {
		return nil, err
	}
	fallback := r.OwnLanguage()
	if old != nil {
		if err := old.CheckWritable(); err != nil {
			return nil, err
		}
		fallback = old.Language
	}
	if err := in.Validate(r, fallback); err != nil {
		return nil, err
	}
	var submitted any
	if in.Submit {
		submitted = tx.now
	}
	var id int64
	if old == nil {
		err = tx.GetContext(ctx, &id, `
			INSERT INTO statements (request_id, organisation_id, author_id, summary, language, submitted_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, requestID, in.OrganisationID, me.ID, in.Summary, in.Language, submitted, tx.now)
	} else {
		err = tx.GetContext(ctx, &id, `
			UPDATE statements SET author_id = $2, summary = $3, language = $4, submitted_at = $5, updated_at = $6 WHERE id = $1 RETURNING id`,
			old.ID, me.ID, in.Summary, in.Language, submitted, tx.now)
	}
	if participation.ErrorCode(storeErr(err, "statement")) == participation.ECONFLICT {
		return nil, participation.Errorf(participation.ECONFLICT, "A statement was written here at the same time: load it and try again.")
	} else if err != nil {
		return nil, storeErr(err, "statement")
	}
	if err := saveAnswers(ctx, tx, id, in.Answers); err != nil {
		return nil, err
	}
	list, err := findStatements(ctx, tx, `WHERE s.id = $1`, id)
	if err != nil {
		return nil, err
	}
	return list[0], tx.Commit()
}

// saveAnswers replaces a statement's answers.
func saveAnswers(ctx context.Context, tx *Tx, statementID int64, answers []participation.StatementAnswer) error {
	qs := make([]int64, len(answers))
	positions := make([]string, len(answers))
	texts := make([]string, len(answers))
	for i, a := range answers {
		qs[i], positions[i], texts[i] = a.QuestionID, a.Position, a.Text
	}
	if _, err := tx.ExecContext(ctx, `
		WITH gone AS (DELETE FROM statement_answers WHERE statement_id = $1)
		INSERT INTO statement_answers (statement_id, question_id, position, text)
		SELECT $1, q, p, t FROM unnest($2::bigint[], $3::text[], $4::text[]) AS a(q, p, t)
		ON CONFLICT (statement_id, question_id) DO UPDATE SET position = excluded.position, text = excluded.text`,
		statementID, pq.Array(qs), pq.Array(positions), pq.Array(texts)); err != nil {
		return storeErr(err, "answers")
	}
	return nil
}

// FindMyStatement returns the signed-in account's own statement on a
// request, or its organisation's (members only); ENOTFOUND when none.
func (s *Store) FindMyStatement(ctx context.Context, requestID int64, organisationID *int64) (*participation.Statement, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findStatementRequest(ctx, tx, requestID, false); err != nil {
		return nil, err
	}
	if err := requireStatementMember(ctx, tx, me, organisationID); err != nil {
		return nil, err
	}
	st, err := findOwnStatement(ctx, tx, requestID, me.ID, organisationID, false)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, participation.Errorf(participation.ENOTFOUND, "statement not found")
	}
	return st, tx.Commit()
}

// FindStatement returns a submitted statement, or a draft to whom may
// edit it (its author, or its organisation's members); others get ENOTFOUND.
func (s *Store) FindStatement(ctx context.Context, id int64) (*participation.Statement, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var viewer int64
	if me := participation.AccountFromContext(ctx); me != nil {
		viewer = me.ID
	}
	list, err := findStatements(ctx, tx, `WHERE s.id = $1 AND (s.submitted_at IS NOT NULL
		OR (s.organisation_id IS NULL AND s.author_id = $2)
		OR EXISTS (SELECT 1 FROM organisation_members m WHERE m.organisation_id = s.organisation_id AND m.account_id = $2))`, id, viewer)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, participation.Errorf(participation.ENOTFOUND, "statement not found")
	}
	return list[0], tx.Commit()
}

// FindStatements lists a request's submitted statements, first submitted first.
func (s *Store) FindStatements(ctx context.Context, requestID int64, limit, offset int) ([]*participation.Statement, int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if _, err := findStatementRequest(ctx, tx, requestID, false); err != nil {
		return nil, 0, err
	}
	var total int
	if err := tx.GetContext(ctx, &total, `
		SELECT count(*) FROM statements WHERE request_id = $1 AND submitted_at IS NOT NULL`, requestID); err != nil {
		return nil, 0, fmt.Errorf("count statements: %w", err)
	}
	list, err := findStatements(ctx, tx, `WHERE s.request_id = $1 AND s.submitted_at IS NOT NULL
		ORDER BY s.submitted_at, s.id LIMIT $2 OFFSET $3`, requestID, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	return list, total, tx.Commit()
}

// SetQuestionResponse writes the officials' account of how the answers to
// a question were taken into account.
func (s *Store) SetQuestionResponse(ctx context.Context, requestID, questionID int64, in participation.QuestionResponse) (*participation.StatementQuestion, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireProcessOfficial(ctx, tx, participation.RefTo(participation.RefStatementRequest, requestID)); err != nil {
		return nil, err
	}
	r, err := findStatementRequest(ctx, tx, requestID, true)
	if err != nil {
		return nil, err
	}
	q := r.Question(questionID)
	if q == nil {
		return nil, participation.Errorf(participation.ENOTFOUND, "question not found")
	}
	if err := in.Apply(q); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE statement_questions SET response = $2, translations = $3::text::jsonb, responded_by = $4, responded_at = $5 WHERE id = $1`,
		q.ID, q.Response, q.Translations, me.ID, tx.now); err != nil {
		return nil, storeErr(err, "question")
	}
	return q, tx.Commit()
}

// FindStatementSummary compiles a request's summary from its submitted
// statements.
func (s *Store) FindStatementSummary(ctx context.Context, requestID int64) (*participation.StatementSummary, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := findStatementRequest(ctx, tx, requestID, false)
	if err != nil {
		return nil, err
	}
	list, err := findStatements(ctx, tx, `WHERE s.request_id = $1 AND s.submitted_at IS NOT NULL ORDER BY s.submitted_at, s.id`, requestID)
	if err != nil {
		return nil, err
	}
	return participation.Summarise(r, list, r.InvitedOrganisations), tx.Commit()
}

// commitmentStatements returns the submitted answers to questions that
// name each of the commitments, by commitment, first submitted first.
func commitmentStatements(ctx context.Context, tx *Tx, ids []int64) (map[int64][]participation.CommitmentStatement, error) {
	var rows []struct {
		CommitmentID int64 `db:"commitment_id"`
		participation.CommitmentStatement
		OrgID   *int64  `db:"org_id"`
		OrgName *string `db:"org_name"`
		OrgKind *string `db:"org_kind"`
	}
	if err := tx.SelectContext(ctx, &rows, `
		SELECT q.commitment_id, s.id AS statement_id, r.id AS request_id, r.title AS request_title, q.id AS question_id,
		       q.prompt, a.name AS author_name, ans.position, ans.text, s.language, s.submitted_at,
		       o.id AS org_id, o.name AS org_name, o.kind AS org_kind
		FROM statement_answers ans JOIN statements s ON s.id = ans.statement_id
		JOIN statement_questions q ON q.id = ans.question_id JOIN statement_requests r ON r.id = s.request_id
		JOIN accounts a ON a.id = s.author_id LEFT JOIN organisations o ON o.id = s.organisation_id
		WHERE q.commitment_id = ANY($1) AND s.submitted_at IS NOT NULL
		ORDER BY q.commitment_id, s.submitted_at, s.id, q.position`, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("find commitments' statements: %w", err)
	}
	out := map[int64][]participation.CommitmentStatement{}
	for _, row := range rows {
		cs := row.CommitmentStatement
		if row.OrgID != nil {
			cs.Organisation = &participation.OrganisationRef{ID: *row.OrgID, Name: *row.OrgName, Kind: *row.OrgKind}
		}
		out[row.CommitmentID] = append(out[row.CommitmentID], cs)
	}
	return out, nil
}
