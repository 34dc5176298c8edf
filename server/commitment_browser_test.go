package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/server/browsertest"
)

// TestBrowserCommitments goes through the end of the seed's process in a
// browser without JavaScript, in Finnish and in Swedish, auditing every
// page with axe: an official drafts commitments from ideas selected on the
// drafting page, edits one (a new version), merges the other into it,
// approves it and sets milestone statuses; a citizen follows an idea to
// the commitment it ended in and gets the messages.
func TestBrowserCommitments(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			w := newCommitmentWorld(t)
			ts := w.ts
			base := ts.listen()
			b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(4*time.Minute))
			signIn := func(email string) {
				t.Helper()
				b.Visit(base + "/login?lang=" + lang)
				b.Fill("#email", email)
				b.Fill("#password", "correct horse battery")
				b.Submit(`form[action="/login"] button[type=submit]`)
			}
			signOut := func() {
				t.Helper()
				b.Submit(`form[action="/logout"] button`)
			}
			idOf := func(url string) string {
				t.Helper()
				i := strings.Index(url, "/commitments/")
				if i < 0 {
					t.Fatalf("not a commitment page: %s", url)
				}
				return strings.Trim(strings.SplitN(url[i+len("/commitments/"):], "?", 2)[0], "/")
			}

			// The official drafts a commitment from two selected ideas and a theme.
			signIn("official@example.fi")
			b.VisitAndAudit(base + "/processes/avoin")
			b.VisitAndAudit(base + "/processes/avoin/drafting")
			b.Click("#src-idea-" + itoa(w.ideas[0]))
			b.Click("#src-idea-" + itoa(w.ideas[1]))
			b.Click("#src-theme-" + itoa(w.themes[0]))
			b.Submit(`form.drafting-form button[type=submit]`)
			b.Audit()
			b.Submit(`form.commitment-form button.commitment-save`) // no title
			if b.Text(".error-summary") == "" {
				t.Fatal("no error summary without a title")
			}
			b.Audit()
			b.Fill("#title", "Lisätään lasten ja nuorten osallisuutta")
			b.Fill("#problem", "Lapsia ei kuulla päätösten valmistelussa.")
			b.Fill("#lead_agency", "Oikeusministeriö")
			b.Fill("#starts_on", "2017-07-01")
			b.Fill("#ends_on", "2019-06-30")
			b.Fill("#milestone_title_1", "Lasten oikeuksien päivä")
			b.Fill("#milestone_due_1", "2017-11-14")
			b.Fill("#milestone_responsible_1", "OM")
			b.Fill("#milestone_title_2", "TEAS-selvitys lasten kuulemisesta")
			b.Fill("#milestone_due_2", "2030-12-31")
			b.Submit(`form.commitment-form button.commitment-save`)
			a := idOf(b.URL())
			if b.Text("[role=status]") == "" {
				t.Fatal("no confirmation after saving the draft")
			}
			b.Audit()

			// Edit: a new version, compared word by word.
			b.VisitAndAudit(base + "/commitments/" + a + "/edit")
			b.Fill("#problem", "Lapsia ja nuoria ei kuulla riittävästi päätösten valmistelussa.")
			b.Fill("#change_note", "Lausuntojen pohjalta")
			b.Submit(`form.commitment-form button.commitment-save`)
			b.Audit()
			b.VisitAndAudit(base + "/commitments/" + a + "/versions")
			if !strings.Contains(b.Text(".diff"), "nuoria") {
				t.Fatalf("diff %q", b.Text(".diff"))
			}

			// A second draft from another idea, merged into the first.
			b.Visit(base + "/processes/avoin/drafting")
			b.Click("#src-idea-" + itoa(w.ideas[3]))
			b.Submit(`form.drafting-form button[type=submit]`)
			b.Fill("#title", "Tukea ja kokeiluja viestintäkanavien käyttöön")
			b.Fill("#problem", "Nuoria ei tavoiteta.")
			b.Fill("#milestone_title_1", "Yhteistyö tubettajien kanssa")
			b.Fill("#milestone_due_1", "2019-06-30")
			b.Submit(`form.commitment-form button.commitment-save`)
			other := idOf(b.URL())
			b.Audit()
			b.Fill("#into_id", a)
			b.Fill("#merge_note", "Yhdistetty lausuntojen pohjalta")
			b.Submit(`form[action="/commitments/` + other + `/merge"] button[type=submit]`)
			b.Audit()
			if !strings.Contains(b.Text(".notice"), "Lisätään lasten ja nuorten osallisuutta") {
				t.Fatalf("the merged page does not point to the target: %q", b.Text(".notice"))
			}
			signOut()

			// A citizen follows the merged draft's idea and sees where it ended.
			signIn("citizen@example.fi")
			trace := base + "/ideas/" + itoa(w.ideas[3]) + "/trace"
			b.VisitAndAudit(trace)
			if got := b.Text(".trace-commitments"); !strings.Contains(got, "Lisätään lasten ja nuorten osallisuutta") {
				t.Fatalf("the trace does not reach the target: %q", got)
			}
			b.Submit(`form[action="/ideas/` + itoa(w.ideas[3]) + `/follow"] button[type=submit]`)
			b.Audit()
			b.VisitAndAudit(base + "/notifications")
			signOut()

			// The official approves it and reports on its milestones.
			signIn("official@example.fi")
			b.Visit(base + "/commitments/" + a)
			b.Submit(`form[action="/commitments/` + a + `/approve"] button[type=submit]`)
			b.Audit()
			c, err := ts.store.FindCommitment(context.Background(), mustID(t, a))
			if err != nil || c.Status != participation.CommitmentApproved || len(c.Milestones) != 3 {
				t.Fatalf("approved %+v %v", c, err)
			}
			m1, m2 := itoa(c.Milestones[0].ID), itoa(c.Milestones[2].ID)
			b.Click("#milestone-" + m1 + " details:last-of-type > summary")
			b.Fill("#ms-"+m1+"-status", "done")
			b.Fill("#ms-"+m1+"-note", "Järjestettiin 14.11.2017")
			b.Fill("#ms-"+m1+"-links", "https://lapsiasia.fi")
			b.Submit(`form[action="/milestones/` + m1 + `"] button[type=submit]`)
			b.Audit()
			b.VisitAndAudit(base + "/milestones/" + m2)
			b.Fill("#milestone_status", "late")
			b.Fill("#milestone_note", "Ei vielä käynnissä")
			b.Click("details:has(#tr_sv) > summary")
			b.Fill("#tr_sv_note", "Ännu inte i gång")
			b.Submit(`form[action="/milestones/` + m2 + `"] button[type=submit]`)
			b.Audit()
			b.VisitAndAudit(base + "/processes/avoin/report?lang=sv")
			if got := b.Text("main"); !strings.Contains(got, "Ännu inte i gång") || strings.Contains(got, "Ei vielä käynnissä") {
				t.Fatalf("the Swedish report's notes %q", got)
			}
			b.Visit(base + "/processes/avoin/report?lang=fi")
			for _, path := range []string{"/processes/avoin/commitments", "/processes/avoin/status", "/processes/avoin/report", "/milestones/" + m1} {
				b.VisitAndAudit(base + path)
			}
			if got := b.Text(".change-list"); !strings.Contains(got, "Järjestettiin 14.11.2017") {
				t.Fatalf("milestone history %q", got)
			}
			signOut()

			// The citizen has messages: the approval and the two statuses.
			signIn("citizen@example.fi")
			if got := b.Text(".nav-count"); !strings.HasPrefix(got, "3") {
				t.Fatalf("unread count %q", got)
			}
			b.VisitAndAudit(base + "/notifications")
			if got := b.Text(".notification-list"); !strings.Contains(got, "Lasten oikeuksien päivä") {
				t.Fatalf("notifications %q", got)
			}
			b.Submit(`form[action="/notifications/read"] button[type=submit]`)
			b.Audit()
			b.VisitAndAudit(trace)
			b.VisitAndAudit(base + "/processes/avoin/report")
		})
	}
}
