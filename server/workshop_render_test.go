package server

import (
	"time"

	"osallistu/participation"
)

// workshopRenderCases are TestI18nRenderEveryPage's cases of the workshop
// pages, and of the process page, whose data carries the workshops' results.
func workshopRenderCases(now time.Time) map[string][]any {
	code := "K7M2QA"
	opened, closed := now.Add(-time.Hour), now.Add(-30*time.Minute)
	theme := int64(3)
	tally := func(id int64, status string, show bool) *participation.Tally {
		t := &participation.Tally{
			PollID: id, WorkshopID: 1, Question: "Mitkä teemat ovat tärkeimpiä?", MaxChoices: 3, Status: status,
			Position: int(id), Ballots: 60, ShowResultsLive: show, AsOf: now,
			Options: []participation.TallyOption{{ID: id*10 + 1, Label: "Avoimuus", ThemeID: &theme, Votes: 41}, {ID: id*10 + 2, Label: "Selkeä kieli", Votes: 0}},
		}
		if status != participation.PollDraft {
			t.OpenedAt = &opened
		}
		if status == participation.PollClosed {
			t.ClosedAt = &closed
		}
		return t
	}
	ends := now.Add(3 * time.Hour)
	w := &participation.Workshop{ID: 1, ProcessID: 1, Title: "Työpaja 1", StartsAt: now, EndsAt: &ends, JoinCode: &code, ShowResultsLive: true,
		CreatedAt: now, ProcessSlug: "avoin-hallinto", ProcessTitle: "Avoin hallinto", State: participation.WorkshopRunning}
	endedW := *w
	endedW.State, endedW.EndedAt = participation.WorkshopEnded, &ends
	polls := []pollView{
		newPollView(tally(1, participation.PollClosed, true), []int64{11}),
		newPollView(tally(2, participation.PollOpen, true), []int64{21, 22}),
		newPollView(tally(3, participation.PollOpen, false), nil),
		newPollView(tally(4, participation.PollDraft, true), nil),
	}
	qr, err := qrSVG("https://osallistu.example/join?code="+code, "QR")
	if err != nil {
		panic(err)
	}
	full := &workshopData{Workshop: w, Polls: polls, Current: &polls[1], JoinURL: "https://osallistu.example/join?code=" + code,
		JoinHost: "osallistu.example/join", QR: qr,
		IdeaRounds: []participation.IdeaRoundRef{{ID: 1, Title: "Ideat", Themes: 10}}}
	hidden := *full
	hidden.Current = &polls[2]
	ended := *full
	ended.Workshop, ended.Current = &endedW, &polls[0]
	var many []participation.TallyOption
	for i := range 20 {
		many = append(many, participation.TallyOption{ID: int64(100 + i), Label: "Vaihtoehto, jonka nimi on pitkä ja jatkuu vielä pitkään " + itoa(int64(i)), Votes: i})
	}
	twenty := *full
	manyPoll := newPollView(&participation.Tally{PollID: 9, WorkshopID: 1, Question: "Mitkä ovat tärkeimmät?", MaxChoices: 3,
		Status: participation.PollOpen, Ballots: 60, ShowResultsLive: true, OpenedAt: &opened, Options: many}, nil)
	twenty.Current = &manyPoll
	empty := &workshopData{Workshop: &participation.Workshop{ID: 2, Title: "Tyhjä", StartsAt: now, JoinCode: &code,
		ProcessSlug: "avoin-hallinto", ProcessTitle: "Avoin hallinto"}, QR: qr}
	process := &participation.Process{ID: 1, Slug: "avoin-hallinto", Title: "Avoin hallinto", CreatedAt: now,
		Steps: []participation.Step{{Kind: participation.StepWorkshop, ID: 1, Title: "Työpaja", OpensAt: &now, Status: participation.StatusOpen}},
		Stats: &participation.Stats{Ballots: 60}}
	return map[string][]any{
		"workshop_new":       {process},
		"workshop":           {full, empty, &ended},
		"workshop_control":   {full, empty, &ended},
		"workshop_projector": {full, &hidden, empty, &ended, &twenty},
		"workshop_edit":      {w, &endedW},
		"poll_edit":          {&pollEditData{Workshop: w, Poll: &participation.Poll{ID: 4, WorkshopID: 1, Question: "Mitkä ensin?", MaxChoices: 2, Status: participation.PollDraft}}},
		"join":               {joinData{Municipalities: []string{"Helsinki", "Tampere"}}},
		"ballot": {
			&ballotData{workshopData: full, Open: []pollView{polls[1], polls[2]}, Closed: []pollView{polls[0]}},
			&ballotData{workshopData: empty},
		},
		"process": {
			processPageData{Process: process, WorkshopResults: []pollView{polls[0]}},
			processPageData{Process: &participation.Process{ID: 2, Slug: "tyhja", Title: "Tyhjä", CreatedAt: now, Steps: []participation.Step{}, Stats: &participation.Stats{}}},
		},
	}
}

// workshopFormErrors are the workshop forms' errors for the same test.
func workshopFormErrors() map[string]participation.FieldErrors {
	return map[string]participation.FieldErrors{
		"workshop_new":  {"title": {Rule: participation.RuleRequired}, "starts_at": {Rule: participation.RuleFormat}, "ends_at": {Rule: participation.RuleAfterOpen}},
		"workshop_edit": {"title": {Rule: participation.RuleRequired}, "starts_at": {Rule: participation.RuleFormat}, "ends_at": {Rule: participation.RuleAfterOpen}, "tr_sv_title": {Rule: participation.RuleMaxLength, Limit: 200}},
		"poll_edit": {"question": {Rule: participation.RuleRequired}, "options": {Rule: participation.RuleMinChoices, Limit: 2}, "max_choices": {Rule: participation.RuleMaxChoices, Limit: 2},
			"tr_en_options": {Rule: "too_many", Limit: 2}, "_form": {Rule: "error." + participation.ECONFLICT}},
		"workshop_control": {"question": {Rule: participation.RuleRequired}, "options": {Rule: participation.RuleMinChoices, Limit: 2}, "max_choices": {Rule: participation.RuleMaxChoices, Limit: 2}, "idea_round": {Rule: participation.RuleRequired},
			"tr_en_options": {Rule: "too_many", Limit: 2}, "tr_sv_question": {Rule: participation.RuleMaxLength, Limit: 500}},
		"join": {"code": {Rule: "unknown_code"}, "name": {Rule: participation.RuleMaxLength, Limit: 100}, "municipality": {Rule: participation.RuleMaxLength, Limit: 100}},
	}
}
