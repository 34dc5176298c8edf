package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/lib/pq"

	"osallistu/participation"
)

// MergeCommitment merges commitment id into m.IntoID (officials only): the
// target gains its sources (once each) and its milestones (moved, with their
// history) and its text (appended under its title, as a new version of the
// target); this one becomes merged, pointing to the target. Nothing is
// deleted. Merging a merged one, into itself or into a merged one is
// ECONFLICT. It returns the merged commitment.
func (s *Store) MergeCommitment(ctx context.Context, id int64, m participation.Merge) (*participation.Commitment, error) {
	me, err := participation.RequireRole(ctx, participation.RoleOfficial)
	if err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := requireProcessOfficial(ctx, tx, participation.RefTo(participation.RefCommitment, id)); err != nil {
		return nil, err
	}
	from, err := findCommitment(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	if from.Status == participation.CommitmentMerged { // state before content
		return nil, participation.CheckMerge(from, from)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if *m.IntoID == id {
		return nil, participation.CheckMerge(from, from)
	}
	// Lock both in id order, so that crossing merges cannot deadlock.
	var locked []int64
	if err := tx.SelectContext(ctx, &locked, `SELECT id FROM commitments WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
		pq.Array([]int64{id, *m.IntoID})); err != nil {
		return nil, fmt.Errorf("lock commitments: %w", err)
	}
	if from, err = findCommitment(ctx, tx, id, false); err != nil {
		return nil, err
	}
	into, err := findCommitment(ctx, tx, *m.IntoID, false)
	if participation.ErrorCode(err) == participation.ENOTFOUND {
		f := participation.FieldErrors{}
		f.Add("into_id", participation.RuleChoice, 0)
		return nil, &participation.Error{Code: participation.EINVALID, Message: "There is no commitment to merge into with that id.", Fields: f}
	} else if err != nil {
		return nil, err
	}
	if err := participation.CheckMerge(from, into); err != nil {
		return nil, err
	}
	before := into.Snapshot()
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO commitment_sources (commitment_id, idea_id, theme_id, merged_from)
		SELECT $2, idea_id, theme_id, $1 FROM commitment_sources WHERE commitment_id = $1 ORDER BY id
		ON CONFLICT DO NOTHING`, from.ID, into.ID); err != nil {
		return nil, fmt.Errorf("merge sources: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE milestones m SET commitment_id = $2, position = x.position FROM (
			SELECT id, (SELECT coalesce(max(position), -1) FROM milestones WHERE commitment_id = $2)
			           + row_number() OVER (ORDER BY position, id) AS position
			FROM milestones WHERE commitment_id = $1
		) x WHERE m.id = x.id`, from.ID, into.ID); err != nil {
		return nil, fmt.Errorf("move milestones: %w", err)
	}
	text := participation.MergeText(into.CommitmentText, from.CommitmentText)
	if _, err := tx.ExecContext(ctx, `
		UPDATE commitments SET problem = $2, description = $3, how_it_addresses = $4, relevance = $5,
		       other_actors = $6, starts_on = $7, ends_on = $8, translations = $9, version = version + 1, updated_at = $10
		WHERE id = $1`,
		into.ID, text.Problem, text.Description, text.HowItAddresses, text.Relevance,
		text.OtherActors, text.StartsOn, text.EndsOn, text.Translations, tx.now); err != nil {
		return nil, storeErr(err, "commitment")
	}
	if _, err := tx.ExecContext(ctx, `
		UPDATE commitments SET status = 'merged', merged_into = $2, merged_at = $3, updated_at = $3 WHERE id = $1`,
		from.ID, into.ID, tx.now); err != nil {
		return nil, storeErr(err, "commitment")
	}
	if into, err = findCommitment(ctx, tx, into.ID, false); err != nil {
		return nil, err
	}
	note := m.VersionNote(from)
	if err := insertVersion(ctx, tx, into, &before, me.ID, &note, &from.ID); err != nil {
		return nil, err
	}
	if from, err = findCommitment(ctx, tx, id, false); err != nil {
		return nil, err
	}
	return from, tx.Commit()
}

// mergeNode is a commitment in a merge tree. Path runs from it through the
// commitments it was merged into, to the one its merges ended in.
type mergeNode struct {
	participation.TraceCommitment               // id, title, status, merged_into
	Path                          pq.Int64Array `db:"path"`
}

// end is the commitment that n's merges ended in (n itself if not merged).
func (n *mergeNode) end() int64 { return n.Path[len(n.Path)-1] }

// through reports whether n is id or was merged, directly or not, into id.
func (n *mergeNode) through(id int64) bool { return slices.Contains(n.Path, id) }

// mergeTrees walks the merges around the commitments ids, in one recursive
// query, and returns by id every commitment of their merge trees: each of
// them, the commitments it was merged into up to where its merges ended,
// and every commitment merged, directly or not, into any of those. The walk
// goes up the merged_into links to the ends, then down from the ends, which
// gives each commitment its path. Merges form no cycle (a commitment is not
// merged into itself nor into a merged one), so both walks end.
func mergeTrees(ctx context.Context, tx *Tx, ids []int64) (map[int64]*mergeNode, error) {
	if len(ids) == 0 {
		return map[int64]*mergeNode{}, nil
	}
	var rows []*mergeNode
	if err := tx.SelectContext(ctx, &rows, `
		WITH RECURSIVE up(id, merged_into) AS (
			SELECT id, merged_into FROM commitments WHERE id = ANY($1)
			UNION
			SELECT c.id, c.merged_into FROM commitments c JOIN up ON c.id = up.merged_into
		), down(id, path) AS (
			SELECT id, ARRAY[id] FROM up WHERE merged_into IS NULL
			UNION ALL
			SELECT c.id, c.id || down.path FROM commitments c JOIN down ON c.merged_into = down.id
		)
		SELECT c.id, c.title, c.status, c.merged_into, c.language, c.translations, down.path
		FROM down JOIN commitments c ON c.id = down.id`, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("follow merges: %w", err)
	}
	out := make(map[int64]*mergeNode, len(rows))
	for _, n := range rows {
		out[n.ID] = n
	}
	return out, nil
}
