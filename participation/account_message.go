package participation

// The messages of the own account's personal links: their kinds, added to
// the outbox's, and their texts in every message language. Each carries
// its link's token in Params.Token; the email is the only place it is sent.

// Message kinds of an account's personal links.
const (
	// MessageEmailConfirmation asks a new account, or one that asked
	// again, to confirm its address.
	MessageEmailConfirmation = "email_confirmation"
	// MessageEmailChange goes to a new address an account gave, to
	// confirm it.
	MessageEmailChange = "email_change"
	// MessagePasswordReset carries a link to set a forgotten password.
	MessagePasswordReset = "password_reset"
	// MessageEmailChanged tells the address an account had that the
	// account's address has changed: whoever did not ask for it learns
	// of it where they still read.
	MessageEmailChanged = "email_changed"
)

func init() {
	MessageKinds = append(MessageKinds, MessageEmailConfirmation, MessageEmailChange, MessagePasswordReset, MessageEmailChanged)
	for kind, k := range accountMessageKinds {
		messageKinds[kind] = k
	}
}

// checkToken checks that a message carries its link's token.
func checkToken(f FieldErrors, p MessageParams) {
	if p.Token == "" {
		f.Add("token", RuleRequired, 0)
	}
}

// accountLinkKind is the rule of a message about the account that carries
// a personal link: the same words whoever it goes to.
func accountLinkKind(linkLead map[string]string, text map[string][2]string) messageKind {
	k := accountKind(linkLead, text)
	k.check = checkToken
	return k
}

var accountMessageKinds = map[string]messageKind{
	MessageEmailConfirmation: accountLinkKind(map[string]string{
		"fi": "Vahvista osoitteesi tästä:", "sv": "Bekräfta din adress här:", "en": "Confirm your address here:",
	}, map[string][2]string{
		"fi": {"Vahvista sähköpostiosoitteesi",
			"Tilisi Osallistu-palvelussa on valmis, ja voit kirjautua sisään sähköpostiosoitteellasi ja salasanallasi. Vahvista vielä, että osoite on sinun, avaamalla alla oleva linkki: vasta vahvistettuun osoitteeseen lähetetään sähköpostilla uutisia seuraamistasi asioista. Linkki toimii viikon ja kerran.\n\nJos et luonut tiliä itse, joku muu on antanut osoitteesi: älä avaa linkkiä, vaan kerro asiasta palvelun ylläpidolle."},
		"sv": {"Bekräfta din e-postadress",
			"Ditt konto i tjänsten Osallistu är klart, och du kan logga in med din e-postadress och ditt lösenord. Bekräfta ännu att adressen är din genom att öppna länken nedan: nyheter om det du följer skickas per e-post först till en bekräftad adress. Länken fungerar i en vecka och en gång.\n\nOm du inte skapade kontot själv har någon annan angett din adress: öppna inte länken, utan meddela tjänstens administratörer."},
		"en": {"Confirm your email address",
			"Your Osallistu account is ready, and you can sign in with your email address and password. Please confirm that the address is yours by opening the link below: news of what you follow is emailed only to a confirmed address. The link works for a week, once.\n\nIf you did not create the account yourself, someone else gave your address: do not open the link, and tell the service's administrators."},
	}),
	MessageEmailChange: accountLinkKind(map[string]string{
		"fi": "Vahvista uusi osoite tästä:", "sv": "Bekräfta den nya adressen här:", "en": "Confirm the new address here:",
	}, map[string][2]string{
		"fi": {"Vahvista uusi sähköpostiosoitteesi",
			"Osallistu-palvelun tilille on annettu uudeksi sähköpostiosoitteeksi tämä osoite. Osoite vaihtuu, kun avaat alla olevan linkin ja vahvistat sen. Linkki toimii vuorokauden ja kerran.\n\nJos et pyytänyt vaihtoa, voit jättää tämän viestin huomiotta: mikään ei muutu."},
		"sv": {"Bekräfta din nya e-postadress",
			"Den här adressen har angetts som ny e-postadress för ett konto i tjänsten Osallistu. Adressen byts när du öppnar länken nedan och bekräftar den. Länken fungerar i ett dygn och en gång.\n\nOm du inte bad om bytet kan du bortse från det här meddelandet: ingenting ändras."},
		"en": {"Confirm your new email address",
			"This address has been given as the new email address of an Osallistu account. The address changes when you open the link below and confirm it. The link works for a day, once.\n\nIf you did not ask for the change, you can ignore this message: nothing changes."},
	}),
	MessageEmailChanged: accountKind(signInLead, map[string][2]string{
		"fi": {"Sähköpostiosoitteesi vaihdettiin",
			"Osallistu-palvelun tilisi sähköpostiosoite vaihdettiin toiseen, ja uusi osoite vahvistettiin. Tähän osoitteeseen ei enää lähetetä viestejä tililtä.\n\nJos et vaihtanut osoitetta itse, joku muu pääsee tilillesi: kerro asiasta heti palvelun ylläpidolle."},
		"sv": {"Din e-postadress har bytts",
			"E-postadressen för ditt konto i tjänsten Osallistu har bytts till en annan, och den nya adressen har bekräftats. Kontots meddelanden skickas inte längre till den här adressen.\n\nOm du inte bytte adressen själv kommer någon annan åt ditt konto: meddela genast tjänstens administratörer."},
		"en": {"Your email address was changed",
			"The email address of your Osallistu account was changed to another, and the new address was confirmed. The account's messages no longer go to this address.\n\nIf you did not change it yourself, someone else can get into your account: tell the service's administrators at once."},
	}),
	MessagePasswordReset: accountLinkKind(map[string]string{
		"fi": "Aseta uusi salasana tästä:", "sv": "Välj ett nytt lösenord här:", "en": "Choose a new password here:",
	}, map[string][2]string{
		"fi": {"Salasanan vaihtaminen",
			"Joku pyysi Osallistu-palvelussa uutta salasanaa tilille, jonka osoite on tämä. Voit valita uuden salasanan alla olevalla linkillä. Linkki toimii tunnin ja kerran, ja uuden salasanan asettaminen kirjaa tilin ulos kaikilta laitteilta.\n\nJos et pyytänyt uutta salasanaa, voit jättää tämän viestin huomiotta: salasanasi ei muutu."},
		"sv": {"Byte av lösenord",
			"Någon bad om ett nytt lösenord i tjänsten Osallistu för kontot med den här adressen. Du kan välja ett nytt lösenord med länken nedan. Länken fungerar i en timme och en gång, och ett nytt lösenord loggar ut kontot på alla enheter.\n\nOm du inte bad om ett nytt lösenord kan du bortse från det här meddelandet: ditt lösenord ändras inte."},
		"en": {"Choosing a new password",
			"Someone asked Osallistu for a new password for the account with this address. You can choose a new password with the link below. The link works for an hour, once, and setting a new password signs the account out everywhere.\n\nIf you did not ask for a new password, you can ignore this message: your password does not change."},
	}),
}
