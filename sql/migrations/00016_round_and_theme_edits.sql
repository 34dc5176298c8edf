-- Editing idea rounds and themes: a round's window may move (each move is
-- kept, with who made it and when, so that the round's page can say so),
-- and a theme may be merged into another of its round. A merged theme keeps
-- its row, so that the poll options and commitment sources naming it still
-- resolve; the ideas it held move to the target, and which ones moved is
-- kept, so that an idea's trace still finds what its first theme became.

-- +goose Up
CREATE TABLE idea_round_window_changes (
    id               bigserial PRIMARY KEY,
    round_id         bigint NOT NULL REFERENCES idea_rounds(id),
    opens_at_before  timestamptz NOT NULL,
    opens_at         timestamptz NOT NULL,
    closes_at_before timestamptz NOT NULL,
    closes_at        timestamptz NOT NULL,
    changed_by       bigint REFERENCES accounts(id),
    changed_at       timestamptz NOT NULL
);
CREATE INDEX idea_round_window_changes_round_idx ON idea_round_window_changes(round_id);

ALTER TABLE themes
    ADD COLUMN merged_into bigint REFERENCES themes(id) CHECK (merged_into <> id),
    ADD COLUMN merged_by   bigint REFERENCES accounts(id),
    ADD COLUMN merged_at   timestamptz;
CREATE INDEX themes_merged_into_idx ON themes(merged_into) WHERE merged_into IS NOT NULL;

-- The ideas a theme's merge moved to the target: the trace of each still
-- counts the merged theme's poll results and commitments as its own.
CREATE TABLE theme_merge_ideas (
    theme_id bigint NOT NULL REFERENCES themes(id),
    idea_id  bigint NOT NULL REFERENCES ideas(id),
    PRIMARY KEY (theme_id, idea_id)
);
CREATE INDEX theme_merge_ideas_idea_idx ON theme_merge_ideas(idea_id);

-- +goose Down
DROP TABLE theme_merge_ideas;
ALTER TABLE themes DROP COLUMN merged_at, DROP COLUMN merged_by, DROP COLUMN merged_into;
DROP TABLE idea_round_window_changes;
