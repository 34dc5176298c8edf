package server

import (
	"time"

	"osallistu/participation"
)

// reachRenderCases adds TestI18nRenderEveryPage's cases of the reach
// report: a process reached through every channel, and one nobody has
// taken part in yet.
func reachRenderCases(pages map[string][]any, process, bare *participation.Process, now time.Time) {
	at := func(days int) time.Time { return now.AddDate(0, 0, days) }
	var list []participation.Contribution
	add := func(kind, stepKind string, stepID int64, who, municipality string, day int) {
		c := participation.Contribution{Kind: kind, StepKind: stepKind, StepID: stepID, Who: who, At: at(day)}
		if municipality != "" {
			c.Municipality = &municipality
		}
		list = append(list, c)
	}
	add("idea", participation.StepIdeaRound, 1, "a:1", "Tampere", 0)
	add("comment", participation.StepIdeaRound, 1, "a:2", "Helsingfors", 1)
	add("support", participation.StepIdeaRound, 1, "respondent:3", "", 2)
	add("participant", participation.StepWorkshop, 2, "p:4", "Mariehamn", 40)
	add("survey_response", participation.StepSurvey, 3, "respondent:5", "Tukholma", 70)
	add("statement", participation.StepStatementRequest, 4, "a:1", "", 75)
	pages["reach"] = []any{
		newReachData(process, participation.NewReach(process.Steps, list), "sv", testTranslator("sv")),
		newReachData(bare, participation.NewReach(bare.Steps, nil), "fi", testTranslator("fi")),
	}
}
