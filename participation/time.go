package participation

import (
	"strings"
	"time"
	_ "time/tzdata" // Helsinki loads on any host, with or without a zoneinfo database
)

// Helsinki is Finland's time zone, where due dates begin and end and where
// the officials who enter opening times are. It is loaded once for the whole
// program; the embedded time zone database means it cannot fail.
var Helsinki = mustLoadLocation("Europe/Helsinki")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("participation: " + name + ": " + err.Error()) // time/tzdata is embedded
	}
	return loc
}

// Layouts of Finnish local time as forms send it and the API gives it.
const (
	// DateLayout is a calendar day, YYYY-MM-DD: Date's format.
	DateLayout = "2006-01-02"
	// DateTimeLayout is a local date and time to the minute, as a
	// datetime-local field sends it; ParseDateTime also takes seconds.
	DateTimeLayout = "2006-01-02T15:04"
)

// ParseDateTime reads a local date and time in DateTimeLayout, with or
// without seconds, as Helsinki time.
func ParseDateTime(s string) (time.Time, error) {
	t, err := time.ParseInLocation(DateTimeLayout, s, Helsinki)
	if err != nil {
		if t2, err2 := time.ParseInLocation(DateTimeLayout+":05", s, Helsinki); err2 == nil {
			return t2, nil
		}
	}
	return t, err
}

// Date is a calendar day written YYYY-MM-DD, as the API gives due dates and
// the date inputs of the pages send them. The empty Date is no date.
type Date string

// Valid reports whether d is a real day in YYYY-MM-DD form.
func (d Date) Valid() bool {
	t, err := time.Parse(DateLayout, string(d))
	return err == nil && t.Format(DateLayout) == string(d)
}

// Time returns the day's start in UTC (zero for an invalid Date).
func (d Date) Time() time.Time {
	t, _ := time.Parse(DateLayout, string(d))
	return t
}

// DateOf returns the day that t falls on in Finland.
func DateOf(t time.Time) Date { return Date(t.In(Helsinki).Format(DateLayout)) }

// dateString is an optional date as text, "" for none.
func dateString(d *Date) string {
	if d == nil {
		return ""
	}
	return string(*d)
}

// checkDate validates an optional date; an empty one is no date.
func checkDate(f FieldErrors, field string, d *Date) *Date {
	if d == nil {
		return nil
	}
	v := Date(strings.TrimSpace(string(*d)))
	if v == "" {
		return nil
	}
	if !v.Valid() {
		f.Add(field, RuleFormat, 0)
	}
	return &v
}
