package demo

import (
	"fmt"
	"time"

	"osallistu/participation"
)

// commitmentData is sql/demo/commitments.json: the ten drafts of December
// 2016, which three merge into others, and the milestones' statuses at the
// status review of August 2018.
type commitmentData struct {
	DraftedAt  time.Time `json:"drafted_at"`
	MergedAt   time.Time `json:"merged_at"`
	ApprovedAt time.Time `json:"approved_at"`
	AssessedAt time.Time `json:"assessed_at"`
	// MergeNote says why a draft was merged, in Finnish and Swedish.
	MergeNote string      `json:"merge_note"`
	Drafts    []draftData `json:"drafts"`
}

type draftData struct {
	participation.NewCommitment
	// Themes index the discussion's themes: Ymmärrettävyys, Julkisuus,
	// Avoin maakunta. Ideas are (theme, idea) indexes of the discussion's
	// ideas, so that the commitments are under those three themes alone.
	Themes     []int           `json:"themes"`
	Ideas      [][2]int        `json:"ideas"`
	MergeInto  *int            `json:"merge_into"`
	Milestones []milestoneData `json:"milestones"`
}

// milestoneData is a milestone with its status at the review, the note
// that says why in Finnish (Note) with its Swedish translation (NoteSV),
// and its evidence.
type milestoneData struct {
	participation.MilestoneText
	Status        string   `json:"status"`
	Note          string   `json:"note"`
	NoteSV        string   `json:"note_sv"`
	EvidenceLinks []string `json:"evidence_links"`
}

// commitments drafts the ten commitments from the second workshop's goals,
// under the discussion's themes and from its ideas they came from.
func (l *loader) commitments() error {
	l.drafts = &commitmentData{}
	if err := decode("commitments.json", l.drafts); err != nil {
		return err
	}
	l.now = l.drafts.DraftedAt
	for _, c := range l.drafts.Drafts {
		n := c.NewCommitment
		for _, ti := range c.Themes {
			n.SourceThemeIDs = append(n.SourceThemeIDs, l.discussionIDs[ti])
		}
		for _, ref := range c.Ideas {
			n.SourceIdeaIDs = append(n.SourceIdeaIDs, l.discussionIdeas[ref[0]][ref[1]])
		}
		for _, m := range c.Milestones {
			n.Milestones = append(n.Milestones, m.MilestoneText)
		}
		l.now = l.now.Add(20 * time.Minute)
		cm, err := l.store.CreateCommitment(l.official, Slug, n)
		if err != nil {
			return fmt.Errorf("%q: %w", c.Title, err)
		}
		l.draftIDs = append(l.draftIDs, cm.ID)
	}
	return nil
}

// approval merges three drafts into others after the statements, keeping
// all their content, and approves the seven that remain on 17.3.2017.
func (l *loader) approval() error {
	d := l.drafts
	l.now = d.MergedAt
	for i, c := range d.Drafts {
		if c.MergeInto != nil {
			into := l.draftIDs[*c.MergeInto]
			l.now = l.now.Add(10 * time.Minute)
			if _, err := l.store.MergeCommitment(l.official, l.draftIDs[i], participation.Merge{IntoID: &into, Note: d.MergeNote}); err != nil {
				return fmt.Errorf("merge %q: %w", c.Title, err)
			}
		}
	}
	l.now = d.ApprovedAt
	for i, c := range d.Drafts {
		if c.MergeInto == nil {
			if _, err := l.store.ApproveCommitment(l.official, l.draftIDs[i]); err != nil {
				return fmt.Errorf("approve %q: %w", c.Title, err)
			}
		}
	}
	return nil
}

// review reports every milestone's status at the mid-term review, wherever
// the merges moved it: they are found by title.
func (l *loader) review() error {
	d := l.drafts
	l.now = d.AssessedAt
	milestoneID := map[string]int64{}
	for i, id := range l.draftIDs {
		if d.Drafts[i].MergeInto != nil {
			continue // its milestones are its target's now
		}
		cm, err := l.store.FindCommitment(l.ctx, id)
		if err != nil {
			return err
		}
		for _, m := range cm.Milestones {
			milestoneID[m.Title] = m.ID
		}
	}
	for _, c := range d.Drafts {
		for _, m := range c.Milestones {
			id, ok := milestoneID[m.Title]
			if !ok {
				return fmt.Errorf("milestone %q is in no commitment", m.Title)
			}
			note := m.Note
			l.now = l.now.Add(time.Minute)
			u := participation.MilestoneUpdate{Status: m.Status, Note: &note, EvidenceLinks: m.EvidenceLinks}
			u.Translations.Set("sv", "note", m.NoteSV)
			if _, err := l.store.UpdateMilestone(l.official, id, u); err != nil {
				return fmt.Errorf("milestone %q: %w", m.Title, err)
			}
		}
	}
	return nil
}
