package server

import (
	"fmt"
	"strings"
	"time"

	"osallistu/participation"
)

// helsinki is the time zone of the people the pages speak to: the times
// officials enter are read in it, and every date the pages show is in it.
var helsinki = participation.Helsinki

// parseLocalTime reads a datetime-local value as Helsinki time; an empty
// value is nil, and a malformed one is recorded in errs.
func parseLocalTime(errs participation.FieldErrors, field, value string) *time.Time {
	if value == "" {
		return nil
	}
	t, err := participation.ParseDateTime(value)
	if err != nil {
		errs.Add(field, participation.RuleFormat, 0)
		return nil
	}
	return &t
}

// dateLayouts and dateTimeLayouts are the pages' formats of a day and of a
// moment, by language, as each language writes them: Finnish "3.3.2017 klo
// 14.05", Swedish "3.3.2017 kl. 14.05", English "3 March 2017, 14:05". Every
// date a page shows goes through localDate with them.
var (
	dateLayouts     = map[string]string{"fi": "2.1.2006", "sv": "2.1.2006", "en": "2 January 2006"}
	dateTimeLayouts = map[string]string{"fi": "2.1.2006 klo 15.04", "sv": "2.1.2006 kl. 15.04", "en": "2 January 2006, 15:04"}
)

// localDate formats a time.Time, *time.Time or participation.Date for a page
// in lang: a moment in Helsinki time, with the time of day when withTime is
// set; a Date is a calendar day and shows no time. A nil time, an empty or
// invalid Date, or another value is "".
func localDate(t any, lang string, withTime bool) string {
	var at time.Time
	switch v := t.(type) {
	case time.Time:
		at = v.In(helsinki)
	case *time.Time:
		if v == nil {
			return ""
		}
		at = v.In(helsinki)
	case participation.Date:
		if !v.Valid() {
			return ""
		}
		return v.Time().Format(layoutOf(dateLayouts, lang))
	case *participation.Date:
		if v == nil {
			return ""
		}
		return localDate(*v, lang, false)
	default:
		return ""
	}
	if withTime {
		s := at.Format(layoutOf(dateTimeLayouts, lang))
		// Finnish and Swedish write the hour without a leading zero
		// ("klo 9.05"), which Go's layouts cannot say.
		if h := at.Hour(); h < 10 && lang != "en" {
			s = strings.Replace(s, fmt.Sprintf(" 0%d.", h), fmt.Sprintf(" %d.", h), 1)
		}
		return s
	}
	return at.Format(layoutOf(dateLayouts, lang))
}

// layoutOf is lang's layout, or the first language's for an unknown one.
func layoutOf(layouts map[string]string, lang string) string {
	if l, ok := layouts[lang]; ok {
		return l
	}
	return layouts["fi"]
}

// dayIn returns a function that writes a calendar day in lang, for texts
// made in Go (the milestones in a version diff).
func dayIn(lang string) func(participation.Date) string {
	return func(d participation.Date) string { return localDate(d, lang, false) }
}

// formDateTime writes a time as a datetime-local field holds it, in
// Helsinki time; nil is "".
func formDateTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(helsinki).Format(participation.DateTimeLayout)
}
