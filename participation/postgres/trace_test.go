package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/lib/pq"

	"osallistu/participation"
	"osallistu/participation/postgres"
)

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
		if err := db.Get(&participantID, `INSERT INTO participants (workshop_id, created_at)
			VALUES ($1, now()) RETURNING id`, workshopID); err != nil {
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
