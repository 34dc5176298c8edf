package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	"osallistu/participation"
	"osallistu/participation/postgres"
	schema "osallistu/sql"
)

// demoData is the shape of sql/demo/demo.json: the story of Finland's Open
// Government action plan 2017–2019 as the platform would have carried it.
type demoData struct {
	Official  participation.NewAccount `json:"official"`
	Process   participation.NewProcess `json:"process"`
	IdeaRound struct {
		participation.NewIdeaRound
		Themes []struct {
			participation.NewTheme
			Votes int                     `json:"votes"`
			Ideas []participation.NewIdea `json:"ideas"`
		} `json:"themes"`
	} `json:"idea_round"`
	Workshop struct {
		participation.NewWorkshop
		Question             string                     `json:"question"`
		QuestionTranslations participation.Translations `json:"question_translations"`
		MaxChoices           int                        `json:"max_choices"`
		Participants         int                        `json:"participants"`
	} `json:"workshop"`
	DraftedAt   time.Time `json:"drafted_at"`
	ApprovedAt  time.Time `json:"approved_at"`
	AssessedAt  time.Time `json:"assessed_at"`
	Commitments []struct {
		participation.CommitmentText
		Themes     []int    `json:"themes"` // indexes into the round's themes
		Ideas      [][2]int `json:"ideas"`  // (theme, idea) indexes
		MergeInto  *int     `json:"merge_into"`
		Milestones []struct {
			participation.MilestoneText
			Status string `json:"status"`
			Note   string `json:"note"`
		} `json:"milestones"`
	} `json:"commitments"`
}

// loadDemo loads the demo process and replays it at its real dates: the
// idea round, the workshop's ballots, the commitment drafts, their merges
// and approval, and the milestones' statuses at the mid-term review. It is
// idempotent: a second run finds the process there and changes nothing.
//
// The demo's official runs the process and is no admin. Its password is
// password (OSALLISTU_DEMO_PASSWORD) or, when that is empty, one generated
// here; either is printed once. An account that already exists keeps its own.
func loadDemo(ctx context.Context, store *postgres.Store, password string, out io.Writer) error {
	var d demoData
	if err := json.Unmarshal(schema.Demo, &d); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	if _, err := store.FindProcessBySlug(ctx, d.Process.Slug); err == nil {
		fmt.Fprintf(out, "the demo process is already there: /processes/%s\n", d.Process.Slug)
		return nil
	} else if participation.ErrorCode(err) != participation.ENOTFOUND {
		return err
	}
	if password == "" {
		password = rand.Text()
	}
	official, err := store.EnsureAccount(ctx, d.Official.Email, password, d.Official.Name, participation.RoleOfficial)
	if err != nil {
		return err
	}
	// The demo's own clock walks through the process's dates.
	now := *d.IdeaRound.OpensAt
	s := postgres.NewStore(store.DB(), func() time.Time { return now })
	octx := participation.NewContextWithAccount(ctx, official)
	if _, err := s.CreateProcess(octx, d.Process); err != nil {
		return err
	}

	round, err := s.CreateIdeaRound(octx, d.Process.Slug, d.IdeaRound.NewIdeaRound)
	if err != nil {
		return err
	}
	ideaIDs := make([][]int64, len(d.IdeaRound.Themes))
	themeIDs := make([]int64, len(d.IdeaRound.Themes))
	for ti, t := range d.IdeaRound.Themes {
		for _, n := range t.Ideas {
			now = now.Add(37 * time.Minute)
			idea, err := s.CreateIdea(ctx, round.ID, n, "fi")
			if err != nil {
				return fmt.Errorf("demo idea %q: %w", n.Title, err)
			}
			ideaIDs[ti] = append(ideaIDs[ti], idea.ID)
		}
	}
	now = d.IdeaRound.ClosesAt.Add(time.Hour)
	for ti, t := range d.IdeaRound.Themes {
		theme, err := s.CreateTheme(octx, round.ID, t.NewTheme)
		if err != nil {
			return err
		}
		themeIDs[ti] = theme.ID
		if _, err := s.SetIdeaTheme(octx, &theme.ID, ideaIDs[ti]...); err != nil {
			return err
		}
	}
	if err := demoWorkshop(ctx, octx, s, &d, round.ID, themeIDs, &now); err != nil {
		return err
	}

	now = d.DraftedAt
	ids := make([]int64, len(d.Commitments))
	for i, c := range d.Commitments {
		n := participation.NewCommitment{CommitmentText: c.CommitmentText}
		for _, ti := range c.Themes {
			n.SourceThemeIDs = append(n.SourceThemeIDs, themeIDs[ti])
		}
		for _, ref := range c.Ideas {
			n.SourceIdeaIDs = append(n.SourceIdeaIDs, ideaIDs[ref[0]][ref[1]])
		}
		for _, m := range c.Milestones {
			n.Milestones = append(n.Milestones, m.MilestoneText)
		}
		cm, err := s.CreateCommitment(octx, d.Process.Slug, n)
		if err != nil {
			return fmt.Errorf("demo commitment %q: %w", c.Title, err)
		}
		ids[i] = cm.ID
	}
	now = d.ApprovedAt.Add(-24 * time.Hour)
	for i, c := range d.Commitments {
		if c.MergeInto != nil {
			into := ids[*c.MergeInto]
			if _, err := s.MergeCommitment(octx, ids[i], participation.Merge{IntoID: &into, Note: "Yhdistetty lausuntokierroksen pohjalta."}); err != nil {
				return fmt.Errorf("demo merge %q: %w", c.Title, err)
			}
		}
	}
	now = d.ApprovedAt
	for i, c := range d.Commitments {
		if c.MergeInto == nil {
			if _, err := s.ApproveCommitment(octx, ids[i]); err != nil {
				return err
			}
		}
	}
	// The mid-term review: milestones, wherever merges moved them, by title.
	now = d.AssessedAt
	milestoneID := map[string]int64{}
	for _, id := range ids {
		cm, err := s.FindCommitment(ctx, id)
		if err != nil {
			return err
		}
		for _, m := range cm.Milestones {
			milestoneID[m.Title] = m.ID
		}
	}
	for _, c := range d.Commitments {
		for _, m := range c.Milestones {
			if m.Status != participation.MilestoneNotStarted {
				note := m.Note
				if _, err := s.UpdateMilestone(octx, milestoneID[m.Title], participation.MilestoneUpdate{Status: m.Status, Note: &note}); err != nil {
					return fmt.Errorf("demo milestone %q: %w", m.Title, err)
				}
			}
		}
	}
	fmt.Fprintf(out, "demo process loaded: /processes/%s\nofficial: %s / %s (unless the account was there before: then its own password)\n",
		d.Process.Slug, d.Official.Email, password)
	return nil
}

