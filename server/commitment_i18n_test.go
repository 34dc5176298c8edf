package server

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	"osallistu/frontend"
	"osallistu/participation"
)

// commitmentRenderCases are the commitment pages' data for
// TestI18nRenderEveryPage: every status, level and kind of item, merged and
// not, empty and full.
func commitmentRenderCases(now time.Time) map[string][]any {
	process := &participation.Process{ID: 1, Slug: "avoin-hallinto", Title: "Avoin hallinto 2017–2019", CreatedAt: now}
	start, end := participation.Date("2017-07-01"), participation.Date("2019-06-30")
	note := "Beta julkaistu kesäkuussa."
	reported, reportedLate := participation.Date("2017-11-20"), participation.Date("2018-08-14")
	milestones := []participation.Milestone{
		{ID: 1, CommitmentID: 10, Title: "Lasten oikeuksien päivä", Due: "2017-11-14", Responsible: "OM", Status: participation.MilestoneDone,
			Note: &note, EvidenceLinks: []string{"https://www.saavutettavasti.fi"}, ReportedOn: &reported, Lateness: participation.LatenessNone},
		{ID: 2, CommitmentID: 10, Title: "TEAS-selvitys", Due: "2018-06-30", Status: participation.MilestoneLate, Overdue: true, EvidenceLinks: []string{},
			ReportedOn: &reportedLate, Lateness: participation.LatenessPastDue},
		{ID: 3, CommitmentID: 10, Title: "Malli kunnille", Due: "2019-06-30", Status: participation.MilestoneOnTrack, EvidenceLinks: []string{},
			ReportedOn: &reportedLate, Overdue: true, Lateness: participation.LatenessPassedSinceReport},
		{ID: 4, CommitmentID: 10, Title: "Vanhusneuvostopäivä", Due: "2019-06-30", Status: participation.MilestoneNotStarted, EvidenceLinks: []string{},
			Overdue: true, Lateness: participation.LatenessPastDue},
		{ID: 5, CommitmentID: 10, Title: "Loppuraportti", Due: "2030-06-30", Status: participation.MilestoneNotStarted, EvidenceLinks: []string{},
			Lateness: participation.LatenessNone},
	}
	theme := participation.SourceRef{ID: 5, Title: "Osallisuus"}
	merged := int64(11)
	approved := &participation.Commitment{
		ID: 10, ProcessID: 1, Status: participation.CommitmentApproved, Version: 3, ProcessSlug: process.Slug, ProcessTitle: process.Title,
		CommitmentText: participation.CommitmentText{Title: "Lasten ja nuorten osallisuus", Problem: "Lapsia ei kuulla.\n\nToinen kappale.",
			Description: "Kehitetään.", LeadAgency: "OM", OtherActors: "VM, Kuntaliitto", StartsOn: &start, EndsOn: &end},
		Sources:    participation.Sources{Ideas: []participation.SourceRef{{ID: 7, Title: "Lapset mukaan"}}, Themes: []participation.SourceRef{theme}},
		Themes:     []participation.SourceRef{theme},
		Milestones: milestones, MergedFrom: []int64{12}, Completion: participation.CompletionLimited,
		Statements: []participation.CommitmentStatement{{StatementID: 1, RequestID: 2, RequestTitle: "Lausuntopyyntö", QuestionID: 3, Prompt: "Mitä mieltä?",
			Organisation: &participation.OrganisationRef{ID: 4, Name: "Kuntaliitto", Kind: "association"}, Position: "support", Text: "Kannatamme.", Language: "fi", SubmittedAt: now}}, SurveyResults: []participation.CommitmentSurveyResult{}, CreatedAt: now, UpdatedAt: now, ApprovedAt: &now,
	}
	draft := &participation.Commitment{ID: 12, ProcessID: 1, Status: participation.CommitmentDraft, Version: 1,
		ProcessSlug: process.Slug, ProcessTitle: process.Title, CommitmentText: participation.CommitmentText{Title: "Selkeä kieli"},
		Milestones: []participation.Milestone{}, Themes: []participation.SourceRef{}, Completion: participation.CompletionNotStarted, CreatedAt: now}
	mergedOne := &participation.Commitment{ID: 11, ProcessID: 1, Status: participation.CommitmentMerged, Version: 2, MergedInto: &approved.ID,
		MergedAt: &now, ProcessSlug: process.Slug, ProcessTitle: process.Title, CommitmentText: participation.CommitmentText{Title: "Haavoittuvat ryhmät"},
		Milestones: []participation.Milestone{}, Themes: []participation.SourceRef{}, Completion: participation.CompletionNotStarted, CreatedAt: now}

	statusOptions := []selectOption{}
	for _, st := range participation.MilestoneStatuses {
		statusOptions = append(statusOptions, selectOption{Value: st, Label: st})
	}
	author := "Maija Meikäläinen"
	changeNote := "Lausuntojen pohjalta"
	changes := []*participation.MilestoneChange{
		{ID: 1, MilestoneID: 1, Status: participation.MilestoneDone, Note: &note, EvidenceLinks: []string{"https://example.fi/a"}, AuthorName: &author, CreatedAt: now},
		{ID: 2, MilestoneID: 1, Status: participation.MilestoneOnTrack, EvidenceLinks: []string{}, CreatedAt: now},
	}
	snapA := approved.Snapshot()
	snapB := snapA
	snapB.Problem = "Lapsia ja nuoria ei kuulla riittävästi."
	snapB.Milestones = snapB.Milestones[:2]
	versions := []*participation.CommitmentVersion{
		{CommitmentID: 10, Version: 1, AuthorName: &author, CreatedAt: now, ChangedFields: []string{"title", "problem", "milestones", "sources"}, Snapshot: snapA},
		{CommitmentID: 10, Version: 2, CreatedAt: now, ChangeNote: &changeNote, ChangedFields: []string{"problem", "milestones"}, MergedFrom: &merged, Snapshot: snapB},
	}
	reports := map[int64]*participation.MilestoneReport{}
	for _, m := range milestones {
		reports[m.ID] = nil
		if m.ReportedOn != nil {
			reports[m.ID] = &participation.MilestoneReport{MilestoneID: m.ID, Status: m.Status, Note: m.Note, ReportedAt: m.ReportedOn.Time()}
		}
	}
	reportOf := *approved
	report := participation.NewImplementationReport(1, []*participation.Commitment{&reportOf}, reports, "2020-01-31", now)
	emptyReport := participation.NewImplementationReport(1, nil, nil, participation.DateOf(now), now)
	asOf := reportPage{Process: process, Report: report, AsOfQuery: "?as_of=2020-01-31"}
	today := reportPage{Process: process, Report: emptyReport}
	rank := 2
	sources := &participation.DraftingSources{
		Themes: []*participation.RankedTheme{
			{SourceRef: theme, BestRank: &rank, Votes: 33, Polls: []participation.TracePoll{{PollID: 1, Question: "Tärkeimmät", Votes: 30, Rank: 2, Options: 10, WorkshopTitle: "Avaus"}},
				Ideas: []participation.RankedIdea{{ID: 7, Title: "Lapset mukaan", Language: "fi", Supports: 1}}},
			{SourceRef: participation.SourceRef{ID: 6, Title: "Tyhjä"}, Polls: []participation.TracePoll{}, Ideas: []participation.RankedIdea{}},
		},
		Unthemed: []participation.RankedIdea{{ID: 8, Title: "Ilman teemaa", Language: "sv", Supports: 0}},
	}
	idea := &participation.Idea{ID: 7, Title: "Lapset mukaan", Language: "fi", ThemeID: &theme.ID}
	trace := &IdeaTrace{
		Trace: &participation.Trace{Idea: idea, Theme: &theme,
			Polls:       []participation.TracePoll{{PollID: 1, Question: "Tärkeimmät", OptionID: 3, Votes: 30, Rank: 2, Options: 10, WorkshopTitle: "Avaus"}},
			Commitments: []participation.TraceCommitment{}, Milestones: milestones},
		Items: []traceItem{
			{TraceCommitment: participation.TraceCommitment{ID: 11, Title: "Haavoittuvat ryhmät", Status: "merged", Via: "idea", MergedInto: &approved.ID, EndedIn: &draft.ID},
				MergedIntoTitle: "Lasten ja nuorten osallisuus", EndedInTitle: "Selkeä kieli", EndedElsewhere: true},
			{TraceCommitment: participation.TraceCommitment{ID: 10, Title: "Lasten ja nuorten osallisuus", Status: "approved", Via: "theme", Completion: "limited"}},
		},
		Following: true, IdeaID: 7, Next: "/ideas/7", MilestoneOf: map[int64][]participation.Milestone{10: milestones},
	}
	emptyTrace := &IdeaTrace{Trace: &participation.Trace{Idea: idea, Polls: []participation.TracePoll{}}, IdeaID: 7, Next: "/ideas/7/trace"}
	account := int64(4)
	notifications := []notificationItem{
		newNotificationItem(&participation.Message{ID: 2, AccountID: &account, Channel: participation.ChannelInApp, Kind: participation.MessageMilestoneStatus,
			SubjectKind: participation.SubjectCommitment, SubjectID: 10, Params: participation.MessageParams{Title: "Lasten ja nuorten osallisuus",
				MilestoneID: 2, MilestoneTitle: "TEAS-selvitys", Status: participation.MilestoneOnTrack}, CreatedAt: now}),
		newNotificationItem(&participation.Message{ID: 1, AccountID: &account, Channel: participation.ChannelInApp, Kind: participation.MessageCommitmentApproved,
			SubjectKind: participation.SubjectCommitment, SubjectID: 10, Params: participation.MessageParams{Title: "Lasten ja nuorten osallisuus"},
			CreatedAt: now, ReadAt: &now}),
	}

	return map[string][]any{
		"drafting": {draftingData{Process: process, Sources: sources}, draftingData{Process: process, Sources: &participation.DraftingSources{}}},
		"commitment_form": {
			commitmentFormData{Process: process, Ideas: approved.Sources.Ideas, Themes: approved.Sources.Themes, Rows: blankRows(nil, 0),
				Checked: map[string]bool{"idea-7": true}},
			commitmentFormData{Process: process, Commitment: approved, Ideas: approved.Sources.Ideas, Rows: blankRows([]int64{1, 2}, 0), Checked: map[string]bool{}},
		},
		"commitment": {
			commitmentPageData{C: approved, Changes: map[int64][]*participation.MilestoneChange{1: changes}, MergedFrom: []participation.SourceRef{{ID: 11, Title: "Haavoittuvat ryhmät"}},
				Targets: []selectOption{{Value: "", Label: "-"}, {Value: "12", Label: "Selkeä kieli"}}, StatusOptions: statusOptions, JSONLink: "/api/v1/commitments/10", Next: "/commitments/10", Following: true},
			commitmentPageData{C: draft, StatusOptions: statusOptions, Next: "/commitments/12"},
			commitmentPageData{C: mergedOne, MergedIntoTitle: approved.Title, StatusOptions: statusOptions, Next: "/commitments/11"},
		},
		"milestone": {
			milestonePageData{C: approved, M: milestones[0], Changes: changes, Statuses: statusOptions},
			milestonePageData{C: approved, M: milestones[1], Statuses: statusOptions},
		},
		"commitment_versions": {
			versionsData{C: approved, Versions: versions, From: 1, To: 2, Options: []selectOption{{Value: "1", Label: "1"}, {Value: "2", Label: "2"}},
				Diffs: participation.CompareSnapshots(&versions[0].Snapshot, &versions[1].Snapshot)},
			versionsData{C: draft, Versions: versions[:1], From: 1, To: 1},
			versionsData{C: approved, Versions: versions, From: 2, To: 2, Options: []selectOption{{Value: "1", Label: "1"}, {Value: "2", Label: "2"}},
				Diffs: participation.CompareSnapshots(&versions[1].Snapshot, &versions[1].Snapshot)},
		},
		"commitments": {
			commitmentListData{Process: process, Approved: []*participation.Commitment{approved}, Drafts: []*participation.Commitment{draft},
				Merged: []*participation.Commitment{mergedOne}, Total: 1, IntoTitles: map[int64]string{11: approved.Title}, Themes: []participation.SourceRef{theme}},
			commitmentListData{Process: process, Approved: []*participation.Commitment{approved}, Total: 1, Themes: []participation.SourceRef{theme}, Theme: &theme},
			commitmentListData{Process: process, Total: 1, Themes: []participation.SourceRef{theme}, Theme: &theme},
			commitmentListData{Process: process},
		},
		"status_board": {
			statusBoardData{reportPage: asOf, Statuses: participation.MilestoneStatuses, Completions: participation.CompletionLevels},
			statusBoardData{reportPage: today, Statuses: participation.MilestoneStatuses, Completions: participation.CompletionLevels},
		},
		"self_assessment": {
			selfAssessmentData{reportPage: asOf, Groups: groupByTheme(report.Commitments), Bars: chartBars(report.Totals),
				Statuses: participation.MilestoneStatuses, Completions: participation.CompletionLevels, JSONLink: "/api/v1/processes/avoin-hallinto/report?as_of=2020-01-31"},
			selfAssessmentData{reportPage: today, Bars: chartBars(emptyReport.Totals),
				Statuses: participation.MilestoneStatuses, Completions: participation.CompletionLevels},
		},
		"trace":         {tracePageData{Idea: idea, Trace: trace}, tracePageData{Idea: idea, Trace: emptyTrace}},
		"notifications": {notificationsData{Notifications: notifications, Unread: 1, Pager: Pager{Total: 2, Limit: 30}}, notificationsData{Pager: Pager{Limit: 30}}},
	}
}

