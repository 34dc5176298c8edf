-- +goose Up
-- Workshops: participants join on their phones with a code and vote live
-- in polls; the ballots table is the truth that every tally is counted from.
CREATE TABLE workshops (
    id                bigserial PRIMARY KEY,
    process_id        bigint NOT NULL REFERENCES processes(id),
    title             text NOT NULL,
    starts_at         timestamptz NOT NULL,
    -- Six characters that cannot be mistaken for each other: A–Z and 2–9
    -- without O, I and L (nor 0 and 1).
    join_code         text NOT NULL UNIQUE CHECK (join_code ~ '^[A-HJKMNP-Z2-9]{6}$'),
    show_results_live boolean NOT NULL DEFAULT true,
    created_by        bigint REFERENCES accounts(id),
    created_at        timestamptz NOT NULL
);
CREATE INDEX workshops_process_idx ON workshops(process_id);
CREATE INDEX workshops_created_by_idx ON workshops(created_by);

CREATE TABLE polls (
    id            bigserial PRIMARY KEY,
    workshop_id   bigint NOT NULL REFERENCES workshops(id),
    question      text NOT NULL,
    max_choices   integer NOT NULL CHECK (max_choices >= 1),
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    position      integer NOT NULL,
    idea_round_id bigint REFERENCES idea_rounds(id), -- when the options are a round's themes
    opened_at     timestamptz,
    closed_at     timestamptz,
    created_at    timestamptz NOT NULL,
    UNIQUE (workshop_id, position)
);

CREATE TABLE poll_options (
    id       bigserial PRIMARY KEY,
    poll_id  bigint NOT NULL REFERENCES polls(id),
    label    text NOT NULL,
    theme_id bigint REFERENCES themes(id),
    position integer NOT NULL,
    UNIQUE (poll_id, position)
);
CREATE INDEX poll_options_theme_idx ON poll_options(theme_id) WHERE theme_id IS NOT NULL;

-- Participants have no account: a token (only its hash is kept) and, if
-- they choose, a name and a municipality.
CREATE TABLE participants (
    id           bigserial PRIMARY KEY,
    workshop_id  bigint NOT NULL REFERENCES workshops(id),
    token_hash   bytea NOT NULL UNIQUE,
    name         text,
    municipality text,
    created_at   timestamptz NOT NULL
);
CREATE INDEX participants_workshop_idx ON participants(workshop_id);

-- One standing ballot per participant and poll: a later one replaces the
-- earlier through the primary key (an upsert), so concurrent ballots of one
-- participant never make two rows. option_ids are checked against the poll's
-- options before they are written.
CREATE TABLE ballots (
    poll_id        bigint NOT NULL REFERENCES polls(id),
    participant_id bigint NOT NULL REFERENCES participants(id),
    option_ids     bigint[] NOT NULL CHECK (cardinality(option_ids) >= 1),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (poll_id, participant_id)
);
CREATE INDEX ballots_participant_idx ON ballots(participant_id);

-- +goose Down
DROP TABLE ballots;
DROP TABLE participants;
DROP TABLE poll_options;
DROP TABLE polls;
DROP TABLE workshops;
