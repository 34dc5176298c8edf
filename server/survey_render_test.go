package server

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"osallistu/frontend"
	"osallistu/participation"
)

// surveyFixture is a survey with a question of every kind, as the render
// tests show it: two-axis questions on a short axis (radio buttons) and a
// long one (number fields), one item made from a commitment.
func surveyFixture(now time.Time, status string) *participation.Survey {
	one, five, zero, twenty := 1, 5, 0, 20
	low, high := "Ei lainkaan", "Erittäin"
	commitment := int64(10)
	fi := participation.Translatable{Language: "fi"}
	sv := &participation.Survey{ID: 7, ProcessID: 1, Title: "Tavoitteiden arviointi", Description: "Arvioi luonnokset.\n\nKestää 5 minuuttia.",
		Status: status, Responses: 42, CreatedAt: now, ProcessSlug: "avoin-hallinto", ProcessTitle: "Avoin hallinto",
		Translatable: participation.Translatable{Language: "fi", Translations: participation.Translations{"sv": {"title": "Bedömning av målen"}}},
		Questions: []participation.Question{
			{ID: 101, SurveyID: 7, Position: 1, Kind: participation.QuestionSingle, Prompt: "Mistä kuulit kyselystä?", Required: true, Translatable: fi,
				Options: []participation.Choice{{ID: 1001, Label: "Uutiskirjeestä", Translatable: fi}, {ID: 1002, Label: "Ystävältä",
					Translatable: participation.Translatable{Language: "fi", Translations: participation.Translations{"sv": {"label": "Av en vän"}}}}}},
			{ID: 102, SurveyID: 7, Position: 2, Kind: participation.QuestionMulti, Prompt: "Mitkä teemat kiinnostavat?", Translatable: fi,
				Options: []participation.Choice{{ID: 1003, Label: "Avoimuus", Translatable: fi}, {ID: 1004, Label: "Osallisuus", Translatable: fi}, {ID: 1005, Label: "Selkeä kieli", Translatable: fi}}},
			{ID: 103, SurveyID: 7, Position: 3, Kind: participation.QuestionScale, Prompt: "Kuinka tärkeää avoimuus on?", Min: &one, Max: &five,
				MinLabel: &low, MaxLabel: &high, Translatable: fi},
			{ID: 104, SurveyID: 7, Position: 4, Kind: participation.QuestionScale, Prompt: "Montako tuntia viikossa?", Min: &zero, Max: &twenty, Translatable: fi},
			{ID: 105, SurveyID: 7, Position: 5, Kind: participation.QuestionText, Prompt: "Mitä muuta haluat sanoa?", Translatable: fi},
			{ID: 106, SurveyID: 7, Position: 6, Kind: participation.QuestionGrid2D, Prompt: "Arvioi luonnokset", Required: true,
				Translatable: participation.Translatable{Language: "fi", Translations: participation.Translations{"en": {"prompt": "Rate the drafts", "x.label": "Importance"}}},
				X:            &participation.Axis{Label: "Tärkeys", Min: 1, Max: 5}, Y: &participation.Axis{Label: "Toteutettavuus", Min: 1, Max: 5},
				Items: []participation.Choice{{ID: 1006, Label: "Lasten ja nuorten osallisuus", CommitmentID: &commitment, Translatable: fi},
					{ID: 1007, Label: "Selkeä kieli", Translatable: fi}, {ID: 1008, Label: "Avoin data", Translatable: fi}}},
			{ID: 107, SurveyID: 7, Position: 7, Kind: participation.QuestionGrid2D, Prompt: "Sijoita budjetti", Translatable: fi,
				X: &participation.Axis{Label: "Hyöty", Min: 0, Max: 100}, Y: &participation.Axis{Label: "Kustannus", Min: -1, Max: 1.5},
				Items: []participation.Choice{{ID: 1009, Label: "Kirjastot", Translatable: fi}, {ID: 1010, Label: "Tiet", Translatable: fi}}},
		},
	}
	if status != participation.SurveyDraft {
		opened := now.Add(-48 * time.Hour)
		sv.OpenedAt = &opened
	}
	if status == participation.SurveyClosed {
		sv.ClosedAt = &now
	}
	return sv
}

