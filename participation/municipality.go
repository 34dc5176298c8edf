package participation

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
)

//go:embed municipalities.json
var municipalitiesJSON []byte

// Municipality is one of Finland's municipalities as of 2025, identified by
// Statistics Finland's three-digit municipality code. Fi is the Finnish name
// (for Åland municipalities without a Finnish name, the Swedish one) and Sv is
// the official Swedish name, equal to Fi where the municipality has none.
// Region is the code of its region (maakunta, region.go).
type Municipality struct {
	Code   string `json:"code"`
	Fi     string `json:"fi"`
	Sv     string `json:"sv"`
	Region string `json:"region"`
}

// Name returns the municipality's name in lang: the Swedish name for "sv"
// (or a regional tag such as "sv-FI"), otherwise the Finnish name, which is
// also the one used in English.
func (m Municipality) Name(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	if l == "sv" || strings.HasPrefix(l, "sv-") || strings.HasPrefix(l, "sv_") {
		return m.Sv
	}
	return m.Fi
}

var municipalities = sync.OnceValue(func() []Municipality {
	var ms []Municipality
	if err := json.Unmarshal(municipalitiesJSON, &ms); err != nil {
		panic("participation: embedded municipalities.json: " + err.Error())
	}
	return ms
})

var municipalityNames = sync.OnceValue(func() map[string]Municipality {
	idx := make(map[string]Municipality, 2*len(municipalities()))
	for _, m := range municipalities() {
		idx[strings.ToLower(m.Fi)] = m
		idx[strings.ToLower(m.Sv)] = m
	}
	return idx
})

// Municipalities returns every municipality of Finland, sorted by code. The
// embedded list is parsed once; the returned slice is a copy the caller may
// modify.
func Municipalities() []Municipality {
	ms := municipalities()
	out := make([]Municipality, len(ms))
	copy(out, ms)
	return out
}

// FindMunicipality returns the municipality whose Finnish or Swedish name is
// name, compared case-insensitively.
func FindMunicipality(name string) (Municipality, bool) {
	m, ok := municipalityNames()[strings.ToLower(strings.TrimSpace(name))]
	return m, ok
}

// normalizeMunicipality checks an optional municipality and writes a known
// one in its Finnish form, so that counts of municipalities do not split
// "Helsingfors" from "helsinki". Names not on the list are kept as written
// (a new municipality, or one abroad), within the length limit.
func normalizeMunicipality(f FieldErrors, field string, m *string) *string {
	m = trimOptional(m)
	if m == nil {
		return nil
	}
	if known, ok := FindMunicipality(*m); ok {
		return &known.Fi
	}
	f.Text(field, *m, 1, NameMax)
	return m
}

// listedMunicipality checks an optional municipality against the list and
// writes it in its Finnish form; a name not on the list is RuleChoice.
func listedMunicipality(f FieldErrors, field string, m *string) *string {
	m = trimOptional(m)
	if m == nil {
		return nil
	}
	known, ok := FindMunicipality(*m)
	if !ok {
		f.Add(field, RuleChoice, 0)
		return m
	}
	return &known.Fi
}

// ValidMunicipality reports whether name, trimmed of surrounding space, is
// the Finnish or Swedish name of a municipality, compared case-insensitively.
func ValidMunicipality(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return false
	}
	_, ok := municipalityNames()[n]
	return ok
}
