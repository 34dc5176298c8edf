package server_test

import (
	"strings"
	"testing"
)

// TestReportPages: the self-assessment report page charts the approved
// commitments' milestones and links its JSON.
func TestReportPages(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	w.scenario(t)
	anon := w.ts.client("")

	t.Run("the report", func(t *testing.T) {
		anon.get("/processes/avoin/report?lang=en").want(t, 200).contains(t,
			"<svg", `role="img"`, "Milestones by status", `href="/api/v1/processes/avoin/report"`, "Ymmärrettävyys", "Completion (IRM)")
	})
	t.Run("the status board", func(t *testing.T) {
		anon.get("/processes/avoin/status?lang=en").want(t, 200)
	})
	t.Run("an unknown process", func(t *testing.T) {
		anon.get("/processes/nope/report").want(t, 404)
	})
}

// TestReportPagesAsOf: the report and the status board take the day they
// are judged at from a date form; a status reported before a due date that
// has passed since says so instead of "overdue" beside "on track"; a bad
// day is a clear message and 400.
func TestReportPagesAsOf(t *testing.T) {
	t.Parallel()
	w := newCommitmentWorld(t)
	asOfWorld(t, w)
	anon := w.ts.client("")

	t.Run("today", func(t *testing.T) {
		for _, path := range []string{"/processes/avoin/report?lang=fi", "/processes/avoin/status?lang=fi"} {
			anon.get(path).want(t, 200).contains(t, `<form method="get"`, `type="date" id="as_of" name="as_of"`,
				"Etenee suunnitellusti</span> <span class=\"status-when\">(ilmoitettu 14.2.2018; <span class=\"lateness\">määräpäivä 7.3.2018 on ohitettu sen jälkeen</span>)",
				"määräpäivä 14.11.2017 ohitettu ilman tilannetietoa")
		}
	})
	t.Run("at a chosen day", func(t *testing.T) {
		r := anon.get("/processes/avoin/report?lang=fi&as_of=2018-03-01").want(t, 200).contains(t,
			`value="2018-03-01"`, "Tilanne 1.3.2018", `href="/api/v1/processes/avoin/report?as_of=2018-03-01"`,
			`href="/processes/avoin/status?as_of=2018-03-01"`, "(ilmoitettu 14.2.2018)")
		if strings.Contains(string(r.body), "ohitettu sen jälkeen") {
			t.Error("on 1.3.2018 no due date had passed since a report")
		}
		anon.get("/processes/avoin/status?lang=sv&as_of=2018-03-01").want(t, 200).contains(t,
			"Läget 1.3.2018", `href="/processes/avoin/report?as_of=2018-03-01"`, "(rapporterat 14.2.2018)")
	})
	t.Run("a bad day", func(t *testing.T) {
		anon.get("/processes/avoin/report?lang=en&as_of=31.8.2018").want(t, 400).contains(t,
			`value="31.8.2018"`, "Give a day, for example 2018-08-31.", `aria-invalid="true"`)
		anon.get("/processes/avoin/status?lang=en&as_of=2999-01-01").want(t, 400).contains(t, "The day cannot be after today.")
	})
}
