package mail

import (
	"bytes"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/server/mail/mailtest"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want SMTP
	}{
		{"smtp://mail.example.fi?from=noreply@example.fi", SMTP{Host: "mail.example.fi", Port: "587", From: netmail.Address{Address: "noreply@example.fi"}, Helo: "localhost"}},
		{"smtps://user%40x:p%3Ass@mail.example.fi:2465?from=Osallistu%20%3Cnoreply@example.fi%3E&helo=osallistu.example.fi",
			SMTP{Host: "mail.example.fi", Port: "2465", ImplicitTLS: true, Username: "user@x", Password: "p:ss",
				From: netmail.Address{Name: "Osallistu", Address: "noreply@example.fi"}, Helo: "osallistu.example.fi"}},
		{"smtps://[::1]?from=a@example.fi", SMTP{Host: "::1", Port: "465", ImplicitTLS: true, From: netmail.Address{Address: "a@example.fi"}, Helo: "localhost"}},
	} {
		got, err := ParseURL(tc.url)
		if err != nil || *got != tc.want {
			t.Errorf("%s: %+v %v", tc.url, got, err)
		}
	}
	for _, bad := range []string{
		"http://mail.example.fi?from=a@example.fi", "smtp://?from=a@example.fi", "smtp://mail.example.fi",
		"smtp://mail.example.fi?from=nobody", "smtp://mail.example.fi:99999?from=a@example.fi",
		"smtp://mail.example.fi?from=a@example.fi&tls=no", "smtp://mail example",
	} {
		if _, err := ParseURL(bad); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
	s, _ := ParseURL("smtps://user:secret@mail.example.fi?from=a@example.fi")
	if got := s.String(); got != "smtps://user@mail.example.fi:465" {
		t.Errorf("String() = %q", got)
	}
}

func TestCompose(t *testing.T) {
	created := time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)
	long := strings.Repeat("Lasten ja nuorten osallisuus ", 8)
	m := &participation.Message{ID: 12, Email: "ext@example.fi", Channel: participation.ChannelEmail, Kind: participation.MessageCommitmentApproved,
		SubjectKind: participation.SubjectCommitment, SubjectID: 3, Lang: "fi", CreatedAt: created,
		Params: participation.MessageParams{Title: "Äänestys\r\nBcc: evil@example.com " + long}}
	text, err := m.Render("https://osallistu.example.fi/commitments/3")
	if err != nil {
		t.Fatal(err)
	}
	data := compose(netmail.Address{Name: "Osallistu", Address: "noreply@example.fi"}, "ext@example.fi", m, text, "")
	for _, line := range strings.Split(string(data), "\r\n") {
		if len(line) > 998 {
			t.Errorf("a line of %d characters", len(line))
		}
	}
	if bytes.Contains(data, []byte("\nBcc:")) || bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("a bare line break or an injected header:\n%s", data)
	}
	p := mailtest.Parse(t, data)
	for name, want := range map[string]string{
		"From": `"Osallistu" <noreply@example.fi>`, "To": "<ext@example.fi>", "Date": "Wed, 01 Mar 2017 09:00:00 +0000",
		"Message-Id": "<osallistu.12.1488358800@example.fi>", "Mime-Version": "1.0", "Content-Type": "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable", "Content-Language": "fi", "Auto-Submitted": "auto-generated",
	} {
		if got := p.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if p.Subject != text.Subject || !strings.HasPrefix(p.Subject, "Sitoumus on hyväksytty: Äänestys Bcc:") {
		t.Errorf("subject %q, want %q", p.Subject, text.Subject)
	}
	if p.Body != strings.ReplaceAll(text.Body, "\n", "\r\n") {
		t.Errorf("body %q, want %q", p.Body, text.Body)
	}
}
