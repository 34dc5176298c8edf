package server

import "osallistu/participation"

// statisticsRenderCases adds TestI18nRenderEveryPage's cases of the
// statistics page: figures with views and a page of processes, and none.
func statisticsRenderCases(pages map[string][]any) {
	st := &participation.Statistics{Organisations: 40, Persons: 300, Requests: 5, Statements: 46, Ideas: 512, Comments: 80,
		WorkshopParticipants: 60, SurveyResponses: 210, PageViews: 5000, Visits: 900,
		Years: []participation.YearStatistics{
			{Year: 2018, Organisations: 10, Persons: 120, Requests: 2, Statements: 20, Ideas: 12, WorkshopParticipants: 60, PageViews: 5000, Visits: 900},
			{Year: 2017, Organisations: 30, Persons: 180, Requests: 3, Statements: 26, Ideas: 500, Comments: 80, SurveyResponses: 210},
		},
		Processes: participation.ProcessStatisticsList{Total: 30, Items: []participation.ProcessStatistics{
			{Slug: "avoin-hallinto", Title: "Avoimen hallinnon III toimintaohjelma 2017–2019, jossa on hyvin pitkä otsikko",
				Translatable: participation.Translatable{Language: "fi", Translations: participation.Translations{"sv": {"title": "Öppen förvaltning"}}},
				Stats:        participation.Stats{Participants: 320, Ideas: 512, Comments: 80, WorkshopParticipants: 60, SurveyResponses: 210, Statements: 46}},
			{Slug: "tyhja", Title: "Tyhjä", Translatable: participation.Translatable{Language: "fi"}},
		}},
	}
	empty := &participation.Statistics{Years: []participation.YearStatistics{}, Processes: participation.ProcessStatisticsList{Items: []participation.ProcessStatistics{}}}
	pages["statistics"] = []any{
		newStatisticsData(st, Pager{Total: 30, Limit: statisticsProcessesPerPage}, "fi", testTranslator("fi")),
		newStatisticsData(empty, Pager{Limit: statisticsProcessesPerPage}, "sv", testTranslator("sv")),
	}
}
