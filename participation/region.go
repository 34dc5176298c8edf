package participation

import (
	_ "embed"
	"encoding/json"
	"slices"
	"strings"
	"sync"
)

//go:embed regions.json
var regionsJSON []byte

// Region is one of Finland's regions (maakunta, landskap), Åland included,
// identified by Statistics Finland's two-digit code. Every Municipality
// names its region by that code.
type Region struct {
	Code string `json:"code"`
	Fi   string `json:"fi"`
	Sv   string `json:"sv"`
	En   string `json:"en"`
}

// Name returns the region's name in lang ("fi", "sv" or "en"; Finnish
// for anything else).
func (r Region) Name(lang string) string {
	switch strings.ToLower(strings.TrimSpace(lang)) {
	case "sv":
		return r.Sv
	case "en":
		return r.En
	}
	return r.Fi
}

// regionData is regions.json: the classification, where it comes from, and
// the capital region's municipalities by code.
type regionData struct {
	Source        string   `json:"source"`
	Year          int      `json:"year"`
	CapitalRegion []string `json:"capital_region"`
	Regions       []Region `json:"regions"`
}

var regionFile = sync.OnceValue(func() regionData {
	var d regionData
	if err := json.Unmarshal(regionsJSON, &d); err != nil {
		panic("participation: embedded regions.json: " + err.Error())
	}
	return d
})

// RegionSource names the classification the regions and the municipalities'
// regions follow, and its year.
func RegionSource() (source string, year int) {
	d := regionFile()
	return d.Source, d.Year
}

// Regions returns every region, sorted by code. The returned slice is a
// copy the caller may modify.
func Regions() []Region { return slices.Clone(regionFile().Regions) }

// FindRegion returns the region of code.
func FindRegion(code string) (Region, bool) {
	for _, r := range regionFile().Regions {
		if r.Code == code {
			return r, true
		}
	}
	return Region{}, false
}

// RegionOf returns the region of a municipality named in Finnish or
// Swedish; false for a name not on the list (a municipality abroad, or
// one written some other way).
func RegionOf(municipality string) (Region, bool) {
	m, ok := FindMunicipality(municipality)
	if !ok {
		return Region{}, false
	}
	return FindRegion(m.Region)
}

// CapitalRegion returns the municipalities of the capital region
// (pääkaupunkiseutu): Helsinki, Espoo, Vantaa and Kauniainen, in that
// order. It is the one definition every figure of reach "outside the
// capital region" uses.
func CapitalRegion() []Municipality {
	var out []Municipality
	for _, code := range regionFile().CapitalRegion {
		i := slices.IndexFunc(municipalities(), func(m Municipality) bool { return m.Code == code })
		out = append(out, municipalities()[i])
	}
	return out
}

// InCapitalRegion reports whether municipality (Finnish or Swedish name)
// is one of the capital region's.
func InCapitalRegion(municipality string) bool {
	m, ok := FindMunicipality(municipality)
	return ok && slices.Contains(regionFile().CapitalRegion, m.Code)
}
