package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lib/pq"

	"osallistu/participation"
)

// SessionLifetime is how long a session token stays valid.
const SessionLifetime = 30 * 24 * time.Hour

// accountRow is an accounts row as scanned.
type accountRow struct {
	participation.Account
	Roles        pq.StringArray `db:"roles"`
	PasswordHash *string        `db:"password_hash"`
	Email        *string        `db:"email"`
	Name         *string        `db:"name"`
}

func (r *accountRow) account() *participation.Account {
	a := r.Account
	a.Roles = []string(r.Roles)
	if r.Email != nil {
		a.Email = *r.Email
	}
	if r.Name != nil {
		a.Name = *r.Name
	}
	return &a
}

const accountColumns = `id, email, name, municipality, roles, created_at, password_hash`

// CreateAccount registers a citizen account.
func (s *Store) CreateAccount(ctx context.Context, n participation.NewAccount) (*participation.Account, error) {
	n.Normalize()
	if err := n.Validate(); err != nil {
		return nil, err
	}
	// Hashed before the email is looked up, so that a taken email takes as
	// long to answer as a free one.
	hash, err := participation.HashPassword(ctx, n.Password)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	a, err := insertAccount(ctx, tx, n, hash, []string{participation.RoleCitizen})
	if err != nil {
		return nil, err
	}
	return a, tx.Commit()
}

func insertAccount(ctx context.Context, tx *Tx, n participation.NewAccount, hash string, roles []string) (*participation.Account, error) {
	var row accountRow
	err := tx.GetContext(ctx, &row, `
		INSERT INTO accounts (email, password_hash, name, municipality, roles, created_at, lang)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		RETURNING `+accountColumns,
		n.Email, hash, n.Name, n.Municipality, pq.Array(roles), tx.now, n.Lang)
	if participation.ErrorCode(storeErr(err, "account")) == participation.ECONFLICT {
		f := participation.FieldErrors{}
		f.Add("email", participation.RuleTaken, 0)
		return nil, &participation.Error{Code: participation.ECONFLICT, Message: "An account with this email already exists.", Fields: f}
	} else if err != nil {
		return nil, storeErr(err, "account")
	}
	if err := acceptInvitations(ctx, tx, row.ID, n.Email); err != nil {
		return nil, err
	}
	return row.account(), nil
}

