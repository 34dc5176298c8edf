package server

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"osallistu/frontend"

	"osallistu/participation"
)

// statementRenderCases adds TestI18nRenderEveryPage's cases of the pages of
// organisations and statement requests, with their forms' errors, and a
// process page with unpublished requests. It runs after the workshops'
// cases, which set the process page's.
func statementRenderCases(pages map[string][]any, formErrors map[string]participation.FieldErrors, now time.Time) {
	deadline := now.Add(14 * 24 * time.Hour)
	published := now.Add(-24 * time.Hour)
	bid := "0245437-2"
	org := &participation.Organisation{ID: 3, Name: "Kuntaliitto", BusinessID: &bid, Kind: participation.OrganisationAssociation,
		Verified: true, MemberCount: 2, CreatedAt: now}
	other := &participation.Organisation{ID: 4, Name: "Tampereen kaupunki", Kind: participation.OrganisationMunicipality, CreatedAt: now}
	name := "Maija Meikäläinen"
	members := []*participation.OrganisationMember{{AccountID: 1, Name: name, JoinedAt: now}, {AccountID: 2, JoinedAt: now}}

	commitmentID := int64(7)
	response := "Ehdotukset otettiin huomioon."
	questions := []participation.StatementQuestion{
		{ID: 11, RequestID: 1, Prompt: "Mitä mieltä olette luonnoksesta?", CommitmentID: &commitmentID, Position: 1,
			Translatable: participation.Translatable{Language: "fi", Translations: participation.Translations{"sv": {"prompt": "Vad tycker ni?"}}}},
		{ID: 12, RequestID: 1, Prompt: "Muuta?", Response: &response, Position: 2, Translatable: participation.Translatable{Language: "fi"}},
	}
	attachments := []participation.Attachment{
		{ID: 1, RequestID: 1, Filename: "luonnos.pdf", Size: 3 << 20, ContentType: participation.ContentTypePDF, CreatedAt: now},
		{ID: 2, RequestID: 1, Filename: "muistio.txt", Size: 1200, ContentType: participation.ContentTypeTXT, CreatedAt: now},
	}
	open := &participation.StatementRequest{ID: 1, ProcessID: 1, Title: "Lausuntopyyntö toimintaohjelmasta",
		Background: "Taustaa.\n\nLisää taustaa.", ContactPerson: "Erityisasiantuntija Maija Meikäläinen, maija@example.fi",
		Deadline: deadline, Status: participation.StatusOpen, PublishedAt: &published,
		Translatable: participation.Translatable{Language: "fi", Translations: participation.Translations{"sv": {"title": "Begäran om utlåtande"}}},
		Questions:    questions, CommitmentIDs: []int64{7}, Commitments: []participation.SourceRef{{ID: 7, Title: "Avoin data"}},
		InvitedOrganisationIDs: []int64{3, 4}, InvitedOrganisations: []participation.OrganisationRef{org.Ref(), other.Ref()},
		InvitedEmails: []string{"yhdistys@example.fi"}, Attachments: attachments,
		Counts:    participation.StatementCounts{Invited: 2, InvitedResponded: 1, Statements: 2},
		CreatedAt: now, UpdatedAt: now, ProcessSlug: "avoin-hallinto", ProcessTitle: "Avoin hallinto"}
	draft := &participation.StatementRequest{ID: 2, ProcessID: 1, Title: "Luonnos", Deadline: deadline,
		Status: participation.StatementRequestDraft, Translatable: participation.Translatable{Language: "fi"},
		CreatedAt: now, UpdatedAt: now, ProcessSlug: "avoin-hallinto", ProcessTitle: "Avoin hallinto"}
	closed := *open
	closed.ID, closed.Status = 3, participation.StatusClosed

	submittedAt := now.Add(-time.Hour)
	orgRef := org.Ref()
	statement := &participation.Statement{ID: 21, RequestID: 1, Organisation: &orgRef, AuthorName: &name, Summary: "Kannatamme.\nPerustelut.", Language: "fi",
		Answers: []participation.StatementAnswer{{QuestionID: 11, Position: participation.PositionSupport, Text: "Hyvä luonnos."}},
		Status:  participation.StatementSubmitted, SubmittedAt: &submittedAt, CreatedAt: now, UpdatedAt: now}
	own := &participation.Statement{ID: 22, RequestID: 1, Summary: "Oma näkemys.", Language: "fi",
		Answers: []participation.StatementAnswer{{QuestionID: 11, Position: participation.PositionOppose}, {QuestionID: 12, Position: participation.PositionNoComment, Text: "Ei lisättävää."}},
		Status:  participation.StatementSubmitted, SubmittedAt: &submittedAt, CreatedAt: now, UpdatedAt: now}
	draftStatement := &participation.Statement{ID: 23, RequestID: 1, Organisation: &orgRef, AuthorName: &name, Summary: "Luonnos.", Language: "fi",
		Answers: []participation.StatementAnswer{{QuestionID: 12, Position: participation.PositionNeutral, Text: "Kesken."}},
		Status:  participation.StatementDraft, CreatedAt: now, UpdatedAt: now}
	mine := []*participation.Organisation{org}
	answer := &answerFormData{Request: open, Mine: mine, For: org.ID, Statement: draftStatement, Positions: participation.Positions}
	submitted := &answerFormData{Request: open, Mine: mine, For: org.ID, Statement: statement, Positions: participation.Positions}
	alone := &answerFormData{Request: open, Positions: participation.Positions}
	sum := participation.Summarise(open, []*participation.Statement{statement, own}, open.InvitedOrganisations)

	process := &participation.Process{ID: 1, Slug: "avoin-hallinto", Title: "Avoin hallinto", CreatedAt: now,
		Steps: []participation.Step{{Kind: participation.StepStatementRequest, ID: 1, Title: open.Title, OpensAt: &published, ClosesAt: &deadline, Status: participation.StatusOpen}},
		Stats: &participation.Stats{Statements: 2}}
	form := &requestFormData{Process: process, Checked: map[string]bool{"org-3": true, "commitment-7": true}, Form: map[string]string{},
		Commitments:   []*participation.Commitment{{ID: 7, CommitmentText: participation.CommitmentText{Title: "Avoin data"}, Status: participation.CommitmentDraft}},
		Organisations: []participation.OrganisationRef{org.Ref(), other.Ref()}, OrgMore: 12, Rows: questionRows(nil, 0)}
	form.setLanguage("fi")
	edit := &requestFormData{Process: process, Request: open, Attachments: attachmentViews(open.Attachments), Checked: map[string]bool{}, Form: map[string]string{},
		Organisations: []participation.OrganisationRef{org.Ref()}, OrgQuery: "kunta", Unsaved: unsavedSearch}
	fillRequestForm(edit, open)
	editDraft := &requestFormData{Process: process, Request: draft, Checked: map[string]bool{}, Form: map[string]string{}, Unsaved: unsavedRows}
	fillRequestForm(editDraft, draft)
	// A translation into the text's own language, shown with its error.
	editDraft.Others = append(editDraft.Others, "fi")

	pages["organisations"] = []any{
		organisationsData{Pager: Pager{Limit: organisationsPerPage}},
		organisationsData{Organisations: []*participation.Organisation{org, other}, Query: "kunta", Pager: Pager{Total: 30, Limit: organisationsPerPage}},
	}
	pages["organisation_new"] = []any{newOrganisationFormData()}
	pages["organisation"] = []any{
		&organisationData{Organisation: org, Member: true, Members: members},
		&organisationData{Organisation: other},
	}
	pages["statement_request_form"] = []any{form, edit, editDraft}
	pages["statement_request"] = []any{
		&requestPageData{Request: open, Attachments: attachmentViews(open.Attachments), Answer: answer},
		&requestPageData{Request: open, Answer: submitted},
		&requestPageData{Request: open, Answer: alone},
		&requestPageData{Request: open},
		&requestPageData{Request: draft},
		&requestPageData{Request: &closed},
	}
	pages["statement_confirm"] = []any{&confirmData{Answer: answer, Items: answerItems(open, draftStatement)}}
	pages["statement_submitted"] = []any{
		&confirmData{Answer: submitted, Items: answerItems(open, statement)},
		&confirmData{Answer: &answerFormData{Request: open, Statement: own}, Items: answerItems(open, own)},
	}
	pages["statement_summary"] = []any{
		newSummaryData(open, sum, []*participation.Statement{statement, own}, 3),
		newSummaryData(draft, participation.Summarise(draft, nil, nil), nil, 0),
	}
	pages["process"] = append(pages["process"], processPageData{Process: process, DraftRequests: []*participation.StatementRequest{draft}})

	// Errors of forms that every case of their page shows; the others
	// are TestStatementFormErrors' cases.
	formErrors["organisation_new"] = participation.FieldErrors{"name": {Rule: participation.RuleRequired},
		"business_id": {Rule: ruleBusinessIDFormat}, "kind": {Rule: participation.RuleChoice}}
	formErrors["statement_request_form"] = participation.FieldErrors{
		"_form": {Rule: "publish_closed"}, "title": {Rule: participation.RuleRequired},
		"title_sv": {Rule: participation.RuleMaxLength, Limit: 300}, "question_prompt_1": {Rule: participation.RuleRequired},
		"question_commitment_2": {Rule: participation.RuleChoice}, "invited_organisation_ids": {Rule: participation.RuleChoice},
		"commitment_ids": {Rule: participation.RuleChoice}, "questions": {Rule: "too_many", Limit: participation.MaxQuestions},
		"invited_emails": {Rule: participation.RuleFormat}, "language": {Rule: participation.RuleChoice},
	}
	formErrors["statement_confirm"] = participation.FieldErrors{"_form": {Rule: ruleStatementIncomplete}}
}

