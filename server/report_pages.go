package server

import (
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

// statusBoardData is the status board: every commitment's milestones by
// their status.
type statusBoardData struct {
	Process     *participation.Process
	Report      *participation.ImplementationReport
	Statuses    []string
	Completions []string
}

func (s *Server) statusBoardPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := s.svc.Processes.FindProcessBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	r, err := s.svc.Commitments.FindReport(ctx, p.Slug)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "status_board", statusBoardData{Process: p, Report: r,
		Statuses: participation.MilestoneStatuses, Completions: participation.CompletionLevels}, nil, nil)
}

// selfAssessmentData is the self-assessment report: the commitments by
// theme, and a chart of the milestones' statuses.
type selfAssessmentData struct {
	Process     *participation.Process
	Report      *participation.ImplementationReport
	Groups      []themeGroup
	Bars        []chartBar
	Statuses    []string
	Completions []string
	JSONLink    string
}

func (s *Server) selfAssessmentPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := s.svc.Processes.FindProcessBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	r, err := s.svc.Commitments.FindReport(ctx, p.Slug)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "self_assessment", selfAssessmentData{
		Process: p, Report: r, Groups: groupByTheme(r.Commitments, false), Bars: chartBars(r.Totals),
		Statuses: participation.MilestoneStatuses, Completions: participation.CompletionLevels,
		JSONLink: "/api/v1/processes/" + p.Slug + "/report",
	}, nil, nil)
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
