package server

import (
	"time"
	_ "time/tzdata" // Helsinki time on any host, so loading it cannot fail

	"osallistu/participation"
)

// helsinki is the time zone of the people the pages speak to: the times
// officials enter are read in it, and every date the pages show is in it.
var helsinki = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		panic("server: Europe/Helsinki: " + err.Error()) // time/tzdata is embedded
	}
	return loc
}()

// datetimeLocal is the value format of <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

// parseLocalTime reads a datetime-local value as Helsinki time; an empty
// value is nil, and a malformed one is recorded in errs.
func parseLocalTime(errs participation.FieldErrors, field, value string) *time.Time {
	if value == "" {
		return nil
	}
	for _, layout := range []string{datetimeLocal, datetimeLocal + ":05"} {
		if t, err := time.ParseInLocation(layout, value, helsinki); err == nil {
			return &t
		}
	}
	errs.Add(field, participation.RuleFormat, 0)
	return nil
}

// dateLayouts are the pages' date formats by language.
var dateLayouts = map[string]string{"fi": "2.1.2006", "sv": "2.1.2006", "en": "2 Jan 2006"}

// localDate formats a time.Time or *time.Time as a date in Helsinki, in
// lang's format, with the time of day after it when withTime is set; a nil
// time or another value is "".
func localDate(t any, lang string, withTime bool) string {
	var at time.Time
	switch v := t.(type) {
	case time.Time:
		at = v
	case *time.Time:
		if v == nil {
			return ""
		}
		at = *v
	default:
		return ""
	}
	layout := dateLayouts[lang]
	if withTime {
		layout += " 15.04"
	}
	return at.In(helsinki).Format(layout)
}
