package server

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// The survey results' own chart: ZEF's two-axis quadrant chart, drawn with
// the pages' chart toolkit (chart.go).

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
