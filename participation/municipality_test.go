package participation

import (
	"sort"
	"strings"
	"testing"
)

// 2025: 308 municipalities, 16 of them in Åland (Pertunmaa joined
// Mäntyharju on 1 January 2025).
const wantMunicipalities = 308

func TestMunicipalitiesCount(t *testing.T) {
	ms := Municipalities()
	if len(ms) != wantMunicipalities {
		t.Fatalf("got %d municipalities, want %d", len(ms), wantMunicipalities)
	}
	if !sort.SliceIsSorted(ms, func(i, j int) bool { return ms[i].Code < ms[j].Code }) {
		t.Error("municipalities are not sorted by code")
	}
}

func TestMunicipalitiesUniqueCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range Municipalities() {
		if len(m.Code) != 3 || strings.Trim(m.Code, "0123456789") != "" {
			t.Errorf("%q: code %q is not three digits", m.Fi, m.Code)
		}
		if m.Fi == "" || m.Sv == "" {
			t.Errorf("%s: empty name %+v", m.Code, m)
		}
		if seen[m.Code] {
			t.Errorf("duplicate code %s", m.Code)
		}
		seen[m.Code] = true
	}
}

func TestMunicipalitiesUniqueNames(t *testing.T) {
	owner := map[string]string{}
	for _, m := range Municipalities() {
		for _, n := range []string{m.Fi, m.Sv} {
			k := strings.ToLower(n)
			if c, ok := owner[k]; ok && c != m.Code {
				t.Errorf("name %q belongs to both %s and %s", n, c, m.Code)
			}
			owner[k] = m.Code
		}
	}
}

func TestMunicipalitiesKnown(t *testing.T) {
	byCode := map[string]Municipality{}
	for _, m := range Municipalities() {
		byCode[m.Code] = m
	}
	for _, want := range []Municipality{
		{Code: "091", Fi: "Helsinki", Sv: "Helsingfors", Region: "01"},
		{Code: "478", Fi: "Maarianhamina", Sv: "Mariehamn", Region: "21"},
	} {
		if got := byCode[want.Code]; got != want {
			t.Errorf("code %s: got %+v, want %+v", want.Code, got, want)
		}
	}
	for _, gone := range []string{"588", "099", "911"} { // Pertunmaa, Honkajoki, Valtimo
		if m, ok := byCode[gone]; ok {
			t.Errorf("merged municipality present: %+v", m)
		}
	}
	h := byCode["091"]
	if h.Name("sv") != "Helsingfors" || h.Name("fi") != "Helsinki" || h.Name("en") != "Helsinki" {
		t.Errorf("Name: sv=%q fi=%q en=%q", h.Name("sv"), h.Name("fi"), h.Name("en"))
	}
}

func TestValidMunicipality(t *testing.T) {
	for name, want := range map[string]bool{
		"helsingfors":     true,
		"Helsinki":        true,
		"  MARIEHAMN ":    true,
		"maarianhamina":   true,
		"ÅBO":             true,
		"Atlantis":        false,
		"":                false,
		"Pertunmaa":       false,
		"Helsinki Espoo":  false,
		"Mänttä-Vilppula": true,
	} {
		if got := ValidMunicipality(name); got != want {
			t.Errorf("ValidMunicipality(%q) = %v, want %v", name, got, want)
		}
	}
}
