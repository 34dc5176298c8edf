package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/lib/pq"

	"osallistu/participation"
)

// messageRow is an outbox row as scanned: the parameters as JSON.
type messageRow struct {
	participation.Message
	Params []byte `db:"params"`
}

func (r *messageRow) message() (*participation.Message, error) {
	m := r.Message
	if err := json.Unmarshal(r.Params, &m.Params); err != nil {
		return nil, fmt.Errorf("message %d params: %w", m.ID, err)
	}
	return &m, nil
}

func messages(rows []messageRow) ([]*participation.Message, error) {
	out := make([]*participation.Message, len(rows))
	for i := range rows {
		m, err := rows[i].message()
		if err != nil {
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

// messageColumns reads an outbox row o with the address an email goes to:
// the one written, or the account's as it is now.
const messageColumns = `o.id, o.account_id, coalesce(o.email, '') AS email,
	coalesce(o.email, (SELECT a.email FROM accounts a WHERE a.id = o.account_id), '') AS address,
	o.channel, o.kind, o.subject_kind, o.subject_id, o.params, o.lang, o.created_at, o.read_at,
	o.attempts, o.next_attempt_at, o.sent_at, coalesce(o.last_error, '') AS last_error, o.failed_at`

// Enqueue writes messages in a transaction of their own, for callers that
// have no change of their own to write them with.
func (s *Store) Enqueue(ctx context.Context, msgs ...participation.Message) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := enqueue(ctx, tx, msgs...); err != nil {
		return err
	}
	return tx.Commit()
}

// enqueueRow is a message as enqueue hands it to PostgreSQL.
type enqueueRow struct {
	AccountID   *int64                      `json:"account_id"`
	Email       *string                     `json:"email"`
	Channel     string                      `json:"channel"`
	Kind        string                      `json:"kind"`
	SubjectKind string                      `json:"subject_kind"`
	SubjectID   int64                       `json:"subject_id"`
	Params      participation.MessageParams `json:"params"`
	Lang        *string                     `json:"lang"`
	OptIn       bool                        `json:"opt_in"`
	Position    int                         `json:"position"`
}

// enqueue writes messages in the transaction of the change they tell of,
// so that they exist exactly when the change does. Store code that causes
// messages calls it. A message to an account without a language takes the
// account's (none only for an account that does not exist, which the
// foreign key then refuses); an opt-in email goes only to an account that
// asked for email and confirmed its address; an erased account gets
// nothing. Emails are due at once, and the store's OnEmail hook hears of
// them once the transaction commits.
// One statement, however many messages.
func enqueue(ctx context.Context, tx *Tx, msgs ...participation.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	rows := make([]enqueueRow, len(msgs))
	for i := range msgs {
		m := msgs[i]
		m.Normalize()
		if err := m.Validate(); err != nil {
			return fmt.Errorf("enqueue %s message: %w", m.Kind, err)
		}
		rows[i] = enqueueRow{AccountID: m.AccountID, Channel: m.Channel, Kind: m.Kind, SubjectKind: m.SubjectKind,
			SubjectID: m.SubjectID, Params: m.Params, OptIn: m.OptIn(), Position: i}
		if m.Email != "" {
			rows[i].Email = &m.Email
		}
		if m.Lang != "" {
			rows[i].Lang = &m.Lang
		}
	}
	batch, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	var emails int
	err = tx.GetContext(ctx, &emails, `
		WITH written AS (
			INSERT INTO outbox (account_id, email, channel, kind, subject_kind, subject_id, params, lang, created_at, next_attempt_at)
			SELECT m.account_id, m.email, m.channel, m.kind, m.subject_kind, m.subject_id, m.params,
			       coalesce(m.lang, a.lang, 'fi'), $2, CASE WHEN m.channel = 'email' THEN $2::timestamptz END
			FROM jsonb_to_recordset($1::jsonb) AS m(account_id bigint, email text, channel text, kind text,
			     subject_kind text, subject_id bigint, params jsonb, lang text, opt_in boolean, position int)
			LEFT JOIN accounts a ON a.id = m.account_id
			WHERE (m.account_id IS NULL OR a.erased_at IS NULL)
			  AND NOT (m.opt_in AND NOT (coalesce(a.email_notifications, false) AND a.email_confirmed_at IS NOT NULL))
			ORDER BY m.position
			RETURNING channel
		)
		SELECT count(*) FILTER (WHERE channel = 'email') FROM written`, string(batch), tx.now)
	if err != nil {
		return storeErr(err, "message")
	}
	if emails > 0 {
		tx.emailed = true
	}
	return nil
}

// ClaimDue hands up to limit due emails to the calling sender: each is
// counted as an attempt and moved out of reach for OutboxLease. FOR UPDATE
// SKIP LOCKED lets several server instances claim at once without waiting
// for, or taking, each other's.
func (s *Store) ClaimDue(ctx context.Context, limit int) ([]*participation.Message, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var rows []messageRow
	if err := tx.SelectContext(ctx, &rows, `
		WITH due AS (
			SELECT id FROM outbox
			WHERE channel = 'email' AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
			ORDER BY next_attempt_at, id
			LIMIT $3
			FOR UPDATE SKIP LOCKED
		)
		UPDATE outbox o SET attempts = o.attempts + 1, next_attempt_at = $2
		FROM due WHERE o.id = due.id
		RETURNING `+messageColumns,
		tx.now, tx.now.Add(participation.OutboxLease), limit); err != nil {
		return nil, fmt.Errorf("claim due messages: %w", err)
	}
	out, err := messages(rows)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *participation.Message) int { return cmp.Compare(a.ID, b.ID) })
	return out, tx.Commit()
}

