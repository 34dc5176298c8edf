package demo

import (
	"context"
	"fmt"
	"time"

	"osallistu/participation"
)

// roundData is sql/demo/idea_round.json and discussion.json: a round of
// ideas grouped into themes, each idea with its supports and comments.
type roundData struct {
	participation.NewIdeaRound
	Themes []themeData `json:"themes"`
}

type themeData struct {
	participation.NewTheme
	// Votes are the theme's votes at the workshop (idea round only).
	Votes int        `json:"votes"`
	Ideas []ideaData `json:"ideas"`
}

type ideaData struct {
	participation.NewIdea
	Supports int                        `json:"supports"`
	Comments []participation.NewComment `json:"comments"`
}

// ideaRound runs the pre-task (ennakkotehtävä) of summer 2016: the ideas
// come in, are supported and commented on, and after the round closes the
// officials group them into the ten areas.
func (l *loader) ideaRound() error {
	var d roundData
	if err := decode("idea_round.json", &d); err != nil {
		return err
	}
	id, _, themes, err := l.round(d)
	if err != nil {
		return err
	}
	l.roundID, l.themeIDs = id, themes
	l.workshopVotes = make([]int, len(d.Themes))
	for i, t := range d.Themes {
		l.workshopVotes[i] = t.Votes
	}
	return nil
}

// round creates an idea round at its opening and replays it: ideas spread
// over the first nine tenths of its time, each followed by its comments
// and supports, then the grouping into themes an hour after it closes. It
// returns the round's id, its ideas' ids by theme and its themes' ids.
func (l *loader) round(d roundData) (int64, [][]int64, []int64, error) {
	l.now = *d.OpensAt
	r, err := l.store.CreateIdeaRound(l.official, Slug, d.NewIdeaRound)
	if err != nil {
		return 0, nil, nil, err
	}
	n := 0
	for _, t := range d.Themes {
		n += len(t.Ideas)
	}
	step := d.ClosesAt.Sub(*d.OpensAt) * 9 / 10 / time.Duration(n+1)
	// Supporters are a pool of anonymous respondents: the k supports of an
	// idea are the first k of them, one each.
	var supporters []context.Context
	ideaIDs := make([][]int64, len(d.Themes))
	k := 0
	for ti, t := range d.Themes {
		for _, idea := range t.Ideas {
			k++
			l.now = d.OpensAt.Add(time.Duration(k) * step)
			created, err := l.store.CreateIdea(l.ctx, r.ID, idea.NewIdea, "fi")
			if err != nil {
				return 0, nil, nil, fmt.Errorf("idea %q: %w", idea.Title, err)
			}
			ideaIDs[ti] = append(ideaIDs[ti], created.ID)
			for _, c := range idea.Comments {
				l.now = l.now.Add(step / time.Duration(len(idea.Comments)+1))
				if _, err := l.store.CreateComment(l.ctx, created.ID, c, "fi"); err != nil {
					return 0, nil, nil, fmt.Errorf("comment on %q: %w", idea.Title, err)
				}
			}
			for s := 0; s < idea.Supports; s++ {
				if s == len(supporters) {
					who, err := l.anonymous()
					if err != nil {
						return 0, nil, nil, err
					}
					supporters = append(supporters, who)
				}
				if _, err := l.store.SupportIdea(supporters[s], created.ID); err != nil {
					return 0, nil, nil, fmt.Errorf("support %q: %w", idea.Title, err)
				}
			}
		}
	}
	l.now = d.ClosesAt.Add(time.Hour)
	themeIDs := make([]int64, len(d.Themes))
	for ti, t := range d.Themes {
		theme, err := l.store.CreateTheme(l.official, r.ID, t.NewTheme)
		if err != nil {
			return 0, nil, nil, err
		}
		themeIDs[ti] = theme.ID
		if len(ideaIDs[ti]) > 0 {
			if _, err := l.store.SetIdeaTheme(l.official, &theme.ID, ideaIDs[ti]...); err != nil {
				return 0, nil, nil, err
			}
		}
	}
	return r.ID, ideaIDs, themeIDs, nil
}

// discussion runs the otakantaa.fi discussion of 6.–30.9.2016: a second
// round whose themes, Ymmärrettävyys, Julkisuus and Avoin maakunta, are
// those the commitments were drafted under.
func (l *loader) discussion() error {
	var d roundData
	if err := decode("discussion.json", &d); err != nil {
		return err
	}
	_, ideas, themes, err := l.round(d)
	l.discussionIdeas, l.discussionIDs = ideas, themes
	return err
}