// TestStatementFormErrors renders the forms of the statement pages that
// only some cases of their page show (to members, officials, an open
// request, a published one) with their errors, signed in as an official,
// in every language, and checks them as TestI18nRenderEveryPage does.
func TestStatementFormErrors(t *testing.T) {
	t.Parallel()
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	pages := map[string][]any{}
	statementRenderCases(pages, map[string]participation.FieldErrors{}, now)
	official := &participation.Account{ID: 1, Email: "a@example.fi", Name: "Virkailija",
		Roles: []string{participation.RoleCitizen, participation.RoleOfficial}}
	cases := []struct {
		page string
		data any
		errs participation.FieldErrors
	}{
		{"organisation", pages["organisation"][0], participation.FieldErrors{"email": {Rule: participation.RuleFormat}}},
		{"statement_request", pages["statement_request"][0], participation.FieldErrors{"position_11": {Rule: participation.RuleRequired},
			"text_12": {Rule: participation.RuleMaxLength, Limit: participation.AnswerTextMax}, "summary": {Rule: participation.RuleRequired},
			"_form": {Rule: "error." + participation.ECLOSED}}},
		{"statement_request_form", pages["statement_request_form"][0], participation.FieldErrors{"deadline": {Rule: participation.RuleInFuture}}},
		{"statement_request_form", pages["statement_request_form"][1], participation.FieldErrors{"new_deadline": {Rule: participation.RuleFormat},
			"file": {Rule: ruleFileTooLarge, Limit: 20}}},
		{"statement_request_form", pages["statement_request_form"][2], participation.FieldErrors{"deadline": {Rule: participation.RuleRequired},
			"title_fi": {Rule: ruleOwnLanguage}, "question_prompt_fi_1": {Rule: ruleOwnLanguage}, "file": {Rule: ruleFileType}}},
		{"statement_summary", pages["statement_summary"][0], participation.FieldErrors{
			"response_11":    {Rule: participation.RuleMaxLength, Limit: participation.QuestionResponseMax},
			"response_en_12": {Rule: participation.RuleMaxLength, Limit: participation.QuestionResponseMax}}},
	}
	for i, tc := range cases {
		for _, lang := range frontend.Languages {
			v := &View{Lang: lang, Langs: frontend.Languages, Path: "/" + tc.page, Account: official, Manages: true, CSRF: "token",
				Form: map[string]string{}, Errors: tc.errs, Status: 422, Data: tc.data}
			name := fmt.Sprintf("%s/%s/case %d", tc.page, lang, i)
			var buf bytes.Buffer
			if err := r.pages[lang][tc.page].Execute(&buf, v); err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			checkPage(t, name, buf.String(), tc.errs)
			for field := range tc.errs {
				if field != "_form" && !strings.Contains(buf.String(), `href="#`+field+`"`) {
					t.Errorf("%s: the error summary does not link to %s", name, field)
				}
			}
		}
	}
}
