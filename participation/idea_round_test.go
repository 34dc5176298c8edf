package participation

import (
	"errors"
	"testing"
	"time"
)

func TestIdeaRoundCheckContributor(t *testing.T) {
	opens := time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC)
	closes := opens.AddDate(0, 1, 0)
	during, after := opens.AddDate(0, 0, 7), closes.Add(time.Second)
	signedIn := &Account{ID: 1, Roles: []string{RoleCitizen}}
	open := &IdeaRound{OpensAt: opens, ClosesAt: closes, AllowAnonymous: true}
	signedOnly := &IdeaRound{OpensAt: opens, ClosesAt: closes}
	for _, tc := range []struct {
		name   string
		round  *IdeaRound
		author *Account
		now    time.Time
		code   string
	}{
		{"anonymous where allowed", open, nil, during, ""},
		{"signed in", signedOnly, signedIn, during, ""},
		{"anonymous where not allowed", signedOnly, nil, during, EUNAUTHENTICATED},
		{"before it opens", open, signedIn, opens.Add(-time.Second), ECLOSED},
		{"after it closed", open, signedIn, after, ECLOSED},
		{"closed comes before who asks", signedOnly, nil, after, ECLOSED},
	} {
		if got := ErrorCode(tc.round.CheckContributor(tc.author, tc.now)); got != tc.code {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.code)
		}
	}
}

func TestIdeaRoundPatchApply(t *testing.T) {
	opens := time.Date(2017, 3, 1, 8, 0, 0, 0, time.UTC)
	closes := time.Date(2017, 3, 15, 13, 0, 0, 0, time.UTC)
	round := &IdeaRound{Title: "Ideoita", Description: "Kerro.", OpensAt: opens, ClosesAt: closes,
		Translatable: Translatable{Language: "fi", Translations: Translations{"sv": {"title": "Idéer"}}}}
	later := closes.AddDate(0, 0, 16)
	before := opens.Add(-time.Hour)
	str := func(s string) *string { return &s }
	yes := true
	for _, tc := range []struct {
		name   string
		patch  IdeaRoundPatch
		fields []string // the fields refused, none when it applies
		check  func(n NewIdeaRound) bool
	}{
		{"nothing keeps everything", IdeaRoundPatch{}, nil, func(n NewIdeaRound) bool {
			return n.Title == "Ideoita" && n.OpensAt.Equal(opens) && n.ClosesAt.Equal(closes) && n.Texts.Translations.Get("sv", "title") == "Idéer"
		}},
		{"a later close", IdeaRoundPatch{ClosesAt: &later}, nil, func(n NewIdeaRound) bool { return n.ClosesAt.Equal(later) && n.OpensAt.Equal(opens) }},
		{"title trimmed, anonymity on", IdeaRoundPatch{Title: str("  Uusi  "), AllowAnonymous: &yes}, nil, func(n NewIdeaRound) bool { return n.Title == "Uusi" && n.AllowAnonymous }},
		{"translations replaced", IdeaRoundPatch{Translations: &Translations{"en": {"title": "Ideas"}}}, nil, func(n NewIdeaRound) bool {
			return n.Texts.Translations.Get("en", "title") == "Ideas" && n.Texts.Translations.Get("sv", "title") == ""
		}},
		{"closing before opening", IdeaRoundPatch{ClosesAt: &before}, []string{"closes_at"}, nil},
		{"opening after closing", IdeaRoundPatch{OpensAt: &later}, []string{"closes_at"}, nil},
		{"an empty title", IdeaRoundPatch{Title: str("\u200b ")}, []string{"title"}, nil},
		{"a language its translations are in", IdeaRoundPatch{Language: str("sv")}, []string{"translations.sv"}, nil},
		{"an unknown language", IdeaRoundPatch{Language: str("de")}, []string{"language"}, nil},
	} {
		n, err := tc.patch.Apply(round)
		if len(tc.fields) == 0 {
			if err != nil || !tc.check(n) {
				t.Errorf("%s: %+v, %v", tc.name, n, err)
			}
			continue
		}
		var de *Error
		if !errors.As(err, &de) || de.Code != EINVALID {
			t.Errorf("%s: %v, want invalid", tc.name, err)
			continue
		}
		for _, f := range tc.fields {
			if _, ok := de.Fields[f]; !ok {
				t.Errorf("%s: fields %v, want %s", tc.name, de.Fields, f)
			}
		}
	}
	if round.Title != "Ideoita" || round.Translations.Get("sv", "title") != "Idéer" {
		t.Errorf("Apply changed the round: %+v", round)
	}
}

func TestIdeaRoundWindowChangeTo(t *testing.T) {
	opens := time.Date(2017, 3, 1, 8, 0, 0, 0, time.UTC)
	closes := time.Date(2017, 3, 15, 13, 0, 0, 0, time.UTC)
	r := &IdeaRound{OpensAt: opens, ClosesAt: closes}
	same := closes.In(Helsinki) // the same instant in another zone is no change
	if w := r.WindowChangeTo(NewIdeaRound{OpensAt: &opens, ClosesAt: &same}); w != nil {
		t.Errorf("no change: %+v", w)
	}
	later := closes.AddDate(0, 0, 16)
	w := r.WindowChangeTo(NewIdeaRound{OpensAt: &opens, ClosesAt: &later})
	if w == nil || w.OpensChanged() || !w.ClosesChanged() || !w.ClosesAtBefore.Equal(closes) || !w.ClosesAt.Equal(later) {
		t.Errorf("a later close: %+v", w)
	}
}
