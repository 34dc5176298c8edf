package participation

import "time"

// The messages of statement requests and organisations: their kinds, added
// to the outbox's, and their texts in every message language.

// Message kinds of statement requests and organisations.
const (
	// MessageStatementInvitation invites a member of an invited
	// organisation, or an invited address, to give a statement.
	MessageStatementInvitation = "statement_invitation"
	// MessageStatementReminder reminds a member of an invited organisation
	// that has not answered, ReminderLead before the deadline.
	MessageStatementReminder = "statement_reminder"
	// MessageOrganisationInvitation asks an address without an account to
	// join the organisation a member added it to, through the personal
	// link it carries (Params.Token).
	MessageOrganisationInvitation = "organisation_invitation"
	// MessageOrganisationMember tells an account it was made a member.
	MessageOrganisationMember = "organisation_member"
)

// Subject kinds of messages about a statement request and an organisation.
const (
	SubjectStatementRequest = "statement_request"
	SubjectOrganisation     = "organisation"
)

func init() {
	MessageKinds = append(MessageKinds, MessageStatementInvitation, MessageStatementReminder,
		MessageOrganisationInvitation, MessageOrganisationMember)
	for kind, k := range statementMessageKinds {
		messageKinds[kind] = k
	}
}

// checkRequestMessage checks the parameters of a message about a request.
func checkRequestMessage(f FieldErrors, p MessageParams) {
	f.Text("title", p.Title, 1, 1000)
	f.Text("organisation_name", p.OrganisationName, 0, 1000)
	if p.Deadline == nil {
		f.Add("deadline", RuleRequired, 0)
	}
}

// checkOrganisationMessage checks the parameters of a message about an organisation.
func checkOrganisationMessage(f FieldErrors, p MessageParams) {
	f.Text("organisation_name", p.OrganisationName, 1, 1000)
}

// deadlineText writes a deadline in Finnish time as people of lang read it.
func deadlineText(lang string, t *time.Time) string {
	if t == nil {
		return ""
	}
	h := t.In(Helsinki)
	switch lang {
	case "fi":
		return h.Format("2.1.2006 klo 15.04")
	case "sv":
		return h.Format("2.1.2006 kl. 15.04")
	}
	return h.Format("2 January 2006 at 15:04") + " (Finnish time)"
}

// asOrganisation says whom an invitation is for: the organisation, or the
// reader themselves when it names none.
func asOrganisation(p MessageParams, fi, sv, en string) map[string]string {
	if p.OrganisationName == "" {
		return map[string]string{"fi": "", "sv": "", "en": ""}
	}
	return map[string]string{
		"fi": " " + fi + " ”" + p.OrganisationName + "”",
		"sv": " " + sv + " ”" + p.OrganisationName + "”",
		"en": " " + en + " “" + p.OrganisationName + "”",
	}
}

