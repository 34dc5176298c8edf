package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/lib/pq"

	"osallistu/participation"
)

// themePollsQuery gives, for the themes $1, their results in every workshop
// poll that has them as an option and has opened: votes counted from the
// ballots (a ballot counts for every option it names) and the rank among
// the poll's options (rank() makes ties share: 1, 2, 2, 4).
const themePollsQuery = `
	WITH counted AS (
		SELECT o.id AS option_id, o.poll_id, o.theme_id,
		       (SELECT count(*) FROM ballots b WHERE b.poll_id = o.poll_id AND o.id = ANY(b.option_ids)) AS votes
		FROM poll_options o JOIN polls p ON p.id = o.poll_id
		WHERE p.status <> 'draft' AND o.poll_id IN (SELECT poll_id FROM poll_options WHERE theme_id = ANY($1))
	), ranked AS (
		SELECT counted.*, rank() OVER (PARTITION BY poll_id ORDER BY votes DESC) AS rank,
		       count(*) OVER (PARTITION BY poll_id) AS options
		FROM counted
	)
	SELECT r.poll_id, p.question, r.option_id, r.votes, r.rank, r.options, p.status,
	       w.id AS workshop_id, w.title AS workshop_title, r.theme_id, p.language, p.translations,
	       w.language AS "workshop.language", w.translations AS "workshop.translations"
	FROM ranked r JOIN polls p ON p.id = r.poll_id JOIN workshops w ON w.id = p.workshop_id
	WHERE r.theme_id = ANY($1)
	ORDER BY w.starts_at, w.id, p.position, p.id`

type themePoll struct {
	participation.TracePoll
	ThemeID int64 `db:"theme_id"`
}

func findThemePolls(ctx context.Context, tx *Tx, themeIDs []int64) ([]themePoll, error) {
	var rows []themePoll
	if err := tx.SelectContext(ctx, &rows, themePollsQuery, pq.Array(themeIDs)); err != nil {
		return nil, fmt.Errorf("count theme votes: %w", err)
	}
	return rows, nil
}

// FindTrace returns what became of an idea: its theme, the theme's rank in
// each workshop poll, the commitments it fed directly or through its theme
// and, for merged ones, the commitments they ended in, and the milestones
// of the commitments it ended in. A hidden idea is ENOTFOUND except for
// officials.
func (s *Store) FindTrace(ctx context.Context, ideaID int64) (*participation.Trace, error) {
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	idea, err := findVisibleIdea(ctx, tx, ideaID, "")
	if err != nil {
		return nil, err
	}
	tr := &participation.Trace{Idea: idea, Polls: []participation.TracePoll{},
		Commitments: []participation.TraceCommitment{}, Milestones: []participation.Milestone{}}
	// The themes it came through: its own, and those merged into it on its
	// way there (their poll results and commitments are its too).
	var themeIDs []int64
	if idea.ThemeID != nil {
		if err := tx.SelectContext(ctx, &themeIDs, `
			SELECT $2::bigint UNION SELECT theme_id FROM theme_merge_ideas WHERE idea_id = $1`, idea.ID, *idea.ThemeID); err != nil {
			return nil, fmt.Errorf("find merged themes: %w", err)
		}
		var theme participation.SourceRef
		if err := tx.GetContext(ctx, &theme, `SELECT id, title, language, translations FROM themes WHERE id = $1`, *idea.ThemeID); err != nil {
			return nil, storeErr(err, "theme")
		}
		tr.Theme = &theme
		polls, err := findThemePolls(ctx, tx, themeIDs)
		if err != nil {
			return nil, err
		}
		for _, p := range polls {
			tr.Polls = append(tr.Polls, p.TracePoll)
		}
	}

	// The commitments it fed: its own, then through its theme.
	var fed []struct {
		participation.TraceCommitment
		Direct bool `db:"direct"`
	}
	if err := tx.SelectContext(ctx, &fed, `
		SELECT c.id, c.title, c.status, c.merged_into, c.language, c.translations, bool_or(s.idea_id IS NOT NULL) AS direct
		FROM commitment_sources s JOIN commitments c ON c.id = s.commitment_id
		WHERE s.idea_id = $1 OR s.theme_id = ANY($2)
		GROUP BY c.id ORDER BY c.id`, idea.ID, pq.Array(themeIDs)); err != nil {
		return nil, fmt.Errorf("find fed commitments: %w", err)
	}
	fedIDs := make([]int64, len(fed))
	for i, f := range fed {
		fedIDs[i] = f.ID
	}
	trees, err := mergeTrees(ctx, tx, fedIDs)
	if err != nil {
		return nil, err
	}
	for _, f := range fed {
		via := participation.ViaTheme
		if f.Direct {
			via = participation.ViaIdea
		}
		tr.AddCommitment(f.TraceCommitment, via)
	}
	var ends []int64
	for _, f := range fed {
		e := trees[f.ID].end()
		if !slices.Contains(ends, e) {
			ends = append(ends, e)
		}
		if e != f.ID {
			tr.AddEnd(f.ID, trees[e].TraceCommitment)
		}
	}
	if len(ends) > 0 {
		var rows []milestoneRow
		if err := tx.SelectContext(ctx, &rows, `SELECT `+milestoneColumns+` FROM milestones m
			WHERE m.commitment_id = ANY($1) ORDER BY m.commitment_id, m.position, m.id`, pq.Array(ends)); err != nil {
			return nil, fmt.Errorf("find milestones: %w", err)
		}
		ms := make([]participation.Milestone, len(rows))
		for i := range rows {
			ms[i] = rows[i].milestone(tx)
		}
		tr.SetMilestones(ms)
	}
	return tr, tx.Commit()
}
