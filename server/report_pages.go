package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// reportPages registers the implementation pages of a process: the status
// board of its commitments' milestones, and the self-assessment report with
// its chart.
func (s *Server) reportPages(r fiber.Router) {
	r.Get("/processes/:slug/status", s.statusBoardPage)
	r.Get("/processes/:slug/report", s.selfAssessmentPage)
}

// reportPage is what both implementation pages show: the process, its
// report at the as-of day, and the as-of form's value and error.
type reportPage struct {
	Process *participation.Process
	Report  *participation.ImplementationReport
	// AsOfQuery is "?as_of=DAY" when a day was chosen, for the links
	// between the report's pages and its JSON; "" for today.
	AsOfQuery string
	form      map[string]string
	errs      participation.FieldErrors
}

// status is the page's status: 400 for a day that cannot be used.
func (r reportPage) status() int {
	if r.errs != nil {
		return fiber.StatusBadRequest
	}
	return fiber.StatusOK
}

// findReportPage finds a process's report at the day ?as_of= names. A day
// that cannot be used is shown on the page with its error, beside today's
// report.
func (s *Server) findReportPage(c *fiber.Ctx) (reportPage, error) {
	ctx := c.UserContext()
	p, err := s.svc.Processes.FindProcessBySlug(ctx, c.Params("slug"))
	if err != nil {
		return reportPage{}, err
	}
	asOf := copyString(c.Query(participation.FieldAsOf))
	d := reportPage{Process: p, form: map[string]string{participation.FieldAsOf: asOf}}
	d.Report, err = s.svc.Commitments.FindReport(ctx, participation.ReportFilter{ProcessSlug: p.Slug, AsOf: participation.Date(asOf)})
	var de *participation.Error
	if errors.As(err, &de) && de.Fields[participation.FieldAsOf].Rule != "" {
		d.errs = participation.FieldErrors{participation.FieldAsOf: de.Fields[participation.FieldAsOf]}
		if d.errs[participation.FieldAsOf].Rule == participation.RuleFormat {
			d.errs[participation.FieldAsOf] = participation.FieldError{Rule: "as_of_format"} // with an example
		}
		d.Report, err = s.svc.Commitments.FindReport(ctx, participation.ReportFilter{ProcessSlug: p.Slug})
	}
	if err != nil {
		return reportPage{}, err
	}
	if d.errs == nil {
		d.form[participation.FieldAsOf] = string(d.Report.AsOf)
		if asOf != "" {
			d.AsOfQuery = "?" + participation.FieldAsOf + "=" + string(d.Report.AsOf)
		}
	}
	return d, nil
}

// statusBoardData is the status board: every commitment's milestones by
// their status.
type statusBoardData struct {
	reportPage
	Statuses    []string
	Completions []string
}

func (s *Server) statusBoardPage(c *fiber.Ctx) error {
	d, err := s.findReportPage(c)
	if err != nil {
		return err
	}
	return s.render(c, d.status(), "status_board", statusBoardData{reportPage: d,
		Statuses: participation.MilestoneStatuses, Completions: participation.CompletionLevels}, d.form, d.errs)
}

// selfAssessmentData is the self-assessment report: the commitments by
// theme, and a chart of the milestones' statuses.
type selfAssessmentData struct {
	reportPage
	Groups      []themeGroup
	Bars        []chartBar
	Statuses    []string
	Completions []string
	JSONLink    string
}

func (s *Server) selfAssessmentPage(c *fiber.Ctx) error {
	d, err := s.findReportPage(c)
	if err != nil {
		return err
	}
	r := d.Report
	return s.render(c, d.status(), "self_assessment", selfAssessmentData{
		reportPage: d, Groups: groupByTheme(r.Commitments), Bars: chartBars(r.Totals),
		Statuses: participation.MilestoneStatuses, Completions: participation.CompletionLevels,
		JSONLink: "/api/v1/processes/" + d.Process.Slug + "/report" + d.AsOfQuery,
	}, d.form, d.errs)
}

// chartBar is one bar of the report's SVG chart.
type chartBar struct {
	Status  string
	Count   int
	Y       int // top of the bar
	Width   int // of chartWidth
	TextX   int // where the count is written
	Percent int // of all milestones, rounded
}

// The report chart's geometry, in SVG user units.
const (
	chartLabelWidth = 210 // room for the longest status name, "Framskrider enligt plan"
	chartWidth      = 260
	chartBarHeight  = 28
	chartGap        = 14
)

// BarX returns where the chart's bars start, right of the labels.
func (d selfAssessmentData) BarX() int { return chartLabelWidth }

// ChartHeight returns the chart's height for its bars.
func (d selfAssessmentData) ChartHeight() int {
	return len(d.Bars)*(chartBarHeight+chartGap) + chartGap
}

// chartBars lays out one bar per milestone status, longest for the most.
func chartBars(t participation.MilestoneTotals) []chartBar {
	most, sum := 0, t.Sum()
	for _, st := range participation.MilestoneStatuses {
		most = max(most, t.Of(st))
	}
	// The seed's order: done or on track, late, not started.
	order := []string{participation.MilestoneDone, participation.MilestoneOnTrack, participation.MilestoneLate, participation.MilestoneNotStarted}
	bars := make([]chartBar, len(order))
	for i, st := range order {
		b := chartBar{Status: st, Count: t.Of(st), Y: chartGap + i*(chartBarHeight+chartGap)}
		if most > 0 {
			b.Width = b.Count * chartWidth / most
		}
		if b.Count > 0 && b.Width < 2 {
			b.Width = 2
		}
		b.TextX = chartLabelWidth + b.Width + 8
		if sum > 0 {
			b.Percent = (200*b.Count + sum) / (2 * sum)
		}
		bars[i] = b
	}
	return bars
}
