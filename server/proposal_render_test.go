package server

import (
	"time"

	"osallistu/participation"
)

// proposalRenderCases are TestI18nRenderEveryPage's cases of the idea
// wall's pages: a wall with an open and a closed theme, and none yet.
func proposalRenderCases(now time.Time) map[string][]any {
	code := "K7M2QA"
	w := &participation.Workshop{ID: 1, ProcessID: 1, Title: "Työpaja 2", StartsAt: now, JoinCode: &code, CreatedAt: now,
		ProcessSlug: "avoin-hallinto", ProcessTitle: "Avoin hallinto", State: participation.WorkshopRunning}
	reason := "Asiaton"
	commitment := int64(4)
	wall := &participation.Wall{WorkshopID: 1, Collections: []*participation.Collection{
		{ID: 1, WorkshopID: 1, Title: "Julkisuus", Status: participation.CollectionOpen, Proposals: []*participation.Proposal{
			{ID: 1, CollectionID: 1, Body: "Asiakirjat verkkoon heti", Supports: 12},
			{ID: 2, CollectionID: 1, Body: "Asiaton ehdotus", HiddenAt: &now, HiddenReason: &reason},
			{ID: 3, CollectionID: 1, Body: "Avoin data", Supports: 1, CommitmentID: &commitment, SurveyItemID: &commitment},
		}},
		{ID: 2, WorkshopID: 1, Title: "Ymmärrettävyys", Status: participation.CollectionClosed, Proposals: []*participation.Proposal{}},
	}}
	empty := &participation.Wall{WorkshopID: 1}
	return map[string][]any{
		"proposal": {&proposalData{Workshop: w, Wall: wall, ErrCollection: 1}, &proposalData{Workshop: w, Wall: wall}, &proposalData{Workshop: w, Wall: empty}},
		"proposal_control": {
			&proposalControlData{Workshop: w, Wall: wall, Themes: []*participation.Theme{{ID: 3, Title: "Julkisuus"}},
				Drafts: []*participation.Commitment{{ID: 4}}, Questions: []surveyItemTarget{{ID: 5, Survey: "ZEF", Prompt: "Arvioi tavoitteet"}}},
			&proposalControlData{Workshop: w, Wall: empty},
		},
	}
}

// proposalFormErrors are the idea wall's forms' errors for the same test.
func proposalFormErrors() map[string]participation.FieldErrors {
	return map[string]participation.FieldErrors{
		"proposal":         {"body": {Rule: participation.RuleMaxLength, Limit: participation.ProposalMax}, "_form": {Rule: "error." + participation.ERATELIMITED}},
		"proposal_control": {"title": {Rule: participation.RuleRequired}, "theme_id": {Rule: participation.RuleChoice}},
	}
}
