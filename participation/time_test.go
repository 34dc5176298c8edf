package participation

import (
	"testing"
	"time"
)

func TestDateValid(t *testing.T) {
	for d, want := range map[Date]bool{
		"2018-12-31": true, "2020-02-29": true, "2019-02-29": false, "2018-13-01": false,
		"2018-1-5": false, "31.12.2018": false, "2018-12-31T00:00:00Z": false, "": false,
	} {
		if got := d.Valid(); got != want {
			t.Errorf("Date(%q).Valid() = %v, want %v", d, got, want)
		}
	}
}

func TestHelsinki(t *testing.T) {
	if Helsinki.String() != "Europe/Helsinki" {
		t.Fatalf("Helsinki is %s", Helsinki)
	}
	// Summer time: UTC+3 in July, UTC+2 in January.
	for _, tc := range []struct {
		utc  time.Time
		want string
	}{
		{time.Date(2018, 7, 1, 21, 30, 0, 0, time.UTC), "2018-07-02T00:30"},
		{time.Date(2018, 1, 1, 21, 30, 0, 0, time.UTC), "2018-01-01T23:30"},
	} {
		if got := tc.utc.In(Helsinki).Format(DateTimeLayout); got != tc.want {
			t.Errorf("%s in Helsinki = %s, want %s", tc.utc, got, tc.want)
		}
	}
	if got := DateOf(time.Date(2018, 7, 1, 21, 30, 0, 0, time.UTC)); got != "2018-07-02" {
		t.Errorf("DateOf = %s", got)
	}
}

func TestParseDateTime(t *testing.T) {
	want := time.Date(2017, 9, 1, 6, 0, 0, 0, time.UTC) // 9.00 in Helsinki summer time
	for _, s := range []string{"2017-09-01T09:00", "2017-09-01T09:00:00"} {
		got, err := ParseDateTime(s)
		if err != nil || !got.Equal(want) || got.Location() != Helsinki {
			t.Errorf("ParseDateTime(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "1.9.2017 9.00", "2017-09-01", "2017-09-01T25:00"} {
		if _, err := ParseDateTime(s); err == nil {
			t.Errorf("ParseDateTime(%q) took it", s)
		}
	}
}
