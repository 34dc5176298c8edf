package postgres

import (
	"context"
	"fmt"
	"time"

	"osallistu/participation"
)

// respondentSteps is every use of a respondent token, with the process and
// the end of the step it was used in (NULL while the step has no end).
// Comments and supports need the round open, as ideas do: the round's
// closing ends them all.
const respondentSteps = `
	SELECT i.respondent_id AS id, r.process_id, r.closes_at AS ended_at
	FROM ideas i JOIN idea_rounds r ON r.id = i.round_id WHERE i.respondent_id IS NOT NULL
	UNION ALL
	SELECT c.respondent_id, r.process_id, r.closes_at
	FROM comments c JOIN ideas i ON i.id = c.idea_id JOIN idea_rounds r ON r.id = i.round_id WHERE c.respondent_id IS NOT NULL
	UNION ALL
	SELECT substr(s.supporter, length('respondent:') + 1)::bigint, r.process_id, r.closes_at
	FROM supports s JOIN ideas i ON i.id = s.idea_id JOIN idea_rounds r ON r.id = i.round_id WHERE s.supporter LIKE 'respondent:%'
	UNION ALL
	SELECT sr.respondent_id, v.process_id, CASE WHEN v.status = 'closed' THEN v.closed_at END
	FROM survey_responses sr JOIN surveys v ON v.id = sr.survey_id WHERE sr.respondent_id IS NOT NULL`

// PurgeTokens purges the anonymous tokens past their process, the ended
// sessions and the failed sign-ins that count no more (see
// participation.TokenPurger), in one transaction.
func (s *Store) PurgeTokens(ctx context.Context, retention time.Duration) (participation.TokenPurge, error) {
	var p participation.TokenPurge
	tx, err := s.begin(ctx)
	if err != nil {
		return p, err
	}
	defer tx.Rollback()
	cutoff := tx.now.Add(-retention)
	purges := []struct {
		n    *int64
		what string
		arg  time.Time
		sql  string
	}{
		{&p.ParticipantTokens, "participant tokens", cutoff, `
			DELETE FROM participant_tokens t USING participants pa, workshops w, processes p
			WHERE pa.id = t.participant_id AND w.id = pa.workshop_id AND p.id = w.process_id
			  AND (p.status = 'archived' OR least(w.ended_at, w.ends_at) < $1)`},
		{&p.Respondents, "respondent tokens", cutoff, `
			WITH used AS (` + respondentSteps + `),
			live AS (SELECT u.id FROM used u JOIN processes p ON p.id = u.process_id
				WHERE p.status <> 'archived' AND (u.ended_at IS NULL OR u.ended_at >= $1))
			UPDATE respondents SET token_hash = NULL
			WHERE token_hash IS NOT NULL AND id NOT IN (SELECT id FROM live)
			  AND (created_at < $1 OR id IN (SELECT id FROM used))`},
		{&p.SurveyInvitations, "survey invitation links", cutoff, `
			UPDATE survey_invitations i SET token_hash = NULL FROM surveys v, processes p
			WHERE v.id = i.survey_id AND p.id = v.process_id AND i.token_hash IS NOT NULL
			  AND (p.status = 'archived' OR (v.status = 'closed' AND v.closed_at < $1))`},
		{&p.Sessions, "ended sessions", tx.now, `DELETE FROM sessions WHERE expires_at <= $1`},
		{&p.LoginFailures, "login failures", tx.now.Add(-participation.LoginFailureWindow), `DELETE FROM login_failures WHERE failed_at <= $1`},
	}
	for _, q := range purges {
		res, err := tx.ExecContext(ctx, q.sql, q.arg)
		if err != nil {
			return p, fmt.Errorf("purge %s: %w", q.what, err)
		}
		if *q.n, err = res.RowsAffected(); err != nil {
			return p, fmt.Errorf("purge %s: %w", q.what, err)
		}
	}
	return p, tx.Commit()
}
