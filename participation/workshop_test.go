package participation

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
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

// TestWorkshopState: the state follows the workshop's window and the
// official's end, not its polls, except that an open poll means running.
func TestWorkshopState(t *testing.T) {
	start := time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)
	end := start.Add(3 * time.Hour)
	before, during, after := start.Add(-time.Minute), start.Add(time.Hour), end.Add(time.Minute)
	for _, tc := range []struct {
		name    string
		endsAt  *time.Time
		endedAt *time.Time
		polls   []string
		now     time.Time
		want    string
	}{
		{"before the start", nil, nil, nil, before, WorkshopUpcoming},
		{"an open poll before the start", nil, nil, []string{PollOpen}, before, WorkshopRunning},
		{"after the start, no end", nil, nil, nil, after, WorkshopRunning},
		{"its only poll closed: more can come", nil, nil, []string{PollClosed}, during, WorkshopRunning},
		{"its only poll closed, no end set, long after", nil, nil, []string{PollClosed, PollDraft}, after.AddDate(1, 0, 0), WorkshopRunning},
		{"within its window", &end, nil, []string{PollDraft}, during, WorkshopRunning},
		{"at its end", &end, nil, nil, end, WorkshopEnded},
		{"after its end", &end, nil, []string{PollClosed}, after, WorkshopEnded},
		{"after its end, a poll still open", &end, nil, []string{PollOpen}, after, WorkshopRunning},
		{"ended by the official", nil, &during, []string{PollClosed}, during, WorkshopEnded},
		{"ended by the official before the start", &end, &before, nil, before, WorkshopEnded},
	} {
		w := &Workshop{StartsAt: start, EndsAt: tc.endsAt, EndedAt: tc.endedAt}
		for _, s := range tc.polls {
			w.Polls = append(w.Polls, &Poll{Status: s})
		}
		if got := w.StateAt(tc.now); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	for state, status := range map[string]string{WorkshopUpcoming: StatusUpcoming, WorkshopRunning: StatusOpen, WorkshopEnded: StatusClosed} {
		if got := (&Workshop{State: state}).StepStatus(); got != status {
			t.Errorf("step status of %s: %s, want %s", state, got, status)
		}
	}
}

// TestWorkshopEndedJoinAndPolls: an ended workshop takes no new
// participants and opens no polls; one who joined before comes back in.
func TestWorkshopEndedJoinAndPolls(t *testing.T) {
	ended := &Workshop{State: WorkshopEnded, JoiningOpen: true}
	if got := ErrorCode(ended.CheckJoin(nil, false)); got != ECLOSED {
		t.Errorf("a new participant of an ended workshop: %q", got)
	}
	if err := ended.CheckJoin(nil, true); err != nil {
		t.Errorf("one who joined before: %v", err)
	}
	if got := ErrorCode(ended.CheckOpenPoll()); got != ECLOSED {
		t.Errorf("opening a poll of an ended workshop: %q", got)
	}
	for _, state := range []string{WorkshopUpcoming, WorkshopRunning} {
		w := &Workshop{State: state, JoiningOpen: true}
		if err := w.CheckJoin(nil, false); err != nil {
			t.Errorf("joining a workshop %s: %v", state, err)
		}
		if err := w.CheckOpenPoll(); err != nil {
			t.Errorf("opening a poll of a workshop %s: %v", state, err)
		}
	}
}

func TestNewWorkshopEnd(t *testing.T) {
	start := time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		end  time.Time
		want string
	}{{start.Add(time.Hour), ""}, {start, RuleAfterOpen}, {start.Add(-time.Hour), RuleAfterOpen}} {
		n := NewWorkshop{Title: "Työpaja", StartsAt: &start, EndsAt: &tc.end}
		err := n.Validate()
		if got := fieldRule(err, "ends_at"); got != tc.want {
			t.Errorf("ends %v: rule %q, want %q (%v)", tc.end, got, tc.want, err)
		}
	}
}

