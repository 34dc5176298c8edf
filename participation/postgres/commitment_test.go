package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

// commitmentFixture is a process with an open idea round, three themes and
// ideas in them, and accounts to draft, approve and follow with.
type commitmentFixture struct {
	*ideaFixture
	other     context.Context // a second official
	citizen   context.Context
	processID int64
	themes    []*participation.Theme
	ideas     []*participation.Idea // ideas[i] is in themes[i%3]; the last is in none
}

func newCommitmentFixture(t *testing.T) *commitmentFixture {
	t.Helper()
	f := &commitmentFixture{ideaFixture: newIdeaFixture(t, true)}
	f.other, _ = mustAccount(t, f.s, "other-official@example.fi", "official")
	addOfficial(t, f.s, f.official, "avoin-hallinto", "other-official@example.fi")
	f.citizen, _ = mustAccount(t, f.s, "citizen@example.fi")
	p, err := f.s.FindProcessBySlug(context.Background(), "avoin-hallinto")
	if err != nil {
		t.Fatal(err)
	}
	f.processID = p.ID
	for _, title := range []string{"Ymmärrettävyys", "Julkisuus", "Avoin maakunta"} {
		th, err := f.s.CreateTheme(f.official, f.round.ID, participation.NewTheme{Title: title})
		if err != nil {
			t.Fatal(err)
		}
		f.themes = append(f.themes, th)
	}
	for i, title := range []string{"Lasten osallisuus", "Julkisuusperiaate yhtiöihin", "Maakuntien avoimuus",
		"Selkeä virkakieli", "Hankintatiedot avoimiksi", "Maakuntahallinnon kuvaus", "Tubettajat mukaan"} {
		idea := f.idea(t, f.citizen, title, "Ehdotus: "+title)
		if i < 6 {
			if _, err := f.s.SetIdeaTheme(f.official, &f.themes[i%3].ID, idea.ID); err != nil {
				t.Fatal(err)
			}
			idea.ThemeID = &f.themes[i%3].ID
		}
		f.ideas = append(f.ideas, idea)
	}
	return f
}

