package server

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The survey pages' charts: server-rendered SVG, the same numbers as the
// table beside each chart, so that they read without JavaScript, to screen
// readers (role="img" with a title and a description) and on paper. Colours
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
	plotW := float64(colChartWidth - colLeft - 10)
	plotH := float64(colChartHeight - colTop - colBottom)
	base := float64(colTop) + plotH
	most := 0
	for _, col := range cols {
		most = max(most, col.Count)
	}
	top := niceCeil(most)
	// The count axis: a few whole-number ticks.
	step := max(1, top/4)
	for v := 0; v <= top; v += step {
		y := base - float64(v)*plotH/float64(top)
		c.line(colLeft, y, colLeft+plotW, y, chartTrack, ` stroke-width="1"`)
		c.text(colLeft-6, y+5, strconv.Itoa(v), ` class="chart-label" text-anchor="end"`)
	}
	n := max(len(cols), 1)
	slot := plotW / float64(n)
	bw := max(1, min(slot*0.7, 60))
	every := int(math.Ceil(float64(len(cols)) / 12)) // at most a dozen labels under the columns
	var counts []func()                              // written last, over the markers
	for i, col := range cols {
		cx := colLeft + slot*(float64(i)+0.5)
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
	c.line(colLeft, base, colLeft+plotW, base, chartLine, ` stroke-width="2"`)
	// The markers across the columns, named in a legend above the plot,
	// where they cover no count.
	lx := float64(colLeft)
	for _, m := range markers {
		x := colLeft + slot*(m.At+0.5)
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

// quadrantPoint is one rated item of a quadrant chart.
type quadrantPoint struct {
	Rank     int // the marker's number, as in the ranking table
	Label    string
	X, Y     float64  // means
	SdX, SdY *float64 // deviations; nil below two ratings
}

// quadrantAxes are a quadrant chart's axes: their ranges, where the
// midlines cross, their labels and their ticks' text.
type quadrantAxes struct {
	XLabel, YLabel string
	XMin, XMax     float64
	YMin, YMax     float64
	XMid, YMid     float64
	FormatTick     func(float64) string
}

// Quadrant chart geometry.
const (
	quadWidth  = 720
	quadHeight = 600
	quadLeft   = 70
	quadRight  = 20
	quadTop    = 20
	quadBottom = 60
)

// quadrantChart draws ZEF's two-axis chart: each item at its means, with a
// cross one standard deviation each way, the midlines that make the four
// quadrants, the axes' labels, and each item's rank and name beside it.
func quadrantChart(id, title, desc string, ax quadrantAxes, pts []quadrantPoint) *svgChart {
	c := &svgChart{id: id, title: title, desc: desc, width: quadWidth, height: quadHeight}
	pw := float64(quadWidth - quadLeft - quadRight)
	ph := float64(quadHeight - quadTop - quadBottom)
	sx := func(v float64) float64 {
		return quadLeft + (clamp(v, ax.XMin, ax.XMax)-ax.XMin)*pw/(ax.XMax-ax.XMin)
	}
	sy := func(v float64) float64 {
		return quadTop + ph - (clamp(v, ax.YMin, ax.YMax)-ax.YMin)*ph/(ax.YMax-ax.YMin)
	}
	// The plot area, the upper right quadrant (both high) a shade darker.
	c.rect(quadLeft, quadTop, pw, ph, "#ffffff", "quadrant-area")
	c.rect(sx(ax.XMid), quadTop, quadLeft+pw-sx(ax.XMid), sy(ax.YMid)-quadTop, "#e8f0f9", "quadrant-high")
	fmt.Fprintf(&c.body, `<rect x="%d" y="%d" width="%s" height="%s" fill="none" stroke="%s" stroke-width="1.5"/>`, quadLeft, quadTop, num(pw), num(ph), chartLine)
	for _, v := range ticks(ax.XMin, ax.XMax) {
		x := sx(v)
		c.line(x, quadTop+ph, x, quadTop+ph+6, chartLine, "")
		c.text(x, quadTop+ph+22, ax.FormatTick(v), ` class="chart-label" text-anchor="middle" font-size="13"`)
	}
	for _, v := range ticks(ax.YMin, ax.YMax) {
		y := sy(v)
		c.line(quadLeft-6, y, quadLeft, y, chartLine, "")
		c.text(quadLeft-10, y+5, ax.FormatTick(v), ` class="chart-label" text-anchor="end" font-size="13"`)
	}
	// The midlines.
	c.line(sx(ax.XMid), quadTop, sx(ax.XMid), quadTop+ph, chartMuted, ` stroke-width="1.5" stroke-dasharray="6 5" class="midline"`)
	c.line(quadLeft, sy(ax.YMid), quadLeft+pw, sy(ax.YMid), chartMuted, ` stroke-width="1.5" stroke-dasharray="6 5" class="midline"`)
	// The axes' labels.
	c.text(quadLeft+pw/2, quadHeight-12, shorten(ax.XLabel, 60), ` class="chart-axis" text-anchor="middle" font-weight="700" font-size="15"`)
	fmt.Fprintf(&c.body, `<text x="0" y="0" transform="translate(18 %s) rotate(-90)" fill="%s" font-size="15" font-weight="700" text-anchor="middle" class="chart-axis">%s</text>`,
		num(quadTop+ph/2), chartText, esc(shorten(ax.YLabel, 50)))

	// The spreads first, so that no cross covers a marker; names keep off
	// them where they can.
	var spreads []box
	for _, p := range pts {
		x, y := sx(p.X), sy(p.Y)
		if p.SdX != nil {
			x1, x2 := sx(p.X-*p.SdX), sx(p.X+*p.SdX)
			c.line(x1, y, x2, y, chartSpread, ` stroke-width="1.5" class="spread"`)
			spreads = append(spreads, box{x1, y - 2, x2 - x1, 4})
		}
		if p.SdY != nil {
			y1, y2 := sy(p.Y+*p.SdY), sy(p.Y-*p.SdY)
			c.line(x, y1, x, y2, chartSpread, ` stroke-width="1.5" class="spread"`)
			spreads = append(spreads, box{x - 2, y1, 4, y2 - y1})
		}
	}
	placed := make([]box, 0, 2*len(pts))
	for _, p := range pts {
		placed = append(placed, box{sx(p.X) - 12, sy(p.Y) - 12, 24, 24})
	}
	// Markers with their rank, then the names where they fit.
	for _, p := range pts {
		x, y := sx(p.X), sy(p.Y)
		fmt.Fprintf(&c.body, `<g class="point"><circle cx="%s" cy="%s" r="11" fill="%s" stroke="#ffffff" stroke-width="2" class="point-marker"/>`, num(x), num(y), chartPrimary)
		fmt.Fprintf(&c.body, `<text x="%s" y="%s" fill="#ffffff" font-size="12" font-weight="700" text-anchor="middle" class="point-rank">%d</text></g>`, num(x), num(y+4), p.Rank)
	}
	area := box{quadLeft, quadTop, pw, ph}
	for _, p := range pts {
		label := shorten(p.Label, 32)
		w, h := textWidth(label), 16.0
		x, y := sx(p.X), sy(p.Y)
		b, ok := placeLabel(x, y, w, h, area, append(slices.Clip(placed), spreads...))
		if !ok {
			b, ok = placeLabel(x, y, w, h, area, placed)
		}
		if !ok {
			continue // the table beneath names it by its rank
		}
		placed = append(placed, b)
		fmt.Fprintf(&c.body, `<text x="%s" y="%s" fill="%s" font-size="13" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke" class="point-label">%s</text>`,
			num(b.x), num(b.y+12), chartText, esc(label))
	}
	return c
}

// box is a rectangle taken by a marker or a label.
type box struct{ x, y, w, h float64 }

func (a box) overlaps(b box) bool {
	return a.x < b.x+b.w && b.x < a.x+a.w && a.y < b.y+b.h && b.y < a.y+a.h
}

func (a box) inside(b box) bool {
	return a.x >= b.x && a.y >= b.y && a.x+a.w <= b.x+b.w && a.y+a.h <= b.y+b.h
}

// placeLabel finds room for a label of w × h beside a marker at x, y: right,
// left, above or below it, then a little further off, within area and clear
// of what is already placed.
func placeLabel(x, y, w, h float64, area box, placed []box) (box, bool) {
	for _, off := range []float64{0, 12, 24} {
		for _, b := range []box{
			{x + 15 + off, y - h/2, w, h},
			{x - 15 - off - w, y - h/2, w, h},
			{x - w/2, y - 15 - h - off, w, h},
			{x - w/2, y + 15 + off, w, h},
			{x + 15, y - h/2 - 14 - off, w, h},
			{x + 15, y - h/2 + 14 + off, w, h},
			{x - 15 - w, y - h/2 - 14 - off, w, h},
			{x - 15 - w, y - h/2 + 14 + off, w, h},
		} {
			if !b.inside(area) {
				continue
			}
			free := true
			for _, o := range placed {
				if b.overlaps(o) {
					free = false
					break
				}
			}
			if free {
				return b, true
			}
		}
	}
	return box{}, false
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// ticks returns round values across lo..hi for an axis: every whole
// number on a short axis, else about five round steps.
func ticks(lo, hi float64) []float64 {
	span := hi - lo
	if span <= 0 {
		return []float64{lo}
	}
	step := math.Pow(10, math.Floor(math.Log10(span/5)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if span/(step*m) <= 10 {
			step *= m
			break
		}
	}
	if span <= 10 && lo == math.Trunc(lo) && hi == math.Trunc(hi) {
		step = 1
	}
	var out []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// symmetricRange returns the range of a relative (z-score) axis: centred
// on zero and wide enough for every mean and its spread, at least ±1.
func symmetricRange(values ...float64) float64 {
	r := 1.0
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			r = math.Max(r, math.Abs(v))
		}
	}
	return math.Ceil(r*2) / 2
}

// sortedByRank orders quadrant points by rank, so that the highest ranked
// are drawn (and named) first.
func sortedByRank(pts []quadrantPoint) {
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].Rank < pts[j].Rank })
}
