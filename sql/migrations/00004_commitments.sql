-- +goose Up
-- Commitments: officials draft them from the ideas and themes people chose,
-- revise them in versions, merge some into others (nothing is deleted),
-- approve them and track their milestones with a traffic light.
CREATE TABLE commitments (
    id               bigserial PRIMARY KEY,
    process_id       bigint NOT NULL REFERENCES processes(id),
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'merged')),
    version          integer NOT NULL DEFAULT 1,
    merged_into      bigint REFERENCES commitments(id),
    -- The Open Government Partnership commitment template.
    title            text NOT NULL,
    problem          text NOT NULL DEFAULT '',   -- the public problem
    description      text NOT NULL DEFAULT '',   -- what the commitment is
    how_it_addresses text NOT NULL DEFAULT '',   -- how it addresses the problem
    relevance        text NOT NULL DEFAULT '',   -- to transparency, participation, accountability
    lead_agency      text NOT NULL DEFAULT '',
    other_actors     text NOT NULL DEFAULT '',
    starts_on        date,
    ends_on          date,
    created_by       bigint REFERENCES accounts(id),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    approved_by      bigint REFERENCES accounts(id),
    approved_at      timestamptz,
    merged_at        timestamptz,
    CHECK ((status = 'merged') = (merged_into IS NOT NULL)),
    CHECK (merged_into <> id)
);
CREATE INDEX commitments_process_idx ON commitments(process_id, status, id);
CREATE INDEX commitments_merged_into_idx ON commitments(merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX commitments_created_by_idx ON commitments(created_by);

-- The ideas and themes a commitment was drafted from. A merge copies the
-- merged one's sources to the target (merged_from says so) and keeps its own.
CREATE TABLE commitment_sources (
    id            bigserial PRIMARY KEY,
    commitment_id bigint NOT NULL REFERENCES commitments(id),
    idea_id       bigint REFERENCES ideas(id),
    theme_id      bigint REFERENCES themes(id),
    merged_from   bigint REFERENCES commitments(id),
    CHECK ((idea_id IS NULL) <> (theme_id IS NULL))
);
CREATE UNIQUE INDEX commitment_sources_idea_uq ON commitment_sources(commitment_id, idea_id) WHERE idea_id IS NOT NULL;
CREATE UNIQUE INDEX commitment_sources_theme_uq ON commitment_sources(commitment_id, theme_id) WHERE theme_id IS NOT NULL;
CREATE INDEX commitment_sources_idea_idx ON commitment_sources(idea_id) WHERE idea_id IS NOT NULL;
CREATE INDEX commitment_sources_theme_idx ON commitment_sources(theme_id) WHERE theme_id IS NOT NULL;

-- Every version of a commitment: who, when, why, what changed, and a
-- snapshot of what it then said (text fields, milestones, sources).
CREATE TABLE commitment_versions (
    commitment_id  bigint NOT NULL REFERENCES commitments(id),
    version        integer NOT NULL,
    author_id      bigint REFERENCES accounts(id),
    created_at     timestamptz NOT NULL,
    change_note    text,
    snapshot       jsonb NOT NULL,
    changed_fields text[] NOT NULL DEFAULT '{}',
    merged_from    bigint REFERENCES commitments(id), -- the merge that made this version
    PRIMARY KEY (commitment_id, version)
);
CREATE INDEX commitment_versions_author_idx ON commitment_versions(author_id);

CREATE TABLE milestones (
    id                   bigserial PRIMARY KEY,
    commitment_id        bigint NOT NULL REFERENCES commitments(id), -- moves on a merge
    origin_commitment_id bigint NOT NULL REFERENCES commitments(id), -- where it was drafted
    position             integer NOT NULL,
    title                text NOT NULL,
    due                  date NOT NULL,
    responsible          text NOT NULL DEFAULT '',
    status               text NOT NULL DEFAULT 'not_started'
                         CHECK (status IN ('not_started', 'late', 'on_track', 'done')),
    note                 text,
    evidence_links       text[] NOT NULL DEFAULT '{}',
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz
);
CREATE INDEX milestones_commitment_idx ON milestones(commitment_id, position);

-- Every status report on a milestone, kept.
CREATE TABLE milestone_changes (
    id             bigserial PRIMARY KEY,
    milestone_id   bigint NOT NULL REFERENCES milestones(id),
    status         text NOT NULL CHECK (status IN ('not_started', 'late', 'on_track', 'done')),
    note           text,
    evidence_links text[] NOT NULL DEFAULT '{}',
    author_id      bigint REFERENCES accounts(id),
    created_at     timestamptz NOT NULL
);
CREATE INDEX milestone_changes_milestone_idx ON milestone_changes(milestone_id, id);
CREATE INDEX milestone_changes_author_idx ON milestone_changes(author_id);

-- What a signed-in person follows, to be told what becomes of it.
CREATE TABLE follows (
    account_id bigint NOT NULL REFERENCES accounts(id),
    kind       text NOT NULL CHECK (kind IN ('idea', 'commitment')),
    item_id    bigint NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (account_id, kind, item_id)
);
CREATE INDEX follows_item_idx ON follows(kind, item_id);

-- In-app messages to followers, written in the transaction of the change
-- they tell of. Titles are kept as they were then.
CREATE TABLE notifications (
    id               bigserial PRIMARY KEY,
    account_id       bigint NOT NULL REFERENCES accounts(id),
    kind             text NOT NULL CHECK (kind IN ('commitment_approved', 'milestone_status')),
    commitment_id    bigint NOT NULL REFERENCES commitments(id),
    commitment_title text NOT NULL,
    milestone_id     bigint REFERENCES milestones(id),
    milestone_title  text,
    status           text,
    link             text NOT NULL,
    created_at       timestamptz NOT NULL,
    read_at          timestamptz
);
CREATE INDEX notifications_account_idx ON notifications(account_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications(account_id) WHERE read_at IS NULL;

-- +goose Down
DROP TABLE notifications;
DROP TABLE follows;
DROP TABLE milestone_changes;
DROP TABLE milestones;
DROP TABLE commitment_versions;
DROP TABLE commitment_sources;
DROP TABLE commitments;
