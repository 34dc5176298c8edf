package server_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
)

// TestPageViews counts page views in memory and saves them when the
// server shuts down: a page opened from outside the site begins a visit,
// one opened from a link of the site does not, and what is no page (an
// API answer, a missing page, a form's post) is not counted.
func TestPageViews(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.do("GET", "/", nil, "").want(t, 200)
	ts.do("GET", "/accessibility", nil, "", "Referer", "https://www.google.com/search?q=osallistu").want(t, 200)
	ts.do("GET", "/", nil, "", "Referer", "http://example.com/processes").want(t, 200) // from the site itself
	ts.do("GET", "/api/v1/processes", nil, "").want(t, 200)
	ts.do("GET", "/no-such-page", nil, "").want(t, 404)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := ts.store.FindStatistics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	year := time.Now().In(participation.Helsinki).Year()
	var got *participation.YearStatistics
	for i := range st.Years {
		if st.Years[i].Year == year {
			got = &st.Years[i]
		}
	}
	if got == nil || got.PageViews != 3 || got.Visits != 2 {
		t.Fatalf("this year's figures %+v", got)
	}
}
