package server

import (
	"regexp"
	"strconv"
	"testing"
)

// TestColumnChartAxisLabelsFit checks that the count axis's labels, drawn
// right-aligned left of the plot, start inside the chart however large the
// counts are.
func TestColumnChartAxisLabelsFit(t *testing.T) {
	label := regexp.MustCompile(`<text x="([0-9.]+)"[^>]*text-anchor="end"[^>]*>([0-9]+)</text>`)
	for _, most := range []int{3, 46, 233, 10236, 1234567} {
		svg := columnChart("c", "title", "desc", []column{{Label: "2016", Count: most}, {Label: "2017", Count: 1}}, nil).markup("")
		found := label.FindAllStringSubmatch(svg, -1)
		if len(found) == 0 {
			t.Fatalf("%d: no axis labels in %s", most, svg)
		}
		for _, m := range found {
			x, _ := strconv.ParseFloat(m[1], 64)
			if start := x - numberWidth(m[2]); start < 0 {
				t.Errorf("most %d: axis label %s starts at %.1f, outside the chart", most, m[2], start)
			}
		}
	}
}
