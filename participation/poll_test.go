package participation

import (
	"reflect"
	"strings"
	"testing"
)

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

func TestPollChangeEncoding(t *testing.T) {
	for _, c := range []PollChange{{WorkshopID: 1, PollID: 2}, {WorkshopID: 7}, {WorkshopID: 1 << 40, PollID: 1<<63 - 1}, {WorkshopID: 5, Joined: true}} {
		s := c.Encode()
		got, err := ParsePollChange(s)
		if err != nil || got != c {
			t.Errorf("%+v: encoded %q, parsed %+v, %v", c, s, got, err)
		}
	}
	if got := (PollChange{WorkshopID: 3, PollID: 14}).Encode(); got != "3:14" {
		t.Errorf("Encode = %q", got)
	}
	if got := (PollChange{WorkshopID: 3, Joined: true}).Encode(); got != "3:joined" {
		t.Errorf("Encode = %q", got)
	}
	for _, s := range []string{"x", "", "3", "3:", ":14", "0:14", "3:-1", "a:1", "3:14:15", " 3:14", "0:joined", ":joined", "3:joined:1", "3:Joined"} {
		if c, err := ParsePollChange(s); err == nil {
			t.Errorf("ParsePollChange(%q) = %+v", s, c)
		}
	}
}

func TestNewPollTranslations(t *testing.T) {
	two, sv := 2, "sv"
	n := NewPoll{Question: "Vad är viktigast?", MaxChoices: &two, TranslationInput: TranslationInput{Language: &sv,
		Translations: Translations{"fi": {"question": "Mikä on tärkeintä?"}}},
		Options: []NewPollOption{{Label: "Ja", Translations: Translations{"fi": {"label": "Kyllä"}}}, {Label: "Nej"}}}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	opts := n.NewOptions()
	if n.Texts.Language != "sv" || opts[0].Language != "sv" || opts[0].Translations.Get("fi", "label") != "Kyllä" || opts[1].Translations != nil {
		t.Errorf("typed options are in the poll's language: %+v %+v", n.Texts, opts)
	}
	n.Options[1].Translations = Translations{"sv": {"label": "x"}, "en": {"question": "x"}}
	checkFields(t, "option translations", n.Validate(), []string{"options[1].translations.sv", "options[1].translations.en.question"})

	round := int64(1)
	n = NewPoll{Question: "Q", MaxChoices: &two, OptionsFromIdeaRound: &round, Themes: []*Theme{
		{ID: 1, Title: "Avoimuus", Translatable: Translatable{Language: "fi", Translations: Translations{"sv": {"title": "Öppenhet", "description": "D"}}}},
		{ID: 2, Title: "Openness", Translatable: Translatable{Language: "en"}},
	}}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	opts = n.NewOptions()
	if opts[0].Label != "Avoimuus" || *opts[0].ThemeID != 1 || opts[0].Translations.Get("sv", "label") != "Öppenhet" ||
		opts[0].Translations.Get("sv", "description") != "" || opts[1].Language != "en" {
		t.Errorf("theme options take the themes' titles and translations: %+v", opts)
	}
}

// TestPollPatchApply: a draft poll changes with the rules of a new poll;
// kept options keep their ids and themes.
func TestPollPatchApply(t *testing.T) {
	theme := int64(7)
	base := func() *Poll {
		return &Poll{ID: 1, Question: "Mitkä ensin?", MaxChoices: 2, Status: PollDraft, Translatable: Translatable{Language: "fi"},
			Options: []PollOption{{ID: 10, Label: "Avoimuus", ThemeID: &theme, Translatable: Translatable{Language: "fi"}},
				{ID: 11, Label: "Selkeä kieli", Translatable: Translatable{Language: "fi"}}, {ID: 12, Label: "Osallisuus", Translatable: Translatable{Language: "fi"}}}}
	}
	id := func(n int64) *int64 { return &n }
	t.Run("the question and options change; kept ones keep id and theme", func(t *testing.T) {
		p := base()
		q, three := "  Mitkä ovat tärkeimmät?  ", 3
		u := PollPatch{Question: &q, MaxChoices: &three, Options: &[]PollOptionPatch{
			{ID: id(12), Label: "Osallisuus ja vaikuttaminen", Translations: Translations{"sv": {"label": "Delaktighet"}}},
			{ID: id(10), Label: "Avoimuus"}, {Label: "Uusi"}}}
		if err := u.Apply(p); err != nil {
			t.Fatal(err)
		}
		if p.Question != "Mitkä ovat tärkeimmät?" || p.MaxChoices != 3 || len(p.Options) != 3 ||
			p.Options[0].ID != 12 || p.Options[0].Label != "Osallisuus ja vaikuttaminen" || p.Options[0].Translations.Get("sv", "label") != "Delaktighet" ||
			p.Options[1].ID != 10 || p.Options[1].ThemeID == nil || p.Options[2].ID != 0 || p.Options[2].Language != "fi" {
			t.Errorf("applied: %+v", p)
		}
	})
	t.Run("nothing given, nothing changes", func(t *testing.T) {
		p := base()
		if err := (&PollPatch{}).Apply(p); err != nil || !reflect.DeepEqual(p, base()) {
			t.Errorf("%v %+v", err, p)
		}
	})
	for _, tc := range []struct {
		name  string
		u     PollPatch
		field string
		rule  string
	}{
		{"an empty question", PollPatch{Question: ptrTo(" ")}, "question", RuleRequired},
		{"more choices than options", PollPatch{MaxChoices: ptrTo(4)}, "max_choices", RuleMaxChoices},
		{"one option", PollPatch{Options: &[]PollOptionPatch{{Label: "Yksi"}}}, "options", RuleMinChoices},
		{"a duplicate", PollPatch{Options: &[]PollOptionPatch{{Label: "A"}, {Label: "a"}}}, "options", RuleDuplicate},
		{"another poll's option", PollPatch{Options: &[]PollOptionPatch{{ID: id(99), Label: "A"}, {Label: "B"}}}, "options[0].id", RuleChoice},
		{"the same option twice", PollPatch{Options: &[]PollOptionPatch{{ID: id(10), Label: "A"}, {ID: id(10), Label: "B"}}}, "options[1].id", RuleChoice},
		{"fewer options than choices", PollPatch{Options: &[]PollOptionPatch{{Label: "A"}}, MaxChoices: ptrTo(1)}, "options", RuleMinChoices},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base()
			err := tc.u.Apply(p)
			if e, ok := err.(*Error); !ok || e.Code != EINVALID || e.Fields[tc.field].Rule != tc.rule {
				t.Errorf("%v, want %s %s", err, tc.field, tc.rule)
			}
			if !reflect.DeepEqual(p, base()) {
				t.Errorf("a refused change changed the poll: %+v", p)
			}
		})
	}
	for _, status := range []string{PollOpen, PollClosed} {
		if got := ErrorCode((&Poll{Status: status}).CheckEdit()); got != ECONFLICT {
			t.Errorf("editing a poll %s: %q, want conflict", status, got)
		}
	}
	if err := (&Poll{Status: PollDraft}).CheckEdit(); err != nil {
		t.Errorf("editing a draft: %v", err)
	}
}
