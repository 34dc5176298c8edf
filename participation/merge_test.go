package participation

import (
	"strings"
	"testing"
)

func TestMergeValidate(t *testing.T) {
	checkFields(t, "ok", (&Merge{IntoID: ptrTo(int64(2)), Note: "Yhdistetty"}).Validate(), nil)
	checkFields(t, "no target", (&Merge{}).Validate(), []string{"into_id"})
	a := &Commitment{ID: 1, Status: CommitmentDraft}
	b := &Commitment{ID: 2, Status: CommitmentApproved}
	merged := &Commitment{ID: 3, Status: CommitmentMerged}
	elsewhere := &Commitment{ID: 4, ProcessID: 2, Status: CommitmentDraft}
	for _, tc := range []struct {
		name     string
		from, to *Commitment
		code     string
	}{
		{"draft into approved", a, b, ""},
		{"into itself", a, a, ECONFLICT},
		{"into a merged one", a, merged, ECONFLICT},
		{"a merged one", merged, a, ECONFLICT},
		{"another process's", a, elsewhere, EINVALID},
		{"a merged one of another process", merged, elsewhere, ECONFLICT}, // the state first
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

func TestMergeVersionNote(t *testing.T) {
	from := &Commitment{ID: 7, CommitmentText: CommitmentText{Title: "Sopimusohjeet"}}
	if got := (&Merge{Note: "Päällekkäiset"}).VersionNote(from); got != "Päällekkäiset" {
		t.Errorf("given note: %q", got)
	}
	if got := (&Merge{}).VersionNote(from); got != "Merged #7 Sopimusohjeet" {
		t.Errorf("default note: %q", got)
	}
}

func TestMergeTextTranslations(t *testing.T) {
	into := CommitmentText{Title: "Julkisuusperiaate", Problem: "Yhtiöt.", Description: "", OtherActors: "VM",
		Translatable: Translatable{Language: "fi", Translations: Translations{
			"sv": {"title": "Offentlighetsprincipen", "problem": "Bolagen.", "other_actors": "FM"},
		}}}
	from := CommitmentText{Title: "Sopimusohjeet", Problem: "Sopimukset.", Description: "Ohjeet.", LeadAgency: "OM",
		Translatable: Translatable{Language: "fi", Translations: Translations{
			"sv": {"title": "Avtalsanvisningar", "problem": "Avtalen.", "description": "Anvisningar.", "lead_agency": "JM"},
			"en": {"title": "Contract guidelines", "problem": "Contracts."},
		}}}
	got := MergeText(into, from)
	for _, c := range []struct{ lang, field, want string }{
		// A translation of into gains from's part in that language, under from's title in it.
		{"sv", "problem", "Bolagen.\n\nAvtalsanvisningar:\nAvtalen."},
		// Into's description was empty: its translation is from's part.
		{"sv", "description", "Avtalsanvisningar:\nAnvisningar."},
		// Into has no English problem: English readers see the own text, which has from's part.
		{"en", "problem", ""},
		{"sv", "other_actors", "FM, JM"},
		{"en", "other_actors", ""},
		{"sv", "title", "Offentlighetsprincipen"},
	} {
		if g := got.Translations.Get(c.lang, c.field); g != c.want {
			t.Errorf("%s %s = %q, want %q", c.lang, c.field, g, c.want)
		}
	}
	if got.Problem != "Yhtiöt.\n\nSopimusohjeet:\nSopimukset." || got.OtherActors != "VM, OM" {
		t.Errorf("own text %q, actors %q", got.Problem, got.OtherActors)
	}
	if into.Translations.Get("sv", "problem") != "Bolagen." {
		t.Error("MergeText changed into's translations")
	}

	// From written in Swedish: its own text is the Swedish part, and the
	// Finnish text takes its Finnish translation where it has one.
	from = CommitmentText{Title: "Avtal", Problem: "Avtalen.", Translatable: Translatable{Language: "sv",
		Translations: Translations{"fi": {"title": "Sopimukset", "problem": "Sopimukset."}}}}
	got = MergeText(into, from)
	if got.Problem != "Yhtiöt.\n\nSopimukset:\nSopimukset." || got.Translations.Get("sv", "problem") != "Bolagen.\n\nAvtal:\nAvtalen." {
		t.Errorf("from in Swedish: %q, sv %q", got.Problem, got.Translations.Get("sv", "problem"))
	}
}
