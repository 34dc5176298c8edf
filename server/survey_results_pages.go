package server

import (
	"html/template"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// The results of a survey: public once it is closed, live to officials.
// Each question's chart is server-rendered SVG (survey_chart.go) with the
// same numbers in a table beside it, and can be downloaded as a file; a
// "relative" view standardises each respondent's ratings first, and a
// filter keeps one municipality's responses.

// textAnswersShown is the most text answers the page lists per question;
// officials have them all in the CSV.
const textAnswersShown = 500

// surveyResultsData is the results page.
type surveyResultsData struct {
	Survey    surveyView
	Results   *participation.SurveyResults
	Questions []resultView
	// Relative and Municipality are the view chosen.
	Relative     bool
	Municipality string
	// Municipalities are those the filter offers: with their counts.
	Municipalities []participation.MunicipalityCount
	// FilterRefused says the municipality asked for has too few responses
	// to be shown apart.
	FilterRefused bool
	Official      bool
}

// Query is the view chosen, as the chart and CSV links carry it.
func (d *surveyResultsData) Query() string {
	q := url.Values{}
	if d.Relative {
		q.Set("relative", "true")
	}
	if d.Municipality != "" {
		q.Set("municipality", d.Municipality)
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// ViewURL returns the page's address with the relative view set as given.
func (d *surveyResultsData) ViewURL(relative bool) string {
	q := url.Values{}
	if relative {
		q.Set("relative", "true")
	}
	if d.Municipality != "" {
		q.Set("municipality", d.Municipality)
	}
	u := "/surveys/" + itoa(d.Survey.ID) + "/results"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// resultView is one question's result as the page shows it.
type resultView struct {
	QuestionID int64
	N          int
	Kind       string
	Prompt     participation.LocalText
	Answered   int
	ChartID    string
	Chart      template.HTML
	// Rows are a choice question's options, or a scale's values.
	Rows         []resultRow
	Mean, Median string
	// Answers are a text question's answers, More how many are left out.
	Answers []string
	More    int
	// Items are a two-axis question's items by rank; the unrated last.
	Items          []itemResultView
	XLabel, YLabel participation.LocalText
}

// resultRow is one option or scale value: its count and its share of the
// responses that answered the question.
type resultRow struct {
	Label participation.LocalText
	Count int
	Share string
}

// itemResultView is one item of a two-axis question's ranking table.
type itemResultView struct {
	Rank         int // 0 for an item nobody rated
	Label        participation.LocalText
	N            int
	MeanX, MeanY string
	SdX, SdY     string
	CommitmentID *int64
}

// numberFormat writes the page's numbers in its language: a decimal comma
// in Finnish and Swedish, a point in English.
type numberFormat struct{ lang string }

func (f numberFormat) decimal(v float64, digits int) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if s == "-"+strconv.FormatFloat(0, 'f', digits, 64) {
		s = s[1:]
	}
	if f.lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
		s = strings.Replace(s, "-", "−", 1)
	}
	return s
}

func (f numberFormat) optional(v *float64, digits int) string {
	if v == nil {
		return "–"
	}
	return f.decimal(*v, digits)
}

func (f numberFormat) percent(count, of int) string {
	if of == 0 {
		return "–"
	}
	p := f.decimal(100*float64(count)/float64(of), 1)
	if f.lang == "en" {
		return p + "%"
	}
	return p + " %"
}

// tick writes an axis's tick: whole numbers as they are, others with up
// to two decimals.
func (f numberFormat) tick(v float64) string {
	if v == math.Trunc(v) {
		return f.decimal(v, 0)
	}
	return strings.TrimRight(strings.TrimRight(f.decimal(v, 2), "0"), ",.")
}

// resultViews lays out every question's result in lang, with its chart;
// tr translates the charts' texts.
func resultViews(sv *participation.Survey, r *participation.SurveyResults, lang string, tr func(key string, args ...any) string) []resultView {
	out := make([]resultView, 0, len(r.Questions))
	for i, q := range r.Questions {
		out = append(out, resultViewOf(sv.Question(q.QuestionID), &r.Questions[i], i+1, r.Relative, lang, tr))
	}
	return out
}

// resultViewOf lays out question q's result qr (q may be nil, for a
// question the survey no longer has).
func resultViewOf(q *participation.Question, qr *participation.QuestionResult, n int, relative bool, lang string, tr func(string, ...any) string) resultView {
	nf := numberFormat{lang}
	v := resultView{QuestionID: qr.QuestionID, N: n, Kind: qr.Kind, Prompt: qr.In(lang, "prompt", qr.Prompt), Answered: qr.Answered,
		ChartID: "chart-q" + itoa(qr.QuestionID)}
	title := tr("survey.chart_title", "N", n, "Prompt", v.Prompt.Text)
	switch qr.Kind {
	case participation.QuestionSingle, participation.QuestionMulti:
		bars := make([]barRow, len(qr.Options))
		for i, o := range qr.Options {
			row := resultRow{Label: o.In(lang, "label", o.Label), Count: o.Count, Share: nf.percent(o.Count, qr.Answered)}
			v.Rows = append(v.Rows, row)
			bars[i] = barRow{Label: row.Label.Text, Count: o.Count, Value: strconv.Itoa(o.Count) + " (" + row.Share + ")"}
		}
		v.Chart = barChart(v.ChartID, title, tr("survey.chart_desc_bars", "Count", qr.Answered), bars).inline()
	case participation.QuestionScale:
		cols := make([]column, len(qr.Distribution))
		for i, d := range qr.Distribution {
			label := participation.LocalText{Text: strconv.Itoa(d.Value), Lang: lang}
			if q != nil && i == 0 && q.MinLabel != nil {
				label.Text += " – " + q.In(lang, "min_label", *q.MinLabel).Text
			}
			if q != nil && i == len(qr.Distribution)-1 && q.MaxLabel != nil {
				label.Text += " – " + q.In(lang, "max_label", *q.MaxLabel).Text
			}
			v.Rows = append(v.Rows, resultRow{Label: label, Count: d.Count, Share: nf.percent(d.Count, qr.Answered)})
			cols[i] = column{Label: strconv.Itoa(d.Value), Count: d.Count}
		}
		v.Mean, v.Median = nf.optional(qr.Mean, 2), nf.optional(qr.Median, 1)
		var marks []marker
		if len(qr.Distribution) > 0 {
			lo := float64(qr.Distribution[0].Value)
			if qr.Mean != nil {
				marks = append(marks, marker{At: *qr.Mean - lo, Label: tr("survey.mean") + " " + v.Mean})
			}
			if qr.Median != nil {
				marks = append(marks, marker{At: *qr.Median - lo, Label: tr("survey.median") + " " + v.Median, Dash: true})
			}
		}
		v.Chart = columnChart(v.ChartID, title, tr("survey.chart_desc_scale", "Count", qr.Answered, "Mean", v.Mean, "Median", v.Median), cols, marks).inline()
	case participation.QuestionText:
		v.Answers = qr.Answers
		if len(v.Answers) > textAnswersShown {
			v.Answers, v.More = v.Answers[:textAnswersShown], len(v.Answers)-textAnswersShown
		}
	case participation.QuestionGrid2D:
		v.Chart = gridResult(&v, q, qr, relative, nf, lang, tr)
	}
	return v
}

// gridResult fills a two-axis question's ranking table and returns its
// quadrant chart.
func gridResult(v *resultView, q *participation.Question, qr *participation.QuestionResult, relative bool, nf numberFormat, lang string, tr func(string, ...any) string) template.HTML {
	if qr.X == nil || qr.Y == nil {
		return ""
	}
	v.XLabel, v.YLabel = participation.LocalText{Text: qr.X.Label, Lang: lang}, participation.LocalText{Text: qr.Y.Label, Lang: lang}
	if q != nil {
		v.XLabel, v.YLabel = q.In(lang, "x.label", qr.X.Label), q.In(lang, "y.label", qr.Y.Label)
	}
	ax := quadrantAxes{XLabel: v.XLabel.Text, YLabel: v.YLabel.Text, XMin: qr.X.Min, XMax: qr.X.Max, YMin: qr.Y.Min, YMax: qr.Y.Max,
		XMid: qr.X.Mid(), YMid: qr.Y.Mid(), FormatTick: nf.tick}
	var pts []quadrantPoint
	var extent []float64
	for _, it := range qr.Items {
		row := itemResultView{Label: it.In(lang, "label", it.Label), N: it.N, MeanX: nf.optional(it.MeanX, 2), MeanY: nf.optional(it.MeanY, 2),
			SdX: nf.optional(it.SdX, 2), SdY: nf.optional(it.SdY, 2), CommitmentID: it.CommitmentID}
		if it.Rank != nil && it.MeanX != nil && it.MeanY != nil {
			row.Rank = *it.Rank
			pts = append(pts, quadrantPoint{Rank: row.Rank, Label: row.Label.Text, X: *it.MeanX, Y: *it.MeanY, SdX: it.SdX, SdY: it.SdY})
			extent = append(extent, *it.MeanX, *it.MeanY)
			if it.SdX != nil {
				extent = append(extent, *it.MeanX+*it.SdX, *it.MeanX-*it.SdX)
			}
			if it.SdY != nil {
				extent = append(extent, *it.MeanY+*it.SdY, *it.MeanY-*it.SdY)
			}
		}
		v.Items = append(v.Items, row)
	}
	slices.SortStableFunc(v.Items, func(a, b itemResultView) int {
		switch {
		case a.Rank == b.Rank:
			return 0
		case a.Rank == 0:
			return 1
		case b.Rank == 0:
			return -1
		}
		return a.Rank - b.Rank
	})
	if relative {
		// Z-scores: each axis centred on zero, wide enough for every mean
		// and its spread.
		r := symmetricRange(extent...)
		ax.XMin, ax.XMax, ax.YMin, ax.YMax, ax.XMid, ax.YMid = -r, r, -r, r, 0, 0
		ax.XLabel = tr("survey.relative_axis", "Label", ax.XLabel)
		ax.YLabel = tr("survey.relative_axis", "Label", ax.YLabel)
	}
	sortedByRank(pts)
	desc := tr("survey.chart_desc_grid", "Count", len(pts), "X", v.XLabel.Text, "Y", v.YLabel.Text)
	if len(pts) > 0 {
		desc += " " + tr("survey.chart_desc_grid_top", "Item", pts[0].Label)
	}
	return quadrantChart(v.ChartID, tr("survey.chart_title", "N", v.N, "Prompt", v.Prompt.Text), desc, ax, pts).inline()
}

// resultFilter reads the view chosen from the query.
func resultFilter(c *fiber.Ctx) participation.ResultFilter {
	return participation.ResultFilter{
		Relative:     c.Query("relative") == "true",
		Municipality: strings.TrimSpace(copyString(c.Query("municipality"))),
	}
}

// loadResults computes the results of the path's survey in the view the
// query chooses. A municipality with too few responses for the visitor to
// see apart is not filtered by.
func (s *Server) loadResults(c *fiber.Ctx) (*surveyResultsData, error) {
	sv, err := s.findSurvey(c)
	if err != nil {
		return nil, err
	}
	ctx := c.UserContext()
	f := resultFilter(c)
	d := &surveyResultsData{Survey: newSurveyView(sv, requestLang(c)), Relative: f.Relative, Official: manages(c)}
	if finder, ok := s.svc.Surveys.(participation.SurveyViewService); ok {
		all, err := finder.FindSurveyMunicipalities(ctx, sv.ID)
		if err != nil {
			return nil, err
		}
		d.Municipalities = participation.VisibleMunicipalities(all, account(c))
	}
	if f.Municipality != "" {
		if known, ok := participation.FindMunicipality(f.Municipality); ok {
			f.Municipality = known.Fi
		}
		if !slices.ContainsFunc(d.Municipalities, func(m participation.MunicipalityCount) bool { return m.Municipality == f.Municipality }) && !d.Official {
			d.FilterRefused, f.Municipality = true, ""
		}
	}
	d.Municipality = f.Municipality
	if d.Results, err = s.svc.Surveys.FindSurveyResults(ctx, sv.ID, f); err != nil {
		return nil, err
	}
	lang := requestLang(c)
	d.Questions = resultViews(sv, d.Results, lang, func(key string, args ...any) string { return s.T(c, key, args...) })
	return d, nil
}

func (s *Server) surveyResultsPage(c *fiber.Ctx) error {
	d, err := s.loadResults(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "survey_results", d, map[string]string{"municipality": d.Municipality}, nil)
}

// surveyChartSVG sends one question's chart as an SVG file, in the view
// the query chooses.
func (s *Server) surveyChartSVG(c *fiber.Ctx) error {
	qid, err := idParam(c, "qid")
	if err != nil {
		return err
	}
	d, err := s.loadResults(c)
	if err != nil {
		return err
	}
	for i, q := range d.Results.Questions {
		if q.QuestionID != qid || d.Questions[i].Chart == "" {
			continue
		}
		// The page's chart, as a file of its own.
		v := d.Questions[i]
		svg := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			strings.Replace(string(v.Chart), "<svg ", `<svg xmlns="http://www.w3.org/2000/svg" `, 1) + "\n"
		c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
		c.Attachment("survey-" + itoa(d.Survey.ID) + "-question-" + itoa(qid) + ".svg")
		return c.SendString(svg)
	}
	return participation.Errorf(participation.ENOTFOUND, "The survey has no chart of that question.")
}

// commitmentRating is a commitment's place in a survey's two-axis question,
// as its page shows it.
type commitmentRating struct {
	SurveyID, QuestionID int64
	SurveyTitle, Prompt  string
	XLabel, YLabel       string
	MeanX, MeanY         string
	N, Rank, Items       int
}

// SurveyRatings are the commitment's places in the closed surveys that
// rated it, in lang, for its page.
func (d commitmentPageData) SurveyRatings(lang string) []commitmentRating {
	nf := numberFormat{lang}
	out := make([]commitmentRating, 0, len(d.C.SurveyResults))
	for _, r := range d.C.SurveyResults {
		v := commitmentRating{SurveyID: r.SurveyID, QuestionID: r.QuestionID, SurveyTitle: r.SurveyTitle, Prompt: r.Prompt,
			XLabel: r.X.Label, YLabel: r.Y.Label, MeanX: nf.optional(r.MeanX, 2), MeanY: nf.optional(r.MeanY, 2), N: r.N, Items: r.Items}
		if r.Rank != nil {
			v.Rank = *r.Rank
		}
		out = append(out, v)
	}
	return out
}
