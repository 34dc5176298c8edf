package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"osallistu/participation"
)

// answerer is who answers a survey, and the key of their one response:
// 'i:<invitation id>' for an invitation link, 'r:<respondent id>' for a
// respondent token, 'a:<account id>' for an account where the survey takes
// accounts, and 'h:<salted hash of the account id>' for an account in an
// anonymous survey, so that it answers once without its response naming it.
type answerer struct {
	key          string
	accountID    *int64
	respondentID *int64
	invitationID *int64
	municipality *string // the account's, where the response may name it
}

// findAnswerer works out who answers sv: the invitation, when its token is
// given (EUNAUTHENTICATED for a token no invitation has, EFORBIDDEN for
// another survey's), else the context's account or respondent as the
// survey takes them.
func findAnswerer(ctx context.Context, tx *Tx, sv *participation.Survey, who participation.Responder) (answerer, error) {
	if who.InvitationToken != "" {
		var inv struct {
			ID       int64 `db:"id"`
			SurveyID int64 `db:"survey_id"`
		}
		err := tx.GetContext(ctx, &inv, `SELECT id, survey_id FROM survey_invitations WHERE token_hash = $1`, hashToken(who.InvitationToken))
		switch {
		case errors.Is(err, errNoRows):
			return answerer{}, participation.Errorf(participation.EUNAUTHENTICATED, "This invitation link is not valid.")
		case err != nil:
			return answerer{}, fmt.Errorf("find invitation: %w", err)
		case inv.SurveyID != sv.ID:
			return answerer{}, participation.Errorf(participation.EFORBIDDEN, "This invitation is for another survey.")
		}
		return answerer{key: "i:" + strconv.FormatInt(inv.ID, 10), invitationID: &inv.ID}, nil
	}
	a, r := participation.AccountFromContext(ctx), participation.RespondentFromContext(ctx)
	if err := sv.CheckAnswerer(a, r); err != nil {
		return answerer{}, err
	}
	switch {
	case sv.Anonymous && r != nil:
		return answerer{key: "r:" + strconv.FormatInt(r.ID, 10), respondentID: &r.ID}, nil
	case sv.Anonymous:
		var salt []byte
		if err := tx.GetContext(ctx, &salt, `SELECT salt FROM surveys WHERE id = $1`, sv.ID); err != nil {
			return answerer{}, fmt.Errorf("find survey salt: %w", err)
		}
		h := sha256.Sum256(append(salt, strconv.FormatInt(a.ID, 10)...))
		return answerer{key: "h:" + hex.EncodeToString(h[:])}, nil
	}
	return answerer{key: "a:" + strconv.FormatInt(a.ID, 10), accountID: &a.ID, municipality: a.Municipality}, nil
}

