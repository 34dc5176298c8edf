-- Ideas and comments that do not queue behind one row. Before, every idea
-- updated its round's row (idea_count) and every comment its idea's row
-- (comments, discussion) in the transaction that added it: each writer
-- held that row's lock until its commit was on disk, so writes into one
-- round, or onto one idea, went one at a time.

-- +goose Up
-- A round's count of visible ideas, and an idea's of visible comments, is
-- the sum of a few shard rows; a writer adds to the shard of its
-- connection (see addToCount), so that concurrent writers rarely touch the
-- same row.
CREATE TABLE idea_round_counts (
    round_id bigint NOT NULL REFERENCES idea_rounds(id),
    shard    smallint NOT NULL,
    n        integer NOT NULL,
    PRIMARY KEY (round_id, shard)
);
INSERT INTO idea_round_counts (round_id, shard, n) SELECT id, 0, idea_count FROM idea_rounds WHERE idea_count <> 0;
ALTER TABLE idea_rounds DROP COLUMN idea_count;
CREATE TABLE idea_comment_counts (
    idea_id bigint NOT NULL REFERENCES ideas(id),
    shard   smallint NOT NULL,
    n       integer NOT NULL,
    PRIMARY KEY (idea_id, shard)
);
INSERT INTO idea_comment_counts (idea_id, shard, n) SELECT id, 0, comments FROM ideas WHERE comments <> 0;

-- A comment carries its own words; an idea's search covers its own text
-- alone, and a search looks in both (FindIdeas).
ALTER TABLE comments ADD COLUMN search tsvector GENERATED ALWAYS AS
    (to_tsvector(osallistu_tsconfig(language), body)) STORED;
CREATE INDEX comments_search_idx ON comments USING gin(search) WHERE hidden_at IS NULL;
ALTER TABLE ideas DROP COLUMN search, DROP COLUMN discussion, DROP COLUMN comments;
ALTER TABLE ideas ADD COLUMN search tsvector GENERATED ALWAYS AS
    (setweight(to_tsvector(osallistu_tsconfig(language), title || E'\n' || body), 'A')) STORED;
CREATE INDEX ideas_search_idx ON ideas USING gin(search);

-- +goose Down
ALTER TABLE ideas DROP COLUMN search;
ALTER TABLE ideas ADD COLUMN comments integer NOT NULL DEFAULT 0,
    ADD COLUMN discussion tsvector NOT NULL DEFAULT '';
UPDATE ideas i SET (comments, discussion) = (
    SELECT count(*), coalesce(osallistu_tsvector_agg(to_tsvector(osallistu_tsconfig(c.language), c.body) ORDER BY c.id), '')
    FROM comments c WHERE c.idea_id = i.id AND c.hidden_at IS NULL);
ALTER TABLE ideas ADD COLUMN search tsvector GENERATED ALWAYS AS
    (setweight(to_tsvector(osallistu_tsconfig(language), title || E'\n' || body), 'A') ||
     setweight(discussion, 'D')) STORED;
CREATE INDEX ideas_search_idx ON ideas USING gin(search);
ALTER TABLE comments DROP COLUMN search;
DROP TABLE idea_comment_counts;

ALTER TABLE idea_rounds ADD COLUMN idea_count integer NOT NULL DEFAULT 0;
UPDATE idea_rounds r SET idea_count = c.n FROM (SELECT round_id, sum(n) AS n FROM idea_round_counts GROUP BY round_id) c
WHERE c.round_id = r.id;
DROP TABLE idea_round_counts;