// MarkSent records that the SMTP server accepted an email. Marking it again
// keeps the first time; an email given up meanwhile was sent after all.
func (s *Store) MarkSent(ctx context.Context, id int64) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var got int64
	if err := tx.GetContext(ctx, &got, `
		UPDATE outbox SET sent_at = coalesce(sent_at, $2), next_attempt_at = NULL, last_error = NULL, failed_at = NULL
		WHERE id = $1 AND channel = 'email'
		RETURNING id`, id, tx.now); err != nil {
		return storeErr(err, "email message")
	}
	return tx.Commit()
}

// MarkFailed records a failed attempt and when to try again: retryIn from
// now, or, when retryIn is not positive, never (the email failed). An email
// another sender has sent meanwhile stays sent.
func (s *Store) MarkFailed(ctx context.Context, id int64, reason string, retryIn time.Duration) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var next, failed *time.Time
	if retryIn > 0 {
		t := tx.now.Add(retryIn)
		next = &t
	} else {
		failed = &tx.now
	}
	var got int64
	if err := tx.GetContext(ctx, &got, `
		UPDATE outbox SET last_error = CASE WHEN sent_at IS NULL THEN $2 ELSE last_error END,
		       next_attempt_at = CASE WHEN sent_at IS NULL THEN $3 ELSE next_attempt_at END,
		       failed_at = CASE WHEN sent_at IS NULL THEN $4 ELSE failed_at END
		WHERE id = $1 AND channel = 'email'
		RETURNING id`, id, reason, next, failed); err != nil {
		return storeErr(err, "email message")
	}
	return tx.Commit()
}

// messageStates are the conditions of each state, for FindMessages.
var messageStates = map[string]string{
	participation.MessageWaiting: `o.channel = 'email' AND o.sent_at IS NULL AND o.failed_at IS NULL`,
	participation.MessageSent:    `o.sent_at IS NOT NULL`,
	participation.MessageFailed:  `o.failed_at IS NOT NULL`,
	participation.MessageUnread:  `o.channel = 'in_app' AND o.read_at IS NULL`,
	participation.MessageRead:    `o.read_at IS NOT NULL`,
	"":                           `true`,
}

// FindMessages lists messages, newest first, for admins.
func (s *Store) FindMessages(ctx context.Context, f participation.MessageFilter) ([]*participation.Message, int, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleAdmin); err != nil {
		return nil, 0, err
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where := ` WHERE ` + messageStates[f.State] + ` AND ($1 = '' OR o.channel = $1)`
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM outbox o`+where, f.Channel); err != nil {
		return nil, 0, fmt.Errorf("count messages: %w", err)
	}
	var rows []messageRow
	if err := tx.SelectContext(ctx, &rows, `SELECT `+messageColumns+` FROM outbox o`+where+`
		ORDER BY o.id DESC LIMIT $2 OFFSET $3`, f.Channel, f.Limit, f.Offset); err != nil {
		return nil, 0, fmt.Errorf("find messages: %w", err)
	}
	out, err := messages(rows)
	if err != nil {
		return nil, 0, err
	}
	for _, m := range out {
		m.HideSubscriber()
	}
	return out, total, tx.Commit()
}

// FindMessage returns one message, for admins.
func (s *Store) FindMessage(ctx context.Context, id int64) (*participation.Message, error) {
	if _, err := participation.RequireRole(ctx, participation.RoleAdmin); err != nil {
		return nil, err
	}
	var row messageRow
	if err := s.db.GetContext(ctx, &row, `SELECT `+messageColumns+` FROM outbox o WHERE o.id = $1`, id); err != nil {
		return nil, storeErr(err, "message")
	}
	m, err := row.message()
	if err != nil {
		return nil, err
	}
	m.HideSubscriber()
	return m, nil
}

// FindInAppMessages lists the signed-in account's in-app messages, newest
// first: the news of what it follows.
func (s *Store) FindInAppMessages(ctx context.Context, f participation.InAppFilter) ([]*participation.Message, int, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, 0, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where := ` WHERE o.account_id = $1 AND o.channel = 'in_app' AND (NOT $2 OR o.read_at IS NULL)`
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM outbox o`+where, me.ID, f.UnreadOnly); err != nil {
		return nil, 0, fmt.Errorf("count in-app messages: %w", err)
	}
	var rows []messageRow
	if err := tx.SelectContext(ctx, &rows, `SELECT `+messageColumns+` FROM outbox o`+where+`
		ORDER BY o.id DESC LIMIT $3 OFFSET $4`, me.ID, f.UnreadOnly, f.Limit, f.Offset); err != nil {
		return nil, 0, fmt.Errorf("find in-app messages: %w", err)
	}
	out, err := messages(rows)
	if err != nil {
		return nil, 0, err
	}
	return out, total, tx.Commit()
}

