package server

import (
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The reach report of a process (participation/reach.go): its participants
// per channel and step, per region and municipality, the share outside the
// capital region and the months, each as a table with a chart beside it
// (chart.go); printable.

// reachPages registers the reach report page, when the server has a
// Reach service.
func (s *Server) reachPages(r fiber.Router) {
	if s.svc.Reach == nil {
		return
	}
	r.Get("/processes/:slug/reach", s.reachPage)
}

// reachData is the reach report page.
type reachData struct {
	Process *participation.Process
	Reach   *participation.Reach
	// OutsidePercent is the share outside the capital region, in whole
	// per cent; HasShare is false when nobody said a municipality.
	OutsidePercent int
	HasShare       bool
	// Capital names the capital region's municipalities in the page's
	// language.
	Capital string
	// Municipalities are the municipalities named, with their regions, in
	// the page's language.
	Municipalities                   []municipalityRow
	Channels, Steps, Regions, Months template.HTML
	Lang                             string
	JSONLink                         string
	// SourceYear is the year of the municipality–region classification.
	SourceYear int
}

// municipalityRow is a line of the municipalities' table.
type municipalityRow struct {
	Name, Region string
	Participants int
}

// newReachData draws the report's charts in lang.
func newReachData(p *participation.Process, r *participation.Reach, lang string, t translator) *reachData {
	d := &reachData{Process: p, Reach: r, Lang: lang, JSONLink: "/api/v1/processes/" + p.Slug + "/reach"}
	_, d.SourceYear = participation.RegionSource()
	if r.OutsideCapitalRegionShare != nil {
		d.OutsidePercent, d.HasShare = int(math.Round(*r.OutsideCapitalRegionShare*100)), true
	}
	var capital []string
	for _, m := range participation.CapitalRegion() {
		capital = append(capital, m.Name(lang))
	}
	d.Capital = strings.Join(capital, ", ")
	for _, m := range r.Municipalities {
		reg, _ := participation.FindRegion(m.Region)
		d.Municipalities = append(d.Municipalities, municipalityRow{Name: m.Name(lang), Region: reg.Name(lang), Participants: m.Participants})
	}
	desc := t("reach.chart_desc")
	row := func(label string, n int) barRow { return barRow{Label: label, Count: n, Value: strconv.Itoa(n)} }
	var rows []barRow
	for _, c := range r.Channels {
		rows = append(rows, row(t("reach.channel."+c.Channel), c.Participants))
	}
	d.Channels = barChart("channels-chart", t("reach.channels_chart"), desc, rows).inline()
	if len(r.Steps) > 0 {
		rows = nil
		for _, st := range r.Steps {
			rows = append(rows, row(st.In(lang, "title", st.Title).Text, st.Participants))
		}
		d.Steps = barChart("steps-chart", t("reach.steps_chart"), desc, rows).inline()
	}
	rows = nil
	for _, reg := range r.Regions {
		rows = append(rows, row(reg.Name(lang), reg.Participants))
	}
	d.Regions = barChart("regions-chart", t("reach.regions_chart"), desc, rows).inline()
	if len(r.Months) > 0 {
		cols := make([]column, len(r.Months))
		for i, m := range r.Months {
			cols[i] = column{Label: m.Month, Count: m.Participants}
		}
		d.Months = columnChart("months-chart", t("reach.months_chart"), desc, cols, nil).inline()
	}
	return d
}

func (s *Server) reachPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	slug := copyString(c.Params("slug"))
	p, err := s.svc.Processes.FindProcessBySlug(ctx, slug)
	if err != nil {
		return err
	}
	r, err := s.svc.Reach.FindReach(ctx, slug)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "reach", newReachData(p, r, requestLang(c), s.translator(c)), nil, nil)
}
