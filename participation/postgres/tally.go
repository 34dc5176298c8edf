package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lib/pq"

	"osallistu/participation"
)

// FindTally counts one poll's ballots, with the votes hidden where the
// caller may not see them (participation.Tally.ShowTo).
func (s *Store) FindTally(ctx context.Context, pollID int64) (*participation.Tally, error) {
	list, err := s.FindTallies(ctx, participation.TallyFilter{PollIDs: []int64{pollID}})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, participation.Errorf(participation.ENOTFOUND, "poll not found")
	}
	list[0].ShowTo(participation.AccountFromContext(ctx))
	return list[0], nil
}

// FindTallies counts the ballots of several polls from the ballots table:
// the ballots are the truth, there is no counter to drift. The votes are
// all there, whoever asks: the live hub makes a frame of them for each
// audience, and pages choose what they show (Tally.ShowsResults).
func (s *Store) FindTallies(ctx context.Context, f participation.TallyFilter) ([]*participation.Tally, error) {
	return s.findTallies(ctx, `p.id = ANY($1) OR p.workshop_id = ANY($2)`, pq.Array(f.PollIDs), pq.Array(f.WorkshopIDs))
}

// FindClosedTallies returns the results of the closed polls of a process's
// workshops, in workshop and poll order.
func (s *Store) FindClosedTallies(ctx context.Context, processID int64) ([]*participation.Tally, error) {
	return s.findTallies(ctx, `w.process_id = $1 AND p.status = 'closed'`, processID)
}

// findTallies counts the polls that where selects (over polls p and
// workshops w) in one statement, a row per option: one statement sees one
// snapshot, so a tally's ballot count and its votes agree, and a recount is
// one round trip. AsOf is read before the statement starts: every ballot
// committed before it is counted.
func (s *Store) findTallies(ctx context.Context, where string, args ...any) ([]*participation.Tally, error) {
	asOf := s.now().UTC()
	var rows []struct {
		participation.Tally
		OptionID           sql.NullInt64              `db:"option_id"`
		Label              sql.NullString             `db:"label"`
		ThemeID            *int64                     `db:"theme_id"`
		Votes              int                        `db:"votes"`
		OptionLanguage     sql.NullString             `db:"option_language"`
		OptionTranslations participation.Translations `db:"option_translations"`
	}
	count, err := s.prepared(ctx, `
		WITH p AS (
			SELECT p.id, p.workshop_id, p.question, p.max_choices, p.status, p.position,
			       p.opened_at, p.closed_at, p.language, p.translations, w.show_results_live, w.starts_at, w.ended_at,
			       (SELECT count(*) FROM ballots b WHERE b.poll_id = p.id) AS ballots
			FROM polls p JOIN workshops w ON w.id = p.workshop_id
			WHERE `+where+`),
		v AS (
			SELECT x.option_id, count(*) AS votes
			FROM ballots b CROSS JOIN unnest(b.option_ids) AS x(option_id)
			WHERE b.poll_id IN (SELECT id FROM p) GROUP BY x.option_id)
		SELECT p.id AS poll_id, p.workshop_id, p.question, p.max_choices, p.status, p.position,
		       p.opened_at, p.closed_at, p.show_results_live, p.ballots, p.language, p.translations, p.ended_at AS workshop_ended_at,
		       o.id AS option_id, o.label, o.theme_id, coalesce(v.votes, 0) AS votes,
		       o.language AS option_language, o.translations AS option_translations
		FROM p LEFT JOIN poll_options o ON o.poll_id = p.id LEFT JOIN v ON v.option_id = o.id
		ORDER BY p.starts_at, p.workshop_id, p.position, o.position`)
	if err != nil {
		return nil, err
	}
	if err := count.SelectContext(ctx, &rows, args...); err != nil {
		return nil, fmt.Errorf("count ballots: %w", err)
	}
	list := []*participation.Tally{}
	for i := range rows {
		r := &rows[i]
		if len(list) == 0 || list[len(list)-1].PollID != r.PollID {
			t := r.Tally
			t.AsOf = asOf
			t.Options = []participation.TallyOption{}
			list = append(list, &t)
		}
		if r.OptionID.Valid {
			t := list[len(list)-1]
			t.Options = append(t.Options, participation.TallyOption{ID: r.OptionID.Int64, Label: r.Label.String, ThemeID: r.ThemeID, Votes: r.Votes,
				Translatable: participation.Translatable{Language: r.OptionLanguage.String, Translations: r.OptionTranslations}})
		}
	}
	return list, nil
}

// FindThemeResults returns, for each theme of an idea round, its votes and
// rank in every closed poll that had it as an option: rank 1 is the most
// votes, ties share a rank (1, 2, 2, 4), as SQL's rank() counts.
// One statement: one snapshot.
func (s *Store) FindThemeResults(ctx context.Context, roundID int64) (map[int64][]participation.ThemePollResult, error) {
	var rows []struct {
		ThemeID int64 `db:"theme_id"`
		participation.ThemePollResult
	}
	if err := s.db.SelectContext(ctx, &rows, `
		WITH votes AS (
			SELECT o.poll_id, o.id AS option_id, o.theme_id,
			       (SELECT count(*) FROM ballots b WHERE b.poll_id = o.poll_id AND o.id = ANY(b.option_ids)) AS votes
			FROM poll_options o JOIN polls p ON p.id = o.poll_id
			WHERE p.status = 'closed' AND o.poll_id IN (
				SELECT o2.poll_id FROM poll_options o2 JOIN themes t ON t.id = o2.theme_id WHERE t.round_id = $1)
		), ranked AS (
			SELECT v.*, rank() OVER (PARTITION BY v.poll_id ORDER BY v.votes DESC) AS rank FROM votes v
		)
		SELECT r.theme_id, r.poll_id, p.question, r.option_id, r.votes, r.rank, p.language, p.translations
		FROM ranked r JOIN polls p ON p.id = r.poll_id JOIN themes t ON t.id = r.theme_id
		WHERE t.round_id = $1
		ORDER BY r.theme_id, p.closed_at, r.poll_id`, roundID); err != nil {
		return nil, fmt.Errorf("find theme results: %w", err)
	}
	out := map[int64][]participation.ThemePollResult{}
	for _, r := range rows {
		out[r.ThemeID] = append(out[r.ThemeID], r.ThemePollResult)
	}
	return out, nil
}
