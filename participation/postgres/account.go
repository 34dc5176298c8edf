package postgres

import (
	"context"
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

const accountColumns = `id, email, name, municipality, roles, created_at, password_hash,
	email_confirmed_at IS NOT NULL AS email_confirmed`

// CreateAccount registers a citizen account, and sends it the link that
// confirms its address when n asks for it.
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
	if n.SendConfirmation {
		if err := sendAccountLink(ctx, tx, a.ID, participation.TokenConfirmEmail, a.Email); err != nil {
			return nil, err
		}
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
	return row.account(), nil
}

// CreateSession checks the credentials and starts a session. Failures are
// throttled per account and address (participation.LoginFailureLimit,
// counted in this instance's memory: no address is stored): an address with
// too many is refused at once; any other attempt on the account
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

	if s.lockout.Locked(email, address, s.now()) {
		return nil, participation.Errorf(participation.ERATELIMITED, "Too many failed sign-in attempts. Try again in 15 minutes.")
	}
	var failures int
	if err := s.db.GetContext(ctx, &failures, `SELECT count(*) FROM login_failures WHERE email = $1 AND failed_at > $2`,
		email, s.now().Add(-participation.LoginFailureWindow)); err != nil {
		return nil, fmt.Errorf("count login failures: %w", err)
	}
	if err := sleep(ctx, s.loginDelayOf(failures)); err != nil {
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
			WITH old AS (DELETE FROM login_failures WHERE email = $1 AND failed_at <= $3)
			INSERT INTO login_failures (email, failed_at) VALUES ($1, $2)`,
			email, tx.now, tx.now.Add(-participation.LoginFailureWindow)); err != nil {
			return nil, fmt.Errorf("record login failure: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
		s.lockout.Fail(email, address, tx.now)
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
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	// Only this address's lock goes: another address's stays. The failures
	// on the account stay too, and slow attempts down until they expire.
	s.lockout.Clear(email, address)
	return &participation.Session{Token: token, Account: row.account()}, nil
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
	var row struct {
		accountRow
		Block blockRow `db:"block"`
	}
	err := s.db.GetContext(ctx, &row, `
		SELECT a.id, a.email, a.name, a.municipality, a.roles, a.created_at, a.password_hash,
			a.email_confirmed_at IS NOT NULL AS email_confirmed, `+blockColumns+`
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		LEFT JOIN LATERAL (`+activeBlock+`) b ON true
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.erased_at IS NULL`,
		hashToken(token), s.now())
	if err == errNoRows {
		return nil, participation.Errorf(participation.EUNAUTHENTICATED, "The session has ended. Sign in again.")
	} else if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	a := row.account()
	a.Block = row.Block.block() // block.go
	return a, nil
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
	return s.EnsureAccount(ctx, email, password, name, participation.RoleOfficial, participation.RoleAdmin)
}

// EnsureAccount makes sure an account with roles (and citizen) exists for
// email: it creates one, or adds the roles to an existing one (its password
// and other roles are then left as they are). Calling it again changes
// nothing. It is for the operator (create-admin, start-up, the demo): no one
// signed in grants the roles.
func (s *Store) EnsureAccount(ctx context.Context, email, password, name string, roles ...string) (*participation.Account, error) {
	n := participation.NewAccount{Email: email, Password: password, Name: name}
	n.Normalize()
	if err := n.ValidateAdmin(); err != nil {
		return nil, fmt.Errorf("account %s: %w", n.Email, err)
	}
	roles, err := participation.NormalizeRoles(roles)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var row accountRow
	err = tx.GetContext(ctx, &row, `
		UPDATE accounts SET roles = ARRAY(SELECT DISTINCT unnest(roles || $2::text[]))
		WHERE email = $1 AND erased_at IS NULL RETURNING `+accountColumns, n.Email, pq.Array(roles))
	if err == errNoRows {
		hash, err := participation.HashPassword(ctx, n.Password)
		if err != nil {
			return nil, err
		}
		a, err := insertAccount(ctx, tx, n, hash, roles)
		if err != nil {
			return nil, err
		}
		return a, tx.Commit()
	} else if err != nil {
		return nil, fmt.Errorf("ensure account: %w", err)
	}
	a := row.account()
	a.Roles, _ = participation.NormalizeRoles(a.Roles)
	return a, tx.Commit()
}
