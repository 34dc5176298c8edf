package server

import (
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

// formDateTime writes a time as a datetime-local field holds it, in
// Helsinki time; nil is "".
func formDateTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(helsinki).Format(participation.DateTimeLayout)
}
