package participation

import (
	"slices"
	"strings"
	"testing"
)

func TestNewJoinCode(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		code, err := NewJoinCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != JoinCodeLength || strings.ContainsAny(code, "OIL01") {
			t.Fatalf("bad code %q", code)
		}
		if got, ok := NormalizeJoinCode(code); !ok || got != code {
			t.Fatalf("NormalizeJoinCode(%q) = %q, %v", code, got, ok)
		}
		seen[code] = true
	}
	if len(seen) < 1990 {
		t.Fatalf("only %d different codes of 2000", len(seen))
	}
}

func TestNormalizeJoinCode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"ABC234", "ABC234", true},
		{"abc234", "ABC234", true},    // joining ignores case
		{" abc-234 ", "ABC234", true}, // spaces and hyphens people add
		{"ab c2 34", "ABC234", true},
		{"ABC23", "", false},   // too short
		{"ABC2345", "", false}, // too long
		{"ABO234", "", false},  // O is not used
		{"ABI234", "", false},  // nor I
		{"ABL234", "", false},  // nor L
		{"AB0234", "", false},  // nor 0
		{"AB1234", "", false},  // nor 1
		{"ÄBC234", "", false},  // letters outside A–Z
		{"", "", false},
	} {
		got, ok := NormalizeJoinCode(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("NormalizeJoinCode(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

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

func TestPollNextStatus(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		changed  bool
		code     string
	}{
		{PollDraft, PollOpen, true, ""},
		{PollOpen, PollOpen, false, ""},
		{PollOpen, PollClosed, true, ""},
		{PollClosed, PollClosed, false, ""},
		{PollClosed, PollOpen, false, ECONFLICT},
		{PollDraft, PollClosed, false, ECONFLICT},
	} {
		p := &Poll{Status: tc.from}
		changed, err := p.NextStatus(tc.to)
		if changed != tc.changed || ErrorCode(err) != tc.code {
			t.Errorf("%s → %s: %v, %v", tc.from, tc.to, changed, err)
		}
	}
	if (&Poll{Status: PollOpen}).CheckOpen() != nil || ErrorCode((&Poll{Status: PollDraft}).CheckOpen()) != ECLOSED ||
		ErrorCode((&Poll{Status: PollClosed}).CheckOpen()) != ECLOSED {
		t.Error("CheckOpen")
	}
}

func TestNewPollValidate(t *testing.T) {
	two := 2
	zero := 0
	five := 5
	round := int64(3)
	opts := func(labels ...string) []NewPollOption {
		var o []NewPollOption
		for _, l := range labels {
			o = append(o, NewPollOption{Label: l})
		}
		return o
	}
	for _, tc := range []struct {
		name  string
		n     NewPoll
		field string // "" for valid
	}{
		{"typed", NewPoll{Question: "Mikä on tärkeintä?", MaxChoices: &two, Options: opts("A", "B", "C")}, ""},
		{"themes", NewPoll{Question: "Q", MaxChoices: &two, OptionsFromIdeaRound: &round, Themes: []*Theme{{ID: 1}, {ID: 2}}}, ""},
		{"no question", NewPoll{Question: " ", MaxChoices: &two, Options: opts("A", "B")}, "question"},
		{"no options", NewPoll{Question: "Q", MaxChoices: &two}, "options"},
		{"one option", NewPoll{Question: "Q", MaxChoices: &two, Options: opts("A")}, "options"},
		{"empty label", NewPoll{Question: "Q", MaxChoices: &two, Options: opts("A", " ")}, "options"},
		{"duplicate label", NewPoll{Question: "Q", MaxChoices: &two, Options: opts("A", "a")}, "options"},
		{"both", NewPoll{Question: "Q", MaxChoices: &two, Options: opts("A", "B"), OptionsFromIdeaRound: &round}, "options"},
		{"round without themes", NewPoll{Question: "Q", MaxChoices: &two, OptionsFromIdeaRound: &round}, "options_from_idea_round"},
		{"no max", NewPoll{Question: "Q", Options: opts("A", "B")}, "max_choices"},
		{"zero max", NewPoll{Question: "Q", MaxChoices: &zero, Options: opts("A", "B")}, "max_choices"},
		{"max above options", NewPoll{Question: "Q", MaxChoices: &five, Options: opts("A", "B")}, "max_choices"},
		{"long question", NewPoll{Question: strings.Repeat("ä", QuestionMax+1), MaxChoices: &two, Options: opts("A", "B")}, "question"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.n.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID {
				t.Fatalf("err = %v", err)
			}
			if _, ok := e.Fields[tc.field]; !ok {
				t.Fatalf("fields %v, want %s", e.Fields, tc.field)
			}
		})
	}
}

func TestNewParticipantValidate(t *testing.T) {
	name := "  Aino  "
	m := "helsingfors"
	n := NewParticipant{Code: "abc-234", Name: &name, Municipality: &m}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	if n.Code != "ABC234" || *n.Name != "Aino" || *n.Municipality != "Helsinki" {
		t.Fatalf("%+v", n)
	}
	n = NewParticipant{Code: " "}
	if e, ok := n.Validate().(*Error); !ok || e.Fields["code"].Rule != RuleRequired {
		t.Fatalf("empty code: %v", e)
	}
	// A code that cannot be one is left for the store to not find.
	n = NewParticipant{Code: "OOOOOO"}
	if err := n.Validate(); err != nil || n.Code != "" {
		t.Fatalf("%v %q", err, n.Code)
	}
	long := strings.Repeat("x", NameMax+1)
	n = NewParticipant{Code: "ABC234", Name: &long}
	if e, ok := n.Validate().(*Error); !ok || e.Fields["name"].Rule != RuleMaxLength {
		t.Fatalf("long name: %v", e)
	}
}

func TestRanks(t *testing.T) {
	for _, tc := range []struct{ in, want []int }{
		{[]int{5, 3, 3, 1}, []int{1, 2, 2, 4}},
		{[]int{1, 3, 3, 5}, []int{4, 2, 2, 1}},
		{[]int{0, 0}, []int{1, 1}},
		{nil, []int{}},
	} {
		if got := Ranks(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Ranks(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestWorkshopStatus(t *testing.T) {
	for _, tc := range []struct {
		polls []string
		want  string
	}{
		{nil, StatusUpcoming},
		{[]string{PollDraft}, StatusUpcoming},
		{[]string{PollClosed, PollOpen}, StatusOpen},
		{[]string{PollClosed, PollDraft}, StatusClosed},
		{[]string{PollClosed}, StatusClosed},
	} {
		w := &Workshop{}
		for _, s := range tc.polls {
			w.Polls = append(w.Polls, &Poll{Status: s})
		}
		if got := w.Status(); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.polls, got, tc.want)
		}
	}
}
