package server

import (
	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The public statistics of the statement service, as lausuntopalvelu.fi
// reports them: organisations and persons registered, requests published,
// statements submitted and the pages read, in all and year by year, as a
// table and a chart.

// statisticsSeries are the measures the chart draws for each year.
var statisticsSeries = []string{"organisations", "persons", "requests", "statements"}

// The statistics chart's geometry, in SVG user units: per year a label
// and a group of thin bars, one per measure.
const (
	statsLabelWidth = 70
	statsBarWidth   = 330
	statsBarHeight  = 14
	statsBarGap     = 3
	statsYearGap    = 16
)

// statisticsData is the statistics page.
type statisticsData struct {
	Stats  *participation.Statistics
	Series []string
	Years  []yearChart
	// Views says whether any page views have been counted: the table's
	// columns of views and visits are shown only then.
	Views bool
	// Height is the chart's height.
	Height int
}

// yearChart is one year's group of bars.
type yearChart struct {
	participation.YearStatistics
	Y      int // top of the group
	LabelY int // baseline of the year's label
	Bars   []statBar
}

// statBar is one measure's bar in a year's group.
type statBar struct {
	Series string
	Count  int
	Y      int
	Width  int
	TextX  int
}

// BarX returns where the chart's bars start, right of the years.
func (d *statisticsData) BarX() int { return statsLabelWidth }

// newStatisticsData lays out the chart of st.
func newStatisticsData(st *participation.Statistics) *statisticsData {
	d := &statisticsData{Stats: st, Series: statisticsSeries}
	most := 0
	for _, y := range st.Years {
		most = max(most, y.Organisations, y.Persons, y.Requests, y.Statements)
		d.Views = d.Views || y.PageViews > 0 || y.Visits > 0
	}
	top := statsYearGap / 2
	for _, y := range st.Years {
		yc := yearChart{YearStatistics: y, Y: top}
		for i, n := range []int{y.Organisations, y.Persons, y.Requests, y.Statements} {
			b := statBar{Series: statisticsSeries[i], Count: n, Y: top + i*(statsBarHeight+statsBarGap)}
			if most > 0 {
				b.Width = n * statsBarWidth / most
			}
			if n > 0 && b.Width < 2 {
				b.Width = 2
			}
			b.TextX = statsLabelWidth + b.Width + 6
			yc.Bars = append(yc.Bars, b)
		}
		group := len(statisticsSeries)*(statsBarHeight+statsBarGap) - statsBarGap
		yc.LabelY = top + group/2 + 5
		d.Years = append(d.Years, yc)
		top += group + statsYearGap
	}
	d.Height = top - statsYearGap/2
	return d
}

func (s *Server) statisticsPage(c *fiber.Ctx) error {
	st, err := s.svc.Statistics.FindStatistics(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "statement_statistics", newStatisticsData(st), nil, nil)
}
