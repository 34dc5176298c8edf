package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"

	"osallistu/participation"
)

// invitationToken is the token of an invitation's personal link: an HMAC
// of its id under the survey's secret salt. Only its hash is stored, for
// finding the invitation; a reminder works the token out again, so that it
// carries the same link as the invitation.
func invitationToken(salt []byte, id int64) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte("survey invitation " + strconv.FormatInt(id, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// InviteToSurvey sends a personal link to each address by email, through
// the outbox in the same transaction (officials). Addresses invited before
// are not sent a second link. A closed survey takes no invitations.
func (s *Store) InviteToSurvey(ctx context.Context, id int64, n participation.NewInvitations) (*participation.Invited, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefSurvey, id))
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sv, err := findSurvey(ctx, tx, id, lockUpdate)
	if err != nil {
		return nil, err
	}
	if sv.Status == participation.SurveyClosed {
		return nil, participation.Errorf(participation.ECLOSED, "The survey has closed.")
	}
	if err := n.Validate(sv.OwnLanguage()); err != nil {
		return nil, err
	}
	var salt []byte
	if err := tx.GetContext(ctx, &salt, `SELECT salt FROM surveys WHERE id = $1`, id); err != nil {
		return nil, fmt.Errorf("find survey salt: %w", err)
	}
	ids, err := nextIDs(ctx, tx, "survey_invitations_id_seq", len(n.Emails))
	if err != nil {
		return nil, err
	}
	type row struct {
		ID        int64  `json:"id"`
		Email     string `json:"email"`
		TokenHash string `json:"token_hash"` // hex: JSON has no bytes
	}
	rows := make([]row, len(n.Emails))
	tokens := map[int64]string{}
	for i, email := range n.Emails {
		tokens[ids[i]] = invitationToken(salt, ids[i])
		rows[i] = row{ID: ids[i], Email: email, TokenHash: fmt.Sprintf("%x", hashToken(tokens[ids[i]]))}
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return nil, fmt.Errorf("invite: %w", err)
	}
	var invited []struct {
		ID    int64  `db:"id"`
		Email string `db:"email"`
	}
	if err := tx.SelectContext(ctx, &invited, `
		INSERT INTO survey_invitations (id, survey_id, email, token_hash, lang, created_at)
		SELECT r.id, $1, r.email, decode(r.token_hash, 'hex'), $3, $4
		FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, email text, token_hash text)
		ON CONFLICT (survey_id, email) DO NOTHING
		RETURNING id, email`, id, string(b), *n.Lang, tx.now); err != nil {
		return nil, storeErr(err, "invitation")
	}
	msgs := make([]participation.Message, len(invited))
	for i, inv := range invited {
		msgs[i] = participation.Message{Email: inv.Email, Channel: participation.ChannelEmail, Kind: participation.MessageSurveyInvitation,
			SubjectKind: participation.SubjectSurvey, SubjectID: id, Lang: *n.Lang,
			Params: participation.MessageParams{Title: sv.In(*n.Lang, "title", sv.Title).Text, Token: tokens[inv.ID]}}
	}
	if err := enqueue(ctx, tx, msgs...); err != nil {
		return nil, err
	}
	return &participation.Invited{Invited: len(invited), AlreadyInvited: len(n.Emails) - len(invited)}, tx.Commit()
}

// RemindInvitations reminds every invitation of an open survey that has
// not been answered yet, with its personal link again (officials), and
// returns how many were reminded.
func (s *Store) RemindInvitations(ctx context.Context, id int64) (int, error) {
	tx, err := s.beginOfficial(ctx, participation.RefTo(participation.RefSurvey, id))
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	sv, err := findSurvey(ctx, tx, id, lockUpdate)
	if err != nil {
		return 0, err
	}
	if err := sv.CheckOpen(); err != nil {
		return 0, err
	}
	var salt []byte
	if err := tx.GetContext(ctx, &salt, `SELECT salt FROM surveys WHERE id = $1`, id); err != nil {
		return 0, fmt.Errorf("find survey salt: %w", err)
	}
	var due []struct {
		ID    int64  `db:"id"`
		Email string `db:"email"`
		Lang  string `db:"lang"`
	}
	if err := tx.SelectContext(ctx, &due, `
		UPDATE survey_invitations i SET reminded_at = $2
		WHERE i.survey_id = $1 AND i.token_hash IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM survey_responses r WHERE r.invitation_id = i.id AND r.submitted_at IS NOT NULL)
		RETURNING i.id, i.email, i.lang`, id, tx.now); err != nil {
		return 0, fmt.Errorf("remind invitations: %w", err)
	}
	msgs := make([]participation.Message, len(due))
	for i, inv := range due {
		msgs[i] = participation.Message{Email: inv.Email, Channel: participation.ChannelEmail, Kind: participation.MessageSurveyReminder,
			SubjectKind: participation.SubjectSurvey, SubjectID: id, Lang: inv.Lang,
			Params: participation.MessageParams{Title: sv.In(inv.Lang, "title", sv.Title).Text, Token: invitationToken(salt, inv.ID)}}
	}
	if err := enqueue(ctx, tx, msgs...); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE surveys SET reminded_at = $2 WHERE id = $1`, id, tx.now); err != nil {
		return 0, fmt.Errorf("remind invitations: %w", err)
	}
	return len(due), tx.Commit()
}
