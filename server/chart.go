package server

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The pages' charts (survey results and progress, the statistics, the
// reach report): server-rendered SVG, the same numbers as the table beside
// each chart, so that they read without JavaScript, to screen readers
// (role="img" with a title and a description) and on paper. Every bar and
// column carries its number in text: no meaning rests on colour alone. Colours
// are presentation attributes, not CSS, so that a downloaded chart looks
// the same outside the site; the site's CSS still overrides them for print
// and forced colours.

// Chart colours, as in site.css.
const (
	chartText    = "#1a1a1a"
	chartMuted   = "#4a4a4a"
	chartPrimary = "#0b57a4"
	chartTrack   = "#f2f4f7"
	chartLine    = "#6b7280"
	chartSpread  = "#4a4a4a"
	chartFont    = `system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif`
)

// svgChart is one chart being drawn: its id (for the title and description
// that name it), its size in user units and its drawing.
type svgChart struct {
	id            string
	title, desc   string
	width, height float64
	body          strings.Builder
}

// esc escapes text for SVG markup.
func esc(s string) string { return template.HTMLEscapeString(s) }

// num writes a coordinate compactly.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// text draws a text at x, y with extra attributes.
func (c *svgChart) text(x, y float64, s, attrs string) {
	fmt.Fprintf(&c.body, `<text x="%s" y="%s" fill="%s" font-size="14"%s>%s</text>`, num(x), num(y), chartText, attrs, esc(s))
}

// line draws a line with a stroke and extra attributes.
func (c *svgChart) line(x1, y1, x2, y2 float64, stroke string, attrs string) {
	fmt.Fprintf(&c.body, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"%s/>`, num(x1), num(y1), num(x2), num(y2), stroke, attrs)
}

// rect draws a rectangle.
func (c *svgChart) rect(x, y, w, h float64, fill, class string) {
	fmt.Fprintf(&c.body, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" class="%s"/>`, num(x), num(y), num(max(w, 0)), num(max(h, 0)), fill, class)
}

// inline returns the chart for a page: no namespace declaration (the HTML
// parser puts <svg> in its namespace), named by its title and description.
func (c *svgChart) inline() template.HTML {
	return template.HTML(c.markup(""))
}

func (c *svgChart) markup(ns string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg%s class="chart-svg survey-chart" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %s %s" width="%s" height="%s" preserveAspectRatio="xMinYMin meet" focusable="false" font-family="%s">`,
		ns, c.id, c.id, num(c.width), num(c.height), num(c.width), num(c.height), esc(chartFont))
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, c.id, esc(c.title), c.id, esc(c.desc))
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#ffffff" class="chart-background"/>`)
	b.WriteString(c.body.String())
	b.WriteString(`</svg>`)
	return b.String()
}

// shorten cuts s to at most n characters, marking the cut with an ellipsis:
// long labels stay whole in the table beside the chart.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

// textWidth estimates how wide s is at font size 14: enough to keep labels
// apart, not a layout engine.
func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * 7.4 }

// numberWidth is how wide a number's digits are at font size 14 in the
// widest common sans-serif (DejaVu Sans: 0.636 em a digit), with a little
// to spare.
func numberWidth(s string) float64 { return float64(len(s)) * 9.5 }

// barRow is one bar of a horizontal bar chart.
type barRow struct {
	Label string
	Count int
	Value string // the count and share as the page writes them
}

// Horizontal bar chart geometry.
const (
	barChartWidth = 640
	barLabelWidth = 230
	barMaxWidth   = 290
	barRowHeight  = 34
	barHeight     = 22
)

// barChart draws one horizontal bar per row, the longest for the most,
// each labelled and with its count and share after it.
func barChart(id, title, desc string, rows []barRow) *svgChart {
	c := &svgChart{id: id, title: title, desc: desc, width: barChartWidth, height: float64(len(rows)*barRowHeight + 12)}
	most := 0
	for _, r := range rows {
		most = max(most, r.Count)
	}
	for i, r := range rows {
		y := float64(6 + i*barRowHeight)
		c.text(0, y+16, shorten(r.Label, 30), ` class="chart-label"`)
		c.rect(barLabelWidth, y, barMaxWidth, barHeight, chartTrack, "bar-track")
		w := 0.0
		if most > 0 {
			w = float64(r.Count) * barMaxWidth / float64(most)
		}
		if r.Count > 0 && w < 2 {
			w = 2
		}
		c.rect(barLabelWidth, y, w, barHeight, chartPrimary, "bar-fill")
		c.text(barLabelWidth+barMaxWidth+8, y+16, r.Value, ` class="chart-value" font-weight="700"`)
	}
	return c
}

