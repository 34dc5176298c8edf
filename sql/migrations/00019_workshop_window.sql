-- +goose Up
-- A workshop's state follows its own time window and the official's action,
-- not its polls: it may end by itself at ends_at, and the official may end
-- it (ended_at) and reopen it.
ALTER TABLE workshops
    ADD COLUMN ends_at  timestamptz CHECK (ends_at > starts_at),
    ADD COLUMN ended_at timestamptz;

-- +goose Down
ALTER TABLE workshops DROP COLUMN ended_at, DROP COLUMN ends_at;
