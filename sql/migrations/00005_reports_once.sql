-- A signed-in person's reports of one item count once while it waits for a
-- moderator: a new report of the same item replaces their earlier one (its
-- reason and time). Reports without an account (reporter_id NULL) are each
-- their own, as before; once a moderator has acted, a new report counts anew.

-- +goose Up
DELETE FROM reports r USING reports newer
WHERE r.resolved_at IS NULL AND newer.resolved_at IS NULL
  AND newer.kind = r.kind AND newer.item_id = r.item_id
  AND newer.reporter_id = r.reporter_id AND newer.id > r.id;
CREATE UNIQUE INDEX reports_once_idx ON reports (kind, item_id, reporter_id) WHERE resolved_at IS NULL;

-- +goose Down
DROP INDEX reports_once_idx;
