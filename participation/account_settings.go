package participation

import (
	"context"
	"strings"
	"time"
)

// The own account's everyday changes: name and municipality, password,
// email address and its confirmation, and a forgotten password's reset.
// Every change of address or password goes through a personal link
// (AccountToken) sent by email: the link proves the address.

// Purposes of an account's personal links.
const (
	// TokenConfirmEmail confirms the account's address.
	TokenConfirmEmail = "confirm_email"
	// TokenChangeEmail confirms a new address, which replaces the old one
	// when the link is opened.
	TokenChangeEmail = "change_email"
	// TokenResetPassword sets a new password without the old one.
	TokenResetPassword = "reset_password"
)

// How long a personal link works.
const (
	ConfirmEmailLifetime  = 7 * 24 * time.Hour
	ChangeEmailLifetime   = 24 * time.Hour
	ResetPasswordLifetime = time.Hour
)

// TokenLifetime is how long a link of purpose works.
func TokenLifetime(purpose string) time.Duration {
	switch purpose {
	case TokenChangeEmail:
		return ChangeEmailLifetime
	case TokenResetPassword:
		return ResetPasswordLifetime
	}
	return ConfirmEmailLifetime
}

// RuleWrongPassword is broken by a current password that is not the account's.
const RuleWrongPassword = "wrong_password"

// DefaultPasswordResetsPerHour is how many reset links one address gets in
// an hour at most, unless configured otherwise: enough for a lost email,
// too few to fill an inbox.
const DefaultPasswordResetsPerHour = 3

// AccountUpdate changes the own account's name and municipality: a field
// left nil stays as it is; ClearMunicipality removes the municipality.
type AccountUpdate struct {
	Name              *string
	Municipality      *string
	ClearMunicipality bool
}

// Validate trims and checks the fields given; a known municipality is
// written in its Finnish form.
func (u *AccountUpdate) Validate() error {
	f := FieldErrors{}
	if u.Name != nil {
		n := strings.TrimSpace(*u.Name)
		u.Name = &n
		f.Text("name", n, 1, 200)
	}
	if u.Municipality != nil {
		u.Municipality = normalizeMunicipality(f, "municipality", u.Municipality)
		if u.Municipality == nil { // blank clears it
			u.ClearMunicipality = true
		}
	}
	return f.Err()
}

// PasswordChange is a new password, given with the current one.
type PasswordChange struct {
	CurrentPassword  string  `json:"current_password"`
	NewPassword      string  `json:"new_password"`
	NewPasswordAgain *string `json:"-"` // the form asks twice
}

// validateNewPassword checks a new password as registration does: its
// length, and that it is neither common nor made of the name or address.
func validateNewPassword(f FieldErrors, field, password, email, name string) {
	switch {
	case len([]rune(password)) < MinPasswordLength:
		f.Add(field, RuleMinLength, MinPasswordLength)
	case len(password) > 1000:
		f.Add(field, RuleMaxLength, 1000)
	case IsCommonPassword(password):
		f.Add(field, RuleCommonPassword, 0)
	case IsPersonalPassword(password, email, name):
		f.Add(field, RulePersonalPassword, 0)
	}
}

// Validate checks the new password for the account a.
func (p *PasswordChange) Validate(a *Account) error {
	f := FieldErrors{}
	if p.CurrentPassword == "" {
		f.Add("current_password", RuleRequired, 0)
	}
	validateNewPassword(f, "new_password", p.NewPassword, a.Email, a.Name)
	if p.NewPasswordAgain != nil && *p.NewPasswordAgain != p.NewPassword {
		f.Add("new_password_again", RuleMismatch, 0)
	}
	return f.Err()
}

// PasswordReset sets a new password with the token of a reset link.
type PasswordReset struct {
	Token         string  `json:"token"`
	Password      string  `json:"password"`
	PasswordAgain *string `json:"-"` // the form asks twice
}

// Validate checks the new password for the account a.
func (p *PasswordReset) Validate(a *Account) error {
	f := FieldErrors{}
	validateNewPassword(f, "password", p.Password, a.Email, a.Name)
	if p.PasswordAgain != nil && *p.PasswordAgain != p.Password {
		f.Add("password_again", RuleMismatch, 0)
	}
	return f.Err()
}

// ErrLinkInvalid is the answer to a personal link that is unknown, used or
// expired: the same words for each, so that a guess learns nothing.
func ErrLinkInvalid() error {
	return Errorf(ENOTFOUND, "This link is not valid: it has been used already, it has expired, or it is not whole. Ask for a new one.")
}

// AccountSettingsService changes the signed-in account's details, password
// and address, and confirms addresses.
type AccountSettingsService interface {
	// UpdateAccount changes the signed-in account's name and municipality.
	UpdateAccount(ctx context.Context, u AccountUpdate) (*Account, error)
	// ChangePassword checks the current password and sets the new one; every
	// session of the account but keepToken's ends.
	ChangePassword(ctx context.Context, p PasswordChange, keepToken string) error
	// RequestEmailChange sends a link to the new address (the outbox); the
	// address changes when it is opened. An address with an account is
	// ECONFLICT.
	RequestEmailChange(ctx context.Context, email string) error
	// SendEmailConfirmation sends the signed-in account a new link to
	// confirm its address; an address already confirmed is ECONFLICT.
	SendEmailConfirmation(ctx context.Context) error
	// ConfirmEmail opens a link that confirms an address, or a new one
	// (which then replaces the old), and returns the account as it is now.
	ConfirmEmail(ctx context.Context, token string) (*Account, error)
}

// PasswordResetService resets forgotten passwords by emailed links.
type PasswordResetService interface {
	// RequestPasswordReset sends a reset link to the account with the
	// address, unless it had perHour links within the hour. It answers
	// alike whether or not the address has an account: only an address
	// that is not one is an error.
	RequestPasswordReset(ctx context.Context, email string, perHour int) error
	// FindPasswordReset checks a reset link without using it.
	FindPasswordReset(ctx context.Context, token string) error
	// ResetPassword sets the password of the link's account and ends every
	// session of it; the link works once.
	ResetPassword(ctx context.Context, p PasswordReset) error
}
