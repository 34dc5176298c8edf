-- Authors may edit or delete their own ideas and comments for a while
-- (the edit window), and later ask the moderators to remove them.
--
-- edited_at is set by an author's edit (null until then). deleted_at is set
-- when the author deletes the item: it is then also hidden (hidden_at, no
-- reason), so that every list and count that leaves hidden items out leaves
-- it out too; a deleted comment keeps its place as "deleted by its author".
-- A report by_author is the author's own request for removal.

-- +goose Up
ALTER TABLE ideas ADD COLUMN edited_at timestamptz, ADD COLUMN deleted_at timestamptz;
ALTER TABLE comments ADD COLUMN edited_at timestamptz, ADD COLUMN deleted_at timestamptz;
ALTER TABLE reports ADD COLUMN by_author boolean NOT NULL DEFAULT false;
CREATE INDEX ideas_respondent_idx ON ideas(respondent_id) WHERE respondent_id IS NOT NULL;
CREATE INDEX comments_respondent_idx ON comments(respondent_id) WHERE respondent_id IS NOT NULL;

-- +goose Down
DROP INDEX comments_respondent_idx;
DROP INDEX ideas_respondent_idx;
ALTER TABLE reports DROP COLUMN by_author;
ALTER TABLE comments DROP COLUMN deleted_at, DROP COLUMN edited_at;
ALTER TABLE ideas DROP COLUMN deleted_at, DROP COLUMN edited_at;