// demoWorkshop runs the opening workshop: the participants join and each
// picks three themes so that every theme gets the votes the data gives it.
func demoWorkshop(ctx, octx context.Context, s *postgres.Store, d *demoData, roundID int64, themeIDs []int64, now *time.Time) error {
	w := d.Workshop
	*now = *w.StartsAt
	ws, err := s.CreateWorkshop(octx, d.Process.Slug, w.NewWorkshop)
	if err != nil {
		return err
	}
	poll, err := s.CreatePoll(octx, ws.ID, participation.NewPoll{Question: w.Question, MaxChoices: &w.MaxChoices, OptionsFromIdeaRound: &roundID,
		TranslationInput: participation.TranslationInput{Translations: w.QuestionTranslations}})
	if err != nil {
		return err
	}
	if _, err := s.OpenPoll(octx, poll.ID); err != nil {
		return err
	}
	// Every vote as an option id, most voted theme first; participant p takes
	// the votes at p, p+n, p+2n…, which are of different themes because no
	// theme has more votes than there are participants.
	optionOf := map[int64]int64{}
	for _, o := range poll.Options {
		if o.ThemeID != nil {
			optionOf[*o.ThemeID] = o.ID
		}
	}
	var votes []int64
	order := make([]int, len(d.IdeaRound.Themes))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return d.IdeaRound.Themes[order[a]].Votes > d.IdeaRound.Themes[order[b]].Votes })
	for _, ti := range order {
		for v := 0; v < d.IdeaRound.Themes[ti].Votes; v++ {
			votes = append(votes, optionOf[themeIDs[ti]])
		}
	}
	for p := 0; p < w.Participants; p++ {
		*now = now.Add(7 * time.Second)
		part, err := s.JoinWorkshop(ctx, participation.NewParticipant{Code: *ws.JoinCode})
		if err != nil {
			return err
		}
		var b participation.Ballot
		for i := p; i < len(votes); i += w.Participants {
			b.OptionIDs = append(b.OptionIDs, votes[i])
		}
		if _, err := s.CastBallot(ctx, poll.ID, part.Token, b); err != nil {
			return fmt.Errorf("demo ballot: %w", err)
		}
	}
	*now = now.Add(time.Minute)
	_, err = s.ClosePoll(octx, poll.ID)
	return err
}
