package server

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// qrSVG returns an inline SVG of the QR code of text, drawn from the QR
// library's module matrix (quiet zone included): one path of dark runs per
// row, black on white, which scales to any size without blurring (inline
// in HTML, so without an xmlns). title is
// the image's accessible name.
func qrSVG(text, title string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	bitmap := q.Bitmap()
	n := len(bitmap)
	var d strings.Builder
	for y, row := range bitmap {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&d, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	// Every value is a number or escaped, so the markup is safe as it is.
	return template.HTML(fmt.Sprintf(
		`<svg class="qr" viewBox="0 0 %d %d" role="img" shape-rendering="crispEdges"><title>%s</title>`+
			`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, html.EscapeString(title), n, n, d.String())), nil
}
