package server

import (
	"time"

	"osallistu/participation"
)

// accountRenderCases adds the render cases of the pages of everyday
// account changes, the forgotten password and an organisation's invitation
// link, with their forms' errors.
func accountRenderCases(pages map[string][]any, formErrors map[string]participation.FieldErrors) {
	kuntaliitto := &participation.Organisation{ID: 3, Name: "Suomen Kuntaliitto", Kind: participation.OrganisationAssociation,
		MemberCount: 2, CreatedAt: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	pages["account"] = append(pages["account"],
		&accountData{Languages: participation.MessageLanguages, Failed: accountFormPassword},
		&accountData{Settings: &participation.MessageSettings{Lang: "fi"}, Languages: participation.MessageLanguages, Failed: accountFormDetails})
	pages["password_forgot"] = []any{nil, &passwordForgotData{SentTo: "a@example.fi"}}
	pages["password_reset"] = []any{&passwordResetData{Token: "abc"}, &passwordResetData{Invalid: true}}
	pages["account_email_confirm"] = []any{&confirmEmailData{Token: "abc"}, &confirmEmailData{Invalid: true}}
	pages["organisation_invitation"] = []any{
		&organisationInvitationData{Organisation: kuntaliitto, Token: "abc", Back: "/organisation-invitation?token=abc"},
		&organisationInvitationData{Invalid: true},
	}
	formErrors["password_forgot"] = participation.FieldErrors{"email": {Rule: participation.RuleFormat}}
	formErrors["password_reset"] = participation.FieldErrors{"password": {Rule: participation.RulePersonalPassword},
		"password_again": {Rule: participation.RuleMismatch}}
	formErrors["account_email_confirm"] = participation.FieldErrors{"_form": {Rule: "error." + participation.ECONFLICT}}
}

// withoutForm reports whether a page's data shows it without its form:
// sent, or with a link that does not work, so that it has no errors to show.
func withoutForm(data any) bool {
	switch d := data.(type) {
	case *passwordForgotData:
		return d != nil
	case *passwordResetData:
		return d.Invalid
	case *confirmEmailData:
		return d.Invalid
	case *organisationInvitationData:
		return d.Invalid
	case *proposalData:
		return d.ErrCollection == 0 // the errors are of a collection's form
	}
	return eventWithoutForm(data)
}
