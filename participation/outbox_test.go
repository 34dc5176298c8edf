package participation

import (
	"strings"
	"testing"
	"time"
)

func TestMessageValidate(t *testing.T) {
	id := int64(7)
	approved := func(mod func(*Message)) Message {
		m := Message{AccountID: &id, Channel: ChannelInApp, Kind: MessageCommitmentApproved,
			SubjectKind: SubjectCommitment, SubjectID: 3, Params: MessageParams{Title: "Avoin data"}}
		if mod != nil {
			mod(&m)
		}
		return m
	}
	for _, tc := range []struct {
		name  string
		m     Message
		field string // "" for valid
	}{
		{"InAppToAccount", approved(nil), ""},
		{"EmailToAccount", approved(func(m *Message) { m.Channel = ChannelEmail; m.Lang = "sv" }), ""},
		{"EmailToAddress", approved(func(m *Message) { m.AccountID, m.Email, m.Channel, m.Lang = nil, "ext@example.fi", ChannelEmail, "en" }), ""},
		{"MilestoneStatus", approved(func(m *Message) {
			m.Kind, m.Params = MessageMilestoneStatus, MessageParams{Title: "C", MilestoneID: 4, MilestoneTitle: "M", Status: MilestoneLate}
		}), ""},
		{"NoRecipient", approved(func(m *Message) { m.AccountID = nil }), "recipient"},
		{"TwoRecipients", approved(func(m *Message) { m.Email = "x@example.fi" }), "recipient"},
		{"BadAccount", approved(func(m *Message) { zero := int64(0); m.AccountID = &zero }), "account_id"},
		{"BadAddress", approved(func(m *Message) { m.AccountID, m.Email, m.Channel, m.Lang = nil, "not an address", ChannelEmail, "fi" }), "email"},
		{"InAppToAddress", approved(func(m *Message) { m.AccountID, m.Email, m.Lang = nil, "ext@example.fi", "fi" }), "channel"},
		{"AddressNeedsLang", approved(func(m *Message) { m.AccountID, m.Email, m.Channel = nil, "ext@example.fi", ChannelEmail }), "lang"},
		{"BadLang", approved(func(m *Message) { m.Lang = "de" }), "lang"},
		{"BadChannel", approved(func(m *Message) { m.Channel = "sms" }), "channel"},
		{"BadKind", approved(func(m *Message) { m.Kind = "birthday" }), "kind"},
		{"BadSubjectKind", approved(func(m *Message) { m.SubjectKind = "idea" }), "subject_kind"},
		{"NoSubject", approved(func(m *Message) { m.SubjectID = 0 }), "subject_id"},
		{"NoTitle", approved(func(m *Message) { m.Params.Title = " " }), "title"},
		{"NoMilestone", approved(func(m *Message) {
			m.Kind, m.Params = MessageMilestoneStatus, MessageParams{Title: "C", MilestoneTitle: "M", Status: MilestoneLate}
		}), "milestone_id"},
		{"BadStatus", approved(func(m *Message) {
			m.Kind, m.Params = MessageMilestoneStatus, MessageParams{Title: "C", MilestoneID: 4, MilestoneTitle: "M", Status: "green"}
		}), "status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID {
				t.Fatalf("error %v, want invalid", err)
			}
			if _, ok := e.Fields[tc.field]; !ok {
				t.Fatalf("fields %v, want %s", e.Fields, tc.field)
			}
		})
	}
}

func TestMessageNormalize(t *testing.T) {
	m := Message{Email: "  Ext@Example.FI "}
	m.Normalize()
	if m.Email != "ext@example.fi" {
		t.Fatalf("email %q", m.Email)
	}
}