// draft creates a draft commitment from ideas and themes.
func (f *commitmentFixture) draft(t *testing.T, title string, ideas []int64, themes []int64, milestones ...participation.MilestoneText) *participation.Commitment {
	t.Helper()
	c, err := f.s.CreateCommitment(f.official, "avoin-hallinto", participation.NewCommitment{
		CommitmentText: participation.CommitmentText{Title: title, Problem: "Ongelma: " + title, Description: "Sitoumus: " + title, LeadAgency: "VM"},
		SourceIdeaIDs:  ideas, SourceThemeIDs: themes, Milestones: milestones,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ms(titles ...string) []participation.MilestoneText {
	out := make([]participation.MilestoneText, len(titles))
	for i, title := range titles {
		out[i] = participation.MilestoneText{Title: title, Due: participation.Date(fmt.Sprintf("2018-%02d-28", i+3)), Responsible: "OM"}
	}
	return out
}

func refIDs(refs []participation.SourceRef) []int64 {
	out := make([]int64, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	slices.Sort(out)
	return out
}

func TestCreateCommitment(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	t.Run("OK", func(t *testing.T) {
		c := f.draft(t, "Lasten ja nuorten osallisuus", []int64{f.ideas[0].ID, f.ideas[3].ID, f.ideas[0].ID}, []int64{f.themes[0].ID},
			ms("Lasten oikeuksien päivä", "TEAS-selvitys")...)
		if c.Status != participation.CommitmentDraft || c.Version != 1 || c.MergedInto != nil || len(c.MergedFrom) != 0 ||
			c.Completion != participation.CompletionNotStarted || c.ProcessSlug != "avoin-hallinto" {
			t.Fatalf("commitment %+v", c)
		}
		if !slices.Equal(refIDs(c.Sources.Ideas), []int64{f.ideas[0].ID, f.ideas[3].ID}) || len(c.Sources.Themes) != 1 ||
			c.Sources.Themes[0].Title != "Ymmärrettävyys" || len(c.Themes) != 1 {
			t.Fatalf("sources %+v themes %+v", c.Sources, c.Themes)
		}
		if len(c.Milestones) != 2 || c.Milestones[0].Status != participation.MilestoneNotStarted || c.Milestones[1].Due != "2018-04-28" ||
			c.Milestones[0].Note != nil || c.Milestones[0].EvidenceLinks == nil || c.Statements == nil || c.SurveyResults == nil {
			t.Fatalf("milestones %+v", c.Milestones)
		}
		vs, total, err := f.s.FindCommitmentVersions(context.Background(), c.ID, 50, 0)
		if err != nil || total != 1 || len(vs) != 1 || vs[0].Version != 1 || *vs[0].AuthorName != "Test official@example.fi" ||
			!slices.Equal(vs[0].ChangedFields, []string{"title", "problem", "description", "lead_agency", "milestones", "sources"}) ||
			vs[0].Snapshot.Title != c.Title || len(vs[0].Snapshot.Milestones) != 2 {
			t.Fatalf("versions %d %+v %v", total, vs, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, n := range []participation.NewCommitment{
			{},
			{CommitmentText: participation.CommitmentText{Title: "x"}, SourceIdeaIDs: []int64{999999}},
			{CommitmentText: participation.CommitmentText{Title: "x"}, SourceThemeIDs: []int64{999999}},
			{CommitmentText: participation.CommitmentText{Title: "x"}, Milestones: []participation.MilestoneText{{Title: "m", Due: "2018-02-30"}}},
		} {
			_, err := f.s.CreateCommitment(f.official, "avoin-hallinto", n)
			wantCode(t, err, participation.EINVALID)
		}
		// An idea of another process is not a source of this one.
		if _, err := f.s.CreateProcess(f.official, participation.NewProcess{Slug: "toinen", Title: "Toinen"}); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.CreateCommitment(f.official, "toinen", participation.NewCommitment{
			CommitmentText: participation.CommitmentText{Title: "x"}, SourceIdeaIDs: []int64{f.ideas[0].ID}})
		wantCode(t, err, participation.EINVALID)
		if list, _, _ := f.s.FindCommitments(context.Background(), participation.CommitmentFilter{ProcessSlug: "toinen", Limit: 10}); len(list) != 0 {
			t.Fatal("a refused draft was stored")
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.CreateCommitment(f.citizen, "avoin-hallinto", participation.NewCommitment{CommitmentText: participation.CommitmentText{Title: "x"}})
		wantCode(t, err, participation.EFORBIDDEN)
		_, err = f.s.CreateCommitment(context.Background(), "avoin-hallinto", participation.NewCommitment{CommitmentText: participation.CommitmentText{Title: "x"}})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.CreateCommitment(f.official, "nope", participation.NewCommitment{CommitmentText: participation.CommitmentText{Title: "x"}})
		wantCode(t, err, participation.ENOTFOUND)
		_, err = f.s.FindCommitment(context.Background(), 999999)
		wantCode(t, err, participation.ENOTFOUND)
	})
}

func TestFindCommitments(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	a := f.draft(t, "A", nil, nil)
	f.draft(t, "B", nil, nil)
	f.draft(t, "C", nil, nil)
	if _, err := f.s.ApproveCommitment(f.official, a.ID); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	list, total, err := f.s.FindCommitments(ctx, participation.CommitmentFilter{ProcessSlug: "avoin-hallinto", Limit: 2, Offset: 1})
	if err != nil || total != 3 || len(list) != 2 || list[0].Title != "B" {
		t.Fatalf("list %d %v %v", total, list, err)
	}
	list, total, err = f.s.FindCommitments(ctx, participation.CommitmentFilter{ProcessSlug: "avoin-hallinto", Status: "approved", Limit: 10})
	if err != nil || total != 1 || list[0].ID != a.ID {
		t.Fatalf("approved %d %v %v", total, list, err)
	}
	_, _, err = f.s.FindCommitments(ctx, participation.CommitmentFilter{ProcessSlug: "avoin-hallinto", Status: "deleted", Limit: 10})
	wantCode(t, err, participation.EINVALID)
	_, _, err = f.s.FindCommitments(ctx, participation.CommitmentFilter{ProcessSlug: "nope", Limit: 10})
	wantCode(t, err, participation.ENOTFOUND)
}

func TestUpdateCommitment(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	c := f.draft(t, "Selkeä kieli", []int64{f.ideas[3].ID}, nil, ms("Verkkokurssi", "Ohje")...)
	t.Run("OK", func(t *testing.T) {
		f.clk.t = f.clk.t.Add(48 * 3600e9)
		got, err := f.s.UpdateCommitment(f.other, c.ID, participation.CommitmentPatch{
			Title: ptr("Tukea ja koulutusta selkeään kieleen"), Problem: ptr("Virkakieli on vaikeaa."),
			StartsOn: ptr(participation.Date("2017-07-01")), ChangeNote: " Lausuntojen pohjalta ",
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.Title != "Tukea ja koulutusta selkeään kieleen" || got.Description != c.Description ||
			*got.StartsOn != "2017-07-01" || len(got.Milestones) != 2 {
			t.Fatalf("updated %+v", got)
		}
		vs, total, err := f.s.FindCommitmentVersions(context.Background(), c.ID, 50, 0)
		if err != nil || total != 2 || len(vs) != 2 {
			t.Fatalf("versions %d %v", total, err)
		}
		v := vs[1]
		if v.Version != 2 || *v.AuthorName != "Test other-official@example.fi" || *v.ChangeNote != "Lausuntojen pohjalta" ||
			!slices.Equal(v.ChangedFields, []string{"title", "problem", "starts_on"}) || !v.CreatedAt.Equal(f.clk.t) ||
			v.Snapshot.Title != got.Title || vs[0].Snapshot.Title != "Selkeä kieli" {
			t.Fatalf("version %+v", v)
		}
		// Paging.
		vs, total, err = f.s.FindCommitmentVersions(context.Background(), c.ID, 1, 1)
		if err != nil || total != 2 || len(vs) != 1 || vs[0].Version != 2 {
			t.Fatalf("page %d %v", total, err)
		}
	})
	t.Run("Milestones", func(t *testing.T) {
		c, _ := f.s.FindCommitment(context.Background(), c.ID)
		first, second := c.Milestones[0], c.Milestones[1]
		// Change the first, drop the second (it has no reports), add one.
		got, err := f.s.UpdateCommitment(f.official, c.ID, participation.CommitmentPatch{Milestones: &[]participation.MilestoneText{
			{ID: first.ID, Title: "Verkkokurssi eOppivaan", Due: "2018-06-30", Responsible: "Kotus ja HAUS"},
			{Title: "Uusi välitavoite", Due: "2019-06-30"},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 3 || len(got.Milestones) != 2 || got.Milestones[0].ID != first.ID || got.Milestones[0].Responsible != "Kotus ja HAUS" ||
			got.Milestones[1].ID == second.ID || got.Milestones[1].Title != "Uusi välitavoite" {
			t.Fatalf("milestones %+v", got.Milestones)
		}
		vs, _, _ := f.s.FindCommitmentVersions(context.Background(), c.ID, 50, 0)
		if !slices.Equal(vs[2].ChangedFields, []string{"milestones"}) {
			t.Fatalf("changed %v", vs[2].ChangedFields)
		}
		// A milestone with a status report cannot be dropped.
		if _, err := f.s.UpdateMilestone(f.official, first.ID, participation.MilestoneUpdate{Status: "on_track"}); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.UpdateCommitment(f.official, c.ID, participation.CommitmentPatch{Milestones: &[]participation.MilestoneText{}})
		wantCode(t, err, participation.ECONFLICT)
		// Another commitment's milestone is not this one's.
		other := f.draft(t, "Toinen", nil, nil, ms("Sen välitavoite")...)
		_, err = f.s.UpdateCommitment(f.official, c.ID, participation.CommitmentPatch{Milestones: &[]participation.MilestoneText{
			{ID: first.ID, Title: "x", Due: "2018-01-01"}, {ID: other.Milestones[0].ID, Title: "x", Due: "2018-01-01"}}})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("Sources", func(t *testing.T) {
		got, err := f.s.UpdateCommitment(f.official, c.ID, participation.CommitmentPatch{
			SourceIdeaIDs: &[]int64{f.ideas[6].ID}, SourceThemeIDs: &[]int64{f.themes[0].ID}, ChangeNote: "Lähteet"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(refIDs(got.Sources.Ideas), []int64{f.ideas[6].ID}) || !slices.Equal(refIDs(got.Sources.Themes), []int64{f.themes[0].ID}) {
			t.Fatalf("sources %+v", got.Sources)
		}
		_, err = f.s.UpdateCommitment(f.official, c.ID, participation.CommitmentPatch{SourceThemeIDs: &[]int64{999999}})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := f.s.UpdateCommitment(f.official, c.ID, participation.CommitmentPatch{Title: ptr(" ")})
		wantCode(t, err, participation.EINVALID)
		_, err = f.s.UpdateCommitment(f.official, c.ID, participation.CommitmentPatch{EndsOn: ptr(participation.Date("1999-01-01")), StartsOn: ptr(participation.Date("2000-01-01"))})
		wantCode(t, err, participation.EINVALID)
		got, _ := f.s.FindCommitment(context.Background(), c.ID)
		if got.Version != 4 {
			t.Fatalf("a refused patch made a version: %d", got.Version)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.UpdateCommitment(f.citizen, c.ID, participation.CommitmentPatch{Title: ptr("x")})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.UpdateCommitment(f.official, 999999, participation.CommitmentPatch{Title: ptr("x")})
		wantCode(t, err, participation.ENOTFOUND)
		_, _, err = f.s.FindCommitmentVersions(context.Background(), 999999, 50, 0)
		wantCode(t, err, participation.ENOTFOUND)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		a := f.draft(t, "Yhdistettävä", nil, nil)
		if _, err := f.s.MergeCommitment(f.official, a.ID, participation.Merge{IntoID: &c.ID}); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.UpdateCommitment(f.official, a.ID, participation.CommitmentPatch{Title: ptr("Muutos")})
		wantCode(t, err, participation.ECONFLICT)
		// State before content: a merged one is a conflict whatever the patch holds.
		_, err = f.s.UpdateCommitment(f.official, a.ID, participation.CommitmentPatch{Title: ptr("")})
		wantCode(t, err, participation.ECONFLICT)
	})
}

func TestApproveCommitment(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	c := f.draft(t, "Hyväksyttävä", nil, nil)
	t.Run("OK", func(t *testing.T) {
		got, err := f.s.ApproveCommitment(f.official, c.ID)
		if err != nil || got.Status != participation.CommitmentApproved || got.ApprovedAt == nil || got.Version != 1 {
			t.Fatalf("approved %+v %v", got, err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := f.s.ApproveCommitment(f.official, c.ID)
		wantCode(t, err, participation.ECONFLICT)
		a := f.draft(t, "Yhdistetty", nil, nil)
		if _, err := f.s.MergeCommitment(f.official, a.ID, participation.Merge{IntoID: &c.ID}); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.ApproveCommitment(f.official, a.ID)
		wantCode(t, err, participation.ECONFLICT)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.ApproveCommitment(f.citizen, c.ID)
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.ApproveCommitment(f.official, 999999)
		wantCode(t, err, participation.ENOTFOUND)
	})
}

// commitmentContributions gives the signed-in official of ctx a row in
// every commitment table with personal data, for the export test: a draft
// (with its first version), a milestone report, a follow, and a
// notification of another official's approval.
func commitmentContributions(t *testing.T, s *postgres.Store, ctx context.Context, slug string, ideaID int64) {
	t.Helper()
	c, err := s.CreateCommitment(ctx, slug, participation.NewCommitment{
		CommitmentText: participation.CommitmentText{Title: "Oma sitoumus"}, SourceIdeaIDs: []int64{ideaID},
		Milestones: []participation.MilestoneText{{Title: "Oma välitavoite", Due: "2018-12-31"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateMilestone(ctx, c.Milestones[0].ID, participation.MilestoneUpdate{Status: "on_track"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Follow(ctx, participation.FollowIdea, ideaID); err != nil {
		t.Fatal(err)
	}
	other, _ := mustAccount(t, s, "approver@example.fi", "official")
	addOfficial(t, s, ctx, slug, "approver@example.fi")
	if _, err := s.ApproveCommitment(other, c.ID); err != nil {
		t.Fatal(err)
	}
}
