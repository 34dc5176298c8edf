package participation

import "testing"

// TestTextCountsVisibleCharacters checks FieldErrors.Text: the minimum
// counts what shows, so that a title of bidi controls and zero-width
// characters alone is no title; the maximum counts every character.
func TestTextCountsVisibleCharacters(t *testing.T) {
	cases := []struct {
		name     string
		value    string
		min, max int
		want     string // the rule broken, or "" for none
	}{
		{"plain", "Kirjasto", 3, 200, ""},
		{"empty", "", 1, 200, RuleRequired},
		{"spaces", "   \t\n", 1, 200, RuleRequired},
		{"bidi controls", "\u202a\u202b\u202c\u202d\u202e", 1, 200, RuleRequired},
		{"bidi isolates", "\u2066\u2067\u2068\u2069", 1, 200, RuleRequired},
		{"zero-width", "\u200b\u200c\u200d\u200e\u200f", 1, 200, RuleRequired},
		{"word joiner and BOM", "\u2060\ufeff", 1, 200, RuleRequired},
		{"mixed invisible", "\u202e \u200b\u2066\u2069\ufeff\u2060", 1, 200, RuleRequired},
		{"blank letters", "\u3164\u115f\u2800", 1, 200, RuleRequired},
		{"controls", "\x01\x02\x7f", 1, 200, RuleRequired},
		{"two visible among invisible", "\u202ea\u200bb\u2069", 3, 200, RuleMinLength},
		{"three visible among invisible", "\u202ea\u200bb\u2069c", 3, 200, ""},
		{"optional and invisible", "\u200b", 0, 200, ""},
		{"Finnish letters count once", "Ääö", 3, 200, ""},
		{"emoji", "🌲🌲🌲", 3, 200, ""},
		{"at the maximum", "aaaaa", 1, 5, ""},
		{"over the maximum", "aaaaaa", 1, 5, RuleMaxLength},
		{"invisible characters count to the maximum", "aaaa\u200b\u200b", 1, 5, RuleMaxLength},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := FieldErrors{}
			f.Text("title", c.value, c.min, c.max)
			if got := f["title"].Rule; got != c.want {
				t.Errorf("Text(%q, %d, %d): rule %q, want %q", c.value, c.min, c.max, got, c.want)
			}
		})
	}
}