// surveyResultsFixture are results of surveyFixture's questions.
func surveyResultsFixture(sv *participation.Survey) *participation.SurveyResults {
	f := func(v float64) *float64 { return &v }
	rank := func(r int) *int { return &r }
	commitment := int64(10)
	r := participation.NewSurveyResults(sv)
	r.Responses = 42
	q := r.Questions
	q[0].Answered, q[0].Options[0].Count, q[0].Options[1].Count = 40, 25, 15
	q[1].Answered, q[1].Options[0].Count, q[1].Options[2].Count = 30, 21, 9
	q[2].Answered, q[2].Mean, q[2].Median = 12, f(3.5), f(4)
	for i := range q[2].Distribution {
		q[2].Distribution[i].Count = i + 1
	}
	q[3].Answered, q[3].Mean, q[3].Median = 0, nil, nil
	q[4].Answered, q[4].Answers = 2, []string{"Hyvä kysely.", "Lisää selkokieltä!\nToinen rivi."}
	q[5].Answered, q[5].Items = 20, []participation.ItemResult{
		{ItemID: 1006, Label: "Lasten ja nuorten osallisuus", CommitmentID: &commitment, N: 20, MeanX: f(4.2), MeanY: f(3.1), SdX: f(0.8), SdY: f(1.1), Rank: rank(1)},
		{ItemID: 1007, Label: "Selkeä kieli", N: 1, MeanX: f(2), MeanY: f(4), Rank: rank(2)},
		{ItemID: 1008, Label: "Avoin data", N: 0},
	}
	q[6].Answered, q[6].Items = 3, []participation.ItemResult{
		{ItemID: 1009, Label: "Kirjastot", N: 3, MeanX: f(60.5), MeanY: f(-0.25), SdX: f(10), SdY: f(0.5), Rank: rank(1)},
		{ItemID: 1010, Label: "Tiet", N: 2, MeanX: f(20), MeanY: f(1.2), SdX: f(5), SdY: f(0.1), Rank: rank(2)},
	}
	return r
}

// testTranslator translates as s.T does, for data built outside a request.
func testTranslator(lang string) func(string, ...any) string {
	bundle, err := loadTranslations()
	if err != nil {
		panic(err)
	}
	loc := i18n.NewLocalizer(bundle, lang)
	return func(key string, args ...any) string { return translate(loc, key, args...) }
}

// surveyRenderCases are TestI18nRenderEveryPage's cases of the survey pages.
func surveyRenderCases(now time.Time) map[string][]any {
	draft := surveyFixture(now, participation.SurveyDraft)
	open := surveyFixture(now, participation.SurveyOpen)
	closed := surveyFixture(now, participation.SurveyClosed)
	empty := &participation.Survey{ID: 8, Title: "Tyhjä", Status: participation.SurveyDraft, CreatedAt: now, ProcessSlug: "avoin-hallinto", ProcessTitle: "Avoin hallinto"}
	process := &participation.Process{ID: 1, Slug: "avoin-hallinto", Title: "Avoin hallinto", CreatedAt: now}
	page := func(sv *participation.Survey, mod func(d *surveyPageData)) *surveyPageData {
		d := &surveyPageData{Survey: newSurveyView(sv, "fi"), Questions: questionViews(sv, "fi", answerStates{})}
		mod(d)
		return d
	}
	x, y := 4.0, 2.0
	saved := &participation.Response{ID: 1, SurveyID: 7, UpdatedAt: now, Answers: []participation.Answer{
		{QuestionID: 101, OptionIDs: []int64{1002}}, {QuestionID: 106, Points: []participation.Point{{ItemID: 1007, X: &x, Y: &y}}}}}
	sent := &participation.Response{ID: 2, SurveyID: 7, Submitted: true, SubmittedAt: &now, UpdatedAt: now}
	results := func(sv *participation.Survey, relative bool, municipality string) *surveyResultsData {
		r := surveyResultsFixture(sv)
		r.Relative = relative
		return &surveyResultsData{Survey: newSurveyView(sv, "fi"), Results: r, Questions: resultViews(sv, r, "fi", testTranslator("fi")),
			Relative: relative, Municipality: municipality, Official: true,
			Municipalities: []participation.MunicipalityCount{{Municipality: "Helsinki", Responses: 30}, {Municipality: "Tampere", Responses: 5}}}
	}
	progress := &participation.SurveyProgress{SurveyID: 7, Status: participation.SurveyOpen, Responses: 42, Drafts: 3, Invited: 20, InvitedAnswered: 12,
		PerDay: []participation.DayCount{{Date: "2025-02-27", Count: 30}, {Date: "2025-02-28", Count: 12}}, LastReminderAt: &now}
	progressData := func(sv *participation.Survey, p *participation.SurveyProgress, bad []string) *surveyProgressData {
		cols := []column{}
		d := &surveyProgressData{Survey: newSurveyView(sv, "fi"), Progress: p, LanguageOptions: languageOptions(), BadEmails: bad,
			Labels: map[string]surveyFieldLabel{"emails": {Key: "survey.field.emails"}, "email_lang": {Key: "survey.field.email_lang"}}}
		for _, day := range p.PerDay {
			d.Days = append(d.Days, dayRow{Date: day.Date, Count: day.Count})
			cols = append(cols, column{Label: shortDate(day.Date), Count: day.Count})
		}
		if len(cols) > 0 {
			d.Chart = columnChart("chart-per-day", "Vastaukset", "Kaavio", cols, nil).inline()
		}
		return d
	}
	questionForms := []any{}
	for _, kind := range participation.QuestionKinds {
		questionForms = append(questionForms, newQuestionFormData(draft, nil, kind, "fi", nil, 0))
	}
	grid := &draft.Questions[5]
	_, ids := questionValues(grid)
	questionForms = append(questionForms, newQuestionFormData(draft, grid, grid.Kind, "fi", ids, 0))
	fromCommitments := *grid
	fromCommitments.ItemsFromCommitments = true
	questionForms = append(questionForms, newQuestionFormData(draft, &fromCommitments, grid.Kind, "fi", nil, 0))

	return map[string][]any{
		"survey_new": {newBuilderData(process, nil, "fi", "fi"), newBuilderData(process, nil, "fi", "en")},
		"survey_edit": {newBuilderData(nil, draft, "fi", "fi"), newBuilderData(nil, open, "fi", "fi"), newBuilderData(nil, closed, "sv", "fi"),
			newBuilderData(nil, empty, "fi", "en")},
		"survey_question": questionForms,
		"survey": {
			page(open, func(d *surveyPageData) {}),
			page(open, func(d *surveyPageData) { d.Preview, d.Official = true, true }),
			page(draft, func(d *surveyPageData) { d.Preview, d.Official = true, true }),
			page(open, func(d *surveyPageData) {
				d.Invitation, d.Response, d.Questions = "tok-123", saved, questionViews(open, "fi", statesOf(saved))
			}),
			page(open, func(d *surveyPageData) { d.SignIn = true }),
			page(open, func(d *surveyPageData) { d.BadInvitation = true; d.Invitation = "bad" }),
			page(open, func(d *surveyPageData) { d.Response = sent; d.Official = true }),
			page(draft, func(d *surveyPageData) {}),
			page(closed, func(d *surveyPageData) {}),
		},
		"survey_thanks": {page(open, func(d *surveyPageData) {}), page(closed, func(d *surveyPageData) {})},
		"survey_results": {results(closed, false, ""), results(open, true, "Helsinki"),
			&surveyResultsData{Survey: newSurveyView(empty, "fi"), Results: &participation.SurveyResults{SurveyID: 8, Status: participation.SurveyClosed}, FilterRefused: true}},
		"survey_progress": {progressData(open, progress, nil), progressData(draft, &participation.SurveyProgress{SurveyID: 7}, []string{"not-an-address"})},
	}
}