// commitmentFormErrors are the field errors the commitment pages show,
// for TestI18nRenderEveryPage.
func commitmentFormErrors() map[string]participation.FieldErrors {
	return map[string]participation.FieldErrors{
		"commitment_form": {
			"title": {Rule: participation.RuleRequired}, "problem": {Rule: participation.RuleMaxLength, Limit: 20000},
			"milestones": {Rule: "milestone_row", Limit: 2}, "source_idea_ids": {Rule: participation.RuleChoice},
			"source_theme_ids": {Rule: participation.RuleChoice}, "ends_on": {Rule: participation.RuleNotBeforeStart},
			"starts_on": {Rule: participation.RuleFormat}, "other_actors": {Rule: "too_many", Limit: 10},
			"tr_sv_problem": {Rule: participation.RuleMaxLength, Limit: 20000}, "language": {Rule: participation.RuleChoice},
		},
		"commitment":      {"_form": {Rule: "error." + participation.ECONFLICT}},
		"milestone":       {"_form": {Rule: "error." + participation.ECONFLICT}},
		"status_board":    {participation.FieldAsOf: {Rule: "as_of_format"}},
		"self_assessment": {participation.FieldAsOf: {Rule: participation.RuleNotAfterToday}},
	}
}

// TestCommitmentKeysExist checks the keys the commitment pages build at
// run time, which the scan of literal keys cannot see.
func TestCommitmentKeysExist(t *testing.T) {
	t.Parallel()
	msgs := readMessages(t)
	var keys []string
	for _, st := range participation.CommitmentStatuses {
		keys = append(keys, "commitment.status."+st)
	}
	for _, st := range participation.MilestoneStatuses {
		keys = append(keys, "milestone.status."+st)
	}
	for _, l := range participation.CompletionLevels {
		keys = append(keys, "irm."+l)
	}
	for _, f := range participation.VersionedFields {
		keys = append(keys, "field."+f)
	}
	for _, via := range []string{participation.ViaIdea, participation.ViaTheme} {
		keys = append(keys, "trace.via."+via)
	}
	for _, kind := range []string{participation.FollowIdea, participation.FollowCommitment} {
		keys = append(keys, "follow.help_"+kind, "follow.start_"+kind, "follow.following_"+kind)
	}
	for _, kind := range []string{participation.MessageCommitmentApproved, participation.MessageMilestoneStatus} {
		keys = append(keys, "notification."+kind)
	}
	// The pages' form fields whose errors the error summary lists, and
	// the rules pageFieldErrors makes.
	for _, f := range []string{"source_idea_ids", "source_theme_ids", "change_note", "into_id", "merge_note", "milestone_status", "milestone_note", "evidence_links"} {
		keys = append(keys, "field."+f)
	}
	keys = append(keys, "rule.milestone_row", "rule."+participation.RuleNotBeforeStart, "rule.too_many")
	for _, key := range keys {
		msgs.has(t, key, "the commitment pages")
	}
	if len(frontend.Languages) == 0 {
		t.Fatal("no languages")
	}
}

// TestCommitmentStatementsRender shows the statements that answer questions
// about a commitment on its page, in every language.
func TestCommitmentStatementsRender(t *testing.T) {
	t.Parallel()
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	d := commitmentRenderCases(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))["commitment"][0].(commitmentPageData)
	want := map[string][]string{
		"fi": {"Lausunnot tästä sitoumuksesta", "Kuntaliitto</strong>: Kannattaa", `href="/statement-requests/2/summary"`, "Kannatamme."},
		"sv": {"Utlåtanden om detta åtagande", "Kuntaliitto</strong>: ", `<p class="user-text" lang="fi">Kannatamme.</p>`},
		"en": {"Statements on this commitment", "Kuntaliitto</strong>: Support", `<p class="user-text" lang="fi">Kannatamme.</p>`},
	}
	for _, lang := range frontend.Languages {
		v := &View{Lang: lang, Langs: frontend.Languages, Path: "/commitments/10", Query: url.Values{}, CSRF: "token", Status: 200, Data: d}
		var buf bytes.Buffer
		if err := r.pages[lang]["commitment"].Execute(&buf, v); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		for _, w := range want[lang] {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("%s: the commitment page lacks %q", lang, w)
			}
		}
	}
}
