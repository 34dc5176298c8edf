package participation

import (
	"testing"
	"time"
)

// TestNewReach: a person counts once in all and once per channel and step;
// one who named several municipalities counts in the latest; the months
// run from the first contribution to the last, empty ones included.
func TestNewReach(t *testing.T) {
	at := func(month, day int) time.Time { return time.Date(2017, time.Month(month), day, 12, 0, 0, 0, Helsinki) }
	place := func(s string) *string { return &s }
	steps := []Step{{Kind: "idea_round", ID: 1, Title: "Ideat"}, {Kind: "survey", ID: 2, Title: "Kysely"}, {Kind: "workshop", ID: 3, Title: "Työpaja"}}
	r := NewReach(steps, []Contribution{
		{Kind: "idea", StepKind: "idea_round", StepID: 1, Who: "a:1", Municipality: place("Espoo"), At: at(1, 5)},
		{Kind: "idea", StepKind: "idea_round", StepID: 1, Who: "a:1", Municipality: place("Kuopio"), At: at(1, 9)},
		{Kind: "comment", StepKind: "idea_round", StepID: 1, Who: "a:1", At: at(1, 10)},
		{Kind: "ballot", StepKind: "workshop", StepID: 3, Who: "p:7", At: at(1, 10)}, // counted as its participant
		{Kind: "survey_response", StepKind: "survey", StepID: 2, Who: "respondent:2", Municipality: place("Esbo"), At: at(3, 1)},
		{Kind: "survey_response", StepKind: "survey", StepID: 2, Who: "a:1", At: at(3, 2)},
	})
	if r.Participants != 2 {
		t.Errorf("participants %d, want 2", r.Participants)
	}
	if c := r.Channels[0]; c.Channel != ChannelIdeas || c.Participants != 1 || c.Contributions != 2 {
		t.Errorf("ideas %+v", c)
	}
	if r.Steps[0].Participants != 1 || r.Steps[1].Participants != 2 || r.Steps[2].Participants != 0 {
		t.Errorf("steps %+v", r.Steps)
	}
	if r.SaidMunicipality != 2 || r.OutsideCapitalRegion != 1 || r.OutsideCapitalRegionShare == nil || *r.OutsideCapitalRegionShare != 0.5 {
		t.Errorf("said %d, outside %d, share %v", r.SaidMunicipality, r.OutsideCapitalRegion, r.OutsideCapitalRegionShare)
	}
	if len(r.Municipalities) != 2 || r.Municipalities[0].Fi != "Espoo" || r.Municipalities[1].Fi != "Kuopio" {
		t.Errorf("municipalities %+v", r.Municipalities)
	}
	want := []MonthReach{{"2017-01", 1, 1}, {"2017-02", 0, 0}, {"2017-03", 2, 1}}
	if len(r.Months) != len(want) {
		t.Fatalf("months %+v", r.Months)
	}
	for i := range want {
		if r.Months[i] != want[i] {
			t.Errorf("month %d: %+v, want %+v", i, r.Months[i], want[i])
		}
	}
	if empty := NewReach(nil, nil); empty.Participants != 0 || empty.OutsideCapitalRegionShare != nil || len(empty.Regions) != 19 || len(empty.Months) != 0 {
		t.Errorf("empty %+v", empty)
	}
}
