package postgres_test

import (
	"context"
	"testing"
	"time"

	"osallistu/participation"
)

func TestStatistics(t *testing.T) {
	f := newStatementFixture(t)
	s := f.s
	f.publish(t)
	if _, err := s.SaveStatement(f.citizen, f.request.ID, participation.StatementInput{Summary: "x", Submit: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddPageViews(context.Background(), []participation.PageViewCount{{Year: 2017, PageViews: 10, Visits: 3}, {Year: 2016, PageViews: 1, Visits: 1}, {Year: 2014, PageViews: 2, Visits: 2}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddPageViews(context.Background(), []participation.PageViewCount{{Year: 2017, PageViews: 5, Visits: 2}}); err != nil {
		t.Fatal(err)
	}
	st, err := s.FindStatistics(context.Background(), participation.StatisticsFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	// official, maija, sven, olli, citizen and the root admin mustAccount made.
	if st.Organisations != 2 || st.Persons != 6 || st.Requests != 1 || st.Statements != 1 || len(st.Years) != 4 {
		t.Fatalf("%+v", st)
	}
	if y := st.Years[0]; y.Year != 2017 || y.PageViews != 15 || y.Visits != 5 || y.Statements != 1 {
		t.Errorf("2017 %+v", y)
	}
	if y := st.Years[1]; y.Year != 2016 || y.PageViews != 1 || y.Persons != 0 {
		t.Errorf("2016 %+v", y)
	}
	// A quiet year between two counted ones is there, with nothing in it.
	if y := st.Years[2]; y != (participation.YearStatistics{Year: 2015}) {
		t.Errorf("2015 %+v", y)
	}
	if y := st.Years[3]; y.Year != 2014 || y.PageViews != 2 {
		t.Errorf("2014 %+v", y)
	}
}

// TestStatisticsContributions counts the public contributions per year
// and per process: a hidden idea and a draft process's idea are left out,
// and the processes come a page at a time, newest first.
func TestStatisticsContributions(t *testing.T) {
	f := newIdeaFixture(t, false)
	s, bg := f.s, context.Background()
	citizen, _ := mustAccount(t, s, "kansalainen@example.fi")
	first := f.idea(t, citizen, "Avoin data", "Kaikki data avoimeksi.")
	hidden := f.idea(t, citizen, "Mainos", "Osta tästä.")
	if err := s.HideItem(f.official, "idea", hidden.ID, participation.Hide{Reason: "Mainos"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateComment(citizen, first.ID, participation.NewComment{Body: "Kyllä."}, "fi"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateProcess(f.official, participation.NewProcess{Slug: "luonnos", Title: "Luonnos", Status: ptr(participation.ProcessDraft)}); err != nil {
		t.Fatal(err)
	}
	opens, closes := f.clk.t.Add(-time.Hour), f.clk.t.Add(time.Hour)
	draftRound, err := s.CreateIdeaRound(f.official, "luonnos", participation.NewIdeaRound{Title: "Kokeilu", OpensAt: &opens, ClosesAt: &closes})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateIdea(f.official, draftRound.ID, participation.NewIdea{Title: "Koe", Body: "Koe."}, "fi"); err != nil {
		t.Fatal(err)
	}

	f.clk.t = f.clk.t.AddDate(1, 0, 0) // 2018
	starts := f.clk.t.Add(time.Hour)
	w, err := s.CreateWorkshop(f.official, "avoin-hallinto", participation.NewWorkshop{Title: "Työpaja", StartsAt: &starts})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.JoinWorkshop(bg, participation.NewParticipant{Code: *w.JoinCode}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateProcess(f.official, participation.NewProcess{Slug: "toinen", Title: "Toinen"}); err != nil {
		t.Fatal(err)
	}

	st, err := s.FindStatistics(bg, participation.StatisticsFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st.Ideas != 1 || st.Comments != 1 || st.WorkshopParticipants != 2 || st.SurveyResponses != 0 || len(st.Years) != 2 {
		t.Fatalf("totals %+v", st)
	}
	if y := st.Years[0]; y.Year != 2018 || y.WorkshopParticipants != 2 || y.Ideas != 0 {
		t.Errorf("2018 %+v", y)
	}
	if y := st.Years[1]; y.Year != 2017 || y.Ideas != 1 || y.Comments != 1 || y.WorkshopParticipants != 0 {
		t.Errorf("2017 %+v", y)
	}
	if l := st.Processes; l.Total != 2 || len(l.Items) != 1 || l.Items[0].Slug != "toinen" || l.Items[0].Participants != 0 {
		t.Errorf("first page %+v", l)
	}
	st, err = s.FindStatistics(bg, participation.StatisticsFilter{Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if l := st.Processes; l.Total != 2 || len(l.Items) != 1 {
		t.Fatalf("second page %+v", l)
	}
	// The citizen and the two phones.
	if p := st.Processes.Items[0]; p.Slug != "avoin-hallinto" || p.Title != "Avoin hallinto" || p.Ideas != 1 || p.Comments != 1 ||
		p.WorkshopParticipants != 2 || p.Participants != 3 {
		t.Errorf("avoin-hallinto %+v", p)
	}
}
