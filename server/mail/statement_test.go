package mail

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/server/mail/mailtest"
)

// TestStatementMessages publishes a statement request and lets its
// deadline come near, on the world's clock, and checks that the
// invitations and the reminder reach the SMTP server, each in its
// recipient's language with a link to the request.
func TestStatementMessages(t *testing.T) {
	t.Parallel()
	w := newWorld(t, mailtest.Options{})
	ctx := context.Background()
	account := func(email, lang string) context.Context {
		a, err := w.store.CreateAccount(ctx, participation.NewAccount{Email: email, Password: "correct horse battery", Name: email})
		if err != nil {
			t.Fatal(err)
		}
		c := participation.NewContextWithAccount(ctx, a)
		if err := w.store.SetMessageLanguage(c, lang); err != nil {
			t.Fatal(err)
		}
		return c
	}
	maija := account("maija@example.fi", "fi")
	account("sven@example.fi", "sv")
	org, err := w.store.CreateOrganisation(maija, participation.NewOrganisation{Name: "Kuntaliitto"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.AddMember(maija, org.ID, participation.NewMember{Email: "sven@example.fi"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.CreateProcess(w.admin, participation.NewProcess{Slug: "avoin", Title: "Avoin hallinto"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Date(2017, 3, 31, 13, 0, 0, 0, time.UTC) // 16.00 in Helsinki
	r, err := w.store.CreateStatementRequest(w.admin, "avoin", participation.NewStatementRequest{
		Title: "Lausuntopyyntö toimintaohjelmasta", Deadline: &deadline, InvitedOrganisationIDs: []int64{org.ID},
		InvitedEmails:    []string{"kirjaamo@example.fi"},
		TranslationInput: participation.TranslationInput{Translations: participation.Translations{"sv": {"title": "Begäran om utlåtande"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The message that Sven joined the organisation is not this test's.
	w.round(t, 1)
	seen := len(w.smtp.Messages())

	if _, err := w.store.PublishStatementRequest(w.admin, r.ID); err != nil {
		t.Fatal(err)
	}
	w.round(t, 3)
	link := "https://osallistu.example.fi/statement-requests/" + strconv.FormatInt(r.ID, 10)
	w.expect(t, seen, map[string]expected{
		"maija@example.fi": {"fi", "Lausuntopyyntö: Lausuntopyyntö toimintaohjelmasta",
			[]string{"organisaatiollenne ”Kuntaliitto”", "31.3.2017 klo 16.00", "Lue lisää: " + link}},
		"sven@example.fi": {"sv", "Begäran om utlåtande: Begäran om utlåtande",
			[]string{"för organisationen ”Kuntaliitto”", "31.3.2017 kl. 16.00", "Läs mer: " + link}},
		"kirjaamo@example.fi": {"fi", "Lausuntopyyntö: Lausuntopyyntö toimintaohjelmasta",
			[]string{"rekisteröidy ja lisää organisaatiosi", "Lue lisää: " + link}},
	})

	// Three days before the deadline, the members are reminded, once.
	seen = len(w.smtp.Messages())
	w.now = deadline.Add(-participation.ReminderLead)
	if n, err := w.store.SendStatementReminders(ctx); err != nil || n != 1 {
		t.Fatalf("reminded of %d requests: %v", n, err)
	}
	if n, err := w.store.SendStatementReminders(ctx); err != nil || n != 0 {
		t.Fatalf("reminded again: %d %v", n, err)
	}
	w.round(t, 2)
	w.expect(t, seen, map[string]expected{
		"maija@example.fi": {"fi", "Muistutus: lausuntoaika päättyy 31.3.2017 klo 16.00",
			[]string{"”Kuntaliitto”", "eikä se ole vielä antanut lausuntoa", "Lue lisää: " + link}},
		"sven@example.fi": {"sv", "Påminnelse: tiden för utlåtanden går ut 31.3.2017 kl. 16.00",
			[]string{"”Begäran om utlåtande”", "Läs mer: " + link}},
	})
}

// expected is what one recipient's email says.
type expected struct {
	lang, subject string
	body          []string
}

// expect fails t unless the SMTP server got, after the first seen
// messages, exactly one email for each recipient of want, saying what it should.
func (w *world) expect(t *testing.T, seen int, want map[string]expected) {
	t.Helper()
	got := map[string][]mailtest.Message{}
	for _, r := range w.smtp.Messages()[seen:] {
		for _, to := range r.To {
			got[to] = append(got[to], r)
		}
	}
	var rcpts []string
	for rcpt := range got {
		rcpts = append(rcpts, rcpt)
	}
	slices.Sort(rcpts)
	if len(got) != len(want) {
		t.Errorf("emails to %v, want %d recipients", rcpts, len(want))
	}
	for rcpt, e := range want {
		if len(got[rcpt]) != 1 {
			t.Errorf("%d emails to %s", len(got[rcpt]), rcpt)
			continue
		}
		p := mailtest.Parse(t, got[rcpt][0].Data)
		if p.Subject != e.subject || p.Header.Get("Content-Language") != e.lang {
			t.Errorf("to %s: %q in %s", rcpt, p.Subject, p.Header.Get("Content-Language"))
		}
		body := strings.ReplaceAll(p.Body, "\r\n", "\n")
		for _, part := range e.body {
			if !strings.Contains(body, part) {
				t.Errorf("to %s: the body lacks %q:\n%s", rcpt, part, body)
			}
		}
	}
}

func TestStatementMessageLinks(t *testing.T) {
	for _, tc := range []struct {
		m    participation.Message
		want string
	}{
		{participation.Message{Kind: participation.MessageStatementReminder, SubjectKind: participation.SubjectStatementRequest, SubjectID: 4},
			"https://osallistu.example.fi/statement-requests/4"},
		{participation.Message{Kind: participation.MessageOrganisationMember, SubjectKind: participation.SubjectOrganisation, SubjectID: 5},
			"https://osallistu.example.fi/organisations/5"},
		{participation.Message{Kind: participation.MessageOrganisationInvitation, SubjectKind: participation.SubjectOrganisation, SubjectID: 5,
			Params: participation.MessageParams{Token: "a-b_c"}},
			"https://osallistu.example.fi/organisation-invitation?token=a-b_c"},
		{participation.Message{Kind: participation.MessagePasswordReset, SubjectKind: participation.SubjectAccount, SubjectID: 5,
			Params: participation.MessageParams{Token: "t0k"}},
			"https://osallistu.example.fi/password/reset?token=t0k"},
		{participation.Message{Kind: participation.MessageEmailConfirmation, SubjectKind: participation.SubjectAccount, SubjectID: 5,
			Params: participation.MessageParams{Token: "t0k"}},
			"https://osallistu.example.fi/account/confirm-email?token=t0k"},
		{participation.Message{Kind: participation.MessageEmailChange, SubjectKind: participation.SubjectAccount, SubjectID: 5,
			Params: participation.MessageParams{Token: "t0k"}},
			"https://osallistu.example.fi/account/confirm-email?token=t0k"},
	} {
		if got := MessageLink("https://osallistu.example.fi/", &tc.m); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.m.Kind, got, tc.want)
		}
	}
}
