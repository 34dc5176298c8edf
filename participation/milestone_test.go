package participation

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCompletion(t *testing.T) {
	const (
		n = MilestoneNotStarted
		l = MilestoneLate
		o = MilestoneOnTrack
		d = MilestoneDone
	)
	for _, tc := range []struct {
		statuses []string
		want     string
	}{
		{nil, CompletionNotStarted},
		{[]string{n, n, n}, CompletionNotStarted},
		{[]string{n, o, n}, CompletionLimited},              // under way, nothing done
		{[]string{l}, CompletionLimited},                    // started late
		{[]string{d, n, n}, CompletionLimited},              // a third done
		{[]string{d, n, n, n, n}, CompletionLimited},        // a fifth done
		{[]string{d, n}, CompletionSubstantial},             // exactly half
		{[]string{d, d, l}, CompletionSubstantial},          // two thirds
		{[]string{d, d, d, d, d, o}, CompletionSubstantial}, // all but one
		{[]string{d}, CompletionComplete},
		{[]string{d, d, d}, CompletionComplete},
	} {
		if got := Completion(tc.statuses); got != tc.want {
			t.Errorf("Completion(%v) = %s, want %s", tc.statuses, got, tc.want)
		}
	}
}

func TestOverdue(t *testing.T) {
	// 1 March 2018 at 23.30 in Finland is still 1 March there, though it is
	// 21.30 UTC; at 00.30 on 2 March in Finland it is 1 March in UTC.
	lateEvening := time.Date(2018, 3, 1, 21, 30, 0, 0, time.UTC)
	pastMidnight := time.Date(2018, 3, 1, 22, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		due    Date
		status string
		now    time.Time
		want   bool
	}{
		{"due today", "2018-03-01", MilestoneNotStarted, lateEvening, false},
		{"due yesterday in Finland", "2018-03-01", MilestoneNotStarted, pastMidnight, true},
		{"past due and late", "2018-02-01", MilestoneLate, lateEvening, true},
		{"past due and on track", "2018-02-01", MilestoneOnTrack, lateEvening, true},
		{"past due but done", "2018-02-01", MilestoneDone, lateEvening, false},
		{"future", "2019-06-30", MilestoneNotStarted, lateEvening, false},
		{"no date", "", MilestoneNotStarted, lateEvening, false},
	} {
		if got := Lateness(tc.due, tc.status, nil, DateOf(tc.now)) != LatenessNone; got != tc.want {
			t.Errorf("%s: overdue(%s, %s) = %v, want %v", tc.name, tc.due, tc.status, got, tc.want)
		}
	}
}

func TestMilestoneUpdateValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		u      MilestoneUpdate
		fields []string
	}{
		{"each of the four", MilestoneUpdate{Status: MilestoneOnTrack}, nil},
		{"with note and links", MilestoneUpdate{Status: MilestoneDone, Note: ptrTo("Valmis"), EvidenceLinks: []string{"https://www.eoppiva.fi", " ", "http://example.fi/raportti.pdf"}}, nil},
		{"no status", MilestoneUpdate{}, []string{"status"}},
		{"a fifth status", MilestoneUpdate{Status: "cancelled"}, []string{"status"}},
		{"status in other case", MilestoneUpdate{Status: "DONE"}, []string{"status"}},
		{"not a web address", MilestoneUpdate{Status: MilestoneDone, EvidenceLinks: []string{"javascript:alert(1)"}}, []string{"evidence_links"}},
		{"relative address", MilestoneUpdate{Status: MilestoneDone, EvidenceLinks: []string{"/raportti.pdf"}}, []string{"evidence_links"}},
		{"too many links", MilestoneUpdate{Status: MilestoneDone, EvidenceLinks: slices.Repeat([]string{"https://a.fi"}, EvidenceLinksMax+1)}, []string{"evidence_links"}},
		{"long note", MilestoneUpdate{Status: MilestoneDone, Note: ptrTo(strings.Repeat("x", MilestoneNoteMax+1))}, []string{"note"}},
		{"note in Swedish and English", MilestoneUpdate{Status: MilestoneDone, Note: ptrTo("Valmis"),
			TranslationInput: TranslationInput{Translations: Translations{"sv": {"note": "Klart"}, "en": {"note": "Done"}}}}, nil},
		{"note written in Swedish", MilestoneUpdate{Status: MilestoneDone, Note: ptrTo("Klart"),
			TranslationInput: TranslationInput{Language: ptrTo("sv"), Translations: Translations{"fi": {"note": "Valmis"}}}}, nil},
		{"unknown language", MilestoneUpdate{Status: MilestoneDone, Note: ptrTo("Valmis"),
			TranslationInput: TranslationInput{Translations: Translations{"de": {"note": "Fertig"}}}}, []string{"translations.de"}},
		{"translation into its own language", MilestoneUpdate{Status: MilestoneDone, Note: ptrTo("Valmis"),
			TranslationInput: TranslationInput{Translations: Translations{"fi": {"note": "Valmis"}}}}, []string{"translations.fi"}},
		{"note's language unknown", MilestoneUpdate{Status: MilestoneDone, Note: ptrTo("Valmis"),
			TranslationInput: TranslationInput{Language: ptrTo("de")}}, []string{"language"}},
		{"long translation", MilestoneUpdate{Status: MilestoneDone, Note: ptrTo("Valmis"),
			TranslationInput: TranslationInput{Translations: Translations{"sv": {"note": strings.Repeat("x", MilestoneNoteMax+1)}}}}, []string{"translations.sv.note"}},
		{"a field a note has not", MilestoneUpdate{Status: MilestoneDone, Note: ptrTo("Valmis"),
			TranslationInput: TranslationInput{Translations: Translations{"sv": {"title": "Klart"}}}}, []string{"translations.sv.title"}},
		{"translation without a note", MilestoneUpdate{Status: MilestoneDone,
			TranslationInput: TranslationInput{Translations: Translations{"sv": {"note": "Klart"}}}}, []string{"note"}},
	} {
		checkFields(t, tc.name, tc.u.Validate(), tc.fields)
	}
}