// fieldRule is the rule err breaks in field, or "".
func fieldRule(err error, field string) string {
	if e, ok := err.(*Error); ok {
		return e.Fields[field].Rule
	}
	return ""
}

func TestWorkshopUpdateApply(t *testing.T) {
	start := time.Date(2017, 3, 1, 9, 0, 0, 0, time.UTC)
	end := start.Add(2 * time.Hour)
	base := func() *Workshop {
		return &Workshop{Title: "Työpaja", StartsAt: start, EndsAt: &end, ShowResultsLive: true, JoiningOpen: true,
			Translatable: Translatable{Language: "fi", Translations: Translations{"sv": {"title": "Verkstad"}}}}
	}
	var u WorkshopUpdate
	if err := json.Unmarshal([]byte(`{"title": " Uusi nimi ", "ends_at": null, "translations": {"en": {"title": "Workshop"}}, "joining_open": false}`), &u); err != nil {
		t.Fatal(err)
	}
	w := base()
	if err := u.Apply(w); err != nil {
		t.Fatal(err)
	}
	if w.Title != "Uusi nimi" || w.EndsAt != nil || w.JoiningOpen || !w.ShowResultsLive || w.StartsAt != start ||
		w.Translations.Get("en", "title") != "Workshop" || w.Translations.Get("sv", "title") != "" || w.Language != "fi" {
		t.Errorf("applied: %+v", w)
	}
	t.Run("left out, nothing changes", func(t *testing.T) {
		var u WorkshopUpdate
		if err := json.Unmarshal([]byte(`{}`), &u); err != nil {
			t.Fatal(err)
		}
		w := base()
		if err := u.Apply(w); err != nil || w.EndsAt == nil || *w.EndsAt != end || w.Translations.Get("sv", "title") != "Verkstad" {
			t.Errorf("%v %+v", err, w)
		}
	})
	for _, tc := range []struct {
		name, body, field, rule string
	}{
		{"an empty title", `{"title": " "}`, "title", RuleRequired},
		{"a start after the end", `{"starts_at": "2017-03-01T12:00:00Z"}`, "ends_at", RuleAfterOpen},
		{"an end before the start", `{"ends_at": "2017-03-01T08:00:00Z"}`, "ends_at", RuleAfterOpen},
		{"a translation into its own language", `{"translations": {"fi": {"title": "x"}}}`, "translations.fi", RuleChoice},
		{"an unknown language", `{"language": "de"}`, "language", RuleChoice},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var u WorkshopUpdate
			if err := json.Unmarshal([]byte(tc.body), &u); err != nil {
				t.Fatal(err)
			}
			w := base()
			err := u.Apply(w)
			if got := fieldRule(err, tc.field); got != tc.rule {
				t.Errorf("rule %q, want %q (%v)", got, tc.rule, err)
			}
			if !reflect.DeepEqual(w, base()) {
				t.Errorf("a refused update changed the workshop: %+v", w)
			}
		})
	}
	if err := json.Unmarshal([]byte(`{"ends_at": 5}`), &u); err == nil {
		t.Error("a number for ends_at was taken")
	}
}

func TestNewWorkshopResultsLive(t *testing.T) {
	for _, tc := range []struct {
		given *bool
		want  bool
	}{{nil, true}, {ptrTo(true), true}, {ptrTo(false), false}} {
		n := NewWorkshop{ShowResultsLive: tc.given}
		if got := n.ResultsLive(); got != tc.want {
			t.Errorf("ResultsLive with %v = %v", tc.given, got)
		}
	}
}