// MarkRead marks the signed-in account's in-app messages read: those of
// ids (another's are left alone), or all when ids is empty. It returns how
// many stay unread. An id below 1 is no id at all (EINVALID).
func (s *Store) MarkRead(ctx context.Context, ids []int64) (int, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if id < 1 {
			f := participation.FieldErrors{}
			f.Add("ids", participation.RuleFormat, 0)
			return 0, f.Err()
		}
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if ids == nil {
		ids = []int64{}
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE outbox SET read_at = $2
		WHERE account_id = $1 AND channel = 'in_app' AND read_at IS NULL
		  AND (cardinality($3::bigint[]) = 0 OR id = ANY($3))`,
		me.ID, tx.now, pq.Array(ids)); err != nil {
		return 0, fmt.Errorf("mark messages read: %w", err)
	}
	var unread int
	if err := tx.GetContext(ctx, &unread, `
		SELECT count(*) FROM outbox WHERE account_id = $1 AND channel = 'in_app' AND read_at IS NULL`, me.ID); err != nil {
		return 0, fmt.Errorf("count unread messages: %w", err)
	}
	return unread, tx.Commit()
}

// CountUnread counts the signed-in account's unread in-app messages, for
// the navigation of every page: one count on a partial index.
func (s *Store) CountUnread(ctx context.Context) (int, error) {
	me := participation.AccountFromContext(ctx)
	if me == nil {
		return 0, nil
	}
	var n int
	if err := s.db.GetContext(ctx, &n, `
		SELECT count(*) FROM outbox WHERE account_id = $1 AND channel = 'in_app' AND read_at IS NULL`, me.ID); err != nil {
		return 0, fmt.Errorf("count unread messages: %w", err)
	}
	return n, nil
}

// FindMessageSettings returns the signed-in account's message settings.
func (s *Store) FindMessageSettings(ctx context.Context) (*participation.MessageSettings, error) {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return nil, err
	}
	var st participation.MessageSettings
	if err := s.db.GetContext(ctx, &st, `
		SELECT lang, email_notifications FROM accounts WHERE id = $1 AND erased_at IS NULL`, me.ID); err != nil {
		return nil, storeErr(err, "account")
	}
	return &st, nil
}

// SetEmailNotifications turns the signed-in account's emails of what it
// follows on or off. It applies to messages written from then on.
func (s *Store) SetEmailNotifications(ctx context.Context, on bool) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	var id int64
	if err := s.db.GetContext(ctx, &id, `
		UPDATE accounts SET email_notifications = $2 WHERE id = $1 AND erased_at IS NULL RETURNING id`, me.ID, on); err != nil {
		return storeErr(err, "account")
	}
	return nil
}

// SetMessageLanguage sets the language the signed-in account's messages
// are written in from then on.
func (s *Store) SetMessageLanguage(ctx context.Context, lang string) error {
	me, err := participation.RequireAccount(ctx)
	if err != nil {
		return err
	}
	if err := (&participation.MessageSettings{Lang: lang}).Validate(); err != nil {
		return err
	}
	var id int64
	if err := s.db.GetContext(ctx, &id, `
		UPDATE accounts SET lang = $2 WHERE id = $1 AND erased_at IS NULL RETURNING id`, me.ID, lang); err != nil {
		return storeErr(err, "account")
	}
	return nil
}