// CreateSession checks the credentials and starts a session. Failures are
// throttled per account and address (participation.LoginFailureLimit): an
// address with too many is refused at once; any other attempt on the account
// first waits participation.LoginDelay for the failures from every address.
// The same message is given for an unknown email and a wrong password.
//
// The password is checked outside any transaction, since it may wait for a
// hash slot; the transaction that starts the session then checks that the
// account still has the hash that matched. Parallel attempts from one
// address may pass the limit by as many as are under way at once (the
// server limits failures per address too).
func (s *Store) CreateSession(ctx context.Context, email, password string) (*participation.Session, error) {
	email = participation.NormalizeEmail(email)
	if len(email) > participation.EmailMax {
		// No account has it, and it would not fit login_failures' index.
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "The email or password is wrong.")
	}
	address := participation.AddressFromContext(ctx)

	var failures struct {
		FromAddress int `db:"from_address"`
		All         int `db:"all_addresses"`
	}
	if err := s.db.GetContext(ctx, &failures, `
		SELECT count(*) FILTER (WHERE address = $2) AS from_address, count(*) AS all_addresses
		FROM login_failures WHERE email = $1 AND failed_at > $3`,
		email, address, s.now().Add(-participation.LoginFailureWindow)); err != nil {
		return nil, fmt.Errorf("count login failures: %w", err)
	}
	if failures.FromAddress >= participation.LoginFailureLimit {
		return nil, participation.Errorf(participation.ERATELIMITED, "Too many failed sign-in attempts. Try again in 15 minutes.")
	}
	if err := sleep(ctx, s.loginDelayOf(failures.All)); err != nil {
		return nil, err
	}

	var row accountRow
	err := s.db.GetContext(ctx, &row, `SELECT `+accountColumns+` FROM accounts WHERE email = $1 AND erased_at IS NULL`, email)
	if err != nil && err != errNoRows {
		return nil, fmt.Errorf("find account: %w", err)
	}
	var hash *string
	if err == nil {
		hash = row.PasswordHash
	}
	ok, err := participation.CheckPasswordOrDummy(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	wrong := participation.Errorf(participation.EUNAUTHENTICATED, "The email or password is wrong.")

	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if !ok {
		// Failures older than the window count no more: they go as new ones come.
		if _, err := tx.ExecContext(ctx, `
			WITH old AS (DELETE FROM login_failures WHERE email = $1 AND failed_at <= $4)
			INSERT INTO login_failures (email, address, failed_at) VALUES ($1, $2, $3)`,
			email, address, tx.now, tx.now.Add(-participation.LoginFailureWindow)); err != nil {
			return nil, fmt.Errorf("record login failure: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
		return nil, wrong
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO sessions (token_hash, account_id, created_at, expires_at)
		SELECT $1, id, $3, $4 FROM accounts WHERE id = $2 AND erased_at IS NULL AND password_hash = $5`,
		hashToken(token), row.ID, tx.now, tx.now.Add(SessionLifetime), *hash)
	if err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	} else if n == 0 {
		return nil, wrong // erased, or given another password, since the check
	}
	// Only this address's failures go: another address's lock stays.
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE email = $1 AND address = $2`, email, address); err != nil {
		return nil, fmt.Errorf("clear login failures: %w", err)
	}
	return &participation.Session{Token: token, Account: row.account()}, tx.Commit()
}

// SetLoginDelay replaces participation.LoginDelay, the wait of a sign-in on
// an account with recent failures; tests that fail many sign-ins on purpose
// make it shorter. Call it before the store is used.
func (s *Store) SetLoginDelay(delay func(failures int) time.Duration) { s.loginDelay = delay }

func (s *Store) loginDelayOf(failures int) time.Duration {
	if s.loginDelay != nil {
		return s.loginDelay(failures)
	}
	return participation.LoginDelay(failures)
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("sign-in delay: %w", ctx.Err())
	}
}

// FindAccountByToken returns the account of a live session. Roles are read on
// every request, so a change of roles takes effect at once.
func (s *Store) FindAccountByToken(ctx context.Context, token string) (*participation.Account, error) {
	var row accountRow
	err := s.db.GetContext(ctx, &row, `
		SELECT a.id, a.email, a.name, a.municipality, a.roles, a.created_at, a.password_hash
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.erased_at IS NULL`,
		hashToken(token), s.now())
	if err == errNoRows {
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "The session has ended. Sign in again.")
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	return row.account(), nil
}

// DeleteSession revokes a token.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// FindAccountByID returns one account that has not been erased.
func (s *Store) FindAccountByID(ctx context.Context, id int64) (*participation.Account, error) {
	var row accountRow
	err := s.db.GetContext(ctx, &row, `SELECT `+accountColumns+` FROM accounts WHERE id = $1 AND erased_at IS NULL`, id)
	if err != nil {
		return nil, storeErr(err, "account")
	}
	return row.account(), nil
}

// FindAccounts lists accounts, newest first (admins only).
func (s *Store) FindAccounts(ctx context.Context, f participation.AccountFilter) ([]*participation.Account, int, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleAdmin); err != nil {
		return nil, 0, err
	}
	where := `erased_at IS NULL AND ($1 = '' OR email ILIKE '%' || $1 || '%' OR name ILIKE '%' || $1 || '%')`
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT count(*) FROM accounts WHERE `+where, f.Query); err != nil {
		return nil, 0, fmt.Errorf("count accounts: %w", err)
	}
	var rows []accountRow
	if err := s.db.SelectContext(ctx, &rows,
		`SELECT `+accountColumns+` FROM accounts WHERE `+where+` ORDER BY id DESC LIMIT $2 OFFSET $3`,
		f.Query, f.Limit, f.Offset); err != nil {
		return nil, 0, fmt.Errorf("find accounts: %w", err)
	}
	out := make([]*participation.Account, len(rows))
	for i := range rows {
		out[i] = rows[i].account()
	}
	return out, total, nil
}

// SetRoles replaces an account's roles (admins only).
func (s *Store) SetRoles(ctx context.Context, id int64, roles []string) (*participation.Account, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleAdmin); err != nil {
		return nil, err
	}
	roles, err := participation.NormalizeRoles(roles)
	if err != nil {
		return nil, err
	}
	var row accountRow
	err = s.db.GetContext(ctx, &row,
		`UPDATE accounts SET roles = $2 WHERE id = $1 AND erased_at IS NULL RETURNING `+accountColumns,
		id, pq.Array(roles))
	if err != nil {
		return nil, storeErr(err, "account")
	}
	return row.account(), nil
}

// EnsureAdmin makes sure an account with the admin and official roles exists
// for email: it creates one, or adds the roles to an existing one (its
// password is then left as it is). Calling it again changes nothing.
func (s *Store) EnsureAdmin(ctx context.Context, email, password, name string) (*participation.Account, error) {
	n := participation.NewAccount{Email: email, Password: password, Name: name}
	n.Normalize()
	if err := n.ValidateAdmin(); err != nil {
		return nil, fmt.Errorf("admin account: %w", err)
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var row accountRow
	err = tx.GetContext(ctx, &row, `
		UPDATE accounts SET roles = ARRAY(SELECT DISTINCT unnest(roles || '{official,admin}'::text[]))
		WHERE email = $1 AND erased_at IS NULL RETURNING `+accountColumns, n.Email)
	if err == errNoRows {
		hash, err := participation.HashPassword(ctx, n.Password)
		if err != nil {
			return nil, err
		}
		roles := []string{participation.RoleCitizen, participation.RoleOfficial, participation.RoleAdmin}
		a, err := insertAccount(ctx, tx, n, hash, roles)
		if err != nil {
			return nil, err
		}
		return a, tx.Commit()
	} else if err != nil {
		return nil, fmt.Errorf("ensure admin: %w", err)
	}
	a := row.account()
	a.Roles, _ = participation.NormalizeRoles(a.Roles)
	return a, tx.Commit()
}

// personalTable is one table holding an account's personal data or
// contributions: how to export it and how to erase it. Every table with a
// foreign key to accounts must be listed (a test checks it).
type personalTable struct {
	table  string // the table, as the test matches it against the schema
	export string // SELECT of the account's rows, $1 the account id
	erase  string // statement that erases or anonymises them, $1 the account id; "" keeps them
}

// personalData lists the tables in export order. Later steps add theirs.
var personalData = []personalTable{
	{
		table:  "accounts",
		export: `SELECT id, email, name, municipality, roles, created_at, lang, email_notifications FROM accounts WHERE id = $1`,
		// login_failures has no account id, only the email: erase it with the account.
		erase: `WITH gone AS (DELETE FROM login_failures WHERE email = (SELECT email FROM accounts WHERE id = $1))
			UPDATE accounts SET email = NULL, password_hash = NULL, name = NULL, municipality = NULL,
			roles = '{citizen}', erased_at = now() WHERE id = $1`,
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
		table:  "idea_rounds",
		export: `SELECT id, process_id, title, created_at FROM idea_rounds WHERE created_by = $1`,
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
		// Workshops an official created: a contribution, kept.
		table:  "workshops",
		export: `SELECT id, process_id, title, starts_at, created_at FROM workshops WHERE created_by = $1`,
	},
	{
		// Workshops joined while signed in: the ballots stay, counted, but
		// no longer lead to the account, its name or its municipality.
		table:  "participants",
		export: `SELECT workshop_id, name, municipality, created_at FROM participants WHERE account_id = $1`,
		erase:  `UPDATE participants SET account_id = NULL, name = NULL, municipality = NULL WHERE account_id = $1`,
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
		export: `SELECT milestone_id, status, note, evidence_links, created_at FROM milestone_changes WHERE author_id = $1`,
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
		// Invitations it sent stay for those invited.
		table:  "organisation_invitations",
		export: `SELECT organisation_id, email, created_at FROM organisation_invitations WHERE invited_by = $1`,
	},
	{
		// Statement requests an official wrote: contributions, kept.
		table:  "statement_requests",
		export: `SELECT id, process_id, title, published_at, created_at FROM statement_requests WHERE created_by = $1`,
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
		export: `SELECT s.id, s.request_id, s.organisation_id, s.summary, s.submitted_at, s.created_at, s.updated_at,
			(SELECT coalesce(json_agg(json_build_object('question_id', a.question_id, 'position', a.position, 'text', a.text)), '[]')
			 FROM statement_answers a WHERE a.statement_id = s.id) AS answers
			FROM statements s WHERE s.author_id = $1`,
		erase: `WITH drafts AS (SELECT id FROM statements WHERE author_id = $1 AND organisation_id IS NULL AND submitted_at IS NULL),
			answers AS (DELETE FROM statement_answers WHERE statement_id IN (SELECT id FROM drafts))
			DELETE FROM statements WHERE id IN (SELECT id FROM drafts)`,
	},
	{
		// Messages to the account; an email still waiting goes with them, unsent.
		table:  "outbox",
		export: `SELECT channel, kind, subject_kind, subject_id, params, lang, created_at, read_at, sent_at, failed_at FROM outbox WHERE account_id = $1`,
		erase:  `DELETE FROM outbox WHERE account_id = $1`,
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
	// Reverse order: dependents first, the account row last.
	for i := len(personalData) - 1; i >= 0; i-- {
		if p := personalData[i]; p.erase != "" {
			if _, err := tx.ExecContext(ctx, p.erase, me.ID); err != nil {
				return fmt.Errorf("erase %s: %w", p.table, err)
			}
		}
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
