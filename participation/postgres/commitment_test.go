package postgres_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lib/pq"

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

func TestMergeCommitment(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	into := f.draft(t, "Julkisuusperiaate yhtiöihin", []int64{f.ideas[1].ID}, []int64{f.themes[1].ID}, ms("Selvitys")...)
	from := f.draft(t, "Sopimusohjeistus", []int64{f.ideas[1].ID, f.ideas[4].ID}, []int64{f.themes[1].ID, f.themes[2].ID}, ms("Ohjeistus", "Kampanja")...)
	// A status report on a milestone that moves keeps its history.
	if _, err := f.s.UpdateMilestone(f.official, from.Milestones[0].ID, participation.MilestoneUpdate{Status: "late", Note: ptr("Alkoi myöhässä")}); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		merged, err := f.s.MergeCommitment(f.other, from.ID, participation.Merge{IntoID: &into.ID, Note: "Yhdistetty lausuntojen pohjalta"})
		if err != nil {
			t.Fatal(err)
		}
		if merged.Status != participation.CommitmentMerged || *merged.MergedInto != into.ID || merged.MergedAt == nil ||
			len(merged.Milestones) != 0 || merged.Version != from.Version || merged.Title != from.Title {
			t.Fatalf("merged %+v", merged)
		}
		// Nothing is deleted: its sources stay with it too.
		if !slices.Equal(refIDs(merged.Sources.Ideas), refIDs(from.Sources.Ideas)) {
			t.Fatalf("the merged one lost its sources: %+v", merged.Sources)
		}
		got, err := f.s.FindCommitment(context.Background(), into.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || !slices.Equal(got.MergedFrom, []int64{from.ID}) ||
			!slices.Equal(refIDs(got.Sources.Ideas), []int64{f.ideas[1].ID, f.ideas[4].ID}) ||
			!slices.Equal(refIDs(got.Sources.Themes), []int64{f.themes[1].ID, f.themes[2].ID}) {
			t.Fatalf("target %+v", got)
		}
		if len(got.Milestones) != 3 || got.Milestones[0].Title != "Selvitys" || got.Milestones[1].ID != from.Milestones[0].ID ||
			got.Milestones[1].Status != "late" || got.Milestones[2].Title != "Kampanja" || got.Milestones[1].OriginID != from.ID {
			t.Fatalf("milestones %+v", got.Milestones)
		}
		if !strings.Contains(got.Problem, "Sopimusohjeistus:\n"+from.Problem) || !strings.HasPrefix(got.Problem, into.Problem) ||
			!strings.Contains(got.Description, from.Description) {
			t.Fatalf("text %q / %q", got.Problem, got.Description)
		}
		changes, err := f.s.FindMilestoneChanges(context.Background(), from.Milestones[0].ID)
		if err != nil || len(changes) != 1 || *changes[0].Note != "Alkoi myöhässä" {
			t.Fatalf("history %+v %v", changes, err)
		}
		if cs, _ := f.s.FindCommitmentChanges(context.Background(), into.ID); len(cs) != 1 {
			t.Fatalf("target's changes %+v", cs)
		}
		vs, _, _ := f.s.FindCommitmentVersions(context.Background(), into.ID, 50, 0)
		v := vs[1]
		if *v.ChangeNote != "Yhdistetty lausuntojen pohjalta" || *v.MergedFrom != from.ID ||
			!slices.Equal(v.ChangedFields, []string{"problem", "description", "milestones", "sources"}) {
			t.Fatalf("merge version %+v", v)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		other := f.draft(t, "Kolmas", nil, nil)
		// Into itself.
		_, err := f.s.MergeCommitment(f.official, other.ID, participation.Merge{IntoID: &other.ID})
		wantCode(t, err, participation.ECONFLICT)
		// Into a merged one.
		_, err = f.s.MergeCommitment(f.official, other.ID, participation.Merge{IntoID: &from.ID})
		wantCode(t, err, participation.ECONFLICT)
		// A merged one, anywhere; even with a bad body (state before content).
		_, err = f.s.MergeCommitment(f.official, from.ID, participation.Merge{IntoID: &other.ID})
		wantCode(t, err, participation.ECONFLICT)
		_, err = f.s.MergeCommitment(f.official, from.ID, participation.Merge{})
		wantCode(t, err, participation.ECONFLICT)
		if got, _ := f.s.FindCommitment(context.Background(), other.ID); got.Status != participation.CommitmentDraft {
			t.Fatalf("status %s", got.Status)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		other := f.draft(t, "Neljäs", nil, nil)
		_, err := f.s.MergeCommitment(f.official, other.ID, participation.Merge{})
		wantCode(t, err, participation.EINVALID)
		_, err = f.s.MergeCommitment(f.official, other.ID, participation.Merge{IntoID: ptr(int64(999999))})
		wantCode(t, err, participation.EINVALID)
		if _, err := f.s.CreateProcess(f.official, participation.NewProcess{Slug: "toinen", Title: "Toinen"}); err != nil {
			t.Fatal(err)
		}
		elsewhere, err := f.s.CreateCommitment(f.official, "toinen", participation.NewCommitment{CommitmentText: participation.CommitmentText{Title: "Muualla"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.MergeCommitment(f.official, other.ID, participation.Merge{IntoID: &elsewhere.ID})
		wantCode(t, err, participation.EINVALID)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.MergeCommitment(f.citizen, into.ID, participation.Merge{IntoID: &from.ID})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.MergeCommitment(f.official, 999999, participation.Merge{IntoID: &into.ID})
		wantCode(t, err, participation.ENOTFOUND)
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

func TestUpdateMilestone(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	c := f.draft(t, "Saavutettavuusohje", nil, nil, ms("Saavutettavasti.fi beta")...)
	m := c.Milestones[0]
	t.Run("OK", func(t *testing.T) {
		got, err := f.s.UpdateMilestone(f.official, m.ID, participation.MilestoneUpdate{Status: "on_track", Note: ptr("Beta julkaistu"),
			EvidenceLinks: []string{"https://www.saavutettavasti.fi"}})
		if err != nil || got.Status != "on_track" || *got.Note != "Beta julkaistu" || !slices.Equal(got.EvidenceLinks, []string{"https://www.saavutettavasti.fi"}) ||
			got.UpdatedAt == nil {
			t.Fatalf("milestone %+v %v", got, err)
		}
		f.clk.t = f.clk.t.Add(3600e9)
		if _, err := f.s.UpdateMilestone(f.other, m.ID, participation.MilestoneUpdate{Status: "done"}); err != nil {
			t.Fatal(err)
		}
		changes, err := f.s.FindMilestoneChanges(context.Background(), m.ID)
		if err != nil || len(changes) != 2 || changes[0].Status != "done" || *changes[0].AuthorName != "Test other-official@example.fi" ||
			changes[0].Note != nil || changes[1].Status != "on_track" || *changes[1].Note != "Beta julkaistu" ||
			!changes[0].CreatedAt.Equal(f.clk.t) || changes[1].EvidenceLinks[0] != "https://www.saavutettavasti.fi" {
			t.Fatalf("history %+v %v", changes, err)
		}
		after, _ := f.s.FindCommitment(context.Background(), c.ID)
		if after.Completion != participation.CompletionComplete || after.Milestones[0].Overdue {
			t.Fatalf("commitment %+v", after)
		}
	})
	t.Run("Overdue", func(t *testing.T) {
		late := f.draft(t, "Myöhässä", nil, nil, participation.MilestoneText{Title: "Eilen", Due: participation.DateOf(f.clk.t.Add(-24 * 3600e9))})
		if !late.Milestones[0].Overdue {
			t.Fatalf("not overdue: %+v", late.Milestones[0])
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, u := range []participation.MilestoneUpdate{{Status: "cancelled"}, {}, {Status: "done", EvidenceLinks: []string{"not a link"}}} {
			_, err := f.s.UpdateMilestone(f.official, m.ID, u)
			wantCode(t, err, participation.EINVALID)
		}
		if changes, _ := f.s.FindMilestoneChanges(context.Background(), m.ID); len(changes) != 2 {
			t.Fatalf("a refused update was kept: %d changes", len(changes))
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := f.s.UpdateMilestone(f.citizen, m.ID, participation.MilestoneUpdate{Status: "done"})
		wantCode(t, err, participation.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := f.s.UpdateMilestone(f.official, 999999, participation.MilestoneUpdate{Status: "done"})
		wantCode(t, err, participation.ENOTFOUND)
		_, err = f.s.FindMilestoneChanges(context.Background(), 999999)
		wantCode(t, err, participation.ENOTFOUND)
	})
}

// castVotes adds a workshop poll whose options are the themes (in order),
// with ballots that give theme i votes[i], written with plain SQL as the
// workshop store writes them. Ballots name up to three options each, so a
// ballot counts for every option it names. It returns the option ids.
func castVotes(t *testing.T, s *postgres.Store, processID int64, question, status string, themeIDs []int64, votes []int) []int64 {
	t.Helper()
	db := s.DB()
	code, err := participation.NewJoinCode()
	if err != nil {
		t.Fatal(err)
	}
	var workshopID, pollID int64
	if err := db.Get(&workshopID, `INSERT INTO workshops (process_id, title, starts_at, join_code, created_at)
		VALUES ($1, 'Avaustilaisuus 6.9.2016', '2016-09-06T09:00:00Z', $2, now()) RETURNING id`, processID, code); err != nil {
		t.Fatal(err)
	}
	// A poll that has opened has its opening time, and a closed one its closing time.
	if err := db.Get(&pollID, `INSERT INTO polls (workshop_id, question, max_choices, status, position, opened_at, closed_at, created_at)
		VALUES ($1, $2, 3, $3, 1, CASE WHEN $3 <> 'draft' THEN now() END, CASE WHEN $3 = 'closed' THEN now() END, now())
		RETURNING id`, workshopID, question, status); err != nil {
		t.Fatal(err)
	}
	options := make([]int64, len(themeIDs))
	for i, th := range themeIDs {
		if err := db.Get(&options[i], `INSERT INTO poll_options (poll_id, label, theme_id, position)
			VALUES ($1, $2, $3, $4) RETURNING id`, pollID, fmt.Sprint("Teema ", i), th, i); err != nil {
			t.Fatal(err)
		}
	}
	left := slices.Clone(votes)
	for p := 0; ; p++ {
		var ballot []int64
		for i := range left {
			if left[i] > 0 && len(ballot) < 3 {
				ballot = append(ballot, options[i])
				left[i]--
			}
		}
		if len(ballot) == 0 {
			break
		}
		var participantID int64
		hash := sha256.Sum256([]byte(fmt.Sprint(code, p)))
		if err := db.Get(&participantID, `INSERT INTO participants (workshop_id, token_hash, created_at)
			VALUES ($1, $2, now()) RETURNING id`, workshopID, hash[:]); err != nil {
			t.Fatal(err)
		}
		db.MustExec(`INSERT INTO ballots (poll_id, participant_id, option_ids, created_at, updated_at)
			VALUES ($1, $2, $3, now(), now())`, pollID, participantID, pq.Array(ballot))
	}
	return options
}

func TestFindTrace(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	fourth, err := f.s.CreateTheme(f.official, f.round.ID, participation.NewTheme{Title: "Neljäs"})
	if err != nil {
		t.Fatal(err)
	}
	themeIDs := []int64{f.themes[0].ID, f.themes[1].ID, f.themes[2].ID, fourth.ID}
	// Votes 5, 3, 3, 1: ranks 1, 2, 2, 4. The idea's theme (themes[1]) ties second.
	options := castVotes(t, f.s, f.processID, "Tärkeimmät tavoitealueet", "closed", themeIDs, []int{5, 3, 3, 1})
	castVotes(t, f.s, f.processID, "Luonnos, ei vielä auki", "draft", themeIDs, []int{0, 0, 0, 0})
	castVotes(t, f.s, f.processID, "Toinen kierros", "open", themeIDs[1:3], []int{4, 2})

	idea := f.ideas[1] // in themes[1]
	// A: from the idea itself; B: from something else; D: from the idea's theme.
	a := f.draft(t, "A", []int64{idea.ID}, nil, ms("A:n välitavoite")...)
	b := f.draft(t, "B", []int64{f.ideas[0].ID}, nil, ms("B:n välitavoite")...)
	c := f.draft(t, "C", nil, nil, ms("C:n välitavoite")...)
	d := f.draft(t, "D", nil, []int64{f.themes[1].ID}, ms("D:n välitavoite")...)
	f.draft(t, "E", []int64{f.ideas[2].ID}, []int64{f.themes[2].ID}) // not fed by the idea
	// A chain of merges: A → B → C.
	for _, m := range [][2]int64{{a.ID, b.ID}, {b.ID, c.ID}} {
		if _, err := f.s.MergeCommitment(f.official, m[0], participation.Merge{IntoID: &m[1]}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.s.ApproveCommitment(f.official, c.ID); err != nil {
		t.Fatal(err)
	}

	tr, err := f.s.FindTrace(context.Background(), idea.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Idea.ID != idea.ID || tr.Theme == nil || tr.Theme.ID != f.themes[1].ID {
		t.Fatalf("idea %+v theme %+v", tr.Idea, tr.Theme)
	}
	if len(tr.Polls) != 2 {
		t.Fatalf("polls %+v", tr.Polls)
	}
	if p := tr.Polls[0]; p.Question != "Tärkeimmät tavoitealueet" || p.OptionID != options[1] || p.Votes != 3 || p.Rank != 2 || p.Options != 4 {
		t.Fatalf("first poll %+v", p)
	}
	if p := tr.Polls[1]; p.Votes != 4 || p.Rank != 1 || p.Options != 2 {
		t.Fatalf("second poll %+v", p)
	}
	type row struct {
		id         int64
		status     string
		via        string
		mergedInto int64
		endedIn    int64
	}
	var got []row
	for _, c := range tr.Commitments {
		r := row{id: c.ID, status: c.Status, via: c.Via}
		if c.MergedInto != nil {
			r.mergedInto = *c.MergedInto
		}
		if c.EndedIn != nil {
			r.endedIn = *c.EndedIn
		}
		got = append(got, r)
	}
	// A fed it directly; B and C hold A's sources after the merges, so
	// they did too; D through the theme.
	want := []row{
		{a.ID, "merged", "idea", b.ID, c.ID},
		{b.ID, "merged", "idea", c.ID, c.ID},
		{c.ID, "approved", "idea", 0, 0},
		{d.ID, "draft", "theme", 0, 0},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("commitments\n got %+v\nwant %+v", got, want)
	}
	// The milestones of where it ended: C (with A's and B's moved there) and D.
	var titles []string
	for _, m := range tr.Milestones {
		titles = append(titles, m.Title)
	}
	if !slices.Equal(titles, []string{"C:n välitavoite", "B:n välitavoite", "A:n välitavoite", "D:n välitavoite"}) {
		t.Fatalf("milestones %v", titles)
	}

	// An idea without a theme or commitments has an empty trace.
	tr, err = f.s.FindTrace(context.Background(), f.ideas[6].ID)
	if err != nil || tr.Theme != nil || len(tr.Polls) != 0 || len(tr.Commitments) != 0 || tr.Milestones == nil {
		t.Fatalf("empty trace %+v %v", tr, err)
	}
	// Through the theme alone: another idea of themes[1] reaches D only.
	other := f.idea(t, f.citizen, "Samaan teemaan", "x")
	if _, err := f.s.SetIdeaTheme(f.official, &f.themes[1].ID, other.ID); err != nil {
		t.Fatal(err)
	}
	tr, err = f.s.FindTrace(context.Background(), other.ID)
	if err != nil || len(tr.Commitments) != 1 || tr.Commitments[0].ID != d.ID || tr.Commitments[0].Via != "theme" {
		t.Fatalf("via theme %+v %v", tr.Commitments, err)
	}

	_, err = f.s.FindTrace(context.Background(), 999999)
	wantCode(t, err, participation.ENOTFOUND)
	if err := f.s.HideItem(f.official, participation.KindIdea, idea.ID, participation.Hide{Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	_, err = f.s.FindTrace(f.citizen, idea.ID)
	wantCode(t, err, participation.ENOTFOUND)
}

func TestFindDraftingSources(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	// themes[2] wins the first poll, themes[0] ties with it in the second;
	// themes[1] is second at best.
	castVotes(t, f.s, f.processID, "Ensimmäinen", "closed", []int64{f.themes[0].ID, f.themes[1].ID, f.themes[2].ID}, []int{1, 4, 6})
	castVotes(t, f.s, f.processID, "Toinen", "closed", []int64{f.themes[0].ID, f.themes[2].ID}, []int{2, 2})
	for range 2 {
		if _, err := f.s.SupportIdea(context.Background(), f.ideas[3].ID, participation.Supporter{RespondentToken: fmt.Sprint("respondent-token-", f.clk.t.UnixNano())}); err != nil {
			t.Fatal(err)
		}
		f.clk.t = f.clk.t.Add(1)
	}
	src, err := f.s.FindDraftingSources(context.Background(), "avoin-hallinto")
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, th := range src.Themes {
		order = append(order, fmt.Sprint(th.Title, " ", *th.BestRank, " ", th.Votes))
	}
	if !slices.Equal(order, []string{"Avoin maakunta 1 8", "Ymmärrettävyys 1 3", "Julkisuus 2 4"}) {
		t.Fatalf("themes %v", order)
	}
	// Ymmärrettävyys holds ideas 0 and 3; 3 has the supports.
	if ideas := src.Themes[1].Ideas; len(ideas) != 2 || ideas[0].ID != f.ideas[3].ID || ideas[0].Supports != 2 {
		t.Fatalf("ideas %+v", ideas)
	}
	if len(src.Unthemed) != 1 || src.Unthemed[0].ID != f.ideas[6].ID {
		t.Fatalf("unthemed %+v", src.Unthemed)
	}
	_, err = f.s.FindDraftingSources(context.Background(), "nope")
	wantCode(t, err, participation.ENOTFOUND)
}

func TestFollowAndNotifications(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	liisa, liisaAccount := mustAccount(t, f.s, "liisa@example.fi")
	matti, _ := mustAccount(t, f.s, "matti@example.fi")
	idea := f.ideas[1] // in themes[1]

	t.Run("Follow", func(t *testing.T) {
		for range 2 { // repeating is harmless
			if err := f.s.Follow(liisa, participation.FollowIdea, idea.ID); err != nil {
				t.Fatal(err)
			}
		}
		if ok, err := f.s.IsFollowing(liisa, participation.FollowIdea, idea.ID); err != nil || !ok {
			t.Fatalf("following %v %v", ok, err)
		}
		if ok, _ := f.s.IsFollowing(context.Background(), participation.FollowIdea, idea.ID); ok {
			t.Fatal("signed out follows")
		}
		wantCode(t, f.s.Follow(context.Background(), participation.FollowIdea, idea.ID), participation.EUNAUTHENTICATED)
		wantCode(t, f.s.Follow(liisa, participation.FollowIdea, 999999), participation.ENOTFOUND)
		wantCode(t, f.s.Follow(liisa, participation.FollowCommitment, 999999), participation.ENOTFOUND)
		wantCode(t, f.s.Follow(liisa, "theme", f.themes[0].ID), participation.ENOTFOUND)
	})

	// The commitment comes from the idea's theme, not the idea itself.
	c := f.draft(t, "Julkisuuslakiosaaminen", nil, []int64{f.themes[1].ID}, ms("Kurssit", "Muistilista")...)
	unrelated := f.draft(t, "Muu", []int64{f.ideas[0].ID}, nil, ms("Muu välitavoite")...)
	if err := f.s.Follow(matti, participation.FollowCommitment, c.ID); err != nil {
		t.Fatal(err)
	}
	// The official who acts follows too, and is not told of their own change.
	if err := f.s.Follow(f.official, participation.FollowCommitment, c.ID); err != nil {
		t.Fatal(err)
	}

	t.Run("OnApprove", func(t *testing.T) {
		if _, err := f.s.ApproveCommitment(f.official, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.ApproveCommitment(f.official, unrelated.ID); err != nil {
			t.Fatal(err)
		}
		list, total, err := f.s.FindNotifications(liisa, participation.NotificationFilter{Limit: 10})
		if err != nil || total != 1 || list[0].Kind != participation.NotifyCommitmentApproved || list[0].CommitmentID != c.ID ||
			list[0].CommitmentTitle != c.Title || list[0].Link != fmt.Sprint("/commitments/", c.ID) || list[0].ReadAt != nil {
			t.Fatalf("liisa's %d %+v %v", total, list, err)
		}
		if _, total, _ := f.s.FindNotifications(matti, participation.NotificationFilter{Limit: 10}); total != 1 {
			t.Fatalf("matti's %d", total)
		}
		if _, total, _ := f.s.FindNotifications(f.official, participation.NotificationFilter{Limit: 10}); total != 0 {
			t.Fatalf("the official was told of their own approval: %d", total)
		}
	})
	t.Run("OnMilestoneStatus", func(t *testing.T) {
		m := c.Milestones[1]
		if _, err := f.s.UpdateMilestone(f.official, m.ID, participation.MilestoneUpdate{Status: "on_track"}); err != nil {
			t.Fatal(err)
		}
		// A note without a change of status tells nobody.
		if _, err := f.s.UpdateMilestone(f.official, m.ID, participation.MilestoneUpdate{Status: "on_track", Note: ptr("Kurssit käynnissä")}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdateMilestone(f.official, unrelated.Milestones[0].ID, participation.MilestoneUpdate{Status: "done"}); err != nil {
			t.Fatal(err)
		}
		list, total, err := f.s.FindNotifications(liisa, participation.NotificationFilter{Limit: 10})
		if err != nil || total != 2 {
			t.Fatalf("liisa's %d %v", total, err)
		}
		n := list[0]
		if n.Kind != participation.NotifyMilestoneStatus || *n.MilestoneID != m.ID || *n.MilestoneTitle != "Muistilista" || *n.Status != "on_track" ||
			n.Link != fmt.Sprint("/commitments/", c.ID, "#milestone-", m.ID) {
			t.Fatalf("notification %+v", n)
		}
		if n, _ := f.s.CountUnreadNotifications(matti); n != 2 {
			t.Fatalf("matti's unread %d", n)
		}
	})
	t.Run("MergedFollowersHearOfTheTarget", func(t *testing.T) {
		// Someone following a draft that is merged hears of the target's milestones.
		drop := f.draft(t, "Yhdistyvä", nil, nil)
		pekka, _ := mustAccount(t, f.s, "pekka@example.fi")
		if err := f.s.Follow(pekka, participation.FollowCommitment, drop.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.MergeCommitment(f.official, drop.ID, participation.Merge{IntoID: &c.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdateMilestone(f.official, c.Milestones[0].ID, participation.MilestoneUpdate{Status: "late"}); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.CountUnreadNotifications(pekka); n != 1 {
			t.Fatalf("pekka's unread %d", n)
		}
	})
	t.Run("Read", func(t *testing.T) {
		list, _, _ := f.s.FindNotifications(liisa, participation.NotificationFilter{Limit: 10})
		unread, err := f.s.MarkNotificationsRead(liisa, []int64{list[0].ID})
		if err != nil || unread != len(list)-1 {
			t.Fatalf("unread %d of %d %v", unread, len(list), err)
		}
		if _, total, _ := f.s.FindNotifications(liisa, participation.NotificationFilter{UnreadOnly: true, Limit: 10}); total != unread {
			t.Fatalf("unread list %d", total)
		}
		// Another's notification is not marked by id.
		mattis, _, _ := f.s.FindNotifications(matti, participation.NotificationFilter{Limit: 10})
		if _, err := f.s.MarkNotificationsRead(liisa, []int64{mattis[0].ID}); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.CountUnreadNotifications(matti); n != len(mattis) {
			t.Fatalf("matti's unread %d", n)
		}
		if unread, err := f.s.MarkNotificationsRead(liisa, nil); err != nil || unread != 0 {
			t.Fatalf("unread %d %v", unread, err)
		}
		if n, _ := f.s.CountUnreadNotifications(context.Background()); n != 0 {
			t.Fatal("signed out has notifications")
		}
		_, _, err = f.s.FindNotifications(context.Background(), participation.NotificationFilter{Limit: 10})
		wantCode(t, err, participation.EUNAUTHENTICATED)
	})
	t.Run("Unfollow", func(t *testing.T) {
		if err := f.s.Unfollow(liisa, participation.FollowIdea, idea.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdateMilestone(f.official, c.Milestones[0].ID, participation.MilestoneUpdate{Status: "done"}); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.CountUnreadNotifications(liisa); n != 0 {
			t.Fatalf("told after unfollowing: %d", n)
		}
	})
	t.Run("Erase", func(t *testing.T) {
		if err := f.s.Follow(liisa, participation.FollowCommitment, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdateMilestone(f.official, c.Milestones[0].ID, participation.MilestoneUpdate{Status: "on_track"}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.EraseAccount(liisa); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := f.s.DB().Get(&left, `SELECT (SELECT count(*) FROM follows WHERE account_id = $1) + (SELECT count(*) FROM notifications WHERE account_id = $1)`,
			liisaAccount.ID); err != nil || left != 0 {
			t.Fatalf("%d follows and notifications left after erasure: %v", left, err)
		}
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
	if _, err := s.ApproveCommitment(other, c.ID); err != nil {
		t.Fatal(err)
	}
}

// TestSeedCommitments replays the end of the seed's process, Finland's Open
// Government action plan 2017–2019: ten commitment drafts from the idea
// round's ideas and themes, three merged into others ("ten became seven,
// with nothing lost"), seven approved, their milestones reported at the
// mid-term self-assessment, and the report's totals.
func TestSeedCommitments(t *testing.T) {
	t.Parallel()
	f := newCommitmentFixture(t)
	vulnerable := f.idea(t, f.citizen, "Haavoittuvassa asemassa olevat mukaan", "Maahanmuuttajat ja vanhukset")
	th := func(i int) int64 { return f.themes[i].ID }
	id := func(i int) int64 { return f.ideas[i].ID }
	const (
		done = participation.MilestoneDone
		on   = participation.MilestoneOnTrack
		late = participation.MilestoneLate
		not  = participation.MilestoneNotStarted
	)
	drafts := []struct {
		title    string
		ideas    []int64
		themes   []int64
		statuses []string // of its milestones at the mid-term review
	}{
		{"Lisätään lasten ja nuorten osallisuutta päätöksenteon valmistelussa ministeriöissä", []int64{id(0)}, []int64{th(0)}, []string{done, late}},
		{"Haavoittuvassa asemassa olevien ihmisten osallisuuden edistäminen", []int64{vulnerable.ID}, nil, []string{done, on, not}},
		{"Eri osallisuusmuotojen käytön tukeminen", nil, []int64{th(0)}, []string{done, on}},
		{"Tukea ja koulutusta selkeään kieleen", []int64{id(3)}, nil, []string{done}},
		{"Tukea ja kokeiluja erilaisten viestintäkanavien käyttöön", []int64{id(6)}, nil, []string{not, late}},
		{"Laaditaan ohje viestinnän saavutettavuudesta", []int64{id(3)}, []int64{th(0)}, []string{on}},
		{"Laajennetaan julkisuusperiaate koskemaan myös yhtiömuodossa tuotettavia julkisia palveluja", []int64{id(1)}, []int64{th(1)}, []string{on}},
		{"Laaditaan ohjeistus avoimen hallinnon periaatteista palvelujen tuottajien sopimuksiin", []int64{id(4)}, nil, []string{late, late}},
		{"Vahvistetaan julkisuuslakiosaamista hallinnossa", nil, []int64{th(1)}, []string{done, on}},
		{"Laaditaan maakuntahallinnosta selkeä kuvaus", []int64{id(2), id(5)}, []int64{th(2)}, []string{on, late}},
	}
	var cs []*participation.Commitment
	want := map[int64]string{} // milestone id → status to report
	for i, d := range drafts {
		var mts []participation.MilestoneText
		for j := range d.statuses {
			mts = append(mts, participation.MilestoneText{Title: fmt.Sprintf("Toimenpide %d.%d", i+1, j+1),
				Due: participation.Date(fmt.Sprintf("2019-%02d-30", j+4)), Responsible: "VM"})
		}
		c := f.draft(t, d.title, d.ideas, d.themes, mts...)
		for j, m := range c.Milestones {
			want[m.ID] = d.statuses[j]
		}
		cs = append(cs, c)
	}
	// The statements round revises a draft.
	if _, err := f.s.UpdateCommitment(f.official, cs[0].ID, participation.CommitmentPatch{
		Description: ptr("Lasten oikeuksien päivää kehitetään ja lasten kuulemista selvitetään."), ChangeNote: "46 lausunnon pohjalta"}); err != nil {
		t.Fatal(err)
	}
	// Three are merged into others: ten become seven.
	merges := map[int]int{1: 0, 5: 3, 7: 6}
	for from, into := range merges {
		if _, err := f.s.MergeCommitment(f.official, cs[from].ID, participation.Merge{IntoID: &cs[into].ID, Note: "Yhdistetty lausuntojen pohjalta"}); err != nil {
			t.Fatal(err)
		}
	}
	// Seven are approved: every one that was not merged.
	for i, c := range cs {
		if _, merged := merges[i]; merged {
			_, err := f.s.ApproveCommitment(f.official, c.ID)
			wantCode(t, err, participation.ECONFLICT)
			continue
		}
		if _, err := f.s.ApproveCommitment(f.official, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	// The mid-term review reports each milestone's status.
	for mid, status := range want {
		if status == not {
			continue // not started is where every milestone begins
		}
		if _, err := f.s.UpdateMilestone(f.official, mid, participation.MilestoneUpdate{Status: status, Note: ptr("Tilanne elokuussa 2018")}); err != nil {
			t.Fatal(err)
		}
	}

	ctx := context.Background()
	count := func(status string) int {
		_, total, err := f.s.FindCommitments(ctx, participation.CommitmentFilter{ProcessSlug: "avoin-hallinto", Status: status, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	if n, a, m, d := count(""), count("approved"), count("merged"), count("draft"); n != 10 || a != 7 || m != 3 || d != 0 {
		t.Fatalf("%d commitments: %d approved, %d merged, %d drafts", n, a, m, d)
	}
	// Nothing is lost: every source, milestone and text of a merged one is
	// found on the commitment it ended in.
	for from, into := range merges {
		merged, err := f.s.FindCommitment(ctx, cs[from].ID)
		if err != nil {
			t.Fatal(err)
		}
		target, err := f.s.FindCommitment(ctx, cs[into].ID)
		if err != nil {
			t.Fatal(err)
		}
		if merged.Status != "merged" || *merged.MergedInto != target.ID || !slices.Contains(target.MergedFrom, merged.ID) {
			t.Fatalf("%q: %s into %v", merged.Title, merged.Status, merged.MergedInto)
		}
		for _, src := range cs[from].Sources.Ideas {
			if !slices.Contains(refIDs(target.Sources.Ideas), src.ID) {
				t.Errorf("idea %q of %q is not on %q", src.Title, merged.Title, target.Title)
			}
		}
		for _, src := range cs[from].Sources.Themes {
			if !slices.Contains(refIDs(target.Sources.Themes), src.ID) {
				t.Errorf("theme %q of %q is not on %q", src.Title, merged.Title, target.Title)
			}
		}
		for _, m := range cs[from].Milestones {
			if !slices.ContainsFunc(target.Milestones, func(x participation.Milestone) bool { return x.ID == m.ID }) {
				t.Errorf("milestone %q of %q is not on %q", m.Title, merged.Title, target.Title)
			}
		}
		if !strings.Contains(target.Problem, cs[from].Problem) || !strings.Contains(target.Description, cs[from].Description) {
			t.Errorf("the text of %q is not in %q", merged.Title, target.Title)
		}
		// And through the trace, from each of its ideas.
		for _, src := range cs[from].Sources.Ideas {
			tr, err := f.s.FindTrace(ctx, src.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(tr.Commitments, func(c participation.TraceCommitment) bool {
				return c.ID == merged.ID && c.EndedIn != nil && *c.EndedIn == target.ID
			}) {
				t.Errorf("the trace of %q does not follow %q to %q: %+v", src.Title, merged.Title, target.Title, tr.Commitments)
			}
		}
	}

	r, err := f.s.FindReport(ctx, "avoin-hallinto")
	if err != nil {
		t.Fatal(err)
	}
	var expected participation.MilestoneTotals
	for _, status := range want {
		expected.Add(status)
	}
	if expected != (participation.MilestoneTotals{Done: 5, OnTrack: 6, Late: 5, NotStarted: 2}) {
		t.Fatalf("the test's own count %+v", expected)
	}
	if len(r.Commitments) != 7 || r.Totals != expected || r.Totals.Sum() != 18 {
		t.Fatalf("report: %d commitments, totals %+v", len(r.Commitments), r.Totals)
	}
	lateCommitments := 0
	for _, c := range r.Commitments {
		if c.Status != "approved" {
			t.Errorf("%q is %s", c.Title, c.Status)
		}
		if slices.ContainsFunc(c.Milestones, func(m participation.Milestone) bool { return m.Status == late }) {
			lateCommitments++
		}
	}
	// "Neljän tavoitteen kohdalla ollaan aikataulusta myöhässä."
	if lateCommitments != 4 {
		t.Errorf("%d commitments are late, want 4", lateCommitments)
	}
	if r.Completion != (participation.CompletionTotals{Limited: 4, Substantial: 3}) {
		t.Errorf("completion %+v", r.Completion)
	}
	if len(r.Commitments[0].Milestones) != 5 || r.Commitments[0].Version != 3 {
		t.Errorf("the first commitment: %d milestones, version %d", len(r.Commitments[0].Milestones), r.Commitments[0].Version)
	}
}
