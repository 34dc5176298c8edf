package demo

import (
	"fmt"
	"time"

	"osallistu/participation"
)

// wallData is sql/demo/wall.json: the second workshop of 23.11.2016, where
// 40 people turned the discussion's themes into goals on the idea wall,
// and the goals that became the ten drafts (draft, an index into
// commitments.json's drafts; nil for a goal not taken forward).
type wallData struct {
	participation.NewWorkshop
	Participants int `json:"participants"`
	Collections  []struct {
		Theme     int `json:"theme"` // an index into the discussion's themes
		Proposals []struct {
			Body     string `json:"body"`
			Draft    *int   `json:"draft"`
			Supports int    `json:"supports"`
		} `json:"proposals"`
	} `json:"collections"`
}

// wall runs the second workshop's idea wall: a collection per theme, the
// participants' proposals and supports, and the goals linked to the drafts
// they became. It runs after the drafts, so that the links are to them,
// with the clock set back to the workshop's day.
func (l *loader) wall() error {
	var d wallData
	if err := decode("wall.json", &d); err != nil {
		return err
	}
	l.now = *d.StartsAt
	ws, err := l.store.CreateWorkshop(l.official, Slug, d.NewWorkshop)
	if err != nil {
		return err
	}
	people := make([]string, d.Participants)
	for p := range people {
		l.now = l.now.Add(5 * time.Second)
		part, err := l.store.JoinWorkshop(l.ctx, participation.NewParticipant{Code: *ws.JoinCode, Municipality: l.municipality(p + 3)})
		if err != nil {
			return err
		}
		people[p] = part.Token
	}
	author := 0
	var cols []int64
	for _, c := range d.Collections {
		l.now = l.now.Add(10 * time.Minute)
		col, err := l.store.CreateCollection(l.official, ws.ID, participation.NewCollection{ThemeID: &l.discussionIDs[c.Theme]})
		if err != nil {
			return err
		}
		cols = append(cols, col.ID)
		for _, p := range c.Proposals {
			l.now = l.now.Add(90 * time.Second)
			prop, err := l.store.SubmitProposal(l.ctx, col.ID, people[author%len(people)], participation.NewProposal{Body: p.Body})
			if err != nil {
				return fmt.Errorf("proposal: %w", err)
			}
			author += 7
			for s := range p.Supports {
				if _, err := l.store.SupportProposal(l.ctx, prop.ID, people[(author+s)%len(people)]); err != nil {
					return fmt.Errorf("support: %w", err)
				}
			}
			if p.Draft != nil {
				id := l.draftIDs[*p.Draft]
				if _, err := l.store.ProposalToCommitment(l.official, prop.ID, participation.ProposalToCommitment{CommitmentID: &id}); err != nil {
					return fmt.Errorf("proposal to draft %d: %w", *p.Draft, err)
				}
			}
		}
	}
	l.now = *d.EndsAt
	for _, id := range cols {
		if _, err := l.store.CloseCollection(l.official, id); err != nil {
			return err
		}
	}
	return nil
}
