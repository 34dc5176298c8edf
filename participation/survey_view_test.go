package participation

import (
	"slices"
	"testing"
)

func TestVisibleMunicipalities(t *testing.T) {
	list := []MunicipalityCount{{"Espoo", 4}, {"Helsinki", FilterMunicipalityMin}, {"Tampere", 1}, {"Vantaa", 40}}
	official := &Account{Roles: []string{RoleCitizen, RoleOfficial}}
	citizen := &Account{Roles: []string{RoleCitizen}}
	for _, c := range []struct {
		name   string
		viewer *Account
		want   []MunicipalityCount
	}{
		{"official sees every one", official, list},
		{"citizen sees those with enough responses", citizen, []MunicipalityCount{{"Helsinki", FilterMunicipalityMin}, {"Vantaa", 40}}},
		{"signed out alike", nil, []MunicipalityCount{{"Helsinki", FilterMunicipalityMin}, {"Vantaa", 40}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := VisibleMunicipalities(list, c.viewer); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}