var statementMessageKinds = map[string]messageKind{
	MessageStatementInvitation: {
		subject: SubjectStatementRequest,
		check:   checkRequestMessage,
		text: map[string]func(MessageParams, string) (string, string){
			"fi": func(p MessageParams, _ string) (string, string) {
				as := asOrganisation(p, "organisaatiollenne", "", "")["fi"]
				return "Lausuntopyyntö: " + p.Title,
					"Teiltä pyydetään lausuntoa" + as + " aiheesta ”" + p.Title + "”. Lausunnot annetaan " + deadlineText("fi", p.Deadline) + " mennessä. Jos teillä ei vielä ole tiliä, rekisteröidy ja lisää organisaatiosi palveluun."
			},
			"sv": func(p MessageParams, _ string) (string, string) {
				as := asOrganisation(p, "", "för organisationen", "")["sv"]
				return "Begäran om utlåtande: " + p.Title,
					"Ni ombeds ge ett utlåtande" + as + " om ”" + p.Title + "”. Utlåtandena ska lämnas senast " + deadlineText("sv", p.Deadline) + ". Om du inte har ett konto ännu, registrera dig och lägg till din organisation i tjänsten."
			},
			"en": func(p MessageParams, _ string) (string, string) {
				as := asOrganisation(p, "", "", "on behalf of")["en"]
				return "Request for statements: " + p.Title,
					"You are invited to give a statement" + as + " on “" + p.Title + "”. Statements are due by " + deadlineText("en", p.Deadline) + ". If you have no account yet, register and add your organisation to the service."
			},
		},
	},
	MessageStatementReminder: {
		subject: SubjectStatementRequest,
		check:   checkRequestMessage,
		text: map[string]func(MessageParams, string) (string, string){
			"fi": func(p MessageParams, _ string) (string, string) {
				return "Muistutus: lausuntoaika päättyy " + deadlineText("fi", p.Deadline),
					"Organisaatiollenne ”" + p.OrganisationName + "” on lähetetty lausuntopyyntö ”" + p.Title + "”, eikä se ole vielä antanut lausuntoa. Lausuntoaika päättyy " + deadlineText("fi", p.Deadline) + "."
			},
			"sv": func(p MessageParams, _ string) (string, string) {
				return "Påminnelse: tiden för utlåtanden går ut " + deadlineText("sv", p.Deadline),
					"Organisationen ”" + p.OrganisationName + "” har ombetts ge ett utlåtande om ”" + p.Title + "” och har inte lämnat något ännu. Tiden går ut " + deadlineText("sv", p.Deadline) + "."
			},
			"en": func(p MessageParams, _ string) (string, string) {
				return "Reminder: statements are due " + deadlineText("en", p.Deadline),
					"“" + p.OrganisationName + "” was asked for a statement on “" + p.Title + "” and has not given one yet. Statements are due by " + deadlineText("en", p.Deadline) + "."
			},
		},
	},
	MessageOrganisationInvitation: {
		subject: SubjectOrganisation,
		check: func(f FieldErrors, p MessageParams) {
			checkOrganisationMessage(f, p)
			checkToken(f, p)
		},
		linkLead: map[string]string{"fi": "Liity tästä:", "sv": "Gå med här:", "en": "Join here:"},
		text: map[string]func(MessageParams, string) (string, string){
			"fi": func(p MessageParams, _ string) (string, string) {
				return "Kutsu organisaation jäseneksi: " + p.OrganisationName,
					"Sinut on kutsuttu organisaation ”" + p.OrganisationName + "” jäseneksi Osallistu-palvelussa. Avaa alla oleva henkilökohtainen linkki, kirjaudu sisään tai luo tili ja vahvista liittyminen, niin pääset kirjoittamaan lausuntoja organisaation puolesta. Linkki toimii kerran."
			},
			"sv": func(p MessageParams, _ string) (string, string) {
				return "Inbjudan att bli medlem i " + p.OrganisationName,
					"Du har bjudits in som medlem i organisationen ”" + p.OrganisationName + "” i tjänsten Osallistu. Öppna den personliga länken nedan, logga in eller skapa ett konto och bekräfta att du går med, så kan du skriva utlåtanden för organisationen. Länken fungerar en gång."
			},
			"en": func(p MessageParams, _ string) (string, string) {
				return "Invitation to join " + p.OrganisationName,
					"You have been invited to join “" + p.OrganisationName + "” on Osallistu. Open the personal link below, sign in or create an account, and confirm that you join, to write statements on the organisation's behalf. The link works once."
			},
		},
	},
	MessageOrganisationMember: {
		subject: SubjectOrganisation,
		check:   checkOrganisationMessage,
		text: map[string]func(MessageParams, string) (string, string){
			"fi": func(p MessageParams, _ string) (string, string) {
				return "Olet organisaation jäsen: " + p.OrganisationName,
					"Sinut on lisätty organisaation ”" + p.OrganisationName + "” jäseneksi. Voit nyt kirjoittaa lausuntoja organisaation puolesta."
			},
			"sv": func(p MessageParams, _ string) (string, string) {
				return "Du är medlem i " + p.OrganisationName,
					"Du har lagts till som medlem i organisationen ”" + p.OrganisationName + "”. Nu kan du skriva utlåtanden för organisationen."
			},
			"en": func(p MessageParams, _ string) (string, string) {
				return "You are a member of " + p.OrganisationName,
					"You have been added as a member of “" + p.OrganisationName + "”. You can now write statements on the organisation's behalf."
			},
		},
	},
}
