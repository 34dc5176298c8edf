package participation

import (
	"fmt"
	"strings"
)

// The newsletter's messages: the confirmation of a subscription and the
// digest, added to the outbox's kinds, in every message language. Both
// carry a personal link's token in Params.Token: the confirmation's, or the
// digest's unsubscribe link.

func init() {
	MessageKinds = append(MessageKinds, MessageSubscriptionConfirmation, MessageNewsletterDigest)
	messageKinds[MessageSubscriptionConfirmation] = messageKind{
		subject: SubjectSubscription,
		check:   checkToken,
		linkLead: map[string]string{
			"fi": "Vahvista tilaus tästä:", "sv": "Bekräfta prenumerationen här:", "en": "Confirm the subscription here:",
		},
		text: map[string]func(MessageParams, string) (string, string){
			"fi": func(p MessageParams, _ string) (string, string) {
				return "Vahvista uutiskirjeen tilaus", "Osoitteellesi on tilattu Osallistu-palvelun uutiskirje: " + scopeName("fi", p.Title) +
					". Uutiskirjettä ei lähetetä ennen kuin vahvistat tilauksen alla olevalla linkillä.\n\nJos et tilannut uutiskirjettä, voit jättää tämän viestin huomiotta: mitään ei lähetetä."
			},
			"sv": func(p MessageParams, _ string) (string, string) {
				return "Bekräfta prenumerationen på nyhetsbrevet", "Ett nyhetsbrev från tjänsten Osallistu har beställts till din adress: " + scopeName("sv", p.Title) +
					". Inget nyhetsbrev skickas förrän du bekräftar prenumerationen med länken nedan.\n\nOm du inte beställde nyhetsbrevet kan du bortse från det här meddelandet: ingenting skickas."
			},
			"en": func(p MessageParams, _ string) (string, string) {
				return "Confirm your newsletter subscription", "A newsletter of Osallistu was ordered to your address: " + scopeName("en", p.Title) +
					". No newsletter is sent until you confirm the subscription with the link below.\n\nIf you did not order it, you can ignore this message: nothing will be sent."
			},
		},
	}
	messageKinds[MessageNewsletterDigest] = messageKind{
		subject: SubjectSubscription,
		check: func(f FieldErrors, p MessageParams) {
			checkToken(f, p)
			if p.Digest == nil || len(p.Digest.Items) == 0 {
				f.Add("digest", RuleRequired, 0)
			}
		},
		text: map[string]func(MessageParams, string) (string, string){},
	}
	for _, lang := range MessageLanguages {
		messageKinds[MessageNewsletterDigest].text[lang] = func(p MessageParams, _ string) (string, string) {
			w := digestWords[lang]
			return w.subject + ": " + scopeName(lang, p.Title) + ", " + periodName(lang, p.Digest), ""
		}
	}
}

// scopeName is what a subscription is to: a process's title, or the platform.
func scopeName(lang, title string) string {
	if title != "" {
		return "”" + oneLine(title) + "”"
	}
	return digestWords[lang].platform
}

// periodName says a digest's period: its first and last day.
func periodName(lang string, d *Digest) string {
	if d == nil {
		return ""
	}
	return localDay(lang, d.PeriodStart) + "–" + localDay(lang, d.PeriodEnd)
}

// localDay writes a date as the language writes it.
func localDay(lang string, d Date) string {
	t := d.Time()
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2.1.2006")
}

// digestWords are the digest's own words, by language.
var digestWords = map[string]struct {
	subject, platform, unsubscribe, more string
	heading                              map[string]string
}{
	"fi": {"Uutiskirje", "koko Osallistu-palvelu", "Lopeta tilaus yhdellä napsautuksella:", "Lue lisää:", map[string]string{
		DigestStepOpened: "Avautui", DigestStepClosed: "Päättyi", DigestResults: "Tulokset julkaistiin",
		DigestCommitmentApproved: "Sitoumuksia hyväksyttiin", DigestMilestoneStatus: "Välitavoitteiden tila muuttui"}},
	"sv": {"Nyhetsbrev", "hela tjänsten Osallistu", "Avsluta prenumerationen med ett klick:", "Läs mer:", map[string]string{
		DigestStepOpened: "Öppnades", DigestStepClosed: "Stängdes", DigestResults: "Resultat publicerades",
		DigestCommitmentApproved: "Åtaganden godkändes", DigestMilestoneStatus: "Delmålens läge ändrades"}},
	"en": {"Newsletter", "the whole of Osallistu", "Unsubscribe with one click:", "Read more:", map[string]string{
		DigestStepOpened: "Opened", DigestStepClosed: "Closed", DigestResults: "Results published",
		DigestCommitmentApproved: "Commitments approved", DigestMilestoneStatus: "Milestones changed status"}},
}

// DigestHeading is the heading of a kind of digest item, for pages too.
func DigestHeading(lang, kind string) string { return digestWords[lang].heading[kind] }

// RenderDigest writes a digest message in its language: the introduction,
// then the items under their headings, each with its link (itemLink, which
// the server knows), and the one-click unsubscribe link.
func (m *Message) RenderDigest(link string, itemLink func(DigestItem) string, unsubscribe string) (MessageText, error) {
	if m.Kind != MessageNewsletterDigest || m.Params.Digest == nil {
		return MessageText{}, fmt.Errorf("render digest %d: not a digest", m.ID)
	}
	text, err := m.Render("")
	if err != nil {
		return text, err
	}
	w := digestWords[m.Lang]
	d := m.Params.Digest
	var paragraphs []string
	if intro := strings.TrimSpace(d.Intro); intro != "" {
		paragraphs = append(paragraphs, intro)
	}
	for _, kind := range DigestKinds {
		var lines []string
		for _, it := range d.Items {
			if it.Kind != kind {
				continue
			}
			line := "– " + DigestItemText(m.Lang, it) + " (" + localDay(m.Lang, DateOf(it.At)) + ")"
			if l := itemLink(it); l != "" {
				line += "\n  " + l
			}
			lines = append(lines, line)
		}
		if len(lines) > 0 {
			paragraphs = append(paragraphs, w.heading[kind]+":\n"+strings.Join(lines, "\n"))
		}
	}
	if link != "" {
		paragraphs = append(paragraphs, w.more+" "+link)
	}
	if unsubscribe != "" {
		paragraphs = append(paragraphs, w.unsubscribe+" "+unsubscribe)
	}
	text.Body = strings.Join(paragraphs, "\n\n")
	return text, nil
}

// DigestItemText is one item's line: its title, and a milestone's new status.
func DigestItemText(lang string, it DigestItem) string {
	if it.Kind == DigestMilestoneStatus {
		return oneLine(it.MilestoneTitle) + " (" + oneLine(it.Title) + "): " + milestoneStatusNames[lang][it.Status]
	}
	return oneLine(it.Title)
}