func TestWorkshopShowTo(t *testing.T) {
	for _, tc := range []struct {
		name   string
		viewer *Account
		code   bool
	}{
		{"signed out", nil, false},
		{"citizen", &Account{Roles: []string{RoleCitizen}}, false},
		{"official", &Account{Roles: []string{RoleCitizen, RoleOfficial}}, true},
	} {
		w := &Workshop{JoinCode: ptrTo("ABC234")}
		w.ShowTo(tc.viewer)
		if (w.JoinCode != nil) != tc.code || MaySeeJoinCode(tc.viewer) != tc.code {
			t.Errorf("%s: code %v, want shown %v", tc.name, w.JoinCode, tc.code)
		}
	}
}

func TestParticipantCheckPoll(t *testing.T) {
	p := &Participant{ID: 1, WorkshopID: 10}
	if err := p.CheckPoll(&Poll{ID: 5, WorkshopID: 10}); err != nil {
		t.Errorf("own workshop's poll: %v", err)
	}
	if got := ErrorCode(p.CheckPoll(&Poll{ID: 6, WorkshopID: 11})); got != EFORBIDDEN {
		t.Errorf("another workshop's poll: %q", got)
	}
}

func TestNewParticipantMunicipalityOnTheList(t *testing.T) {
	for _, m := range []string{"Atlantis", "Helsinki City", "x"} {
		n := NewParticipant{Code: "ABC234", Municipality: &m}
		if e, ok := n.Validate().(*Error); !ok || e.Code != EINVALID || e.Fields["municipality"].Rule != RuleChoice {
			t.Errorf("%q: %v", m, n.Validate())
		}
	}
	for m, want := range map[string]string{" tampere ": "Tampere", "Helsingfors": "Helsinki", "Maarianhamina": "Maarianhamina"} {
		n := NewParticipant{Code: "ABC234", Municipality: &m}
		if err := n.Validate(); err != nil || *n.Municipality != want {
			t.Errorf("%q: %v, %q", m, err, *n.Municipality)
		}
	}
}

func TestWorkshopCheckJoin(t *testing.T) {
	someone := &Account{ID: 1, Roles: []string{RoleCitizen}}
	for _, tc := range []struct {
		name           string
		accounts, open bool
		joiner         *Account
		known          bool
		want           string
	}{
		{"anyone, open", false, true, nil, false, ""},
		{"anyone, closed", false, false, nil, false, ECLOSED},
		{"back in, closed", false, false, nil, true, ""},
		{"accounts only, signed out", true, true, nil, false, EUNAUTHENTICATED},
		{"accounts only, signed out, known", true, false, nil, true, EUNAUTHENTICATED},
		{"accounts only, signed in", true, true, someone, false, ""},
		{"accounts only, signed in, closed", true, false, someone, false, ECLOSED},
		{"accounts only, signed in, back in", true, false, someone, true, ""},
	} {
		w := &Workshop{RequireAccount: tc.accounts, JoiningOpen: tc.open}
		if got := ErrorCode(w.CheckJoin(tc.joiner, tc.known)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNewWorkshopAccountsRequired(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		in   *bool
		want bool
	}{{nil, false}, {&yes, true}, {&no, false}} {
		if got := (&NewWorkshop{RequireAccount: tc.in}).AccountsRequired(); got != tc.want {
			t.Errorf("%v: %v", tc.in, got)
		}
	}
}

func TestParticipantIsJoinedBy(t *testing.T) {
	mine, theirs := &Account{ID: 1}, &Account{ID: 2}
	anon := &Participant{WorkshopID: 5}
	owned := &Participant{WorkshopID: 5, AccountID: &mine.ID}
	for _, tc := range []struct {
		name     string
		p        *Participant
		workshop int64
		joiner   *Account
		want     bool
	}{
		{"anonymous, same workshop", anon, 5, nil, true},
		{"anonymous, signed in now", anon, 5, mine, true},
		{"another workshop", anon, 6, nil, false},
		{"the account's own", owned, 5, mine, true},
		{"another account's", owned, 5, theirs, false},
		{"an account's, signed out", owned, 5, nil, false},
	} {
		if got := tc.p.IsJoinedBy(tc.workshop, tc.joiner); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}
