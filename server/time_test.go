package server

import (
	"testing"
	"time"

	"osallistu/participation"
)

func TestLocalDate(t *testing.T) {
	t.Parallel()
	at := time.Date(2017, 3, 3, 12, 5, 0, 0, time.UTC) // 14.05 in Helsinki
	summer := time.Date(2018, 6, 30, 21, 30, 0, 0, time.UTC)
	due := participation.Date("2017-11-14")
	var none *time.Time
	cases := []struct {
		name     string
		t        any
		lang     string
		withTime bool
		want     string
	}{
		{"fi moment", at, "fi", true, "3.3.2017 klo 14.05"},
		{"sv moment", at, "sv", true, "3.3.2017 kl. 14.05"},
		{"en moment", at, "en", true, "3 March 2017, 14:05"},
		{"fi day", at, "fi", false, "3.3.2017"},
		{"sv day", &at, "sv", false, "3.3.2017"},
		{"en day", at, "en", false, "3 March 2017"},
		{"the day in Helsinki, not in UTC", summer, "fi", true, "1.7.2018 klo 0.30"},
		{"en day in Helsinki", summer, "en", false, "1 July 2018"},
		{"fi due date", due, "fi", false, "14.11.2017"},
		{"sv morning", time.Date(2017, 3, 3, 7, 5, 0, 0, time.UTC), "sv", true, "3.3.2017 kl. 9.05"},
		{"en morning", time.Date(2017, 3, 3, 7, 5, 0, 0, time.UTC), "en", true, "3 March 2017, 09:05"},
		{"en due date", &due, "en", true, "14 November 2017"},
		{"sv due date", due, "sv", false, "14.11.2017"},
		{"an unknown language writes Finnish", at, "de", true, "3.3.2017 klo 14.05"},
		{"nil", none, "fi", true, ""},
		{"an empty date", participation.Date(""), "en", false, ""},
		{"not a date", "2017-03-03", "fi", false, ""},
	}
	for _, c := range cases {
		if got := localDate(c.t, c.lang, c.withTime); got != c.want {
			t.Errorf("%s: localDate(%v, %q, %v) = %q, want %q", c.name, c.t, c.lang, c.withTime, got, c.want)
		}
	}
}
