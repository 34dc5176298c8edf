package postgres

import (
	"context"
	"fmt"
)

// A sharded count: a round's visible ideas, an idea's visible comments.
// Kept on one row, every writer would hold that row's lock until its commit
// was on disk, and writers into one round, or onto one idea, would go one
// at a time. Spread over shard rows, one per connection (its backend's pid
// modulo countShards), concurrent writers touch rows of their own: the
// connections of a pool, started one after another, mostly have shards of
// their own. The count is the sum of the shards.
type shardedCount struct {
	table, key string // the table of shard rows and its column of what is counted
}

var (
	roundIdeaCounts   = shardedCount{table: "idea_round_counts", key: "round_id"}
	ideaCommentCounts = shardedCount{table: "idea_comment_counts", key: "idea_id"}
)

// countShards is how many rows a count may be spread over: more than the
// connections of one instance's pool (20), few enough that summing them
// costs nothing.
const countShards = 32

// addToCount adds delta to the count of id, in the transaction that
// changes what is counted. The caller writes it last, just before the
// commit, so that the shard's row is locked for as short a time as can be.
func addToCount(ctx context.Context, tx *Tx, c shardedCount, id int64, delta int) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO `+c.table+` (`+c.key+`, shard, n) VALUES ($1, pg_backend_pid() % $3, $2)
		ON CONFLICT (`+c.key+`, shard) DO UPDATE SET n = `+c.table+`.n + EXCLUDED.n`,
		id, delta, countShards); err != nil {
		return fmt.Errorf("count %s: %w", c.table, err)
	}
	return nil
}
