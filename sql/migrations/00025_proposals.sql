-- +goose Up
-- A workshop's idea wall: an official opens a "collect" activity per theme
-- (a collection), participants send short proposals to it from their phones
-- and support each other's, one support each. A hidden proposal leaves the
-- wall but stays, with who hid it and why, for the moderation log. A
-- proposal taken forward keeps its link: to the draft commitment it became
-- or to the survey item it was put to.
CREATE TABLE collections (
    id          bigserial PRIMARY KEY,
    workshop_id bigint NOT NULL REFERENCES workshops(id),
    theme_id    bigint REFERENCES themes(id),
    title       text NOT NULL,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at  timestamptz NOT NULL,
    closed_at   timestamptz
);
CREATE INDEX collections_workshop_idx ON collections(workshop_id);

CREATE TABLE proposals (
    id             bigserial PRIMARY KEY,
    collection_id  bigint NOT NULL REFERENCES collections(id),
    participant_id bigint NOT NULL REFERENCES participants(id),
    body           text NOT NULL,
    created_at     timestamptz NOT NULL,
    hidden_at      timestamptz,
    hidden_by      bigint REFERENCES accounts(id),
    hidden_reason  text,
    commitment_id  bigint REFERENCES commitments(id),
    survey_item_id bigint REFERENCES survey_choices(id)
);
CREATE INDEX proposals_collection_idx ON proposals(collection_id);
CREATE INDEX proposals_participant_idx ON proposals(participant_id, created_at);
CREATE INDEX proposals_commitment_idx ON proposals(commitment_id) WHERE commitment_id IS NOT NULL;

CREATE TABLE proposal_supports (
    proposal_id    bigint NOT NULL REFERENCES proposals(id),
    participant_id bigint NOT NULL REFERENCES participants(id),
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (proposal_id, participant_id)
);

-- Hiding a proposal is kept in the moderation log with the ideas' and
-- comments' actions (kind 'proposal', item_id the proposal).
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_kind_check;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_kind_check
    CHECK (kind IN ('idea', 'comment', 'account', 'proposal'));

-- +goose Down
DELETE FROM moderation_log WHERE kind = 'proposal';
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_kind_check;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_kind_check
    CHECK (kind IN ('idea', 'comment', 'account'));
DROP TABLE proposal_supports;
DROP TABLE proposals;
DROP TABLE collections;
