package worddiff

import (
	"slices"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	eq := func(s string) Op { return Op{Equal, s} }
	ins := func(s string) Op { return Op{Insert, s} }
	del := func(s string) Op { return Op{Delete, s} }
	for _, tc := range []struct {
		a, b string
		want []Op
	}{
		{"", "", nil},
		{"sama teksti", "sama teksti", []Op{eq("sama teksti")}},
		{"", "uusi teksti", []Op{ins("uusi teksti")}},
		{"vanha teksti", "", []Op{del("vanha teksti")}},
		{"the cat sat", "the dog sat", []Op{eq("the "), del("cat "), ins("dog "), eq("sat")}},
		{"a b c d", "a c d e", []Op{eq("a "), del("b "), eq("c d "), ins("e")}},
		// Removed and added words of one stretch: the removals come first.
		{"yksi kaksi kolme", "yksi neljä viisi kolme", []Op{eq("yksi "), del("kaksi "), ins("neljä viisi "), eq("kolme")}},
		{"yksi kaksi kolme", "yksi neljä kolme", []Op{eq("yksi "), del("kaksi "), ins("neljä "), eq("kolme")}},
		// White space is no difference; the new text's is kept (a word's
		// white space goes with it).
		{"rivi yksi\nrivi kaksi", "rivi  yksi\n\nrivi kaksi", []Op{eq("rivi  yksi\n\nrivi kaksi")}},
		{"  alku", "  alku loppu", []Op{eq("  alku "), ins("loppu")}},
		// Repeated words: the longest common subsequence.
		{"a b a b", "b a b a", []Op{del("a "), eq("b a b "), ins("a")}},
		{"Lisätään lasten osallisuutta", "Lisätään lasten ja nuorten osallisuutta", []Op{eq("Lisätään lasten "), ins("ja nuorten "), eq("osallisuutta")}},
	} {
		got := Diff(tc.a, tc.b)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Diff(%q, %q)\n got %q\nwant %q", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestDiffRebuilds checks on longer texts that the equal and inserted
// runs make the new text and the equal and deleted words the old one.
func TestDiffRebuilds(t *testing.T) {
	a := strings.Repeat("Avoin hallinto lisää luottamusta. ", 300) + "Loppu."
	b := strings.Repeat("Avoin hallinto lisää luottamusta ja osallisuutta. ", 290) + "Uusi loppu."
	for _, pair := range [][2]string{{a, b}, {b, a}, {a, a + " Lisäys."}} {
		ops := Diff(pair[0], pair[1])
		var newText strings.Builder
		var oldWords []string
		for _, op := range ops {
			if op.Op != Delete {
				newText.WriteString(op.Text)
			}
			if op.Op != Insert {
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
