package participation

import (
	"context"
	"encoding/json"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Roles. Every account is a citizen; officials run processes; admins manage
// accounts and roles.
const (
	RoleCitizen  = "citizen"
	RoleOfficial = "official"
	RoleAdmin    = "admin"
)

// Roles lists every role in the order pages show them.
var Roles = []string{RoleCitizen, RoleOfficial, RoleAdmin}

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 10

// Account is a registered user. Email and Name are empty once the account is erased.
type Account struct {
	ID           int64    `json:"id" db:"id"`
	Email        string   `json:"email" db:"email"`
	Name         string   `json:"name" db:"name"`
	Municipality *string  `json:"municipality" db:"municipality"`
	Roles        []string `json:"roles" db:"-"`
	// EmailConfirmed says that the owner has opened a link sent to Email.
	EmailConfirmed bool      `json:"email_confirmed" db:"email_confirmed"`
	CreatedAt      time.Time `json:"-" db:"created_at"`
	// Block is the block from writing in force when the account was read
	// with its session, or nil (block.go).
	Block *AccountBlock `json:"blocked" db:"-"`
}

// HasRole reports whether the account holds role.
func (a *Account) HasRole(role string) bool {
	return a != nil && slices.Contains(a.Roles, role)
}

// NewAccount is what registration asks for.
type NewAccount struct {
	Email        string  `json:"email"`
	Password     string  `json:"password"`
	Name         string  `json:"name"`
	Municipality *string `json:"municipality"`
	// PasswordAgain, when set (the registration form asks twice), must equal Password.
	PasswordAgain *string `json:"-"`
	// Lang is the language of the account's messages: the interface's at
	// sign-up, so that a Swedish user gets Swedish mail; empty is Finnish.
	Lang string `json:"-"`
	// SendConfirmation emails the new account a link to confirm its
	// address: people's sign-ups ask for it; accounts that an operator,
	// the demo or a test makes do not.
	SendConfirmation bool `json:"-"`
}

// Normalize trims the fields and lower-cases the email, which compares
// case-insensitively.
func (n *NewAccount) Normalize() {
	n.Email = NormalizeEmail(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	if n.Lang == "" {
		n.Lang = MessageLanguages[0]
	}
}

// Validate checks a registration, the password's strength included: not
// among the most common passwords, not made of the name or email.
func (n *NewAccount) Validate() error {
	f := n.fieldErrors()
	if _, bad := f["password"]; !bad {
		if IsCommonPassword(n.Password) {
			f.Add("password", RuleCommonPassword, 0)
		} else if IsPersonalPassword(n.Password, n.Email, n.Name) {
			f.Add("password", RulePersonalPassword, 0)
		}
	}
	return f.Err()
}

// ValidateAdmin checks an admin account that the operator configures as
// Validate does, but leaves the password's strength to the operator: a
// server must not refuse to start because of it.
func (n *NewAccount) ValidateAdmin() error { return n.fieldErrors().Err() }

func (n *NewAccount) fieldErrors() FieldErrors {
	f := FieldErrors{}
	ValidateEmail(f, "email", n.Email)
	f.Text("name", n.Name, 1, 200)
	if len([]rune(n.Password)) < MinPasswordLength {
		f.Add("password", RuleMinLength, MinPasswordLength)
	} else if len(n.Password) > 1000 {
		f.Add("password", RuleMaxLength, 1000)
	}
	if n.PasswordAgain != nil && *n.PasswordAgain != n.Password {
		f.Add("password_again", RuleMismatch, 0)
	}
	n.Municipality = normalizeMunicipality(f, "municipality", n.Municipality)
	if n.Lang != "" && !slices.Contains(MessageLanguages, n.Lang) {
		f.Add("lang", RuleChoice, 0)
	}
	return f
}

// EmailMax is the longest email address, in bytes (RFC 5321's path limit
// less its angle brackets).
const EmailMax = 254

// NormalizeEmail trims and lower-cases an address.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ValidateEmail records in f when email is not a plain address.
func ValidateEmail(f FieldErrors, field, email string) {
	if email == "" {
		f.Add(field, RuleRequired, 0)
		return
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > EmailMax || !strings.Contains(email[strings.IndexByte(email, '@'):], ".") {
		f.Add(field, RuleFormat, 0)
	}
}

// NormalizeRoles validates roles and returns them in canonical order, with
// citizen always included.
func NormalizeRoles(roles []string) ([]string, error) {
	out := []string{RoleCitizen}
	for _, r := range roles {
		if !slices.Contains(Roles, r) {
			f := FieldErrors{}
			f.Add("roles", RuleChoice, 0)
			return nil, f.Err()
		}
	}
	for _, r := range Roles[1:] {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Session is a signed-in account's bearer token; only its hash is stored.
type Session struct {
	Token   string   `json:"token"`
	Account *Account `json:"account"`
}

// AccountFilter selects accounts for the admin list.
type AccountFilter struct {
	Query  string // part of the email or name, case-insensitive
	Limit  int
	Offset int
}

// AccountExport is everything the platform holds about one account, by table.
type AccountExport struct {
	Account    *Account                   `json:"account"`
	ExportedAt time.Time                  `json:"exported_at"`
	Data       map[string]json.RawMessage `json:"data"`
}

// AccountService manages accounts, sessions and roles.
type AccountService interface {
	// CreateAccount registers a citizen (and, when n asks, emails it a link
	// to confirm its address); a taken email is ECONFLICT.
	CreateAccount(ctx context.Context, n NewAccount) (*Account, error)
	// SignUp registers a citizen and emails a welcome with a link to
	// confirm the address; with a taken email it
	// emails the address's owner instead (at most once per
	// AccountExistsInterval). Either way it answers alike, in the same
	// time, so that an answer does not tell whether an address has an
	// account: only invalid input is an error.
	SignUp(ctx context.Context, n NewAccount) error
	// CreateSession checks the credentials (throttled per account and per
	// AddressFromContext) and returns a new session.
	CreateSession(ctx context.Context, email, password string) (*Session, error)
	// FindAccountByToken returns the account of a live session token, EUNAUTHENTICATED otherwise.
	FindAccountByToken(ctx context.Context, token string) (*Account, error)
	// DeleteSession revokes a token.
	DeleteSession(ctx context.Context, token string) error
	// FindAccountByID returns one account.
	FindAccountByID(ctx context.Context, id int64) (*Account, error)
	// FindAccounts lists accounts for admins.
	FindAccounts(ctx context.Context, f AccountFilter) ([]*Account, int, error)
	// SetRoles replaces an account's roles (admins only); citizen is always kept.
	SetRoles(ctx context.Context, id int64, roles []string) (*Account, error)
	// EnsureAdmin makes sure an admin and official account exists for email.
	EnsureAdmin(ctx context.Context, email, password, name string) (*Account, error)
	// EnsureAccount makes sure an account with roles (and citizen) exists for email.
	EnsureAccount(ctx context.Context, email, password, name string, roles ...string) (*Account, error)
	// ExportAccount returns all personal data and contributions of the signed-in account.
	ExportAccount(ctx context.Context) (*AccountExport, error)
	// EraseAccount erases the signed-in account's personal data; contributions stay, anonymous.
	EraseAccount(ctx context.Context) error
}
