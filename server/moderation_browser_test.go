package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"osallistu/participation"
	"osallistu/server/browsertest"
)

// TestModerationBrowser moderates through the pages in a real browser, in
// Finnish and in Swedish, with an axe audit of every page shown: an official
// dismisses the reports of an idea with a reason, restores a hidden idea,
// blocks its writer with a reason that the writer then sees, and approves
// an idea of a pre-moderated round.
func TestModerationBrowser(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t)
			base := ts.listen()
			officialToken, official := ts.signUp("official@example.fi", "official")
			citizenToken, citizen := ts.signUp("citizen@example.fi")
			octx := participation.NewContextWithAccount(context.Background(), official)
			cctx := participation.NewContextWithAccount(context.Background(), citizen)
			if _, err := ts.store.CreateProcess(octx, participation.NewProcess{Slug: "avoin-hallinto", Title: "Avoin hallinto 2017–2019"}); err != nil {
				t.Fatal(err)
			}
			opens, closes := time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
			round, err := ts.store.CreateIdeaRound(octx, "avoin-hallinto", participation.NewIdeaRound{Title: "Ideoita", OpensAt: &opens, ClosesAt: &closes, AllowAnonymous: true})
			if err != nil {
				t.Fatal(err)
			}
			premoderated, err := ts.store.CreateIdeaRound(octx, "avoin-hallinto", participation.NewIdeaRound{Title: "Ennakkomoderoitu", OpensAt: &opens, ClosesAt: &closes,
				AllowAnonymous: true, Premoderated: true})
			if err != nil {
				t.Fatal(err)
			}
			reported, err := ts.store.CreateIdea(cctx, round.ID, participation.NewIdea{Title: "Kirjastot auki", Body: "Kirjastot auki myös sunnuntaisin."}, "fi")
			if err != nil {
				t.Fatal(err)
			}
			hidden, err := ts.store.CreateIdea(cctx, round.ID, participation.NewIdea{Title: "Piilotettu idea", Body: "Tämä piilotettiin turhaan."}, "fi")
			if err != nil {
				t.Fatal(err)
			}
			pending, err := ts.store.CreateIdea(context.Background(), premoderated.ID, participation.NewIdea{Title: "Odottava idea", Body: "Odottaa hyväksyntää."}, "fi")
			if err != nil {
				t.Fatal(err)
			}
			if err := ts.store.ReportItem(context.Background(), participation.KindIdea, reported.ID, participation.Report{Reason: "Mainos?"}); err != nil {
				t.Fatal(err)
			}
			if err := ts.store.HideItem(octx, participation.KindIdea, hidden.ID, participation.Hide{Reason: "Asiaton"}); err != nil {
				t.Fatal(err)
			}

			b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(4*time.Minute))
			signIn := func(token string) {
				t.Helper()
				setSession(t, b, base, token)
			}
			flash := flashChecker(t, b, lang)
			// decide opens a decision's disclosure, gives the reason and sends it.
			decide := func(kind string, id int64, action, reason string) {
				t.Helper()
				form := `form[action="/` + kind + `s/` + itoa(id) + `/` + action + `"]`
				b.Click(`details:has(> ` + form + `) > summary`)
				b.Audit()
				b.Fill("#"+action+"-"+kind+"-"+itoa(id)+"-reason", reason)
				b.Submit(form + ` button[type=submit]`)
			}

			b.VisitAndAudit(base + "/?lang=" + lang)
			signIn(officialToken)

			// Dismiss: the queue shows the text, the place and the reason.
			b.VisitAndAudit(base + "/moderation")
			if main := b.Text("main"); !strings.Contains(main, "Kirjastot auki myös sunnuntaisin.") || !strings.Contains(main, "Ideoita") || !strings.Contains(main, "Mainos?") {
				t.Fatalf("the queue lacks the item's text, place or reason:\n%s", main)
			}
			decide("idea", reported.ID, "dismiss", "Ei mainos vaan idea.")
			flash("moderation_dismiss")

			// Restore the hidden idea on its page.
			b.VisitAndAudit(base + "/ideas/" + itoa(hidden.ID))
			decide("idea", hidden.ID, "restore", "Piilotettiin turhaan.")
			flash("moderation_restore")

			// Block the writer, reached from the log's item.
			b.VisitAndAudit(base + "/moderation/log")
			if main := b.Text("main"); !strings.Contains(main, "Ei mainos vaan idea.") || !strings.Contains(main, "Piilotettiin turhaan.") {
				t.Fatalf("the log lacks the reasons:\n%s", main)
			}
			b.Click(`a[href^="/accounts/` + itoa(citizen.ID) + `/block"]`)
			b.Audit()
			b.Submit(`form[action$="/block"] button[type=submit]`)
			if b.Text(".error-summary") == "" {
				t.Fatal("a block without an end or a reason was taken")
			}
			b.Audit()
			helsinki, _ := time.LoadLocation("Europe/Helsinki")
			b.Fill("#until", time.Now().In(helsinki).Add(72*time.Hour).Format("2006-01-02T15:04"))
			b.Fill("#reason", "Toistuvaa kiroilua.")
			b.Submit(`form[action$="/block"] button[type=submit]`)
			flash("account_blocked")

			// Approve the pre-moderated idea.
			b.VisitAndAudit(base + "/moderation/pending")
			decide("idea", pending.ID, "approve", "")
			flash("moderation_approve")
			b.VisitAndAudit(base + "/idea-rounds/" + itoa(premoderated.ID))
			if !strings.Contains(b.Text("main"), "Odottava idea") {
				t.Fatal("the approved idea is not listed")
			}

			// The blocked person sees the reason where they would write and on their account.
			signIn(citizenToken)
			for _, page := range []string{"/idea-rounds/" + itoa(round.ID), "/ideas/" + itoa(reported.ID), "/account"} {
				b.VisitAndAudit(base + page)
				if !strings.Contains(b.Text("main"), "Toistuvaa kiroilua.") {
					t.Fatalf("%s does not show the block's reason:\n%s", page, b.Text("main"))
				}
			}
		})
	}
}
