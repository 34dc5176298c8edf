-- A process has a status (a draft is seen only by its officials and
-- admins; an archived one is read only), names its organiser and a contact
-- person, and is run by its officials: the accounts that may change it and
-- everything in it. Processes that exist already stay public, run by their
-- creators.

-- +goose Up
ALTER TABLE processes
    ADD COLUMN status text NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'archived')),
    ADD COLUMN organiser text,
    ADD COLUMN contact jsonb CHECK (jsonb_typeof(contact) = 'object'), -- {name, email, phone}
    ADD COLUMN updated_at timestamptz;

CREATE TABLE process_officials (
    process_id bigint NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    added_at   timestamptz NOT NULL,
    PRIMARY KEY (process_id, account_id)
);
CREATE INDEX process_officials_account_idx ON process_officials(account_id);

INSERT INTO process_officials (process_id, account_id, added_at)
SELECT id, created_by, created_at FROM processes WHERE created_by IS NOT NULL;

-- +goose Down
DROP TABLE process_officials;
ALTER TABLE processes
    DROP COLUMN status,
    DROP COLUMN organiser,
    DROP COLUMN contact,
    DROP COLUMN updated_at;
