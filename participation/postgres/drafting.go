package postgres

import (
	"context"
	"fmt"

	"osallistu/participation"
)

// FindDraftingSources ranks a process's themes by the workshop votes (their
// best rank in any poll, then their votes in all), each with its visible
// ideas by supports, and lists the ideas in no theme by supports.
func (s *Store) FindDraftingSources(ctx context.Context, slug string) (*participation.DraftingSources, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var processID int64
	if err := tx.GetContext(ctx, &processID, `SELECT id FROM processes WHERE slug = $1`, slug); err != nil {
		return nil, storeErr(err, "process")
	}
	var themes []*participation.RankedTheme
	if err := tx.SelectContext(ctx, &themes, `
		SELECT t.id, t.title, t.language, t.translations, t.round_id, r.title AS round_title,
		       r.language AS "round.language", r.translations AS "round.translations"
		FROM themes t JOIN idea_rounds r ON r.id = t.round_id
		WHERE r.process_id = $1 ORDER BY t.id`, processID); err != nil {
		return nil, fmt.Errorf("find themes: %w", err)
	}
	byID := map[int64]*participation.RankedTheme{}
	ids := make([]int64, len(themes))
	for i, t := range themes {
		ids[i] = t.ID
		byID[t.ID] = t
		t.Polls = []participation.TracePoll{}
		t.Ideas = []participation.RankedIdea{}
	}
	polls, err := findThemePolls(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range polls {
		byID[p.ThemeID].AddPoll(p.TracePoll)
	}
	participation.SortRankedThemes(themes)
	var ideas []participation.RankedIdea
	if err := tx.SelectContext(ctx, &ideas, `
		SELECT i.id, i.title, i.language, i.supports, i.signed_in_supports, i.theme_id, i.round_id
		FROM ideas i JOIN idea_rounds r ON r.id = i.round_id
		WHERE r.process_id = $1 AND i.hidden_at IS NULL
		ORDER BY i.supports DESC, i.id`, processID); err != nil {
		return nil, fmt.Errorf("find ideas: %w", err)
	}
	out := &participation.DraftingSources{Themes: themes, Unthemed: []participation.RankedIdea{}}
	if out.Themes == nil {
		out.Themes = []*participation.RankedTheme{}
	}
	for _, i := range ideas {
		if t, ok := byID[derefID(i.ThemeID)]; ok {
			t.Ideas = append(t.Ideas, i)
		} else {
			out.Unthemed = append(out.Unthemed, i)
		}
	}
	return out, tx.Commit()
}

func derefID(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}
