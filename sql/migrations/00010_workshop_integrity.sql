-- +goose Up
-- One person, one participant: a workshop can let only signed-in people
-- join, and close joining once the room is in; a signed-in participant is
-- kept with their account, so that joining again gives the same one back.
ALTER TABLE workshops
    ADD COLUMN require_account boolean NOT NULL DEFAULT false,
    ADD COLUMN joining_open    boolean NOT NULL DEFAULT true;

ALTER TABLE participants ADD COLUMN account_id bigint REFERENCES accounts(id);
CREATE UNIQUE INDEX participants_account_idx ON participants(workshop_id, account_id) WHERE account_id IS NOT NULL;
CREATE INDEX participants_account_id_idx ON participants(account_id) WHERE account_id IS NOT NULL;

-- A participant may hold several tokens: an account that joins again from
-- another device gets a token of its own for the same participant (only a
-- token's hash is kept, so the first cannot be given again).
CREATE TABLE participant_tokens (
    token_hash     bytea PRIMARY KEY,
    participant_id bigint NOT NULL REFERENCES participants(id),
    created_at     timestamptz NOT NULL
);
CREATE INDEX participant_tokens_participant_idx ON participant_tokens(participant_id);
INSERT INTO participant_tokens (token_hash, participant_id, created_at)
    SELECT token_hash, id, created_at FROM participants;
ALTER TABLE participants DROP COLUMN token_hash;

-- +goose Down
ALTER TABLE participants ADD COLUMN token_hash bytea;
UPDATE participants pa SET token_hash = (
    SELECT t.token_hash FROM participant_tokens t WHERE t.participant_id = pa.id ORDER BY t.created_at LIMIT 1);
ALTER TABLE participants ALTER COLUMN token_hash SET NOT NULL, ADD CONSTRAINT participants_token_hash_key UNIQUE (token_hash);
DROP TABLE participant_tokens;
ALTER TABLE participants DROP COLUMN account_id;
ALTER TABLE workshops DROP COLUMN joining_open, DROP COLUMN require_account;
