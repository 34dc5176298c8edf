package postgres

// Personal data: every table that holds an account's data or
// contributions, with how it is exported and erased (API.md: GET /me/export,
// DELETE /me). TestPersonalDataCoverage fails when a table that refers to
// accounts is missing here.

import (
	"context"
	"encoding/json"
	"fmt"

	"osallistu/participation"
)

// personalTable is one table holding an account's personal data or
// contributions: how to export it and how to erase it. Every table with a
// foreign key to accounts must be listed (a test checks it).
type personalTable struct {
	table  string // the table, as the test matches it against the schema
	export string // SELECT of the account's rows, $1 the account id
	erase  string // statement that erases or anonymises them, $1 the account id; "" keeps them
}

// accountEmail is the account's email in an export or erase statement:
// tables that name a person by email (invitations, login failures, emails
// waiting) are theirs too. Erasure runs in reverse order, so these come
// after the accounts row, which loses the email last.
const accountEmail = `(SELECT email FROM accounts WHERE id = $1)`

// personalData lists the tables in export order. Later steps add theirs.
var personalData = []personalTable{
	{
		table:  "accounts",
		export: `SELECT id, email, name, municipality, roles, created_at, lang, email_notifications, email_confirmed_at FROM accounts WHERE id = $1`,
		erase: `UPDATE accounts SET email = NULL, password_hash = NULL, name = NULL, municipality = NULL,
			email_confirmed_at = NULL, roles = '{citizen}', erased_at = now() WHERE id = $1`,
	},
	{
		// Failed sign-ins name the account by its email (and no address:
		// those are counted in memory only).
		table:  "login_failures",
		export: `SELECT failed_at FROM login_failures WHERE email = ` + accountEmail,
		erase:  `DELETE FROM login_failures WHERE email = ` + accountEmail,
	},
	{
		// Personal links (confirm an address, a new address, reset the
		// password) go, with their emails to a new address, which the
		// outbox's own row below does not reach (they name no account).
		table:  "account_tokens",
		export: `SELECT purpose, email, created_at, expires_at, used_at FROM account_tokens WHERE account_id = $1`,
		erase: `WITH mail AS (DELETE FROM outbox WHERE account_id IS NULL AND subject_kind = 'account' AND subject_id = $1)
			DELETE FROM account_tokens WHERE account_id = $1`,
	},
	{
		table:  "sessions",
		export: `SELECT created_at, expires_at FROM sessions WHERE account_id = $1`,
		erase:  `DELETE FROM sessions WHERE account_id = $1`,
	},
	{
		// Processes an official created: a contribution, kept; no personal data in it.
		table:  "processes",
		export: `SELECT id, slug, title, created_at FROM processes WHERE created_by = $1`,
	},
	{
		// The processes an official runs: the link goes with the account.
		table:  "process_officials",
		export: `SELECT process_id, added_at FROM process_officials WHERE account_id = $1`,
		erase:  `DELETE FROM process_officials WHERE account_id = $1`,
	},
	{
		table:  "idea_rounds",
		export: `SELECT id, process_id, title, created_at FROM idea_rounds WHERE created_by = $1`,
	},
	{
		// Window changes of idea rounds keep their author, as versions do.
		table:  "idea_round_window_changes",
		export: `SELECT round_id, opens_at_before, opens_at, closes_at_before, closes_at, changed_at FROM idea_round_window_changes WHERE changed_by = $1`,
	},
	{
		// Themes an official merged: the merge is part of the round's history, kept.
		table:  "themes",
		export: `SELECT id, round_id, title, merged_into, merged_at FROM themes WHERE merged_by = $1`,
	},
	{
		// Ideas stay, without the name the author chose to show or the municipality.
		table:  "ideas",
		export: `SELECT id, round_id, title, body, author_name, municipality, language, created_at FROM ideas WHERE author_id = $1`,
		erase:  `UPDATE ideas SET author_name = NULL, municipality = NULL WHERE author_id = $1`,
	},
	{
		table:  "comments",
		export: `SELECT id, idea_id, parent_id, body, author_name, language, created_at FROM comments WHERE author_id = $1`,
		erase:  `UPDATE comments SET author_name = NULL WHERE author_id = $1`,
	},
	{
		// Supports stay counted; with the account erased they name nobody.
		table:  "supports",
		export: `SELECT idea_id, created_at FROM supports WHERE account_id = $1`,
	},
	{
		table:  "reports",
		export: `SELECT kind, item_id, reason, created_at FROM reports WHERE reporter_id = $1`,
		erase:  `UPDATE reports SET reporter_id = NULL WHERE reporter_id = $1`,
	},
	{
		// An official's moderation actions stay in the audit log.
		table:  "moderation_log",
		export: `SELECT kind, item_id, action, reason, created_at FROM moderation_log WHERE actor_id = $1`,
	},
	{
		// Blocks from writing of the account go with it; those an official
		// set or lifted on others stay (the log keeps them too).
		table:  "account_blocks",
		export: `SELECT until, reason, created_at, lifted_at FROM account_blocks WHERE account_id = $1`,
		erase:  `DELETE FROM account_blocks WHERE account_id = $1`,
	},
	{
		// Workshops an official created: a contribution, kept.
		table:  "workshops",
		export: `SELECT id, process_id, title, starts_at, created_at FROM workshops WHERE created_by = $1`,
	},
	{
		// Workshops joined while signed in: the ballots stay, counted, but
		// no longer lead to the account, its name or its municipality.
		table: "participants",
		export: `SELECT pa.workshop_id, pa.name, pa.municipality, pa.created_at,
			(SELECT coalesce(json_agg(json_build_object('poll_id', b.poll_id, 'option_ids', b.option_ids, 'created_at', b.created_at, 'updated_at', b.updated_at)), '[]')
			 FROM ballots b WHERE b.participant_id = pa.id) AS ballots
			FROM participants pa WHERE pa.account_id = $1`,
		erase: `UPDATE participants SET account_id = NULL, name = NULL, municipality = NULL WHERE account_id = $1`,
	},
	{
		// Proposals on a workshop's wall sent while joined signed in (they
		// stay, as the ballots do, no longer leading to the account once
		// its participant is let go above) and those an official hid (an
		// action kept, as the moderation log's).
		table: "proposals",
		export: `SELECT p.id, p.collection_id, p.body, p.created_at, p.hidden_at, p.hidden_by = $1 AS hidden_by_me, p.hidden_reason
			FROM proposals p LEFT JOIN participants pa ON pa.id = p.participant_id
			WHERE pa.account_id = $1 OR p.hidden_by = $1`,
	},
	{
		// Commitments an official drafted or approved: contributions, kept.
		table:  "commitments",
		export: `SELECT id, process_id, title, status, created_by = $1 AS drafted, approved_by = $1 AS approved, created_at FROM commitments WHERE created_by = $1 OR approved_by = $1`,
	},
	{
		// Versions keep their author: who changed a commitment is part of its history.
		table:  "commitment_versions",
		export: `SELECT commitment_id, version, created_at, change_note, changed_fields FROM commitment_versions WHERE author_id = $1`,
	},
	{
		// Milestone status reports keep their author, likewise.
		table:  "milestone_changes",
		export: `SELECT milestone_id, status, note, language, translations, evidence_links, created_at FROM milestone_changes WHERE author_id = $1`,
	},
	{
		// Surveys an official built: contributions, kept.
		table:  "surveys",
		export: `SELECT id, process_id, title, created_at FROM surveys WHERE created_by = $1`,
	},
	{
		// Responses to surveys that take accounts stay counted, without the
		// municipality; those to anonymous surveys name no account at all.
		table: "survey_responses",
		export: `SELECT r.survey_id, r.municipality, r.created_at, r.submitted_at,
			(SELECT json_agg(row_to_json(a)) FROM (SELECT question_id, choice_id, value, x, y, text FROM survey_answers WHERE response_id = r.id) a) AS answers
			FROM survey_responses r WHERE r.account_id = $1`,
		erase: `UPDATE survey_responses SET municipality = NULL WHERE account_id = $1`,
	},
	{
		table:  "follows",
		export: `SELECT kind, item_id, created_at FROM follows WHERE account_id = $1`,
		erase:  `DELETE FROM follows WHERE account_id = $1`,
	},
	{
		// Organisations it registered or verified: contributions, kept.
		table:  "organisations",
		export: `SELECT id, name, business_id, kind, created_by = $1 AS registered, verified_by = $1 AS verified, created_at FROM organisations WHERE created_by = $1 OR verified_by = $1`,
	},
	{
		// Memberships end with the account (API.md: DELETE /me).
		table:  "organisation_members",
		export: `SELECT organisation_id, joined_at FROM organisation_members WHERE account_id = $1`,
		erase:  `DELETE FROM organisation_members WHERE account_id = $1`,
	},
	{
		// Invitations it sent stay for those invited; those sent to its
		// email go.
		table: "organisation_invitations",
		export: `SELECT organisation_id, email, created_at, invited_by = $1 AS sent FROM organisation_invitations
			WHERE invited_by = $1 OR email = ` + accountEmail,
		erase: `DELETE FROM organisation_invitations WHERE email = ` + accountEmail,
	},
	{
		// Newsletter subscriptions name their subscriber by email only; the
		// deliveries and the waiting digests go with them.
		table:  "subscriptions",
		export: `SELECT process_id, lang, frequency, created_at, confirmed_at FROM subscriptions WHERE email = ` + accountEmail,
		erase: `WITH mail AS (DELETE FROM outbox WHERE subject_kind = 'subscription' AND email = ` + accountEmail + `)
			DELETE FROM subscriptions WHERE email = ` + accountEmail,
	},
	{
		// An official's introductions to digests are the process's texts.
		table:  "newsletter_intros",
		export: `SELECT process_id, frequency, period_start, intro, updated_at FROM newsletter_intros WHERE author_id = $1`,
		erase:  `UPDATE newsletter_intros SET author_id = NULL WHERE author_id = $1`,
	},
	{
		// Survey invitations to its email: the responses given by the link
		// stay, so the invitation does too, without the email or the link.
		table:  "survey_invitations",
		export: `SELECT survey_id, lang, created_at, reminded_at FROM survey_invitations WHERE email = ` + accountEmail,
		erase:  `UPDATE survey_invitations SET email = NULL, token_hash = NULL WHERE email = ` + accountEmail,
	},
	{
		// Statement requests an official wrote: contributions, kept.
		table:  "statement_requests",
		export: `SELECT id, process_id, title, published_at, created_at FROM statement_requests WHERE created_by = $1`,
	},
	{
		// Statement requests sent to its email.
		table:  "statement_request_emails",
		export: `SELECT request_id FROM statement_request_emails WHERE email = ` + accountEmail,
		erase:  `DELETE FROM statement_request_emails WHERE email = ` + accountEmail,
	},
	{
		table:  "statement_questions",
		export: `SELECT id, request_id, prompt, response, responded_at FROM statement_questions WHERE responded_by = $1`,
	},
	{
		table:  "attachments",
		export: `SELECT id, request_id, filename, content_type, size, created_at FROM attachments WHERE created_by = $1`,
	},
	{
		// Submitted statements stay, without the author's name; drafts for
		// the person themselves are private, and go. An organisation's
		// draft stays for its other members.
		table: "statements",
		export: `SELECT s.id, s.request_id, s.organisation_id, s.summary, s.language, s.submitted_at, s.created_at, s.updated_at,
			(SELECT coalesce(json_agg(json_build_object('question_id', a.question_id, 'position', a.position, 'text', a.text)), '[]')
			 FROM statement_answers a WHERE a.statement_id = s.id) AS answers
			FROM statements s WHERE s.author_id = $1`,
		erase: `WITH drafts AS (SELECT id FROM statements WHERE author_id = $1 AND organisation_id IS NULL AND submitted_at IS NULL),
			answers AS (DELETE FROM statement_answers WHERE statement_id IN (SELECT id FROM drafts))
			DELETE FROM statements WHERE id IN (SELECT id FROM drafts)`,
	},
	{
		// Events an official added: contributions, kept.
		table:  "events",
		export: `SELECT id, process_id, title, starts_at, ends_at, location, created_at FROM events WHERE created_by = $1`,
	},
	{
		// Registrations of the account, and those made with its address
		// (the same person), with their answers: all go with the account.
		table: "registrations",
		export: `SELECT r.id, r.event_id, r.name, r.email, r.status, r.attended, r.created_at, r.confirmed_at, r.cancelled_at,
			(SELECT coalesce(json_agg(json_build_object('question_id', a.question_id, 'text', a.text)), '[]')
			 FROM registration_answers a WHERE a.registration_id = r.id) AS answers
			FROM registrations r WHERE r.account_id = $1 OR r.email = ` + accountEmail,
		erase: `DELETE FROM registrations WHERE account_id = $1 OR email = ` + accountEmail,
	},
	{
		// Messages to the account, and emails to its address that named no
		// account (invitations); an email still waiting goes with them, unsent.
		table: "outbox",
		export: `SELECT channel, kind, subject_kind, subject_id, params, lang, created_at, read_at, sent_at, failed_at FROM outbox
			WHERE account_id = $1 OR (account_id IS NULL AND email = ` + accountEmail + `)`,
		erase: `DELETE FROM outbox WHERE account_id = $1 OR (account_id IS NULL AND email = ` + accountEmail + `)`,
	},
}

