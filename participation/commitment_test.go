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
		if got := Overdue(tc.due, tc.status, tc.now); got != tc.want {
			t.Errorf("%s: Overdue(%s, %s) = %v, want %v", tc.name, tc.due, tc.status, got, tc.want)
		}
	}
}

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

func ptrTo[T any](v T) *T { return &v }

func TestNewCommitmentValidate(t *testing.T) {
	long := strings.Repeat("ä", CommitmentTextMax+1)
	for _, tc := range []struct {
		name   string
		n      NewCommitment
		fields []string // the fields that fail; none for a valid one
	}{
		{"title only", NewCommitment{CommitmentText: CommitmentText{Title: "Avoin data"}}, nil},
		{"full", NewCommitment{
			CommitmentText: CommitmentText{Title: "Avoin data", Problem: "P", Description: "D", HowItAddresses: "H", Relevance: "R",
				LeadAgency: "VM", OtherActors: "OM", StartsOn: ptrTo(Date("2017-07-01")), EndsOn: ptrTo(Date("2019-06-30"))},
			SourceIdeaIDs: []int64{1, 2, 1}, Milestones: []MilestoneText{{Title: "Selvitys", Due: "2018-12-31", Responsible: "OM"}},
		}, nil},
		{"no title", NewCommitment{CommitmentText: CommitmentText{Title: "  "}}, []string{"title"}},
		{"title too long", NewCommitment{CommitmentText: CommitmentText{Title: strings.Repeat("x", CommitmentTitleMax+1)}}, []string{"title"}},
		{"title exactly at the limit in characters", NewCommitment{CommitmentText: CommitmentText{Title: strings.Repeat("ä", CommitmentTitleMax)}}, nil},
		{"text too long", NewCommitment{CommitmentText: CommitmentText{Title: "x", Problem: long}}, []string{"problem"}},
		{"bad dates", NewCommitment{CommitmentText: CommitmentText{Title: "x", StartsOn: ptrTo(Date("1.7.2017")), EndsOn: ptrTo(Date("2019-02-30"))}}, []string{"starts_on", "ends_on"}},
		{"ends before it starts", NewCommitment{CommitmentText: CommitmentText{Title: "x", StartsOn: ptrTo(Date("2019-07-01")), EndsOn: ptrTo(Date("2019-06-30"))}}, []string{"ends_on"}},
		{"empty dates are none", NewCommitment{CommitmentText: CommitmentText{Title: "x", StartsOn: ptrTo(Date("")), EndsOn: ptrTo(Date(" "))}}, nil},
		{"milestone without title and date", NewCommitment{CommitmentText: CommitmentText{Title: "x"},
			Milestones: []MilestoneText{{Title: "ok", Due: "2018-01-01"}, {Title: " ", Due: ""}}}, []string{"milestones[1].title", "milestones[1].due"}},
		{"milestone with a bad date", NewCommitment{CommitmentText: CommitmentText{Title: "x"},
			Milestones: []MilestoneText{{Title: "ok", Due: "2018-31-12"}}}, []string{"milestones[0].due"}},
		{"a new commitment's milestone has no id", NewCommitment{CommitmentText: CommitmentText{Title: "x"},
			Milestones: []MilestoneText{{ID: 5, Title: "ok", Due: "2018-01-01"}}}, []string{"milestones"}},
	} {
		err := tc.n.Validate()
		checkFields(t, tc.name, err, tc.fields)
	}
	n := NewCommitment{CommitmentText: CommitmentText{Title: " Avoin data "}, SourceIdeaIDs: []int64{3, 1, 3}}
	if err := n.Validate(); err != nil || n.Title != "Avoin data" || !slices.Equal(n.SourceIdeaIDs, []int64{3, 1}) || n.SourceThemeIDs == nil {
		t.Fatalf("normalised %+v %v", n, err)
	}
}

// checkFields fails unless err is EINVALID for exactly fields (or nil for none).
func checkFields(t *testing.T, name string, err error, fields []string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return
	}
	e, ok := err.(*Error)
	if !ok || e.Code != EINVALID {
		t.Errorf("%s: error %v, want invalid", name, err)
		return
	}
	var got []string
	for f := range e.Fields {
		got = append(got, f)
	}
	slices.Sort(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: fields %v, want %v", name, got, want)
	}
}

