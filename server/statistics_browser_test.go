package server_test

import (
	"testing"
	"time"

	"osallistu/server/browsertest"
)

// TestBrowserStatisticsAndReach audits the statistics page and a process's
// reach report with axe, in every language, with figures and charts in
// them, and follows the links between them.
func TestBrowserStatisticsAndReach(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	reachWorld(t, ts)
	base := ts.listen()
	b := browsertest.New(t, browsertest.WithoutJavaScript(), browsertest.WithTimeout(3*time.Minute))
	for _, lang := range []string{"fi", "sv", "en"} {
		b.VisitAndAudit(base + "/statistics?lang=" + lang)
		b.Submit(`a[href="/processes/avoin/reach"]`)
		b.Audit()
		if got := b.Text(`#summary-heading`); got == "" {
			t.Errorf("%s: the reach report has no summary", lang)
		}
		b.VisitAndAudit(base + "/processes/avoin/reach?lang=" + lang)
	}
}
