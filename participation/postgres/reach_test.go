package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
)

// TestFindReach counts contributions in known municipalities, through
// every channel, in two months: the counts per channel, step, region and
// month and the share outside the capital region are exact; a hidden idea
// and a draft process are not seen.
func TestFindReach(t *testing.T) {
	f := newSurveyFixture(t, true)
	s, bg := f.s, context.Background()
	account := func(email string, municipality *string) context.Context {
		a, err := s.CreateAccount(bg, participation.NewAccount{Email: email, Password: "correct horse battery", Name: email, Municipality: municipality})
		if err != nil {
			t.Fatal(err)
		}
		return participation.NewContextWithAccount(bg, a)
	}
	tampere := account("tampere@example.fi", ptr("Tampere")) // says it on the account only
	helsinki := account("helsinki@example.fi", nil)          // says it on the idea only
	oulu := account("oulu@example.fi", ptr("Oulu"))          // only a hidden idea
	anonymous, surveyed := respondentCtx(t, s), respondentCtx(t, s)

	opens, closes := f.clk.t.Add(-time.Hour), f.clk.t.Add(20*24*time.Hour)
	round, err := s.CreateIdeaRound(f.official, f.process.Slug, participation.NewIdeaRound{Title: "Ideat", OpensAt: &opens, ClosesAt: &closes, AllowAnonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	idea := func(ctx context.Context, municipality *string) *participation.Idea {
		i, err := s.CreateIdea(ctx, round.ID, participation.NewIdea{Title: "Idea", Body: "Avoimuutta.", Municipality: municipality}, "fi")
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	first := idea(tampere, nil)
	idea(helsinki, ptr("Helsingfors"))
	idea(anonymous, ptr("Tukholma")) // abroad: not on the list
	hidden := idea(oulu, nil)
	if err := s.HideItem(f.official, "idea", hidden.ID, participation.Hide{Reason: "Asiaton"}); err != nil {
		t.Fatal(err)
	}
	for _, ctx := range []context.Context{helsinki, tampere} {
		if _, err := s.CreateComment(ctx, first.ID, participation.NewComment{Body: "Hyvä."}, "fi"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SupportIdea(anonymous, first.ID); err != nil {
		t.Fatal(err)
	}

	f.clk.t = f.clk.t.AddDate(0, 1, 0) // April 2017
	starts := f.clk.t.Add(time.Hour)
	w, err := s.CreateWorkshop(f.official, f.process.Slug, participation.NewWorkshop{Title: "Työpaja", StartsAt: &starts})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"Grankulla", "Rovaniemi"} {
		if _, err := s.JoinWorkshop(bg, participation.NewParticipant{Code: *w.JoinCode, Municipality: ptr(m)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveResponse(surveyed, f.survey.ID, participation.Responder{},
		participation.NewResponse{Answers: f.fullAnswers(), Municipality: ptr("Turku"), Submit: true}); err != nil {
		t.Fatal(err)
	}

	r, err := s.FindReach(bg, f.process.Slug)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("channels", func(t *testing.T) {
		// tampere, helsinki, the anonymous author, two workshop phones and
		// the survey respondent; the hidden idea's author is not one.
		if r.Participants != 6 {
			t.Errorf("participants %d, want 6", r.Participants)
		}
		want := map[string][2]int{"ideas": {3, 3}, "comments": {2, 2}, "supports": {1, 1}, "workshop": {2, 2}, "survey": {1, 1}, "statements": {0, 0}}
		for _, c := range r.Channels {
			if w := want[c.Channel]; c.Participants != w[0] || c.Contributions != w[1] {
				t.Errorf("%s: %d people, %d contributions; want %v", c.Channel, c.Participants, c.Contributions, w)
			}
		}
		if len(r.Channels) != len(want) {
			t.Errorf("channels %+v", r.Channels)
		}
	})
	t.Run("steps", func(t *testing.T) {
		got := map[string]int{}
		for _, st := range r.Steps {
			got[st.Kind] = st.Participants
		}
		if got["idea_round"] != 3 || got["workshop"] != 2 || got["survey"] != 1 || len(r.Steps) != 3 {
			t.Errorf("steps %+v", r.Steps)
		}
	})
	t.Run("regions", func(t *testing.T) {
		if r.SaidMunicipality != 5 || r.OtherPlace != 1 || r.OutsideCapitalRegion != 3 {
			t.Errorf("said %d, other %d, outside %d; want 5, 1, 3", r.SaidMunicipality, r.OtherPlace, r.OutsideCapitalRegion)
		}
		if r.OutsideCapitalRegionShare == nil || *r.OutsideCapitalRegionShare != 0.6 {
			t.Errorf("share outside the capital region %v, want 0.6", r.OutsideCapitalRegionShare)
		}
		want := map[string]int{"01": 2, "06": 1, "19": 1, "02": 1}
		if len(r.Regions) != 19 {
			t.Errorf("%d regions, want all 19", len(r.Regions))
		}
		for _, reg := range r.Regions {
			if reg.Participants != want[reg.Code] {
				t.Errorf("region %s %s: %d, want %d", reg.Code, reg.Fi, reg.Participants, want[reg.Code])
			}
		}
		got := map[string]int{}
		for _, m := range r.Municipalities {
			got[m.Fi] = m.Participants
		}
		if len(got) != 5 || got["Helsinki"] != 1 || got["Kauniainen"] != 1 || got["Tampere"] != 1 || got["Rovaniemi"] != 1 || got["Turku"] != 1 {
			t.Errorf("municipalities %v", got)
		}
	})
	t.Run("months", func(t *testing.T) {
		if len(r.Months) != 2 || r.Months[0] != (participation.MonthReach{Month: "2017-03", Participants: 3, NewParticipants: 3}) ||
			r.Months[1] != (participation.MonthReach{Month: "2017-04", Participants: 3, NewParticipants: 3}) {
			t.Errorf("months %+v", r.Months)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.CreateProcess(f.official, participation.NewProcess{Slug: "luonnos", Title: "Luonnos", Status: ptr(participation.ProcessDraft)}); err != nil {
			t.Fatal(err)
		}
		_, err := s.FindReach(bg, "luonnos")
		wantCode(t, err, participation.ENOTFOUND)
		_, err = s.FindReach(bg, "ei-ole")
		wantCode(t, err, participation.ENOTFOUND)
		if _, err := s.FindReach(f.official, "luonnos"); err != nil {
			t.Errorf("its official: %v", err)
		}
	})
}
