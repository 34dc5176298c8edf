package postgres_test

import (
	"context"
	"testing"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// surveyFixture is a process with two draft commitments and a survey of
// every kind of question, open for answers.
type surveyFixture struct {
	s           *postgres.Store
	clk         *clock
	official    context.Context
	citizen     context.Context
	process     *participation.Process
	commitments []*participation.Commitment
	survey      *participation.Survey
}

// The fixture survey's questions, by position.
const (
	qSingle = iota
	qMulti
	qScale
	qText
	qGrid
)

// sampleQuestions are one question of each kind; the grid's items are the
// process's draft commitments when fromCommitments is set.
func sampleQuestions(fromCommitments bool) []participation.NewQuestion {
	grid := participation.NewQuestion{Kind: participation.QuestionGrid2D, Prompt: "Rate the goals",
		X: &participation.NewAxis{Label: "Importance", Min: ptr(1.0), Max: ptr(5.0)},
		Y: &participation.NewAxis{Label: "Feasibility", Min: ptr(1.0), Max: ptr(5.0)}}
	if fromCommitments {
		grid.ItemsFromCommitments = true
	} else {
		grid.Items = []participation.NewChoice{{Label: "Open data"}, {Label: "Plain language"}, {Label: "Youth councils"}}
	}
	return []participation.NewQuestion{
		{Kind: participation.QuestionSingle, Prompt: "Which first?", Required: true,
			Options: []participation.NewChoice{{Label: "Data"}, {Label: "Language"}, {Label: "Youth"}}},
		{Kind: participation.QuestionMulti, Prompt: "Which matter?",
			Options: []participation.NewChoice{{Label: "A"}, {Label: "B"}, {Label: "C"}, {Label: "D"}}},
		{Kind: participation.QuestionScale, Prompt: "How open is government?", Min: ptr(1), Max: ptr(5),
			MinLabel: ptr("Closed"), MaxLabel: ptr("Open")},
		{Kind: participation.QuestionText, Prompt: "Anything else?"},
		grid,
	}
}

func newSurveyFixture(t *testing.T, anonymous bool) *surveyFixture {
	t.Helper()
	s, clk := newStore(t)
	official, _ := mustAccount(t, s, "virkailija@example.fi", participation.RoleOfficial)
	citizen, _ := mustAccount(t, s, "kansalainen@example.fi")
	f := &surveyFixture{s: s, clk: clk, official: official, citizen: citizen}
	var err error
	if f.process, err = s.CreateProcess(official, participation.NewProcess{Slug: "avoin-hallinto", Title: "Avoin hallinto"}); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Open data by default", "Plain language"} {
		c, err := s.CreateCommitment(official, f.process.Slug, participation.NewCommitment{CommitmentText: participation.CommitmentText{Title: title}})
		if err != nil {
			t.Fatal(err)
		}
		f.commitments = append(f.commitments, c)
	}
	f.survey = f.create(t, anonymous, sampleQuestions(true))
	if f.survey, err = s.OpenSurvey(official, f.survey.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *surveyFixture) create(t *testing.T, anonymous bool, qs []participation.NewQuestion) *participation.Survey {
	t.Helper()
	sv, err := f.s.CreateSurvey(f.official, f.process.Slug, participation.NewSurvey{
		Title: "Goals of the action plan", Description: "Rate the draft goals.", Anonymous: &anonymous, Questions: qs})
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// q returns the fixture survey's question at position i.
func (f *surveyFixture) q(i int) *participation.Question { return &f.survey.Questions[i] }

func TestCreateSurvey(t *testing.T) {
	f := newSurveyFixture(t, true)
	t.Run("OK", func(t *testing.T) {
		sv := f.survey
		if sv.Status != participation.SurveyOpen || sv.OpenedAt == nil || !sv.Anonymous || len(sv.Questions) != 5 || sv.Language != "fi" {
			t.Fatalf("survey %+v", sv)
		}
		for i, q := range sv.Questions {
			if q.ID == 0 || q.Position != i+1 || q.Kind != participation.QuestionKinds[i] {
				t.Errorf("question %d: %+v", i, q)
			}
		}
		if o := f.q(qSingle).Options; len(o) != 3 || o[1].Label != "Language" || o[1].ID == 0 || o[1].Language != "fi" {
			t.Errorf("options %+v", o)
		}
		if sc := f.q(qScale); *sc.Min != 1 || *sc.Max != 5 || *sc.MinLabel != "Closed" || sc.Options != nil || sc.X != nil {
			t.Errorf("scale %+v", sc)
		}
	})
	t.Run("ItemsFromCommitments", func(t *testing.T) {
		g := f.q(qGrid)
		if !g.ItemsFromCommitments || len(g.Items) != 2 || g.X.Label != "Importance" || g.Y.Max != 5 {
			t.Fatalf("grid %+v", g)
		}
		for i, it := range g.Items {
			if it.CommitmentID == nil || *it.CommitmentID != f.commitments[i].ID || it.Label != f.commitments[i].Title {
				t.Errorf("item %d: %+v", i, it)
			}
		}
		// A snapshot: a commitment drafted later is not among the items.
		if _, err := f.s.CreateCommitment(f.official, f.process.Slug, participation.NewCommitment{CommitmentText: participation.CommitmentText{Title: "Later"}}); err != nil {
			t.Fatal(err)
		}
		sv, err := f.s.FindSurvey(context.Background(), f.survey.ID)
		if err != nil || len(sv.Question(g.ID).Items) != 2 {
			t.Fatalf("survey %+v %v", sv, err)
		}
	})
	t.Run("Translations", func(t *testing.T) {
		qs := sampleQuestions(false)
		qs[0].Translations = participation.Translations{"sv": {"prompt": "Vilken först?"}}
		qs[0].Options[0].Translations = participation.Translations{"en": {"label": "Data"}}
		qs[4].Translations = participation.Translations{"sv": {"x.label": "Betydelse"}}
		sv, err := f.s.CreateSurvey(f.official, f.process.Slug, participation.NewSurvey{Title: "Kysely", Anonymous: ptr(false), Questions: qs,
			TranslationInput: participation.TranslationInput{Translations: participation.Translations{"sv": {"title": "Enkät"}}}})
		if err != nil {
			t.Fatal(err)
		}
		if sv.In("sv", "title", sv.Title).Text != "Enkät" || sv.Questions[0].In("sv", "prompt", "").Text != "Vilken först?" ||
			sv.Questions[0].Options[0].Translations["en"]["label"] != "Data" || sv.Questions[4].Translations["sv"]["x.label"] != "Betydelse" {
			t.Fatalf("translations %+v", sv)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for name, mutate := range map[string]func(q []participation.NewQuestion){
			"kind":             func(q []participation.NewQuestion) { q[0].Kind = "essay" },
			"one option":       func(q []participation.NewQuestion) { q[0].Options = q[0].Options[:1] },
			"same options":     func(q []participation.NewQuestion) { q[1].Options[1].Label = " a " },
			"scale backwards":  func(q []participation.NewQuestion) { q[2].Min, q[2].Max = ptr(5), ptr(1) },
			"scale too long":   func(q []participation.NewQuestion) { q[2].Max = ptr(200) },
			"scale without":    func(q []participation.NewQuestion) { q[2].Max = nil },
			"axis backwards":   func(q []participation.NewQuestion) { q[4].X.Min = ptr(9.0) },
			"no axis":          func(q []participation.NewQuestion) { q[4].Y = nil },
			"no items":         func(q []participation.NewQuestion) { q[4].Items = nil },
			"options on scale": func(q []participation.NewQuestion) { q[2].Options = q[0].Options },
			"axis on text":     func(q []participation.NewQuestion) { q[3].X = q[4].X },
			"no prompt":        func(q []participation.NewQuestion) { q[3].Prompt = "\u200b" },
			"unknown id":       func(q []participation.NewQuestion) { q[3].ID = f.q(qText).ID },
			"translation": func(q []participation.NewQuestion) {
				q[0].Translations = participation.Translations{"sv": {"title": "x"}}
			},
		} {
			qs := sampleQuestions(false)
			mutate(qs)
			_, err := f.s.CreateSurvey(f.official, f.process.Slug, participation.NewSurvey{Title: "T", Anonymous: ptr(true), Questions: qs})
			if participation.ErrorCode(err) != participation.EINVALID {
				t.Errorf("%s: %v", name, err)
			}
		}
		_, err := f.s.CreateSurvey(f.official, f.process.Slug, participation.NewSurvey{Title: "T", Questions: sampleQuestions(false)})
		wantCode(t, err, participation.EINVALID) // anonymous is required
	})
	t.Run("ErrNoDrafts", func(t *testing.T) {
		if _, err := f.s.CreateProcess(f.official, participation.NewProcess{Slug: "tyhja", Title: "Tyhjä"}); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.CreateSurvey(f.official, "tyhja", participation.NewSurvey{Title: "T", Anonymous: ptr(true), Questions: sampleQuestions(true)})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.CreateSurvey(f.citizen, f.process.Slug, participation.NewSurvey{Title: "T", Anonymous: ptr(true)})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.CreateSurvey(f.official, "ei-ole", participation.NewSurvey{Title: "T", Anonymous: ptr(true)})
		wantCode(t, err, participation.ENOTFOUND)
		_, err = f.s.FindSurvey(context.Background(), 999999)
		wantCode(t, err, participation.ENOTFOUND)
	})
}

func TestUpdateSurvey(t *testing.T) {
	f := newSurveyFixture(t, true)
	draft := f.create(t, false, sampleQuestions(true))
	t.Run("Reorder", func(t *testing.T) {
		qs := toNewQuestions(draft.Questions)
		qs[0], qs[4] = qs[4], qs[0]
		qs[1].Options[0], qs[1].Options[3] = qs[1].Options[3], qs[1].Options[0]
		got, err := f.s.UpdateSurvey(f.official, draft.ID, participation.SurveyPatch{Questions: &qs})
		if err != nil {
			t.Fatal(err)
		}
		if got.Questions[0].ID != draft.Questions[4].ID || got.Questions[4].ID != draft.Questions[0].ID ||
			got.Questions[0].Position != 1 || got.Questions[1].Options[0].ID != draft.Questions[1].Options[3].ID {
			t.Fatalf("reordered %+v", got.Questions)
		}
		// The snapshot of commitments moves with its question.
		if it := got.Questions[0].Items; len(it) != 2 || *it[0].CommitmentID != f.commitments[0].ID || it[0].ID != draft.Questions[4].Items[0].ID {
			t.Fatalf("items %+v", it)
		}
		draft = got
	})
	t.Run("Edit", func(t *testing.T) {
		qs := toNewQuestions(draft.Questions)
		qs[1].Prompt = "Which matter most?"
		qs[1].Options = append(qs[1].Options[:2], participation.NewChoice{Label: "E"})
		qs = append(qs[:3], qs[4:]...) // the text question goes
		title := "New title"
		got, err := f.s.UpdateSurvey(f.official, draft.ID, participation.SurveyPatch{Title: &title, Anonymous: ptr(true), Questions: &qs})
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != title || !got.Anonymous || len(got.Questions) != 4 || got.Questions[1].Prompt != "Which matter most?" ||
			len(got.Questions[1].Options) != 3 || got.Questions[1].Options[2].Label != "E" || got.Questions[1].Options[2].ID == 0 {
			t.Fatalf("edited %+v", got)
		}
		if got.Questions[1].Options[0].ID != draft.Questions[1].Options[0].ID {
			t.Error("a kept option lost its id")
		}
	})
	t.Run("TextsOnly", func(t *testing.T) {
		desc := "Only the description"
		got, err := f.s.UpdateSurvey(f.official, draft.ID, participation.SurveyPatch{Description: &desc})
		if err != nil || got.Description != desc || len(got.Questions) != 4 {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		qs := toNewQuestions(draft.Questions)
		qs[0].ID = f.q(qSingle).ID // another survey's question
		_, err := f.s.UpdateSurvey(f.official, draft.ID, participation.SurveyPatch{Questions: &qs})
		wantCode(t, err, participation.EINVALID)
		qs = toNewQuestions(draft.Questions)
		qs[1].ID = qs[0].ID
		_, err = f.s.UpdateSurvey(f.official, draft.ID, participation.SurveyPatch{Questions: &qs})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		title := "Too late"
		_, err := f.s.UpdateSurvey(f.official, f.survey.ID, participation.SurveyPatch{Title: &title})
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.UpdateSurvey(f.citizen, draft.ID, participation.SurveyPatch{})
		wantCode(t, err, participation.EFORBIDDEN)
	})
}

// toNewQuestions turns a survey's questions back into what an official
// sends to keep them, ids and all.
func toNewQuestions(qs []participation.Question) []participation.NewQuestion {
	choices := func(cs []participation.Choice) []participation.NewChoice {
		if cs == nil {
			return nil
		}
		out := []participation.NewChoice{}
		for _, c := range cs {
			out = append(out, participation.NewChoice{ID: c.ID, Label: c.Label, TranslationInput: participation.TranslationInput{Language: &c.Language}})
		}
		return out
	}
	axis := func(a *participation.Axis) *participation.NewAxis {
		if a == nil {
			return nil
		}
		return &participation.NewAxis{Label: a.Label, Min: &a.Min, Max: &a.Max}
	}
	out := []participation.NewQuestion{}
	for _, q := range qs {
		n := participation.NewQuestion{ID: q.ID, Kind: q.Kind, Prompt: q.Prompt, Required: q.Required, Options: choices(q.Options),
			Min: q.Min, Max: q.Max, MinLabel: q.MinLabel, MaxLabel: q.MaxLabel, X: axis(q.X), Y: axis(q.Y),
			ItemsFromCommitments: q.ItemsFromCommitments}
		if !q.ItemsFromCommitments {
			n.Items = choices(q.Items)
		}
		out = append(out, n)
	}
	return out
}

func TestSurveyStatus(t *testing.T) {
	f := newSurveyFixture(t, true)
	draft := f.create(t, true, sampleQuestions(false))
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := f.s.CloseSurvey(f.official, draft.ID)
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("OK", func(t *testing.T) {
		f.clk.t = f.clk.t.Add(24 * 3600e9)
		sv, err := f.s.OpenSurvey(f.official, draft.ID)
		if err != nil || sv.Status != participation.SurveyOpen || !sv.OpenedAt.Equal(f.clk.t) {
			t.Fatalf("%+v %v", sv, err)
		}
		if sv, err = f.s.OpenSurvey(f.official, draft.ID); err != nil || sv.Status != participation.SurveyOpen {
			t.Fatalf("opening again: %+v %v", sv, err)
		}
		p, err := f.s.FindProcessBySlug(context.Background(), f.process.Slug)
		if err != nil {
			t.Fatal(err)
		}
		var step *participation.Step
		for i := range p.Steps {
			if p.Steps[i].Kind == participation.StepSurvey && p.Steps[i].ID == draft.ID {
				step = &p.Steps[i]
			}
		}
		if step == nil || step.Status != participation.StatusOpen || !step.OpensAt.Equal(f.clk.t) || step.ClosesAt != nil {
			t.Fatalf("step %+v in %+v", step, p.Steps)
		}
		f.clk.t = f.clk.t.Add(3600e9)
		if sv, err = f.s.CloseSurvey(f.official, draft.ID); err != nil || sv.Status != participation.SurveyClosed || !sv.ClosedAt.Equal(f.clk.t) {
			t.Fatalf("%+v %v", sv, err)
		}
	})
	t.Run("ErrReopen", func(t *testing.T) {
		_, err := f.s.OpenSurvey(f.official, draft.ID)
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.OpenSurvey(f.citizen, f.survey.ID)
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("FindSurveys", func(t *testing.T) {
		list, err := f.s.FindSurveys(context.Background(), f.process.ID)
		if err != nil || len(list) != 2 || list[0].ID != f.survey.ID || len(list[1].Questions) != 5 {
			t.Fatalf("%+v %v", list, err)
		}
	})
}

// surveyContributions builds a survey in a process as the official of ctx
// and answers it, for the export and erasure test.
func surveyContributions(t *testing.T, s *postgres.Store, ctx context.Context, slug string) {
	t.Helper()
	sv, err := s.CreateSurvey(ctx, slug, participation.NewSurvey{Title: "S", Anonymous: ptr(false), Questions: sampleQuestions(false)[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if sv, err = s.OpenSurvey(ctx, sv.ID); err != nil {
		t.Fatal(err)
	}
	answers := []participation.Answer{{QuestionID: sv.Questions[0].ID, OptionIDs: []int64{sv.Questions[0].Options[0].ID}}}
	if _, err := s.SaveResponse(ctx, sv.ID, participation.Responder{}, participation.NewResponse{Answers: answers, Submit: true}); err != nil {
		t.Fatal(err)
	}
}
