package server

import (
	"html/template"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The public statistics of the platform, as lausuntopalvelu.fi and
// otakantaa.fi report theirs: what is registered and contributed and how
// much the pages are read, in all, year by year and per public process, as
// tables with charts beside them (chart.go).

// statisticsPages registers the statistics page.
func (s *Server) statisticsPages(r fiber.Router) {
	r.Get("/statistics", s.statisticsPage)
}

// statisticsProcessesPerPage is how many processes the page lists at a time.
const statisticsProcessesPerPage = 20

// contributionSeries are the contributions the page counts, in its order.
var contributionSeries = []string{"ideas", "comments", "workshop_participants", "survey_responses", "statements"}

// statisticsData is the statistics page.
type statisticsData struct {
	Stats *participation.Statistics
	// Totals charts the contributions in all; Years the contributions
	// per year; Visits the visits per year; Processes the participants of
	// the processes on this page.
	Totals, Years, Visits, Processes template.HTML
	// Views says whether any page views have been counted: the views and
	// visits are shown only then.
	Views bool
	// Lang is the page's language, for the processes' titles.
	Lang string
	Pager
}

// contributions returns the year's contributions in all.
func contributions(y participation.YearStatistics) int {
	return y.Ideas + y.Comments + y.WorkshopParticipants + y.SurveyResponses + y.Statements
}

// newStatisticsData draws the charts of st in lang.
func newStatisticsData(st *participation.Statistics, pager Pager, lang string, t translator) *statisticsData {
	d := &statisticsData{Stats: st, Pager: pager, Lang: lang, Views: st.PageViews > 0 || st.Visits > 0}
	totals := []int{st.Ideas, st.Comments, st.WorkshopParticipants, st.SurveyResponses, st.Statements}
	rows := make([]barRow, len(totals))
	for i, n := range totals {
		rows[i] = barRow{Label: t("statistics." + contributionSeries[i]), Count: n, Value: strconv.Itoa(n)}
	}
	d.Totals = barChart("totals-chart", t("statistics.totals_chart"), t("statistics.chart_desc"), rows).inline()
	years := slices.Clone(st.Years)
	slices.Reverse(years) // oldest first, left to right
	cols, views := make([]column, len(years)), make([]column, len(years))
	for i, y := range years {
		cols[i] = column{Label: strconv.Itoa(y.Year), Count: contributions(y)}
		views[i] = column{Label: strconv.Itoa(y.Year), Count: y.Visits}
	}
	if len(years) > 0 {
		d.Years = columnChart("years-chart", t("statistics.years_chart"), t("statistics.chart_desc"), cols, nil).inline()
		d.Visits = columnChart("visits-chart", t("statistics.visits_chart"), t("statistics.chart_desc"), views, nil).inline()
	}
	rows = nil
	for _, p := range st.Processes.Items {
		rows = append(rows, barRow{Label: p.In(lang, "title", p.Title).Text, Count: p.Participants, Value: strconv.Itoa(p.Participants)})
	}
	if len(rows) > 0 {
		d.Processes = barChart("processes-chart", t("statistics.processes_chart"), t("statistics.chart_desc"), rows).inline()
	}
	return d
}

func (s *Server) statisticsPage(c *fiber.Ctx) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	limit = min(limit, statisticsProcessesPerPage)
	st, err := s.svc.Statistics.FindStatistics(c.UserContext(), participation.StatisticsFilter{Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	pager := Pager{Total: st.Processes.Total, Limit: limit, Offset: offset}
	return s.render(c, fiber.StatusOK, "statistics", newStatisticsData(st, pager, requestLang(c), s.translator(c)), nil, nil)
}