// surveyFormErrors are the survey forms' errors for the same test. The
// pages whose forms some of their cases do not show (an open survey's
// builder, a closed survey's page) take a form-level error there, and
// TestSurveyFormErrorsRender shows their fields' errors.
func surveyFormErrors() map[string]participation.FieldErrors {
	return map[string]participation.FieldErrors{
		"survey_new": {"title": {Rule: participation.RuleRequired}, "anonymous": {Rule: participation.RuleRequired},
			"title_sv": {Rule: ruleSameLanguage}, "description": {Rule: participation.RuleMaxLength, Limit: 20000}},
		"survey_edit":     {"_form": {Rule: "error." + participation.ECONFLICT}},
		"survey_question": {"prompt": {Rule: participation.RuleRequired}, "prompt_en": {Rule: ruleSameLanguage}},
		"survey":          {"_form": {Rule: "error." + participation.ECLOSED}},
		"survey_progress": {"emails": {Rule: ruleBadEmails}, "email_lang": {Rule: participation.RuleChoice}},
	}
}

// TestSurveyFormErrorsRender renders the survey forms with errors of
// their fields where the i18n test's cases cannot (see surveyFormErrors),
// in every language, and checks them as that test does.
func TestSurveyFormErrorsRender(t *testing.T) {
	t.Parallel()
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	draft := surveyFixture(now, participation.SurveyDraft)
	open := surveyFixture(now, participation.SurveyOpen)
	form := newQuestionFormData(draft, nil, participation.QuestionSingle, "fi", nil, 2)
	grid := newQuestionFormData(draft, nil, participation.QuestionGrid2D, "fi", nil, 1)
	scale := newQuestionFormData(draft, nil, participation.QuestionScale, "fi", nil, 0)
	answer := &surveyPageData{Survey: newSurveyView(open, "fi"), Questions: questionViews(open, "fi", answerStates{})}
	cases := []struct {
		page string
		data any
		errs participation.FieldErrors
	}{
		{"survey_edit", newBuilderData(nil, draft, "fi", "fi"), participation.FieldErrors{"title": {Rule: participation.RuleRequired},
			"anonymous": {Rule: participation.RuleChoice}, "description_en": {Rule: participation.RuleMaxLength, Limit: 20000}}},
		{"survey_question", form, participation.FieldErrors{"options": {Rule: participation.RuleMinChoices, Limit: 2}, "option_2": {Rule: participation.RuleRequired},
			"option_1_sv": {Rule: participation.RuleMaxLength, Limit: 300}, "_form": {Rule: ruleAnswerInvalid}}},
		{"survey_question", grid, participation.FieldErrors{"x_label": {Rule: participation.RuleRequired}, "y_max": {Rule: participation.RuleAfterOpen},
			"items": {Rule: participation.RuleRequired}, "items_source": {Rule: participation.RuleMinChoices, Limit: 1}, "item_1_en": {Rule: ruleSameLanguage},
			"y_label_sv": {Rule: participation.RuleMaxLength, Limit: 200}}},
		{"survey_question", scale, participation.FieldErrors{"min": {Rule: participation.RuleFormat}, "max_label": {Rule: participation.RuleMaxLength, Limit: 100},
			"min_label_en": {Rule: ruleSameLanguage}}},
		{"survey", answer, participation.FieldErrors{"q101": {Rule: participation.RuleRequired}, "q102": {Rule: participation.RuleChoice},
			"q103": {Rule: ruleNumber}, "q105": {Rule: participation.RuleMaxLength, Limit: 10000}, "q106": {Rule: ruleBothAxes},
			"municipality": {Rule: participation.RuleMaxLength, Limit: 100}}},
		{"survey", answer, participation.FieldErrors{"_form": {Rule: ruleNoRespondent}}},
	}
	for i, c := range cases {
		for _, lang := range frontend.Languages {
			v := &View{Lang: lang, Langs: frontend.Languages, Path: "/" + c.page, Query: url.Values{}, CSRF: "token",
				Form: map[string]string{}, Errors: c.errs, Status: 422, Data: c.data}
			var buf bytes.Buffer
			if err := r.pages[lang][c.page].Execute(&buf, v); err != nil {
				t.Errorf("%s/%d/%s: %v", c.page, i, lang, err)
				continue
			}
			name := fmt.Sprintf("%s/%d/%s", c.page, i, lang)
			checkPage(t, name, buf.String(), c.errs)
			for field := range c.errs {
				if field != "_form" && !strings.Contains(buf.String(), `href="#`+field+`"`) {
					t.Errorf("%s: the error summary does not link to %s", name, field)
				}
			}
		}
	}
}

