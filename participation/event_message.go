package participation

import (
	"fmt"
	"strings"
	"time"
)

// The messages of event registrations: their kinds, added to the outbox's,
// their texts in every message language, and the calendar file (.ics)
// that a confirmation, a move up and a reminder carry.

// Message kinds of event registrations.
const (
	// MessageRegistrationAddress asks someone who registered without an
	// account to confirm their address through the link (Params.Token).
	MessageRegistrationAddress = "registration_address"
	// MessageRegistrationConfirmed confirms a registration: a seat, or a
	// place on the waiting list (Params.Event.Waitlisted).
	MessageRegistrationConfirmed = "registration_confirmed"
	// MessageRegistrationMovedUp tells a waitlisted registrant they have a seat.
	MessageRegistrationMovedUp = "registration_moved_up"
	// MessageEventReminder reminds a registrant the day before.
	MessageEventReminder = "event_reminder"
)

// SubjectEvent is the subject kind of messages about an event.
const SubjectEvent = "event"

// EventMessage is what a registration's message says of the event.
type EventMessage struct {
	RegistrationID int64     `json:"registration_id"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
	Location       string    `json:"location"`
	OnlineURL      string    `json:"online_url,omitempty"`
	Waitlisted     bool      `json:"waitlisted,omitempty"`
}

// EventMessageOf is the message of kind to a registration of e, in lang
// (to the account when accountID is set, else to email).
func EventMessageOf(kind string, e *Event, registrationID int64, waitlisted bool, token string) Message {
	em := &EventMessage{RegistrationID: registrationID, StartsAt: e.StartsAt, EndsAt: e.EndsAt, Location: e.Location, Waitlisted: waitlisted}
	if e.OnlineURL != nil {
		em.OnlineURL = *e.OnlineURL
	}
	return Message{Channel: ChannelEmail, Kind: kind, SubjectKind: SubjectEvent, SubjectID: e.ID,
		Params: MessageParams{Title: e.Title, Token: token, Event: em}}
}

func init() {
	MessageKinds = append(MessageKinds, MessageRegistrationAddress, MessageRegistrationConfirmed,
		MessageRegistrationMovedUp, MessageEventReminder)
	for kind, k := range eventMessageKinds {
		messageKinds[kind] = k
	}
}

// checkEventMessage checks the parameters of a message about an event.
func checkEventMessage(f FieldErrors, p MessageParams) {
	f.Text("title", p.Title, 1, 1000)
	if p.Event == nil || p.Event.RegistrationID < 1 {
		f.Add("event", RuleRequired, 0)
	}
}

// eventWhen says when and where an event is, as people of lang read it.
func eventWhen(lang string, p MessageParams) string {
	e := p.Event
	place := e.Location
	if e.OnlineURL != "" {
		place += ", " + map[string]string{"fi": "verkossa", "sv": "på nätet", "en": "online"}[lang] + ": " + e.OnlineURL
	}
	s := deadlineText(lang, &e.StartsAt)
	return s + "–" + e.EndsAt.In(Helsinki).Format("15.04") + ", " + place
}

// eventKind is a kind of registration message with texts by language,
// each given the time and place, and the calendar file when ics is set.
func eventKind(ics bool, linkLead map[string]string, text map[string]func(p MessageParams, when string) (string, string)) messageKind {
	k := messageKind{subject: SubjectEvent, check: checkEventMessage, linkLead: linkLead,
		text: map[string]func(MessageParams, string) (string, string){}}
	for lang, f := range text {
		k.text[lang] = func(p MessageParams, _ string) (string, string) {
			if p.Event == nil { // never written so (checkEventMessage); rendered all the same
				p.Event = &EventMessage{}
			}
			return f(p, eventWhen(lang, p))
		}
	}
	if ics {
		k.attach = func(m *Message) []MessageAttachment {
			if m.Params.Event == nil {
				return nil
			}
			return []MessageAttachment{{Name: "event.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: EventICS(m)}}
		}
	}
	return k
}

var cancelLead = map[string]string{"fi": "Jos et pääsekään, peru ilmoittautumisesi:", "sv": "Om du inte kan komma, avboka här:", "en": "If you cannot come, cancel here:"}

var eventMessageKinds = map[string]messageKind{
	MessageRegistrationAddress: eventKind(false,
		map[string]string{"fi": "Vahvista ilmoittautumisesi:", "sv": "Bekräfta din anmälan:", "en": "Confirm your registration:"},
		map[string]func(MessageParams, string) (string, string){
			"fi": func(p MessageParams, when string) (string, string) {
				return "Vahvista ilmoittautumisesi: " + p.Title, "Ilmoittauduit tapahtumaan ”" + p.Title + "” (" + when + "). Ilmoittautuminen on voimassa ja pitää paikan vasta, kun avaat alla olevan linkin. Jos et ilmoittautunut itse, voit jättää viestin huomiotta."
			},
			"sv": func(p MessageParams, when string) (string, string) {
				return "Bekräfta din anmälan: " + p.Title, "Du anmälde dig till evenemanget ”" + p.Title + "” (" + when + "). Anmälan gäller och håller en plats först när du öppnar länken nedan. Om du inte anmälde dig själv kan du bortse från meddelandet."
			},
			"en": func(p MessageParams, when string) (string, string) {
				return "Confirm your registration: " + p.Title, "You registered for “" + p.Title + "” (" + when + "). The registration counts, and holds a seat, only once you open the link below. If you did not register, you can ignore this message."
			},
		}),
	MessageRegistrationConfirmed: eventKind(true, cancelLead, map[string]func(MessageParams, string) (string, string){
		"fi": func(p MessageParams, when string) (string, string) {
			if p.Event.Waitlisted {
				return "Olet jonossa: " + p.Title, "Tapahtuma ”" + p.Title + "” (" + when + ") on täynnä, ja olet jonossa. Saat viestin, jos paikka vapautuu."
			}
			return "Ilmoittautuminen vahvistettu: " + p.Title, "Olet ilmoittautunut tapahtumaan ”" + p.Title + "”, " + when + ". Kalenteritiedosto on liitteenä."
		},
		"sv": func(p MessageParams, when string) (string, string) {
			if p.Event.Waitlisted {
				return "Du står i kö: " + p.Title, "Evenemanget ”" + p.Title + "” (" + when + ") är fullt, och du står i kö. Du får ett meddelande om en plats blir ledig."
			}
			return "Anmälan bekräftad: " + p.Title, "Du är anmäld till evenemanget ”" + p.Title + "”, " + when + ". En kalenderfil finns som bilaga."
		},
		"en": func(p MessageParams, when string) (string, string) {
			if p.Event.Waitlisted {
				return "You are on the waiting list: " + p.Title, "“" + p.Title + "” (" + when + ") is full, and you are on its waiting list. You will be told if a seat becomes free."
			}
			return "Registration confirmed: " + p.Title, "You are registered for “" + p.Title + "”, " + when + ". A calendar file is attached."
		},
	}),
	MessageRegistrationMovedUp: eventKind(true, cancelLead, map[string]func(MessageParams, string) (string, string){
		"fi": func(p MessageParams, when string) (string, string) {
			return "Sait paikan: " + p.Title, "Tapahtumasta ”" + p.Title + "” vapautui paikka, ja se on nyt sinun: olet ilmoittautunut, " + when + ". Kalenteritiedosto on liitteenä."
		},
		"sv": func(p MessageParams, when string) (string, string) {
			return "Du fick en plats: " + p.Title, "En plats blev ledig på evenemanget ”" + p.Title + "”, och den är nu din: du är anmäld, " + when + ". En kalenderfil finns som bilaga."
		},
		"en": func(p MessageParams, when string) (string, string) {
			return "You have a seat: " + p.Title, "A seat became free at “" + p.Title + "”, and it is now yours: you are registered, " + when + ". A calendar file is attached."
		},
	}),
	MessageEventReminder: eventKind(true, nil, map[string]func(MessageParams, string) (string, string){
		"fi": func(p MessageParams, when string) (string, string) {
			return "Muistutus: " + p.Title + " huomenna", "Muistutus: olet ilmoittautunut tapahtumaan ”" + p.Title + "”, " + when + "."
		},
		"sv": func(p MessageParams, when string) (string, string) {
			return "Påminnelse: " + p.Title + " i morgon", "Påminnelse: du är anmäld till evenemanget ”" + p.Title + "”, " + when + "."
		},
		"en": func(p MessageParams, when string) (string, string) {
			return "Reminder: " + p.Title + " tomorrow", "A reminder: you are registered for “" + p.Title + "”, " + when + "."
		},
	}),
}

// EventICS is the calendar file (RFC 5545) of the event a message is about:
// one VEVENT whose UID is the event's, so that a reminder or a move up
// updates the entry a confirmation made rather than adding another.
func EventICS(m *Message) []byte {
	e := m.Params.Event
	const stamp = "20060102T150405Z"
	lines := []string{
		"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Osallistu//Events//FI", "METHOD:PUBLISH", "BEGIN:VEVENT",
		fmt.Sprintf("UID:event-%d@osallistu", m.SubjectID),
		"DTSTAMP:" + m.CreatedAt.UTC().Format(stamp),
		"DTSTART:" + e.StartsAt.UTC().Format(stamp),
		"DTEND:" + e.EndsAt.UTC().Format(stamp),
		"SUMMARY:" + icsText(m.Params.Title),
		"LOCATION:" + icsText(e.Location),
	}
	if e.OnlineURL != "" {
		lines = append(lines, "URL:"+icsText(e.OnlineURL))
	}
	lines = append(lines, "END:VEVENT", "END:VCALENDAR")
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(icsFold(l))
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

// icsText escapes a text value: backslash, semicolon, comma and line breaks.
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// icsFold breaks a content line into lines of at most 75 octets, each
// continuation starting with a space, never inside a UTF-8 character.
func icsFold(line string) string {
	var b strings.Builder
	width := 0
	for _, r := range line {
		n := len(string(r))
		if width+n > 75 {
			b.WriteString("\r\n ")
			width = 1
		}
		b.WriteRune(r)
		width += n
	}
	return b.String()
}
