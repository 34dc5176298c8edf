package participation

import (
	"slices"
	"strings"
	"testing"
)

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

func TestChangedFieldsAndCompare(t *testing.T) {
	before := CommitmentSnapshot{CommitmentText: CommitmentText{Title: "A", Problem: "P"},
		Milestones: []MilestoneText{{Title: "M", Due: "2018-01-01"}}, Sources: Sources{Ideas: []SourceRef{{ID: 1, Title: "I"}}}}
	after := before
	after.Problem = "P2"
	after.Milestones = []MilestoneText{{Title: "M", Due: "2018-02-01"}}
	after.Sources = Sources{Ideas: []SourceRef{{ID: 1, Title: "I renamed"}}} // the same source
	if got := ChangedFields(&before, &after); !slices.Equal(got, []string{FieldProblem, FieldMilestones}) {
		t.Fatalf("changed %v", got)
	}
	after.Sources.Themes = []SourceRef{{ID: 7, Title: "T"}}
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

func TestCommitmentStateChecks(t *testing.T) {
	for _, tc := range []struct {
		status            string
		editable, approve string // the error codes, "" for none
	}{
		{CommitmentDraft, "", ""},
		{CommitmentApproved, "", ECONFLICT},
		{CommitmentMerged, ECONFLICT, ECONFLICT},
	} {
		c := &Commitment{Status: tc.status}
		if got := ErrorCode(c.CheckEditable()); got != tc.editable {
			t.Errorf("%s: CheckEditable %q, want %q", tc.status, got, tc.editable)
		}
		if got := ErrorCode(c.CheckApprovable()); got != tc.approve {
			t.Errorf("%s: CheckApprovable %q, want %q", tc.status, got, tc.approve)
		}
	}
}

func TestTranslationsVersioned(t *testing.T) {
	before := CommitmentSnapshot{CommitmentText: CommitmentText{Title: "A", Translatable: Translatable{Language: "fi"}},
		Milestones: []MilestoneText{{Title: "M", Due: "2018-01-01"}}}
	after := before
	after.Translations = Translations{"sv": {"title": "Ä"}}
	if got := ChangedFields(&before, &after); !slices.Equal(got, []string{FieldTranslations}) {
		t.Fatalf("a new translation changes %v", got)
	}
	if got := after.Text(FieldTranslations); got != "sv title: Ä" {
		t.Errorf("translations as text: %q", got)
	}
	after = before
	after.Milestones = []MilestoneText{{Title: "M", Due: "2018-01-01", TranslationInput: TranslationInput{Translations: Translations{"en": {"title": "Mile"}}}}}
	if got := ChangedFields(&before, &after); !slices.Equal(got, []string{FieldTranslations}) {
		t.Fatalf("a milestone's translation changes %v", got)
	}
	if got := after.Text(FieldTranslations); got != "en milestone 1 title: Mile" {
		t.Errorf("milestone translations as text: %q", got)
	}
	after = before
	after.Language = "sv"
	if got := ChangedFields(&before, &after); !slices.Equal(got, []string{FieldTranslations}) {
		t.Fatalf("a new language changes %v", got)
	}
	old := CommitmentSnapshot{CommitmentText: CommitmentText{Title: "A"}, Milestones: before.Milestones}
	if got := ChangedFields(&old, &before); len(got) != 0 {
		t.Errorf("a version from before languages is Finnish: %v", got)
	}
}

func TestCommitmentTranslationsValidate(t *testing.T) {
	sv, de := "sv", "de"
	n := NewCommitment{CommitmentText: CommitmentText{Title: "Avoin data"},
		TranslationInput: TranslationInput{Translations: Translations{"sv": {"title": " Öppna data ", "problem": "P"}}},
		Milestones:       []MilestoneText{{Title: "Selvitys", Due: "2018-12-31", TranslationInput: TranslationInput{Translations: Translations{"en": {"title": "Study"}}}}}}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	if n.CommitmentText.Language != "fi" || n.CommitmentText.Translations.Get("sv", "title") != "Öppna data" ||
		*n.Milestones[0].Language != "fi" || n.Milestones[0].Translations.Get("en", "title") != "Study" {
		t.Errorf("normalised %+v %+v", n.CommitmentText.Translatable, n.Milestones[0].TranslationInput)
	}
	for _, tc := range []struct {
		name   string
		n      NewCommitment
		fields []string
	}{
		{"unknown language", NewCommitment{CommitmentText: CommitmentText{Title: "x"}, TranslationInput: TranslationInput{Language: &de}}, []string{"language"}},
		{"unknown field", NewCommitment{CommitmentText: CommitmentText{Title: "x"}, TranslationInput: TranslationInput{Translations: Translations{"en": {"starts_on": "x"}}}}, []string{"translations.en.starts_on"}},
		{"into the own language", NewCommitment{CommitmentText: CommitmentText{Title: "x"}, TranslationInput: TranslationInput{Language: &sv, Translations: Translations{"sv": {"title": "x"}}}}, []string{"translations.sv"}},
		{"milestone in the commitment's language", NewCommitment{CommitmentText: CommitmentText{Title: "x"}, TranslationInput: TranslationInput{Language: &sv},
			Milestones: []MilestoneText{{Title: "m", Due: "2018-01-01", TranslationInput: TranslationInput{Translations: Translations{"sv": {"title": "m"}}}}}}, []string{"milestones[0].translations.sv"}},
		{"milestone's unknown field", NewCommitment{CommitmentText: CommitmentText{Title: "x"},
			Milestones: []MilestoneText{{Title: "m", Due: "2018-01-01", TranslationInput: TranslationInput{Translations: Translations{"en": {"due": "x"}}}}}}, []string{"milestones[0].translations.en.due"}},
	} {
		checkFields(t, tc.name, tc.n.Validate(), tc.fields)
	}

	// A patch replaces the translations, and checks those it keeps against a new language.
	text := CommitmentText{Title: "Vanha", Translatable: Translatable{Language: "fi", Translations: Translations{"sv": {"title": "Gammal"}}}}
	p := CommitmentPatch{TranslationInput: TranslationInput{Translations: Translations{"en": {"title": "Old"}}}}
	got := p.Apply(text)
	if err := p.Validate(&got); err != nil || got.Translations.Get("sv", "title") != "" || got.Translations.Get("en", "title") != "Old" {
		t.Errorf("replaced %v %v", got.Translations, err)
	}
	p = CommitmentPatch{TranslationInput: TranslationInput{Language: &sv}}
	got = p.Apply(text)
	checkFields(t, "a new language that a kept translation is in", p.Validate(&got), []string{"translations.sv"})
}
