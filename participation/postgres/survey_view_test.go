package postgres_test

import (
	"context"
	"slices"
	"testing"

	"osallistu/participation"
)

func TestFindSurveyMunicipalities(t *testing.T) {
	f := newSurveyFixture(t, true)
	// Helsingfors is Helsinki; a response naming none, and a draft, are
	// not counted.
	for i, m := range []*string{ptr("Helsinki"), ptr("Helsingfors"), ptr("Tampere"), nil} {
		if _, err := f.s.SaveResponse(respondent(int64(10+i)), f.survey.ID, participation.Responder{},
			participation.NewResponse{Answers: f.fullAnswers()[:1], Municipality: m, Submit: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.s.SaveResponse(respondent(20), f.survey.ID, participation.Responder{},
		participation.NewResponse{Answers: f.fullAnswers()[:1], Municipality: ptr("Espoo")}); err != nil {
		t.Fatal(err)
	}
	want := []participation.MunicipalityCount{{Municipality: "Helsinki", Responses: 2}, {Municipality: "Tampere", Responses: 1}}
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.FindSurveyMunicipalities(f.citizen, f.survey.ID)
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = f.s.FindSurveyMunicipalities(context.Background(), f.survey.ID)
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("Official", func(t *testing.T) {
		got, err := f.s.FindSurveyMunicipalities(f.official, f.survey.ID)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("%+v %v, want %+v", got, err, want)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if _, err := f.s.CloseSurvey(f.official, f.survey.ID); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.FindSurveyMunicipalities(context.Background(), f.survey.ID)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("%+v %v, want %+v", got, err, want)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.FindSurveyMunicipalities(f.official, f.survey.ID+1000)
		wantCode(t, err, participation.ENOTFOUND)
	})
}