// SaveResponse saves the responder's draft (n.Submit false), to come back
// to, or submits their response. Who answers is checked first, then that
// the survey is open (ECLOSED), then that they have not submitted already
// (ECONFLICT), then the answers (EINVALID).
func (s *Store) SaveResponse(ctx context.Context, surveyID int64, who participation.Responder, n participation.NewResponse) (*participation.Response, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sv, err := findSurvey(ctx, tx, surveyID, lockShare)
	if err != nil {
		return nil, err
	}
	ans, err := findAnswerer(ctx, tx, sv, who)
	if err != nil {
		return nil, err
	}
	if err := sv.CheckOpen(); err != nil {
		return nil, err
	}
	// A signed-in person blocked from writing answers no survey (block.go).
	if err := participation.CheckNotBlocked(participation.AccountFromContext(ctx), tx.now); err != nil {
		return nil, err
	}
	var submitted bool
	err = tx.GetContext(ctx, &submitted, `
		SELECT submitted_at IS NOT NULL FROM survey_responses WHERE survey_id = $1 AND respondent_key = $2 FOR UPDATE`,
		surveyID, ans.key)
	if err != nil && !errors.Is(err, errNoRows) {
		return nil, fmt.Errorf("find response: %w", err)
	}
	if submitted {
		return nil, errAnswered
	}
	if err := n.Validate(sv); err != nil {
		return nil, err
	}
	municipality := n.Municipality
	if municipality == nil {
		municipality = ans.municipality
	}
	var submittedAt any
	if n.Submit {
		submittedAt = tx.now
	}
	var id int64
	err = tx.GetContext(ctx, &id, `
		INSERT INTO survey_responses (survey_id, respondent_key, account_id, respondent_id, invitation_id, municipality, created_at, updated_at, submitted_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)
		ON CONFLICT (survey_id, respondent_key) DO UPDATE SET municipality = $6, updated_at = $7, submitted_at = $8
		WHERE survey_responses.submitted_at IS NULL
		RETURNING id`,
		surveyID, ans.key, ans.accountID, ans.respondentID, ans.invitationID, municipality, tx.now, submittedAt)
	if errors.Is(err, errNoRows) {
		return nil, errAnswered // submitted meanwhile, by a request of the same respondent
	} else if err != nil {
		return nil, storeErr(err, "response")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM survey_answers WHERE response_id = $1`, id); err != nil {
		return nil, fmt.Errorf("replace answers: %w", err)
	}
	if recs := n.Records(); len(recs) > 0 {
		b, err := json.Marshal(recs)
		if err != nil {
			return nil, fmt.Errorf("save answers: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO survey_answers (response_id, question_id, choice_id, value, x, y, zx, zy, text, first_row)
			SELECT $1, a.question_id, a.choice_id, a.value, a.x, a.y, a.zx, a.zy, a.text, a.first_row
			FROM jsonb_to_recordset($2::jsonb) AS a(question_id bigint, choice_id bigint, value int, x float8, y float8,
				zx float8, zy float8, text text, first_row boolean)`,
			id, string(b)); err != nil {
			return nil, storeErr(err, "answer")
		}
	}
	r, err := findResponse(ctx, tx, sv, id)
	if err != nil {
		return nil, err
	}
	return r, tx.Commit()
}

// errAnswered is a second response of the same respondent.
var errAnswered = participation.Errorf(participation.ECONFLICT, "You have already answered this survey.")

// findResponse reads one response with its answers.
func findResponse(ctx context.Context, tx *Tx, sv *participation.Survey, id int64) (*participation.Response, error) {
	var r participation.Response
	if err := tx.GetContext(ctx, &r, `
		SELECT id, survey_id, submitted_at IS NOT NULL AS submitted, submitted_at, updated_at, municipality
		FROM survey_responses WHERE id = $1`, id); err != nil {
		return nil, storeErr(err, "response")
	}
	var recs []participation.AnswerRecord
	if err := tx.SelectContext(ctx, &recs, `
		SELECT a.question_id, a.choice_id, a.value, a.x, a.y, a.text
		FROM survey_answers a LEFT JOIN survey_choices c ON c.id = a.choice_id
		WHERE a.response_id = $1 ORDER BY a.question_id, c.position`, id); err != nil {
		return nil, fmt.Errorf("find answers: %w", err)
	}
	r.Answers = participation.AnswersFrom(sv, recs)
	return &r, nil
}

// FindMyResponse returns the responder's draft or submitted response;
// ENOTFOUND when they have none.
func (s *Store) FindMyResponse(ctx context.Context, surveyID int64, who participation.Responder) (*participation.Response, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sv, err := findSurvey(ctx, tx, surveyID, lockNone)
	if err != nil {
		return nil, err
	}
	ans, err := findAnswerer(ctx, tx, sv, who)
	if err != nil {
		return nil, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `SELECT id FROM survey_responses WHERE survey_id = $1 AND respondent_key = $2`,
		surveyID, ans.key); err != nil {
		return nil, storeErr(err, "response")
	}
	r, err := findResponse(ctx, tx, sv, id)
	if err != nil {
		return nil, err
	}
	return r, tx.Commit()
}
