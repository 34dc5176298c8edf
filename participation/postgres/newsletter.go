package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"

	"osallistu/participation"
)

// Token purposes of a subscription's two links.
const (
	subscriptionConfirm     = "confirm"
	subscriptionUnsubscribe = "unsubscribe"
)

// subscriptionToken is the token of a subscription's link: an HMAC of its
// id and purpose under its secret salt. Only hashes are stored; a digest
// works the unsubscribe token out again for its link.
func subscriptionToken(salt []byte, id int64, purpose string) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte("subscription " + purpose + " " + strconv.FormatInt(id, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// confirmationsPerHour is how many confirmation emails one unconfirmed
// subscription gets in an hour, however often it is asked for.
const confirmationsPerHour = 3

// subscriptionColumns reads a subscription s with its process's title.
const subscriptionColumns = `s.id, s.process_id, coalesce(p.title, '') AS title, s.lang, s.frequency, s.created_at, s.confirmed_at`

// Subscribe writes an unconfirmed subscription and its confirmation email
// in one transaction. Asking again for an unconfirmed one sends the same
// link again (a few times an hour at most) in the language and frequency
// asked for now; a confirmed one is left as it is. The answer is the same
// either way, so that nobody learns who subscribes.
func (s *Store) Subscribe(ctx context.Context, n participation.NewSubscription) error {
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var processID *int64
	title := ""
	if n.Process != "" {
		var p struct {
			ID    int64  `db:"id"`
			Title string `db:"title"`
		}
		if err := tx.GetContext(ctx, &p, `SELECT id, title FROM processes WHERE slug = $1 AND status <> 'draft'`, n.Process); err != nil {
			return storeErr(err, "process")
		}
		processID, title = &p.ID, p.Title
	}
	var old struct {
		ID        int64      `db:"id"`
		Salt      []byte     `db:"salt"`
		Confirmed *time.Time `db:"confirmed_at"`
		Recent    int        `db:"recent"`
	}
	err = tx.GetContext(ctx, &old, `
		SELECT s.id, s.salt, s.confirmed_at,
		       (SELECT count(*) FROM outbox o WHERE o.subject_kind = 'subscription' AND o.subject_id = s.id
		          AND o.kind = $3 AND o.created_at > $4) AS recent
		FROM subscriptions s WHERE s.email = $1 AND coalesce(s.process_id, 0) = coalesce($2::bigint, 0)
		FOR UPDATE OF s`, n.Email, processID, participation.MessageSubscriptionConfirmation, tx.now.Add(-time.Hour))
	switch {
	case err == errNoRows:
		ids, err := nextIDs(ctx, tx, "subscriptions_id_seq", 1)
		if err != nil {
			return err
		}
		old.ID, old.Salt = ids[0], make([]byte, 32)
		if _, err := rand.Read(old.Salt); err != nil {
			return fmt.Errorf("subscription salt: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO subscriptions (id, email, process_id, lang, frequency, salt, confirm_hash, unsubscribe_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, old.ID, n.Email, processID, n.Language, n.Frequency, old.Salt,
			hashToken(subscriptionToken(old.Salt, old.ID, subscriptionConfirm)),
			hashToken(subscriptionToken(old.Salt, old.ID, subscriptionUnsubscribe)), tx.now); err != nil {
			return storeErr(err, "subscription")
		}
	case err != nil:
		return fmt.Errorf("find subscription: %w", err)
	case old.Confirmed != nil || old.Recent >= confirmationsPerHour:
		return tx.Commit()
	default:
		if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET lang = $2, frequency = $3 WHERE id = $1`,
			old.ID, n.Language, n.Frequency); err != nil {
			return fmt.Errorf("update subscription: %w", err)
		}
	}
	if err := enqueue(ctx, tx, participation.Message{
		Email: n.Email, Channel: participation.ChannelEmail, Kind: participation.MessageSubscriptionConfirmation,
		SubjectKind: participation.SubjectSubscription, SubjectID: old.ID, Lang: n.Language,
		Params: participation.MessageParams{Title: title, Token: subscriptionToken(old.Salt, old.ID, subscriptionConfirm)},
	}); err != nil {
		return err
	}
	return tx.Commit()
}

// findSubscriptionBy returns the subscription whose link's token hashes to
// the column's value; not found for any other token.
func findSubscriptionBy(ctx context.Context, tx *Tx, column, token string) (*participation.Subscription, error) {
	if token == "" || len(token) > 200 {
		return nil, participation.Errorf(participation.ENOTFOUND, "The link does not work: the subscription has ended or the link is incomplete.")
	}
	var sub participation.Subscription
	if err := tx.GetContext(ctx, &sub, `SELECT `+subscriptionColumns+`
		FROM subscriptions s LEFT JOIN processes p ON p.id = s.process_id
		WHERE s.`+column+` = $1 FOR UPDATE OF s`, hashToken(token)); err != nil {
		if err == errNoRows {
			return nil, participation.Errorf(participation.ENOTFOUND, "The link does not work: the subscription has ended or the link is incomplete.")
		}
		return nil, fmt.Errorf("find subscription: %w", err)
	}
	return &sub, nil
}

// ConfirmSubscription confirms the subscription of a confirmation link:
// from then on its digests go out. Confirming again changes nothing.
func (s *Store) ConfirmSubscription(ctx context.Context, token string) (*participation.Subscription, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sub, err := findSubscriptionBy(ctx, tx, "confirm_hash", token)
	if err != nil {
		return nil, err
	}
	if sub.ConfirmedAt == nil {
		sub.ConfirmedAt = &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET confirmed_at = $2 WHERE id = $1`, sub.ID, tx.now); err != nil {
			return nil, fmt.Errorf("confirm subscription: %w", err)
		}
	}
	return sub, tx.Commit()
}

// FindSubscription returns the subscription of an unsubscribe link.
func (s *Store) FindSubscription(ctx context.Context, token string) (*participation.Subscription, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sub, err := findSubscriptionBy(ctx, tx, "unsubscribe_hash", token)
	if err != nil {
		return nil, err
	}
	return sub, tx.Commit()
}

// Unsubscribe deletes the subscription of an unsubscribe link, with its
// address and its emails still waiting: nothing more goes to it.
func (s *Store) Unsubscribe(ctx context.Context, token string) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sub, err := findSubscriptionBy(ctx, tx, "unsubscribe_hash", token)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		WITH waiting AS (DELETE FROM outbox WHERE subject_kind = 'subscription' AND subject_id = $1 AND sent_at IS NULL)
		DELETE FROM subscriptions WHERE id = $1`, sub.ID); err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	return tx.Commit()
}

// beginDigest begins a transaction for an official's digest: the
// process's officials for a process's, admins for the platform's. It
// returns the process's id and title (none for the platform's).
func (s *Store) beginDigest(ctx context.Context, ref *participation.DigestRef) (*Tx, *int64, string, error) {
	if err := ref.Validate(); err != nil {
		return nil, nil, "", err
	}
	var tx *Tx
	var err error
	if ref.Process == "" {
		if _, err := participation.RequireRole(ctx, participation.RoleAdmin); err != nil {
			return nil, nil, "", err
		}
		tx, err = s.begin(ctx)
	} else {
		tx, err = s.beginOfficial(ctx, participation.ProcessRef{Kind: participation.RefProcess, Slug: ref.Process})
	}
	if err != nil {
		return nil, nil, "", err
	}
	if ref.PeriodStart == "" {
		start, _ := participation.DigestPeriod(ref.Frequency, tx.now)
		ref.PeriodStart = participation.DateOf(start)
	}
	if ref.Process == "" {
		return tx, nil, "", nil
	}
	var p struct {
		ID    int64  `db:"id"`
		Title string `db:"title"`
	}
	if err := tx.GetContext(ctx, &p, `SELECT id, title FROM processes WHERE slug = $1`, ref.Process); err != nil {
		tx.Rollback()
		return nil, nil, "", storeErr(err, "process")
	}
	return tx, &p.ID, p.Title, nil
}

// PreviewDigest builds a digest as it stands now, in lang, with its
// introduction and the count of its confirmed subscribers (never who).
func (s *Store) PreviewDigest(ctx context.Context, ref participation.DigestRef, lang string) (*participation.DigestPreview, error) {
	tx, processID, title, err := s.beginDigest(ctx, &ref)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	d, err := buildDigest(ctx, tx, processID, ref.Frequency, ref.PeriodStart.Time(), lang)
	if err != nil {
		return nil, err
	}
	d.Slug, d.Title = ref.Process, title
	out := &participation.DigestPreview{Digest: *d}
	if err := tx.GetContext(ctx, &out.Subscribers, `
		SELECT count(*) FROM subscriptions WHERE coalesce(process_id, 0) = coalesce($1::bigint, 0)
		AND frequency = $2 AND confirmed_at IS NOT NULL`, processID, ref.Frequency); err != nil {
		return nil, fmt.Errorf("count subscribers: %w", err)
	}
	return out, tx.Commit()
}

// SetDigestIntro writes the introduction of a digest whose period has not
// yet gone out; an empty one removes it.
func (s *Store) SetDigestIntro(ctx context.Context, ref participation.DigestRef, intro string) error {
	intro = strings.TrimSpace(intro)
	f := participation.FieldErrors{}
	f.Text("intro", intro, 0, participation.MaxDigestIntro)
	if err := f.Err(); err != nil {
		return err
	}
	tx, processID, _, err := s.beginDigest(ctx, &ref)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, end := participation.DigestPeriod(ref.Frequency, ref.PeriodStart.Time()); !tx.now.Before(end) {
		var sent bool
		if err := tx.GetContext(ctx, &sent, `
			SELECT EXISTS (SELECT 1 FROM newsletter_deliveries d JOIN subscriptions s ON s.id = d.subscription_id
			WHERE coalesce(s.process_id, 0) = coalesce($1::bigint, 0) AND s.frequency = $2 AND d.period_start = $3)`,
			processID, ref.Frequency, string(ref.PeriodStart)); err != nil {
			return fmt.Errorf("find deliveries: %w", err)
		}
		if sent {
			return participation.Errorf(participation.ECLOSED, "The digest of this period has gone out already.")
		}
	}
	me := participation.AccountFromContext(ctx)
	if _, err := tx.ExecContext(ctx, `
		DELETE FROM newsletter_intros WHERE coalesce(process_id, 0) = coalesce($1::bigint, 0) AND frequency = $2 AND period_start = $3`,
		processID, ref.Frequency, string(ref.PeriodStart)); err != nil {
		return fmt.Errorf("replace introduction: %w", err)
	}
	if intro != "" {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO newsletter_intros (process_id, frequency, period_start, intro, author_id, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			processID, ref.Frequency, string(ref.PeriodStart), intro, me.ID, tx.now); err != nil {
			return storeErr(err, "introduction")
		}
	}
	return tx.Commit()
}

// trTitle is a row's title in the language $2: its translation where it
// has one, else its own.
func trTitle(alias string) string {
	return `coalesce(nullif(` + alias + `.translations->$2->>'title', ''), ` + alias + `.title)`
}

// digestItemsQuery finds what happened in a period: $1 the process (NULL:
// every published one), $2 the language, [$3, $4) the period, $5 now (a
// step that closes later in the period has not closed yet). The records
// are the steps' windows, the polls' and surveys' closing, the first
// response to a statement request's questions (its summary), commitments'
// approval and milestones' reports: a milestone whose status at the end of
// the period differs from its status at the start.
var digestItemsQuery = `
	WITH steps AS (` + stepsQuery + `),
	scope AS (SELECT id FROM processes WHERE status <> 'draft' AND ($1::bigint IS NULL OR id = $1))
	SELECT 'step_opened' AS kind, st.kind AS step_kind, st.id, ` + trTitle("st") + ` AS title,
	       0::bigint AS milestone_id, '' AS milestone_title, '' AS status, st.opens_at AS at
	FROM steps st JOIN scope ON scope.id = st.process_id
	WHERE st.opens_at >= $3 AND st.opens_at < $4 AND st.opens_at <= $5
	UNION ALL
	SELECT 'step_closed', st.kind, st.id, ` + trTitle("st") + `, 0, '', '', st.closes_at
	FROM steps st JOIN scope ON scope.id = st.process_id
	WHERE st.closes_at >= $3 AND st.closes_at < $4 AND st.closes_at <= $5
	UNION ALL
	SELECT 'results', 'workshop', w.id, ` + trTitle("w") + `, 0, '', '', max(po.closed_at)
	FROM polls po JOIN workshops w ON w.id = po.workshop_id JOIN scope ON scope.id = w.process_id
	WHERE po.closed_at >= $3 AND po.closed_at < $4 AND po.closed_at <= $5
	GROUP BY w.id
	UNION ALL
	SELECT 'results', 'survey', sv.id, ` + trTitle("sv") + `, 0, '', '', sv.closed_at
	FROM surveys sv JOIN scope ON scope.id = sv.process_id
	WHERE sv.closed_at >= $3 AND sv.closed_at < $4 AND sv.closed_at <= $5
	UNION ALL
	SELECT 'results', 'statement_request', r.id, ` + trTitle("r") + `, 0, '', '', min(q.responded_at)
	FROM statement_requests r JOIN statement_questions q ON q.request_id = r.id JOIN scope ON scope.id = r.process_id
	WHERE r.published_at IS NOT NULL
	GROUP BY r.id
	HAVING min(q.responded_at) >= $3 AND min(q.responded_at) < $4 AND min(q.responded_at) <= $5
	UNION ALL
	SELECT 'commitment_approved', '', c.id, ` + trTitle("c") + `, 0, '', '', c.approved_at
	FROM commitments c JOIN scope ON scope.id = c.process_id
	WHERE c.approved_at >= $3 AND c.approved_at < $4 AND c.approved_at <= $5
	UNION ALL
	SELECT 'milestone_status', '', c.id, ` + trTitle("c") + `, m.id, ` + trTitle("m") + `, last.status, last.created_at
	FROM milestones m JOIN commitments c ON c.id = m.commitment_id JOIN scope ON scope.id = c.process_id
	CROSS JOIN LATERAL (SELECT mc.status, mc.created_at FROM milestone_changes mc
	                    WHERE mc.milestone_id = m.id AND mc.created_at < $4 AND mc.created_at <= $5
	                    ORDER BY mc.created_at DESC, mc.id DESC LIMIT 1) last
	WHERE last.created_at >= $3
	  AND last.status <> coalesce((SELECT mc.status FROM milestone_changes mc WHERE mc.milestone_id = m.id AND mc.created_at < $3
	                               ORDER BY mc.created_at DESC, mc.id DESC LIMIT 1), 'not_started')`

// buildDigest builds the digest of the period of frequency that starts at
// start, for a process (nil: the platform), in lang, with its introduction.
func buildDigest(ctx context.Context, tx *Tx, processID *int64, frequency string, start time.Time, lang string) (*participation.Digest, error) {
	start, end := participation.DigestPeriod(frequency, start)
	d := &participation.Digest{ProcessID: processID, Frequency: frequency,
		PeriodStart: participation.DateOf(start), PeriodEnd: participation.DateOf(end.AddDate(0, 0, -1)), Items: []participation.DigestItem{}}
	if err := tx.SelectContext(ctx, &d.Items, digestItemsQuery, processID, lang, start, end, tx.now); err != nil {
		return nil, fmt.Errorf("build digest: %w", err)
	}
	participation.SortDigestItems(d.Items)
	if err := tx.GetContext(ctx, &d.Intro, `
		SELECT coalesce((SELECT intro FROM newsletter_intros WHERE coalesce(process_id, 0) = coalesce($1::bigint, 0)
		AND frequency = $2 AND period_start = $3), '')`, processID, frequency, string(d.PeriodStart)); err != nil {
		return nil, fmt.Errorf("find introduction: %w", err)
	}
	return d, nil
}

// SendDigests queues the digests of the last whole period for every
// confirmed subscription that has not had its own: one delivery row per
// subscription and period (the key that makes the sweep idempotent, on
// any number of instances at once), and an email only when something
// happened. Each digest is built once per process, frequency and language.
// Subscriptions unconfirmed for participation.UnconfirmedSubscriptionLifetime
// go first, address and all.
func (s *Store) SendDigests(ctx context.Context) (int, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `
		WITH stale AS (DELETE FROM subscriptions WHERE confirmed_at IS NULL AND created_at < $1 RETURNING id)
		DELETE FROM outbox WHERE subject_kind = 'subscription' AND subject_id IN (SELECT id FROM stale)`,
		tx.now.Add(-participation.UnconfirmedSubscriptionLifetime)); err != nil {
		return 0, fmt.Errorf("delete unconfirmed subscriptions: %w", err)
	}
	type due struct {
		ID        int64  `db:"id"`
		Email     string `db:"email"`
		ProcessID *int64 `db:"process_id"`
		Slug      string `db:"slug"`
		Title     string `db:"title"`
		Lang      string `db:"lang"`
		Frequency string `db:"frequency"`
		Salt      []byte `db:"salt"`
	}
	var subs []due
	// A subscription gets the digest of the last whole period when it was
	// confirmed before that period ended.
	var starts []string
	var ends []time.Time
	for _, freq := range participation.Frequencies {
		start, end := participation.LastDigestPeriod(freq, tx.now)
		starts, ends = append(starts, string(participation.DateOf(start))), append(ends, end)
	}
	if err := tx.SelectContext(ctx, &subs, `
		SELECT s.id, s.email, s.process_id, coalesce(p.slug, '') AS slug, coalesce(p.title, '') AS title, s.lang, s.frequency, s.salt
		FROM subscriptions s LEFT JOIN processes p ON p.id = s.process_id
		WHERE s.confirmed_at < CASE s.frequency WHEN 'monthly' THEN $3::timestamptz ELSE $4::timestamptz END
		  AND NOT EXISTS (SELECT 1 FROM newsletter_deliveries d WHERE d.subscription_id = s.id
		                  AND d.period_start = CASE s.frequency WHEN 'monthly' THEN $1::date ELSE $2::date END)
		ORDER BY s.id
		FOR UPDATE OF s SKIP LOCKED`, starts[0], starts[1], ends[0], ends[1]); err != nil {
		return 0, fmt.Errorf("find due subscriptions: %w", err)
	}
	built := map[string]*participation.Digest{}
	var msgs []participation.Message
	// Every due subscription's delivery, written at once below: the empty
	// digests' too, so that no period is looked at twice.
	var ids, items []int64
	var periods []string
	for _, sub := range subs {
		start, _ := participation.LastDigestPeriod(sub.Frequency, tx.now)
		key := fmt.Sprint(sub.ProcessID != nil, sub.Slug, sub.Frequency, sub.Lang)
		d, ok := built[key]
		if !ok {
			if d, err = buildDigest(ctx, tx, sub.ProcessID, sub.Frequency, start, sub.Lang); err != nil {
				return 0, err
			}
			d.Slug, d.Title = sub.Slug, sub.Title
			built[key] = d
		}
		ids, periods, items = append(ids, sub.ID), append(periods, string(d.PeriodStart)), append(items, int64(len(d.Items)))
		if len(d.Items) == 0 {
			continue
		}
		msgs = append(msgs, participation.Message{
			Email: sub.Email, Channel: participation.ChannelEmail, Kind: participation.MessageNewsletterDigest,
			SubjectKind: participation.SubjectSubscription, SubjectID: sub.ID, Lang: sub.Lang,
			Params: participation.MessageParams{Title: sub.Title, Token: subscriptionToken(sub.Salt, sub.ID, subscriptionUnsubscribe), Digest: d},
		})
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO newsletter_deliveries (subscription_id, period_start, items, created_at)
		SELECT unnest($1::bigint[]), unnest($2::date[]), unnest($3::int[]), $4`,
		pq.Array(ids), pq.Array(periods), pq.Array(items), tx.now); err != nil {
		return 0, storeErr(err, "delivery")
	}
	if err := enqueue(ctx, tx, msgs...); err != nil {
		return 0, err
	}
	return len(msgs), tx.Commit()
}
