package participation

import (
	"strings"
	"testing"
	"time"
)

func TestDigestPeriod(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, Helsinki)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		frequency, now, start, end, lastStart string
	}{
		{FrequencyMonthly, "2017-03-17 12:00", "2017-03-01", "2017-04-01", "2017-02-01"},
		{FrequencyMonthly, "2017-03-01 00:00", "2017-03-01", "2017-04-01", "2017-02-01"},
		{FrequencyMonthly, "2017-01-15 00:30", "2017-01-01", "2017-02-01", "2016-12-01"},
		{FrequencyWeekly, "2017-03-17 12:00", "2017-03-13", "2017-03-20", "2017-03-06"}, // a Friday
		{FrequencyWeekly, "2017-03-19 23:59", "2017-03-13", "2017-03-20", "2017-03-06"}, // Sunday night
		{FrequencyWeekly, "2017-03-20 00:00", "2017-03-20", "2017-03-27", "2017-03-13"}, // Monday
		{FrequencyWeekly, "2017-03-26 12:00", "2017-03-20", "2017-03-27", "2017-03-13"}, // summer time begins
	} {
		start, end := DigestPeriod(c.frequency, at(c.now))
		last, _ := LastDigestPeriod(c.frequency, at(c.now))
		if DateOf(start) != Date(c.start) || DateOf(end) != Date(c.end) || DateOf(last) != Date(c.lastStart) {
			t.Errorf("%s at %s: %s–%s, last from %s; want %s–%s, %s", c.frequency, c.now, DateOf(start), DateOf(end), DateOf(last), c.start, c.end, c.lastStart)
		}
	}
}

func TestDigestRefValidate(t *testing.T) {
	for _, c := range []struct {
		ref DigestRef
		ok  bool
	}{
		{DigestRef{}, true},
		{DigestRef{Frequency: FrequencyMonthly, PeriodStart: "2017-03-01"}, true},
		{DigestRef{Frequency: FrequencyMonthly, PeriodStart: "2017-03-02"}, false},
		{DigestRef{Frequency: FrequencyWeekly, PeriodStart: "2017-03-13"}, true},
		{DigestRef{Frequency: FrequencyWeekly, PeriodStart: "2017-03-14"}, false},
		{DigestRef{Frequency: "daily"}, false},
		{DigestRef{PeriodStart: "March"}, false},
	} {
		if err := c.ref.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.ref, err)
		}
	}
}

func TestNewSubscriptionValidate(t *testing.T) {
	for _, c := range []struct {
		in NewSubscription
		ok bool
	}{
		{NewSubscription{Email: " Aino@Example.fi ", Language: "fi"}, true},
		{NewSubscription{Email: "aino@example.fi", Language: "sv", Frequency: FrequencyWeekly, Process: "avoin"}, true},
		{NewSubscription{Email: "aino", Language: "fi"}, false},
		{NewSubscription{Email: "aino@example.fi", Language: "de"}, false},
		{NewSubscription{Email: "aino@example.fi", Language: "fi", Frequency: "daily"}, false},
		{NewSubscription{Email: "aino@example.fi", Language: "fi", Process: strings.Repeat("x", 201)}, false},
	} {
		c.in.Normalize()
		if err := c.in.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.in, err)
		}
	}
}

// TestRenderDigest writes a digest in every language: the introduction
// first, then each kind under its heading in order, each item with its
// link, and the unsubscribe link last; an empty digest is not a message.
func TestRenderDigest(t *testing.T) {
	at := time.Date(2017, 3, 17, 10, 0, 0, 0, time.UTC)
	d := &Digest{Title: "Avoin\nhallinto", Frequency: FrequencyMonthly, PeriodStart: "2017-03-01", PeriodEnd: "2017-03-31", Intro: "Hyvä lukija",
		Items: []DigestItem{
			{Kind: DigestMilestoneStatus, ID: 2, Title: "Sitoumus", MilestoneID: 5, MilestoneTitle: "Välitavoite", Status: MilestoneDone, At: at},
			{Kind: DigestCommitmentApproved, ID: 2, Title: "Sitoumus", At: at},
			{Kind: DigestStepOpened, StepKind: StepSurvey, ID: 3, Title: "Kysely", At: at},
		}}
	SortDigestItems(d.Items)
	for _, lang := range MessageLanguages {
		m := &Message{Email: "a@example.fi", Channel: ChannelEmail, Kind: MessageNewsletterDigest, SubjectKind: SubjectSubscription, SubjectID: 1,
			Lang: lang, Params: MessageParams{Title: d.Title, Token: "t", Digest: d}}
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		text, err := m.RenderDigest("https://x/processes/p", func(it DigestItem) string { return "https://x/" + it.Kind }, "https://x/unsubscribe")
		if err != nil {
			t.Fatal(err)
		}
		order := []string{"Hyvä lukija", DigestHeading(lang, DigestStepOpened), "https://x/step_opened", DigestHeading(lang, DigestCommitmentApproved),
			DigestHeading(lang, DigestMilestoneStatus), "Välitavoite (Sitoumus): " + milestoneStatusNames[lang][MilestoneDone], "https://x/processes/p", "https://x/unsubscribe"}
		rest := text.Body
		for _, part := range order {
			i := strings.Index(rest, part)
			if i < 0 {
				t.Fatalf("%s: %q missing or out of order in\n%s", lang, part, text.Body)
			}
			rest = rest[i+len(part):]
		}
		if strings.Contains(text.Body, DigestHeading(lang, DigestResults)) || !strings.Contains(text.Subject, "Avoin hallinto") || strings.Contains(text.Subject, "\n") {
			t.Errorf("%s: %q\n%s", lang, text.Subject, text.Body)
		}
	}
	empty := Message{Email: "a@example.fi", Channel: ChannelEmail, Kind: MessageNewsletterDigest, SubjectKind: SubjectSubscription, SubjectID: 1,
		Lang: "fi", Params: MessageParams{Token: "t", Digest: &Digest{}}}
	if err := empty.Validate(); err == nil {
		t.Error("an empty digest is a message")
	}
}
