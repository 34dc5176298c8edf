package participation

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Organisation kinds, as the register and the statement summary group
// organisations.
const (
	OrganisationMinistry     = "ministry"
	OrganisationAgency       = "agency"
	OrganisationMunicipality = "municipality"
	OrganisationRegion       = "region"
	OrganisationAssociation  = "association"
	OrganisationCompany      = "company"
	OrganisationOther        = "other"
)

// OrganisationKinds lists the kinds in the order pages and summaries show them.
var OrganisationKinds = []string{OrganisationMinistry, OrganisationAgency, OrganisationMunicipality,
	OrganisationRegion, OrganisationAssociation, OrganisationCompany, OrganisationOther}

// OrganisationNameMax is the longest organisation name, in characters.
const OrganisationNameMax = 200

// Organisation is a body in the public register of organisations: a
// ministry, a municipality, an association. It is not a role: accounts are
// its members, and a member writes statements on its behalf.
type Organisation struct {
	ID   int64  `json:"id" db:"id"`
	Name string `json:"name" db:"name"`
	// BusinessID is its Finnish Business ID (NNNNNNN-C), or nil.
	BusinessID *string `json:"business_id" db:"business_id"`
	Kind       string  `json:"kind" db:"kind"`
	// Verified says that an official has checked that the organisation is
	// who it says it is.
	Verified    bool      `json:"verified" db:"verified"`
	MemberCount int       `json:"member_count" db:"member_count"`
	CreatedAt   time.Time `json:"created_at" db:"created_at"`
}

// OrganisationRef names an organisation where something refers to it: the
// author of a statement, an invited organisation.
type OrganisationRef struct {
	ID   int64  `json:"id" db:"id"`
	Name string `json:"name" db:"name"`
	Kind string `json:"kind" db:"kind"`
}

// Ref returns the organisation as a reference.
func (o *Organisation) Ref() OrganisationRef {
	return OrganisationRef{ID: o.ID, Name: o.Name, Kind: o.Kind}
}

// NewOrganisation is what an account gives to register an organisation.
type NewOrganisation struct {
	Name       string  `json:"name"`
	BusinessID *string `json:"business_id"`
	// Kind is one of OrganisationKinds; OrganisationOther when not given.
	Kind *string `json:"kind"`
}

// Validate trims and checks a new organisation: a name, a Business ID with
// a right check digit when one is given, a known kind.
func (n *NewOrganisation) Validate() error {
	n.Name = strings.TrimSpace(n.Name)
	f := FieldErrors{}
	f.Text("name", n.Name, 1, OrganisationNameMax)
	n.BusinessID = trimOptional(n.BusinessID)
	if n.BusinessID != nil && !ValidBusinessID(*n.BusinessID) {
		f.Add("business_id", RuleFormat, 0)
	}
	n.Kind = trimOptional(n.Kind)
	if n.Kind == nil {
		k := OrganisationOther
		n.Kind = &k
	} else if !slices.Contains(OrganisationKinds, *n.Kind) {
		f.Add("kind", RuleChoice, 0)
	}
	return f.Err()
}

// OrganisationFilter selects organisations from the register.
type OrganisationFilter struct {
	Query  string // a case-insensitive part of the name; "" for all
	Limit  int
	Offset int
}

// OrganisationMember is one member of an organisation, as its members see
// the list.
type OrganisationMember struct {
	AccountID int64     `json:"account_id" db:"account_id"`
	Name      string    `json:"name" db:"name"`
	JoinedAt  time.Time `json:"joined_at" db:"joined_at"`
}

// NewMember is what a member gives to add someone to the organisation.
type NewMember struct {
	Email string `json:"email"`
}

// Validate normalises and checks the address.
func (n *NewMember) Validate() error {
	n.Email = NormalizeEmail(n.Email)
	f := FieldErrors{}
	ValidateEmail(f, "email", n.Email)
	return f.Err()
}

// What adding a member by email did.
const (
	// MemberAdded: an account had the address, and is now a member.
	MemberAdded = "member"
	// MemberInvited: no account has the address; it got an invitation with
	// a personal link, and the account that opens it and accepts becomes a
	// member.
	MemberInvited = "invited"
)

// MemberAddition is the answer to adding a member by email.
type MemberAddition struct {
	OrganisationID int64  `json:"organisation_id"`
	Email          string `json:"email"`
	// Status is MemberAdded or MemberInvited.
	Status string `json:"status"`
}

// OrganisationService keeps the register of organisations and their members.
type OrganisationService interface {
	// CreateOrganisation registers an organisation (any account), whose
	// first member is its creator; a taken Business ID is ECONFLICT.
	CreateOrganisation(ctx context.Context, n NewOrganisation) (*Organisation, error)
	// FindOrganisation returns one organisation of the register.
	FindOrganisation(ctx context.Context, id int64) (*Organisation, error)
	// FindOrganisations lists the register, by name.
	FindOrganisations(ctx context.Context, f OrganisationFilter) ([]*Organisation, int, error)
	// FindMyOrganisations lists the organisations the signed-in account is a member of, by name.
	FindMyOrganisations(ctx context.Context) ([]*Organisation, error)
	// AddMember makes the account with the address a member, or invites
	// the address to register (members only: EFORBIDDEN for others).
	AddMember(ctx context.Context, organisationID int64, n NewMember) (*MemberAddition, error)
	// FindMembers lists an organisation's members, by name (members only).
	FindMembers(ctx context.Context, organisationID int64) ([]*OrganisationMember, error)
	// LeaveOrganisation ends the signed-in account's membership
	// (EFORBIDDEN when it is not a member).
	LeaveOrganisation(ctx context.Context, organisationID int64) error
	// FindOrganisationInvitation returns the organisation whose invitation
	// has the token, without accepting it (ENOTFOUND for an unknown or used one).
	FindOrganisationInvitation(ctx context.Context, token string) (*Organisation, error)
	// AcceptOrganisationInvitation makes the signed-in account a member of
	// the organisation whose invitation has the token; the token works once.
	AcceptOrganisationInvitation(ctx context.Context, token string) (*Organisation, error)
	// VerifyOrganisation marks an organisation verified (officials).
	VerifyOrganisation(ctx context.Context, organisationID int64) (*Organisation, error)
}