func TestMessageRender(t *testing.T) {
	id := int64(7)
	status := Message{ID: 1, AccountID: &id, Channel: ChannelInApp, Kind: MessageMilestoneStatus, SubjectKind: SubjectCommitment, SubjectID: 3,
		Params: MessageParams{Title: "Avoin\r\ndata", MilestoneID: 4, MilestoneTitle: "Kurssit", Status: MilestoneOnTrack}}
	for _, tc := range []struct {
		lang, subject string
		body          []string
	}{
		{"fi", "Välitavoitteen tila: Kurssit – Etenee suunnitellusti", []string{"Sitoumuksen ”Avoin data” välitavoitteen ”Kurssit” tila on nyt: Etenee suunnitellusti.", "Lue lisää: https://example.fi/c/3"}},
		{"sv", "Delmålets läge: Kurssit – Framskrider enligt plan", []string{"Läget för delmålet ”Kurssit” i åtagandet ”Avoin data” är nu: Framskrider enligt plan.", "Läs mer: https://example.fi/c/3"}},
		{"en", "Milestone status: Kurssit – On track", []string{"The milestone “Kurssit” of the commitment “Avoin data” is now: On track.", "Read more: https://example.fi/c/3"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			m := status
			m.Lang = tc.lang
			text, err := m.Render("https://example.fi/c/3")
			if err != nil {
				t.Fatal(err)
			}
			if text.Lang != tc.lang || text.Subject != tc.subject {
				t.Fatalf("subject %q in %s", text.Subject, text.Lang)
			}
			for _, p := range tc.body {
				if !strings.Contains(text.Body, p) {
					t.Errorf("body %q lacks %q", text.Body, p)
				}
			}
			// In the app: no link given, no word about email.
			inApp, _ := m.Render("")
			if strings.Contains(inApp.Body, "https://") || strings.Contains(inApp.Body, "\n") {
				t.Errorf("in-app body %q", inApp.Body)
			}
		})
	}
	t.Run("EveryKindInEveryLanguage", func(t *testing.T) {
		now := time.Now()
		for _, kind := range MessageKinds {
			for _, lang := range MessageLanguages {
				m := Message{Kind: kind, Lang: lang, Channel: ChannelEmail, AccountID: &id,
					Params: MessageParams{Title: "T", MilestoneID: 1, MilestoneTitle: "M", Status: MilestoneDone, OrganisationName: "O", Deadline: &now}}
				text, err := m.Render("")
				// The text, and the way out of an opt-in kind's emails as a
				// paragraph of its own.
				paragraphs := 1
				if m.OptIn() {
					paragraphs = 2
				}
				if err != nil || text.Subject == "" || strings.Count(text.Body, "\n\n") < paragraphs-1 {
					t.Errorf("%s in %s: %+v %v", kind, lang, text, err)
				}
				if strings.ContainsAny(text.Subject, "\r\n") {
					t.Errorf("%s in %s: subject of two lines", kind, lang)
				}
			}
		}
	})
	t.Run("OptOutOnlyInOptInEmails", func(t *testing.T) {
		m := Message{Kind: MessageCommitmentApproved, Lang: "en", Channel: ChannelEmail, AccountID: &id, Params: MessageParams{Title: "T"}}
		if text, _ := m.Render(""); !strings.Contains(text.Body, "turn them off") {
			t.Errorf("opt-in email without the way out: %q", text.Body)
		}
		m.AccountID, m.Email = nil, "ext@example.fi"
		if text, _ := m.Render(""); strings.Contains(text.Body, "turn them off") {
			t.Errorf("email to an address tells of account settings: %q", text.Body)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		if _, err := (&Message{Kind: "birthday", Lang: "fi"}).Render(""); err == nil {
			t.Error("unknown kind rendered")
		}
		if _, err := (&Message{Kind: MessageCommitmentApproved, Lang: "de"}).Render(""); err == nil {
			t.Error("unknown language rendered")
		}
	})
}

func TestMessageState(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		m    Message
		want string
	}{
		{Message{Channel: ChannelInApp}, MessageUnread},
		{Message{Channel: ChannelInApp, ReadAt: &now}, MessageRead},
		{Message{Channel: ChannelEmail, Attempts: 2, LastError: "421 busy"}, MessageWaiting},
		{Message{Channel: ChannelEmail, SentAt: &now}, MessageSent},
		{Message{Channel: ChannelEmail, FailedAt: &now, LastError: "550 no such user"}, MessageFailed},
	} {
		if got := tc.m.State(); got != tc.want {
			t.Errorf("%+v: state %s, want %s", tc.m, got, tc.want)
		}
	}
}