// column is one column of a column chart.
type column struct {
	Label string // under the column
	Count int
}

// marker is a vertical line across a column chart at a value, such as a mean.
type marker struct {
	At    float64 // in column units: 0 is the first column's centre
	Label string
	Dash  bool
}

// Column chart geometry.
const (
	colChartWidth  = 640
	colChartHeight = 260
	colLeft        = 44
	colTop         = 44
	colBottom      = 40
)

// columnChart draws a column per value (a scale's distribution, responses
// per day), with a count axis and markers such as the mean and median.
func columnChart(id, title, desc string, cols []column, markers []marker) *svgChart {
	c := &svgChart{id: id, title: title, desc: desc, width: colChartWidth, height: colChartHeight}
	most := 0
	for _, col := range cols {
		most = max(most, col.Count)
	}
	top := niceCeil(most)
	// The axis's labels end left of the plot: as wide as its longest one.
	left := max(colLeft, numberWidth(strconv.Itoa(top))+10)
	plotW := colChartWidth - left - 10
	plotH := float64(colChartHeight - colTop - colBottom)
	base := float64(colTop) + plotH
	// The count axis: a few whole-number ticks.
	step := max(1, top/4)
	for v := 0; v <= top; v += step {
		y := base - float64(v)*plotH/float64(top)
		c.line(left, y, left+plotW, y, chartTrack, ` stroke-width="1"`)
		c.text(left-6, y+5, strconv.Itoa(v), ` class="chart-label" text-anchor="end"`)
	}
	n := max(len(cols), 1)
	slot := plotW / float64(n)
	bw := max(1, min(slot*0.7, 60))
	every := int(math.Ceil(float64(len(cols)) / 12)) // at most a dozen labels under the columns
	var counts []func()                              // written last, over the markers
	for i, col := range cols {
		cx := left + slot*(float64(i)+0.5)
		h := float64(col.Count) * plotH / float64(top)
		if col.Count > 0 && h < 2 {
			h = 2
		}
		c.rect(cx-bw/2, base-h, bw, h, chartPrimary, "bar-fill")
		if len(cols) <= 20 {
			counts = append(counts, func() {
				c.text(cx, base-h-5, strconv.Itoa(col.Count), ` class="chart-value" text-anchor="middle" font-weight="700" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"`)
			})
		}
		if i%every == 0 {
			c.text(cx, base+20, col.Label, ` class="chart-label" text-anchor="middle"`)
		}
	}
	c.line(left, base, left+plotW, base, chartLine, ` stroke-width="2"`)
	// The markers across the columns, named in a legend above the plot,
	// where they cover no count.
	lx := float64(left)
	for _, m := range markers {
		x := left + slot*(m.At+0.5)
		dash := ""
		if m.Dash {
			dash = ` stroke-dasharray="6 4"`
		}
		c.line(x, colTop, x, base, chartText, ` stroke-width="2" class="marker"`+dash)
		c.line(lx, 12, lx+24, 12, chartText, ` stroke-width="2"`+dash)
		c.text(lx+30, 17, m.Label, ` class="chart-label"`)
		lx += 30 + textWidth(m.Label) + 24
	}
	for _, f := range counts {
		f()
	}
	return c
}

// niceCeil returns a round number at or above n (at least 1) for the top
// of a count axis: 1, 2, 5 or 10 times a power of ten, or a multiple of 4
// below 20 so that the ticks are whole numbers.
func niceCeil(n int) int {
	if n <= 4 {
		return max(n, 1)
	}
	if n <= 20 {
		return (n + 3) / 4 * 4
	}
	p := 1
	for p*10 < n {
		p *= 10
	}
	for _, m := range []int{1, 2, 5, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}
