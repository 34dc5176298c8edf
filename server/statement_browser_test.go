package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"osallistu/server/browsertest"
)

// TestBrowserStatements runs a request for statements in a browser without
// JavaScript, in Finnish and in Swedish, auditing every page with axe: an
// official writes a request and publishes it with an attachment; an
// organisation's member saves a draft, comes back to it and submits it
// through the confirmation step; the official reads the summary and
// writes the response to each question. The register, an organisation's
// page and the statistics are audited too.
func TestBrowserStatements(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			w := newStatementPageWorld(t)
			ts := w.ts
			base := ts.listen()
			b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(5*time.Minute))
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
			value := func(sel string) string {
				t.Helper()
				v, err := chromedp.Run(b.Context(), chromedp.Value(chromedp.CSS(sel)))
				if err != nil {
					t.Fatalf("value of %s: %v", sel, err)
				}
				return v
			}

			// The official writes the request: first without a title.
			signIn("virkailija@example.fi")
			b.VisitAndAudit(base + "/processes/avoin")
			b.Submit(`a[href="/processes/avoin/statement-requests/new"]`)
			b.Audit()
			b.Fill("#deadline", helsinkiInput(72*time.Hour))
			b.Fill("#question_prompt_1", "Mitä mieltä olette avoimen datan sitoumuksesta?")
			b.Submit(`form.request-form .actions button[type=submit]`)
			if b.Text(".error-summary") == "" {
				t.Fatal("no error summary without a title")
			}
			b.Audit()
			// The texts are in the page's language, which the form takes
			// for theirs, with a translation into the other.
			texts := map[string][2]string{
				"fi": {"Lausuntopyyntö toimintaohjelman luonnoksesta", "Mitä mieltä olette avoimen datan sitoumuksesta?"},
				"sv": {"Begäran om utlåtande om handlingsplanen", "Vad anser ni om åtagandet om öppna data?"},
			}
			other := map[string]string{"fi": "sv", "sv": "fi"}[lang]
			b.Fill("#title", texts[lang][0])
			b.Fill("#background", "Toimintaohjelman luonnos on lausunnolla.\n\nLausunnot ohjaavat sitoumusten viimeistelyä.")
			b.Fill("#title_"+other, texts[other][0])
			b.Fill("#contact_person", "Erityisasiantuntija Maija Meikäläinen")
			b.Fill("#question_commitment_1", itoa(w.commitmentID))
			b.Fill("#question_prompt_1", texts[lang][1])
			b.Fill("#question_prompt_"+other+"_1", texts[other][1])
			b.Fill("#question_prompt_2", "Mitä muuta haluatte sanoa?")
			b.Click("#commitment-" + itoa(w.commitmentID))
			b.Click("#org-" + itoa(w.orgID))
			b.Submit(`form.request-form .actions button[type=submit]`)
			edit := b.URL()
			if !strings.HasSuffix(strings.SplitN(edit, "?", 2)[0], "/edit") {
				t.Fatalf("after saving the draft: %s", edit)
			}
			b.Audit()
			requestPath := strings.TrimSuffix(strings.SplitN(strings.TrimPrefix(edit, base), "?", 2)[0], "/edit")
			id := mustID(t, strings.TrimPrefix(requestPath, "/statement-requests/"))

			// An attachment, then publishing.
			pdf := filepath.Join(t.TempDir(), "luonnos.pdf")
			if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			b.Run(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{pdf}))
			b.Submit(`form[action="` + requestPath + `/attachments"] button[type=submit]`)
			if !strings.Contains(b.Text(".attachment-list"), "luonnos.pdf") {
				t.Fatal("the attachment is not listed")
			}
			b.Audit()
			b.Submit(`form[action="` + requestPath + `/publish"] button[type=submit]`)
			if !strings.Contains(b.Text(".attachment-list"), "luonnos.pdf") || b.Text("[role=status]") == "" {
				t.Fatal("the published request lacks its attachment or the confirmation")
			}
			b.Audit()
			r, err := ts.store.FindStatementRequest(context.Background(), id)
			if err != nil || len(r.Questions) != 2 || r.PublishedAt == nil {
				t.Fatalf("published %+v %v", r, err)
			}
			q1, q2 := itoa(r.Questions[0].ID), itoa(r.Questions[1].ID)
			signOut()

			// The member saves a draft for the organisation, comes back, submits.
			signIn("jasen@example.fi")
			b.VisitAndAudit(base + requestPath)
			b.Click("#position_" + q1 + "-support")
			b.Fill("#text_"+q1, "Kannatamme: avoin data lisää luottamusta.")
			b.Submit(`button[name=action][value=save]`)
			if b.Text("[role=status]") == "" {
				t.Fatal("no confirmation of the saved draft")
			}
			b.Audit()
			b.Visit(base + "/processes/avoin")
			b.Visit(base + requestPath)
			if got := value("#text_" + q1); got != "Kannatamme: avoin data lisää luottamusta." {
				t.Fatalf("the draft's text when coming back: %q", got)
			}
			b.Click("#position_" + q2 + "-neutral")
			b.Fill("#summary", "Tampereen kaupunki pitää luonnosta hyvänä.")
			b.Submit(`button[name=action][value=submit]`)
			if !strings.Contains(b.URL(), "/statement/confirm") || b.Text(".final-notice") == "" {
				t.Fatalf("no confirmation step: %s", b.URL())
			}
			b.Audit()
			b.Submit(`form[action="` + requestPath + `/statement/submit"] button[type=submit]`)
			if !strings.Contains(b.URL(), "/statement/submitted") || !strings.Contains(b.Text(".statement-body"), "avoin data lisää luottamusta") {
				t.Fatalf("no page that confirms the submission: %s", b.URL())
			}
			b.Audit()
			b.VisitAndAudit(base + "/organisations/" + itoa(w.orgID))
			signOut()

			// The official reads the summary and answers each question.
			signIn("virkailija@example.fi")
			summary := base + requestPath + "/summary"
			b.VisitAndAudit(summary)
			if !strings.Contains(b.Text("#question-"+q1), "avoin data lisää luottamusta") {
				t.Fatal("the summary lacks the answer")
			}
			for _, q := range []string{q1, q2} {
				b.Fill("#response_"+q, "Vastaukset otettiin huomioon kysymyksessä "+q+".")
				b.Submit(`form[action="` + requestPath + `/questions/` + q + `/response"] button[type=submit]`)
				b.Audit()
			}
			for _, q := range []string{q1, q2} {
				if !strings.Contains(b.Text("#question-"+q+" .question-response"), "Vastaukset otettiin huomioon kysymyksessä "+q) {
					t.Fatalf("the response to question %s is not shown", q)
				}
			}
			b.VisitAndAudit(base + "/organisations")
			b.VisitAndAudit(base + "/statistics")
			signOut()
			b.VisitAndAudit(summary)
		})
	}
}
