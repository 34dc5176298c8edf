package participation

import (
	"testing"
)

func TestBallotValidate(t *testing.T) {
	poll := &Poll{ID: 1, MaxChoices: 3, Status: PollOpen, Options: []PollOption{{ID: 10}, {ID: 11}, {ID: 12}, {ID: 13}}}
	for _, tc := range []struct {
		name string
		ids  []int64
		rule string // "" for a valid ballot
	}{
		{"one", []int64{10}, ""},
		{"max", []int64{10, 11, 13}, ""},
		{"none", nil, RuleRequired},
		{"empty", []int64{}, RuleRequired},
		{"too many", []int64{10, 11, 12, 13}, RuleMaxChoices},
		{"duplicate", []int64{10, 10}, RuleDuplicate},
		{"foreign", []int64{10, 99}, RuleChoice},
		{"only foreign", []int64{7}, RuleChoice},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := Ballot{PollID: 1, OptionIDs: tc.ids}
			err := b.Validate(poll)
			if tc.rule == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID || e.Fields["option_ids"].Rule != tc.rule {
				t.Fatalf("err = %v, want %s on option_ids", err, tc.rule)
			}
		})
	}
}

func TestBallotContentErr(t *testing.T) {
	poll := &Poll{ID: 1, MaxChoices: 1, Status: PollOpen, Options: []PollOption{{ID: 10}}}
	unreadable := Errorf(EMALFORMED, "not JSON")
	b := Ballot{OptionIDs: []int64{10}, ContentErr: unreadable}
	if err := b.Validate(poll); err != unreadable {
		t.Errorf("Validate = %v, want the content's error", err)
	}
}
