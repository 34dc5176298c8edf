package participation

import "testing"

func TestValidBusinessID(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"0112038-9", true},  // remainder 2: 11 − 2
		{"1234567-1", true},  // remainder 10: 11 − 10
		{"0000000-0", true},  // remainder 0: 0
		{"0201256-6", true},  //
		{"0112038-8", false}, // wrong check digit
		{"0000006-0", false}, // remainder 1: no valid ID
		{"0000006-1", false},
		{"0000006-9", false},
		{"112038-9", false}, // six digits
		{"01120389", false}, // no hyphen
		{"0112038_9", false},
		{"01120a8-9", false},
		{"0112038-x", false},
		{"０112038-9", false}, // a full-width digit
		{"", false},
		{"0112038-9 ", false},
	} {
		if got := ValidBusinessID(tc.id); got != tc.want {
			t.Errorf("ValidBusinessID(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestNewOrganisationValidate(t *testing.T) {
	n := NewOrganisation{Name: "  Kuntaliitto ", BusinessID: ptrTo(" 0201256-6 ")}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	if n.Name != "Kuntaliitto" || *n.BusinessID != "0201256-6" || *n.Kind != OrganisationOther {
		t.Errorf("normalised %+v", n)
	}
	n = NewOrganisation{Name: "X", BusinessID: ptrTo(""), Kind: ptrTo(OrganisationMunicipality)}
	if err := n.Validate(); err != nil || n.BusinessID != nil {
		t.Errorf("empty business id: %v %v", err, n.BusinessID)
	}
	for _, bad := range []NewOrganisation{
		{Name: "\u200b"},
		{Name: "X", BusinessID: ptrTo("0201256-7")},
		{Name: "X", Kind: ptrTo("party")},
	} {
		if ErrorCode(bad.Validate()) != EINVALID {
			t.Errorf("%+v passed", bad)
		}
	}
}