func TestCommitmentPatch(t *testing.T) {
	text := CommitmentText{Title: "Vanha", Problem: "Ongelma", StartsOn: ptrTo(Date("2017-07-01"))}
	for _, tc := range []struct {
		name   string
		p      CommitmentPatch
		fields []string
		check  func(CommitmentText) bool
	}{
		{"title", CommitmentPatch{Title: ptrTo("Uusi"), ChangeNote: "Lausuntojen pohjalta"}, nil,
			func(c CommitmentText) bool { return c.Title == "Uusi" && c.Problem == "Ongelma" }},
		{"clear a date", CommitmentPatch{StartsOn: ptrTo(Date(""))}, nil,
			func(c CommitmentText) bool { return c.StartsOn == nil }},
		{"empty title", CommitmentPatch{Title: ptrTo("")}, []string{"title"}, nil},
		{"long note", CommitmentPatch{ChangeNote: strings.Repeat("x", ChangeNoteMax+1)}, []string{"change_note"}, nil},
		{"bad milestone", CommitmentPatch{Milestones: &[]MilestoneText{{ID: 1, Title: "a", Due: "2018-01-01"}, {ID: 1, Title: "b", Due: "2018-01-01"}}}, []string{"milestones[1].id"}, nil},
	} {
		got := tc.p.Apply(text)
		err := tc.p.Validate(&got)
		checkFields(t, tc.name, err, tc.fields)
		if tc.check != nil && !tc.check(got) {
			t.Errorf("%s: text %+v", tc.name, got)
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
	} {
		checkFields(t, tc.name, tc.u.Validate(), tc.fields)
	}
}

func TestMergeValidate(t *testing.T) {
	checkFields(t, "ok", (&Merge{IntoID: ptrTo(int64(2)), Note: "Yhdistetty"}).Validate(), nil)
	checkFields(t, "no target", (&Merge{}).Validate(), []string{"into_id"})
	a := &Commitment{ID: 1, Status: CommitmentDraft}
	b := &Commitment{ID: 2, Status: CommitmentApproved}
	merged := &Commitment{ID: 3, Status: CommitmentMerged}
	for _, tc := range []struct {
		name     string
		from, to *Commitment
		code     string
	}{
		{"draft into approved", a, b, ""},
		{"into itself", a, a, ECONFLICT},
		{"into a merged one", a, merged, ECONFLICT},
		{"a merged one", merged, a, ECONFLICT},
	} {
		if got := ErrorCode(CheckMerge(tc.from, tc.to)); got != tc.code {
			t.Errorf("%s: code %q, want %q", tc.name, got, tc.code)
		}
	}
}

func TestMergeText(t *testing.T) {
	into := CommitmentText{Title: "Julkisuusperiaate", Problem: "Yhtiöt eivät ole julkisuuden piirissä.", LeadAgency: "OM",
		OtherActors: "VM", StartsOn: ptrTo(Date("2017-09-01")), EndsOn: ptrTo(Date("2019-06-30"))}
	from := CommitmentText{Title: "Sopimusohjeet", Problem: "Sopimuksissa ei huomioida avoimuutta.", Description: "Ohjeistus.",
		LeadAgency: "VM", OtherActors: "Kuntaliitto; om", StartsOn: ptrTo(Date("2017-07-01")), EndsOn: ptrTo(Date("2018-12-31"))}
	got := MergeText(into, from)
	want := CommitmentText{
		Title:       "Julkisuusperiaate",
		Problem:     "Yhtiöt eivät ole julkisuuden piirissä.\n\nSopimusohjeet:\nSopimuksissa ei huomioida avoimuutta.",
		Description: "Sopimusohjeet:\nOhjeistus.",
		LeadAgency:  "OM",
		OtherActors: "VM, Kuntaliitto", // VM and OM are there already
		StartsOn:    ptrTo(Date("2017-07-01")),
		EndsOn:      ptrTo(Date("2019-06-30")),
	}
	if got.Title != want.Title || got.Problem != want.Problem || got.Description != want.Description || got.HowItAddresses != "" ||
		got.LeadAgency != want.LeadAgency || got.OtherActors != want.OtherActors || *got.StartsOn != *want.StartsOn || *got.EndsOn != *want.EndsOn {
		t.Fatalf("MergeText:\n got %+v\nwant %+v", got, want)
	}
	// Nothing of from is lost.
	for _, name := range []string{FieldProblem, FieldDescription} {
		if !strings.Contains(got.Field(name), from.Field(name)) {
			t.Errorf("%s lost", name)
		}
	}
}

func TestDiffWords(t *testing.T) {
	eq := func(s string) DiffOp { return DiffOp{DiffEqual, s} }
	ins := func(s string) DiffOp { return DiffOp{DiffInsert, s} }
	del := func(s string) DiffOp { return DiffOp{DiffDelete, s} }
	for _, tc := range []struct {
		a, b string
		want []DiffOp
	}{
		{"", "", nil},
		{"sama teksti", "sama teksti", []DiffOp{eq("sama teksti")}},
		{"", "uusi teksti", []DiffOp{ins("uusi teksti")}},
		{"vanha teksti", "", []DiffOp{del("vanha teksti")}},
		{"the cat sat", "the dog sat", []DiffOp{eq("the "), del("cat "), ins("dog "), eq("sat")}},
		{"a b c d", "a c d e", []DiffOp{eq("a "), del("b "), eq("c d "), ins("e")}},
		// Removed and added words of one stretch: the removals come first.
		{"yksi kaksi kolme", "yksi neljä viisi kolme", []DiffOp{eq("yksi "), del("kaksi "), ins("neljä viisi "), eq("kolme")}},
		{"yksi kaksi kolme", "yksi neljä kolme", []DiffOp{eq("yksi "), del("kaksi "), ins("neljä "), eq("kolme")}},
		// White space is no difference; the new text's is kept (a word's
		// white space goes with it).
		{"rivi yksi\nrivi kaksi", "rivi  yksi\n\nrivi kaksi", []DiffOp{eq("rivi  yksi\n\nrivi kaksi")}},
		{"  alku", "  alku loppu", []DiffOp{eq("  alku "), ins("loppu")}},
		// Repeated words: the longest common subsequence.
		{"a b a b", "b a b a", []DiffOp{del("a "), eq("b a b "), ins("a")}},
		{"Lisätään lasten osallisuutta", "Lisätään lasten ja nuorten osallisuutta", []DiffOp{eq("Lisätään lasten "), ins("ja nuorten "), eq("osallisuutta")}},
	} {
		got := DiffWords(tc.a, tc.b)
		if !slices.Equal(got, tc.want) {
			t.Errorf("DiffWords(%q, %q)\n got %q\nwant %q", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestDiffWordsRebuilds checks on longer texts that the equal and inserted
// runs make the new text and the equal and deleted words the old one.
func TestDiffWordsRebuilds(t *testing.T) {
	a := strings.Repeat("Avoin hallinto lisää luottamusta. ", 300) + "Loppu."
	b := strings.Repeat("Avoin hallinto lisää luottamusta ja osallisuutta. ", 290) + "Uusi loppu."
	for _, pair := range [][2]string{{a, b}, {b, a}, {a, a + " Lisäys."}} {
		ops := DiffWords(pair[0], pair[1])
		var newText strings.Builder
		var oldWords []string
		for _, op := range ops {
			if op.Op != DiffDelete {
				newText.WriteString(op.Text)
			}
			if op.Op != DiffInsert {
				oldWords = append(oldWords, strings.Fields(op.Text)...)
			}
		}
		if newText.String() != pair[1] {
			t.Fatalf("the new text is not rebuilt")
		}
		if !slices.Equal(oldWords, strings.Fields(pair[0])) {
			t.Fatalf("the old words are not rebuilt")
		}
	}
}

func TestChangedFieldsAndCompare(t *testing.T) {
	before := CommitmentSnapshot{CommitmentText: CommitmentText{Title: "A", Problem: "P"},
		Milestones: []MilestoneText{{Title: "M", Due: "2018-01-01"}}, Sources: Sources{Ideas: []SourceRef{{1, "I"}}}}
	after := before
	after.Problem = "P2"
	after.Milestones = []MilestoneText{{Title: "M", Due: "2018-02-01"}}
	after.Sources = Sources{Ideas: []SourceRef{{1, "I renamed"}}} // the same source
	if got := ChangedFields(&before, &after); !slices.Equal(got, []string{FieldProblem, FieldMilestones}) {
		t.Fatalf("changed %v", got)
	}
	after.Sources.Themes = []SourceRef{{7, "T"}}
	if got := ChangedFields(&before, &after); !slices.Equal(got, []string{FieldProblem, FieldMilestones, FieldSources}) {
		t.Fatalf("changed %v", got)
	}
	diffs := CompareSnapshots(&before, &after)
	if len(diffs) != len(VersionedFields) {
		t.Fatalf("%d diffs", len(diffs))
	}
	for _, d := range diffs {
		wantChanged := d.Field == FieldProblem || d.Field == FieldMilestones || d.Field == FieldSources
		if d.Changed != wantChanged {
			t.Errorf("%s changed = %v", d.Field, d.Changed)
		}
	}
	if got := after.Text(FieldMilestones); got != "M, 2018-02-01" {
		t.Errorf("milestones text %q", got)
	}
}

func TestCommitmentFilterValidate(t *testing.T) {
	for status, ok := range map[string]bool{"": true, "draft": true, "approved": true, "merged": true, "deleted": false} {
		f := CommitmentFilter{Status: status}
		if err := f.Validate(); (err == nil) != ok {
			t.Errorf("status %q: %v", status, err)
		}
	}
}

func TestImplementationReport(t *testing.T) {
	now := time.Date(2018, 8, 31, 12, 0, 0, 0, time.UTC)
	cs := []*Commitment{
		{ID: 1, Completion: CompletionSubstantial, Milestones: []Milestone{{Status: MilestoneDone}, {Status: MilestoneOnTrack, Overdue: true}}},
		{ID: 2, Completion: CompletionNotStarted, Milestones: []Milestone{{Status: MilestoneNotStarted}, {Status: MilestoneLate}}},
		{ID: 3, Completion: CompletionNotStarted},
	}
	r := NewImplementationReport(9, cs, now)
	if r.Totals != (MilestoneTotals{Done: 1, OnTrack: 1, Late: 1, NotStarted: 1}) || r.Totals.Sum() != 4 || r.Overdue != 1 ||
		r.Completion != (CompletionTotals{NotStarted: 2, Substantial: 1}) {
		t.Fatalf("report %+v", r)
	}
	if r := NewImplementationReport(9, nil, now); r.Commitments == nil {
		t.Fatal("nil list")
	}
}