// ExportAccount returns every row of personal data and contributions of the
// signed-in account, table by table.
func (s *Store) ExportAccount(ctx context.Context) (*participation.AccountExport, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out := &participation.AccountExport{Account: me, ExportedAt: tx.now, Data: map[string]json.RawMessage{}}
	for _, p := range personalData {
		var rows []byte
		if err := tx.GetContext(ctx, &rows,
			`SELECT coalesce(json_agg(row_to_json(x)), '[]') FROM (`+p.export+`) x`, me.ID); err != nil {
			return nil, fmt.Errorf("export %s: %w", p.table, err)
		}
		out.Data[p.table] = rows
	}
	return out, tx.Commit()
}

// EraseAccount erases the signed-in account's personal data. Contributions
// stay, without the author's name; sessions end; the account cannot sign in.
// A seat its registrations held goes to the event's first waitlisted, who
// is told, as when a registration is cancelled.
func (s *Store) EraseAccount(ctx context.Context) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The seats the account holds go to the waitlisted once its
	// registrations are gone.
	seats, err := lockSeatsOf(ctx, tx, me.ID)
	if err != nil {
		return err
	}
	// Reverse order: dependents first, the account row last.
	for i := len(personalData) - 1; i >= 0; i-- {
		if p := personalData[i]; p.erase != "" {
			if _, err := tx.ExecContext(ctx, p.erase, me.ID); err != nil {
				return fmt.Errorf("erase %s: %w", p.table, err)
			}
		}
	}
	if err := refillSeats(ctx, tx, seats); err != nil {
		return err
	}
	return tx.Commit()
}

// PersonalDataTables names the tables that export and erasure cover, for the
// test that checks every table referring to accounts is among them.
func PersonalDataTables() []string {
	names := make([]string, len(personalData))
	for i, p := range personalData {
		names[i] = p.table
	}
	return names
}
