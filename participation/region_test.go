package participation

import (
	"slices"
	"testing"
)

// The 2025 classification: 19 regions, Åland included (codes 03 and 20
// are no longer in use), and how many municipalities each has.
var wantRegionSizes = map[string]int{
	"01": 26, "02": 27, "04": 16, "05": 11, "06": 23, "07": 10, "08": 6, "09": 9, "10": 11, "11": 19,
	"12": 13, "13": 22, "14": 17, "15": 15, "16": 8, "17": 30, "18": 8, "19": 21, "21": 16,
}

func TestRegionsEveryMunicipalityHasOne(t *testing.T) {
	regions := Regions()
	if len(regions) != 19 {
		t.Fatalf("got %d regions, want 19 (18 on the mainland and Åland)", len(regions))
	}
	for _, r := range regions {
		if r.Fi == "" || r.Sv == "" || r.En == "" {
			t.Errorf("region %s lacks a name: %+v", r.Code, r)
		}
	}
	sizes := map[string]int{}
	for _, m := range Municipalities() {
		r, ok := FindRegion(m.Region)
		if !ok {
			t.Errorf("%s %s: region %q is not a region", m.Code, m.Fi, m.Region)
			continue
		}
		sizes[r.Code]++
	}
	for code, want := range wantRegionSizes {
		if sizes[code] != want {
			r, _ := FindRegion(code)
			t.Errorf("region %s %s: %d municipalities, want %d", code, r.Fi, sizes[code], want)
		}
	}
	if len(sizes) != len(wantRegionSizes) {
		t.Errorf("municipalities fall in %d regions, want %d", len(sizes), len(wantRegionSizes))
	}
}

func TestRegionOf(t *testing.T) {
	for _, tc := range []struct{ municipality, region string }{
		{"Helsinki", "Uusimaa"}, {"Esbo", "Uusimaa"}, {"Vantaa", "Uusimaa"}, {"Grankulla", "Uusimaa"},
		{"Tampere", "Pirkanmaa"}, {"Kuhmoinen", "Pirkanmaa"}, {"Iitti", "Päijät-Häme"},
		{"Joroinen", "Pohjois-Savo"}, {"Heinävesi", "Pohjois-Karjala"}, {"Isokyrö", "Pohjanmaa"},
		{"Mariehamn", "Ahvenanmaa"}, {"Utsjoki", "Lappi"}, {"Mäntyharju", "Etelä-Savo"},
	} {
		r, ok := RegionOf(tc.municipality)
		if !ok || r.Fi != tc.region {
			t.Errorf("RegionOf(%q) = %q, %v; want %q", tc.municipality, r.Fi, ok, tc.region)
		}
	}
	if r, ok := RegionOf("Tukholma"); ok {
		t.Errorf("RegionOf(Tukholma) = %v, want none", r)
	}
	if r, _ := FindRegion("21"); r.Name("sv") != "Åland" || r.Name("en") != "Åland" || r.Name("fi") != "Ahvenanmaa" {
		t.Errorf("Åland's names: %+v", r)
	}
}

func TestCapitalRegion(t *testing.T) {
	var names []string
	for _, m := range CapitalRegion() {
		names = append(names, m.Fi)
		if m.Region != "01" {
			t.Errorf("%s is not in Uusimaa", m.Fi)
		}
	}
	if want := []string{"Helsinki", "Espoo", "Vantaa", "Kauniainen"}; !slices.Equal(names, want) {
		t.Errorf("capital region = %v, want %v", names, want)
	}
	for name, want := range map[string]bool{"helsingfors": true, "Kauniainen": true, "Kerava": false, "Tampere": false, "Oslo": false} {
		if got := InCapitalRegion(name); got != want {
			t.Errorf("InCapitalRegion(%q) = %v, want %v", name, got, want)
		}
	}
	if src, year := RegionSource(); year != 2025 || src == "" {
		t.Errorf("source %q, year %d", src, year)
	}
}