func TestMessageToAccounts(t *testing.T) {
	m := Message{Kind: MessageCommitmentApproved, SubjectKind: SubjectCommitment, SubjectID: 1, Lang: "sv", Params: MessageParams{Title: "T"}}
	out := m.ToAccounts([]int64{5, 6, 5})
	if len(out) != 4 {
		t.Fatalf("%d messages, want 4", len(out))
	}
	for i, want := range []struct {
		account int64
		channel string
	}{{5, ChannelInApp}, {5, ChannelEmail}, {6, ChannelInApp}, {6, ChannelEmail}} {
		got := out[i]
		if *got.AccountID != want.account || got.Channel != want.channel || got.Lang != "" || got.Params.Title != "T" {
			t.Errorf("message %d: %+v", i, got)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("message %d: %v", i, err)
		}
		if got.OptIn() != (want.channel == ChannelEmail) {
			t.Errorf("message %d: opt-in %v", i, got.OptIn())
		}
	}
}

func TestMessageFilterValidate(t *testing.T) {
	for _, f := range []MessageFilter{{}, {State: MessageFailed, Channel: ChannelEmail}, {State: MessageRead}} {
		if err := f.Validate(); err != nil {
			t.Errorf("%+v: %v", f, err)
		}
	}
	for _, f := range []MessageFilter{{State: "lost"}, {Channel: "sms"}} {
		if ErrorCode(f.Validate()) != EINVALID {
			t.Errorf("%+v passed", f)
		}
	}
	if ErrorCode((&MessageSettings{Lang: "de"}).Validate()) != EINVALID || (&MessageSettings{Lang: "sv"}).Validate() != nil {
		t.Error("message settings' language")
	}
}

func TestAccountMessages(t *testing.T) {
	id := int64(7)
	for _, kind := range []string{MessageWelcome, MessageAccountExists} {
		m := Message{AccountID: &id, Channel: ChannelEmail, Kind: kind, SubjectKind: SubjectAccount, SubjectID: id}
		if err := m.Validate(); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if m.OptIn() {
			t.Errorf("%s is opt-in: it goes whatever the account's settings", kind)
		}
		for lang, lead := range map[string]string{"fi": "Kirjaudu sisään: https://example.fi/login", "sv": "Logga in: https://example.fi/login", "en": "Sign in: https://example.fi/login"} {
			m.Lang = lang
			text, err := m.Render("https://example.fi/login")
			if err != nil {
				t.Fatal(err)
			}
			// The link ends it, led by a sign-in; no word of turning emails off.
			if !strings.HasSuffix(text.Body, "\n\n"+lead) || strings.Contains(text.Body, messageCommon[lang].optOut) {
				t.Errorf("%s in %s: %q", kind, lang, text.Body)
			}
		}
		m.SubjectKind = SubjectCommitment
		if err := m.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%s about a commitment passed", kind)
		}
	}
}

func TestNewAccountLang(t *testing.T) {
	n := NewAccount{Email: "aino@example.fi", Name: "Aino", Password: "correct horse battery"}
	n.Normalize()
	if n.Lang != "fi" || n.Validate() != nil {
		t.Fatalf("default %q", n.Lang)
	}
	n.Lang = "sv"
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	n.Lang = "de"
	if e, ok := n.Validate().(*Error); !ok || e.Fields["lang"].Rule != RuleChoice {
		t.Fatalf("lang de: %v", n.Validate())
	}
}

func TestMessageSettingsUpdateValidate(t *testing.T) {
	on, sv, de := true, "sv", "de"
	for _, u := range []MessageSettingsUpdate{{}, {EmailNotifications: &on}, {Lang: &sv}} {
		if err := u.Validate(); err != nil {
			t.Errorf("%+v: %v", u, err)
		}
	}
	if ErrorCode((&MessageSettingsUpdate{EmailNotifications: &on, Lang: &de}).Validate()) != EINVALID {
		t.Error("lang de passed")
	}
}
