package participation

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// The fuzz targets below decode a request body as the API does (JSON into
// the request type) and run its validator. Whatever the bytes, a validator
// must not panic and must either accept the value or refuse it with an
// EINVALID error naming fields. `go test -fuzz FuzzX ./participation/` runs
// one; .ci/run runs each for a few seconds. The f.Add seeds are the corpus.

// fuzzRequest fuzzes decoding into T and validate.
func fuzzRequest[T any](f *testing.F, validate func(*T) error, seeds ...string) {
	seeds = append(seeds, `{}`, `null`, `[]`, `{"title": "\u0000"}`, `{"title": "\u202e\u200b"}`, "{\"title\": \"\xff\xfe\"}")
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v T
		if json.Unmarshal(body, &v) != nil {
			return // the server answers 400 before any validator runs
		}
		err := validate(&v)
		if err == nil {
			return
		}
		if ErrorCode(err) != EINVALID {
			t.Fatalf("validator refused %q with %v, not %s", body, err, EINVALID)
		}
		var e *Error
		if !asError(err, &e) || len(e.Fields) == 0 {
			t.Fatalf("validator refused %q without naming a field: %v", body, err)
		}
	})
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	*target = e
	return ok
}

func FuzzNewAccount(f *testing.F) {
	fuzzRequest(f, func(n *NewAccount) error { n.Normalize(); return n.Validate() },
		`{"email": "a@example.fi", "password": "long-secret-1", "name": "Aino", "municipality": "Helsinki"}`)
}

func FuzzNewProcess(f *testing.F) {
	fuzzRequest(f, (*NewProcess).Validate, `{"slug": "avoin-hallinto", "title": "Avoin hallinto", "description": "x"}`)
}

func FuzzNewIdeaRound(f *testing.F) {
	fuzzRequest(f, (*NewIdeaRound).Validate,
		`{"title": "Ideat", "description": "x", "opens_at": "2016-05-01T00:00:00Z", "closes_at": "2016-06-01T00:00:00Z", "allow_anonymous": true}`)
}

func FuzzNewIdea(f *testing.F) {
	fuzzRequest(f, func(n *NewIdea) error { return n.Validate("fi") },
		`{"title": "Avoimet kokoukset", "body": "Kunnan kokoukset verkkoon.", "author_name": "Aino", "municipality": "Espoo"}`)
}

func FuzzNewTheme(f *testing.F) {
	fuzzRequest(f, (*NewTheme).Validate, `{"title": "Avoimuus", "description": "x"}`)
}

func FuzzNewComment(f *testing.F) {
	fuzzRequest(f, func(n *NewComment) error { return n.Validate("fi") }, `{"body": "Hyvä idea", "author_name": "Eero"}`)
}

func FuzzHide(f *testing.F)   { fuzzRequest(f, (*Hide).Validate, `{"reason": "asiaton"}`) }
func FuzzReport(f *testing.F) { fuzzRequest(f, (*Report).Validate, `{"reason": "mainos"}`) }

func FuzzNewWorkshop(f *testing.F) {
	fuzzRequest(f, (*NewWorkshop).Validate, `{"title": "Työpaja", "starts_at": "2016-09-01T09:00:00Z", "show_results_live": false}`)
}

func FuzzNewPoll(f *testing.F) {
	fuzzRequest(f, (*NewPoll).Validate,
		`{"question": "Tärkeimmät?", "max_choices": 3, "options": [{"label": "A"}, {"label": "B"}]}`,
		`{"question": "Teemat", "max_choices": 3, "options_from_idea_round": 1}`)
}

func FuzzBallot(f *testing.F) {
	poll := &Poll{Status: PollOpen, MaxChoices: 2, Options: []PollOption{{ID: 1}, {ID: 2}, {ID: 3}}}
	fuzzRequest(f, func(b *Ballot) error { return b.Validate(poll) }, `{"option_ids": [1, 2]}`, `{"option_ids": [1, 1]}`)
}

func FuzzNewParticipant(f *testing.F) {
	fuzzRequest(f, (*NewParticipant).Validate, `{"code": "ABC234", "name": "Aino", "municipality": "Vantaa"}`)
}

func FuzzNewCommitment(f *testing.F) {
	fuzzRequest(f, (*NewCommitment).Validate,
		`{"title": "Avoin data", "problem": "x", "description": "y", "lead_agency": "VM", "source_idea_ids": [1], "source_theme_ids": [], "milestones": [{"title": "M", "due": "2018-06-30"}]}`)
}

func FuzzCommitmentPatch(f *testing.F) {
	text := CommitmentText{Title: "Avoin data"}
	fuzzRequest(f, func(p *CommitmentPatch) error { return p.Validate(&text) },
		`{"title": "Avoin data 2", "change_note": "lausuntojen jälkeen"}`, `{"milestones": [{"title": "M", "due": "2018-02-30"}]}`)
}

func FuzzMerge(f *testing.F) {
	fuzzRequest(f, (*Merge).Validate, `{"into_id": 2, "note": "päällekkäiset"}`)
}

func FuzzMilestoneUpdate(f *testing.F) {
	fuzzRequest(f, (*MilestoneUpdate).Validate, `{"status": "late", "note": "viivästyi"}`)
}

func FuzzTranslationInput(f *testing.F) {
	fuzzRequest(f, func(in *TranslationInput) error {
		fe := FieldErrors{}
		in.Check(fe, map[string]int{"title": 200, "description": 5000})
		return fe.Err()
	}, `{"language": "sv", "translations": {"fi": {"title": "x"}, "en": {"title": "y"}}}`)
}

func FuzzNormalizeJoinCode(f *testing.F) {
	for _, s := range []string{"abc234", " ABC-234 ", "O0IL1", "\u0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		got, ok := NormalizeJoinCode(code)
		if !ok {
			return
		}
		if again, ok2 := NormalizeJoinCode(got); !ok2 || again != got {
			t.Fatalf("NormalizeJoinCode(%q) = %q is not stable (%q, %v)", code, got, again, ok2)
		}
		if utf8.RuneCountInString(got) != 6 {
			t.Fatalf("NormalizeJoinCode(%q) = %q: not six characters", code, got)
		}
	})
}

func FuzzFindMunicipality(f *testing.F) {
	for _, s := range []string{"Helsinki", "helsingfors", " Espoo ", "Tammerfors", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		m, ok := FindMunicipality(name)
		if !ok {
			return
		}
		if again, ok2 := FindMunicipality(m.Name("fi")); !ok2 || again.Name("fi") != m.Name("fi") {
			t.Fatalf("FindMunicipality(%q) = %q, which does not find itself", name, m.Name("fi"))
		}
	})
}