func TestCompletionOf(t *testing.T) {
	ms := []Milestone{{Status: MilestoneDone}, {Status: MilestoneNotStarted}}
	if got := CompletionOf(ms); got != CompletionSubstantial {
		t.Errorf("CompletionOf = %s", got)
	}
	if got := CompletionOf(nil); got != CompletionNotStarted {
		t.Errorf("CompletionOf(nil) = %s", got)
	}
}

func TestRemovedMilestones(t *testing.T) {
	existing := []Milestone{{ID: 1}, {ID: 2}, {ID: 3}}
	for _, tc := range []struct {
		name   string
		ms     []MilestoneText
		gone   []int64
		fields []string
	}{
		{"all kept, one added", []MilestoneText{{ID: 3}, {ID: 1}, {ID: 2}, {Title: "new"}}, nil, nil},
		{"two left out", []MilestoneText{{ID: 2}, {Title: "new"}}, []int64{1, 3}, nil},
		{"none left", nil, []int64{1, 2, 3}, nil},
		{"another commitment's", []MilestoneText{{ID: 1}, {ID: 9}}, nil, []string{"milestones[1].id"}},
	} {
		gone, err := RemovedMilestones(existing, tc.ms)
		checkFields(t, tc.name, err, tc.fields)
		if !slices.Equal(gone, tc.gone) {
			t.Errorf("%s: gone %v, want %v", tc.name, gone, tc.gone)
		}
	}
}

func TestLateness(t *testing.T) {
	day := func(s string) *Date { d := Date(s); return &d }
	for _, tc := range []struct {
		name       string
		due        Date
		status     string
		reportedOn *Date
		asOf       Date
		want       string
	}{
		{"not due yet", "2018-12-31", MilestoneOnTrack, day("2018-08-14"), "2018-08-31", LatenessNone},
		{"due on the day itself", "2018-08-31", MilestoneNotStarted, nil, "2018-08-31", LatenessNone},
		{"done, however late", "2017-12-31", MilestoneDone, day("2018-08-14"), "2026-11-29", LatenessNone},
		{"on track said before the due date, passed since", "2018-12-31", MilestoneOnTrack, day("2018-08-14"), "2026-11-29", LatenessPassedSinceReport},
		{"reported on the due day, passed since", "2018-08-14", MilestoneOnTrack, day("2018-08-14"), "2018-08-15", LatenessPassedSinceReport},
		{"on track said after the due date", "2017-12-31", MilestoneOnTrack, day("2018-08-14"), "2018-08-31", LatenessPastDue},
		{"late, said after the due date", "2017-12-31", MilestoneLate, day("2018-08-14"), "2018-08-31", LatenessPastDue},
		{"never reported, past due", "2017-12-31", MilestoneNotStarted, nil, "2018-08-31", LatenessPastDue},
	} {
		if got := Lateness(tc.due, tc.status, tc.reportedOn, tc.asOf); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		m := Milestone{Due: tc.due, Status: tc.status, ReportedOn: tc.reportedOn}
		m.Judge(tc.asOf)
		if m.Lateness != tc.want || m.Overdue != (tc.want != LatenessNone) {
			t.Errorf("%s: judged %+v", tc.name, m)
		}
	}
}