// TestSurveyCommitmentRatingsRender shows a commitment's places in the
// surveys that rated it on its page, in every language.
func TestSurveyCommitmentRatingsRender(t *testing.T) {
	t.Parallel()
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	d, ok := commitmentRenderCases(now)["commitment"][0].(commitmentPageData)
	if !ok {
		t.Fatalf("the commitment page's first case is a %T", commitmentRenderCases(now)["commitment"][0])
	}
	cm := *d.C
	x, y, rank := 4.25, 3.5, 2
	cm.SurveyResults = []participation.CommitmentSurveyResult{
		{SurveyID: 7, SurveyTitle: "Tavoitteiden arviointi", QuestionID: 106, Prompt: "Arvioi luonnokset", ItemID: 1006,
			X: participation.Axis{Label: "Tärkeys", Min: 1, Max: 5}, Y: participation.Axis{Label: "Toteutettavuus", Min: 1, Max: 5},
			N: 20, MeanX: &x, MeanY: &y, Rank: &rank, Items: 7},
		{SurveyID: 8, SurveyTitle: "Toinen kysely", QuestionID: 201, Prompt: "Arvioi", ItemID: 2001,
			X: participation.Axis{Label: "X", Min: 0, Max: 1}, Y: participation.Axis{Label: "Y", Min: 0, Max: 1}},
	}
	d.C = &cm
	want := map[string][]string{
		"fi": {"sijoittui 2. sijalle 7 arvioidusta", "Tärkeys: 4,25, Toteutettavuus: 3,50 (20 arviota)", "tätä sitoumusta ei arvioitu"},
		"sv": {"kom åtagandet på plats 2 av 7 bedömda", "Tärkeys: 4,25"},
		"en": {"ranked 2 of 7 rated", "Tärkeys: 4.25, Toteutettavuus: 3.50 (20 ratings)"},
	}
	for _, lang := range frontend.Languages {
		v := &View{Lang: lang, Langs: frontend.Languages, Path: "/commitments/10", Query: url.Values{}, CSRF: "token", Status: 200, Data: d}
		var buf bytes.Buffer
		if err := r.pages[lang]["commitment"].Execute(&buf, v); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		html := buf.String()
		checkPage(t, "commitment/"+lang, html, nil)
		for _, w := range append(want[lang], `href="/surveys/7/results#result-106"`) {
			if !strings.Contains(html, w) {
				t.Errorf("%s: the page lacks %q", lang, w)
			}
		}
	}
}
