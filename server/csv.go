package server

import (
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"osallistu/participation"
)

// csvDialect is how a CSV download is spelt: the standard CSV (RFC 4180:
// commas between cells, decimal points), or the one that spreadsheets set
// up for Finnish or Swedish open as they are (semicolons, decimal commas
// and a UTF-8 byte order mark, without which they read the file in the
// local legacy encoding).
type csvDialect struct {
	Name         string // "" for the standard one
	Comma        rune
	DecimalComma bool
	BOM          bool
}

// csvDialects are the dialects ?dialect= names; none is the standard one.
var csvDialects = map[string]csvDialect{
	"":         {Comma: ','},
	"standard": {Comma: ','},
	"fi":       {Name: "fi", Comma: ';', DecimalComma: true, BOM: true},
}

// csvFile is one CSV download being written: every .csv the platform
// serves goes through it, so that each offers both dialects.
type csvFile struct {
	w       *csv.Writer
	dialect csvDialect
}

// newCSV starts a CSV download named filename in the dialect ?dialect=
// asks for; withBOM writes the byte order mark in the standard dialect too
// (a file that has always had one keeps it). An unknown dialect is 400. The
// Finnish file's name ends in -fi.csv, so that both can be kept side by side.
func newCSV(c *fiber.Ctx, filename string, withBOM bool) (*csvFile, error) {
	d, ok := csvDialects[c.Query("dialect")]
	if !ok {
		return nil, &participation.Error{Code: participation.EMALFORMED, Message: `The CSV dialect is "standard" (the default) or "fi".`,
			Fields: participation.FieldErrors{"dialect": {Rule: participation.RuleChoice}}}
	}
	if d.Name != "" {
		filename = strings.TrimSuffix(filename, ".csv") + "-" + d.Name + ".csv"
	}
	c.Type("csv", "utf-8")
	c.Attachment(filename)
	if d.BOM || withBOM {
		c.WriteString("\ufeff")
	}
	w := csv.NewWriter(c)
	w.Comma = d.Comma
	return &csvFile{w: w, dialect: d}, nil
}

// Row writes one row of cells.
func (f *csvFile) Row(cells ...string) { f.w.Write(cells) }

// Number writes a number in full precision with the dialect's decimal mark.
func (f *csvFile) Number(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if f.dialect.DecimalComma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// OptNumber is Number, or an empty cell for nil.
func (f *csvFile) OptNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return f.Number(*v)
}

// Close ends the file, reporting an error of writing it.
func (f *csvFile) Close() error {
	f.w.Flush()
	return f.w.Error()
}

// csvText defuses a participant's text for spreadsheets: a cell that starts
// with = + - @ (or a tab or carriage return) would be read as a formula.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
