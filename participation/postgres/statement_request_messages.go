package postgres

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// recipient is an account that a statement request's message goes to,
// with its language and the organisation it gets the message as a member of.
type recipient struct {
	AccountID        int64  `db:"account_id"`
	Lang             string `db:"lang"`
	OrganisationName string `db:"organisation_name"`
}

// invite writes the invitations to request r: to every member of each of
// its invited organisations, in the app and by email, in the member's
// language; and to each invited address, as the account with that
// address, or by email in the request's language when no account has it.
func invite(ctx context.Context, tx *Tx, r *participation.StatementRequest) error {
	var members []recipient
	if len(r.InvitedOrganisationIDs) > 0 {
		if err := tx.SelectContext(ctx, &members, `
			SELECT m.account_id, a.lang, o.name AS organisation_name
			FROM organisation_members m JOIN organisations o ON o.id = m.organisation_id JOIN accounts a ON a.id = m.account_id
			WHERE m.organisation_id = ANY($1) AND a.erased_at IS NULL
			ORDER BY o.id, m.account_id`, pq.Array(r.InvitedOrganisationIDs)); err != nil {
			return fmt.Errorf("find invited members: %w", err)
		}
	}
	reached := map[int64]bool{}
	for _, m := range members {
		reached[m.AccountID] = true
	}
	var emails []struct {
		Email     string `db:"email"`
		AccountID *int64 `db:"account_id"`
		Lang      string `db:"lang"`
	}
	if len(r.InvitedEmails) > 0 {
		if err := tx.SelectContext(ctx, &emails, `
			SELECT e.email, a.id AS account_id, coalesce(a.lang, '') AS lang
			FROM unnest($1::text[]) AS e(email) LEFT JOIN accounts a ON a.email = e.email AND a.erased_at IS NULL
			ORDER BY e.email`, pq.Array(r.InvitedEmails)); err != nil {
			return fmt.Errorf("find invited addresses: %w", err)
		}
	}
	msgs := requestMessages(r, participation.MessageStatementInvitation, members)
	for _, e := range emails {
		switch {
		case e.AccountID != nil && !reached[*e.AccountID]:
			reached[*e.AccountID] = true
			msgs = append(msgs, requestMessages(r, participation.MessageStatementInvitation, []recipient{{AccountID: *e.AccountID, Lang: e.Lang}})...)
		case e.AccountID == nil:
			lang := r.OwnLanguage()
			msgs = append(msgs, participation.Message{Email: e.Email, Channel: participation.ChannelEmail,
				Kind: participation.MessageStatementInvitation, SubjectKind: participation.SubjectStatementRequest, SubjectID: r.ID,
				Lang: lang, Params: participation.MessageParams{Title: r.In(lang, "title", r.Title).Text, Deadline: &r.Deadline}})
		}
	}
	return enqueue(ctx, tx, msgs...)
}

// requestMessages are a message of kind about request r to each
// recipient, in the app and by email, in the recipient's language (the
// request's title too, where it has that translation).
func requestMessages(r *participation.StatementRequest, kind string, to []recipient) []participation.Message {
	out := make([]participation.Message, 0, 2*len(to))
	for _, rc := range to {
		id := rc.AccountID
		for _, ch := range participation.MessageChannels {
			out = append(out, participation.Message{AccountID: &id, Channel: ch, Kind: kind,
				SubjectKind: participation.SubjectStatementRequest, SubjectID: r.ID, Lang: rc.Lang,
				Params: participation.MessageParams{Title: r.In(rc.Lang, "title", r.Title).Text,
					OrganisationName: rc.OrganisationName, Deadline: &r.Deadline}})
		}
	}
	return out
}

// SendStatementReminders reminds the members of invited organisations that
// have not submitted a statement, once ReminderLead or less is left before
// the deadline of an open request. A request is reminded of once for its
// deadline (again only if the deadline moves later than ReminderLead after
// the reminder), and not at all when it was published within ReminderLead
// of its deadline: its invitation is as recent. Marking and writing the
// reminders is one transaction, and SKIP LOCKED keeps server instances
// that sweep at once from reminding twice. It returns how many requests
// it reminded of.
func (s *Store) SendStatementReminders(ctx context.Context) (int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	lead := participation.ReminderLead.Seconds()
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, `
		UPDATE statement_requests SET reminded_at = $1
		WHERE id IN (
			SELECT id FROM statement_requests
			WHERE published_at IS NOT NULL AND deadline > $1 AND deadline <= $1 + make_interval(secs => $2)
			  AND published_at < deadline - make_interval(secs => $2)
			  AND (reminded_at IS NULL OR reminded_at < deadline - make_interval(secs => $2))
			FOR UPDATE SKIP LOCKED)
		RETURNING id`, tx.now, lead); err != nil {
		return 0, fmt.Errorf("mark reminders: %w", err)
	}
	for _, id := range ids {
		var r participation.StatementRequest
		if err := tx.GetContext(ctx, &r, statementRequestSelect+` WHERE r.id = $1`, id); err != nil {
			return 0, storeErr(err, "statement request")
		}
		var to []recipient
		if err := tx.SelectContext(ctx, &to, `
			SELECT m.account_id, a.lang, o.name AS organisation_name
			FROM statement_request_organisations l JOIN organisations o ON o.id = l.organisation_id
			JOIN organisation_members m ON m.organisation_id = o.id JOIN accounts a ON a.id = m.account_id
			WHERE l.request_id = $1 AND a.erased_at IS NULL AND NOT EXISTS (
				SELECT 1 FROM statements s WHERE s.request_id = l.request_id AND s.organisation_id = o.id AND s.submitted_at IS NOT NULL)
			ORDER BY o.id, m.account_id`, id); err != nil {
			return 0, fmt.Errorf("find members to remind: %w", err)
		}
		if err := enqueue(ctx, tx, requestMessages(&r, participation.MessageStatementReminder, to)...); err != nil {
			return 0, err
		}
	}
	return len(ids), tx.Commit()
}
