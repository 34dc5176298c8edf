-- Organisations and statement requests, as in lausuntopalvelu.fi: a public
-- register of organisations whose members write statements on their
-- behalf; officials' requests for statements on a process's drafts, with
-- questions, documents and a distribution list; the statements, drafts
-- until submitted; and the public figures of the service.

-- +goose Up
CREATE TABLE organisations (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    business_id text UNIQUE,                -- Finnish Business ID, NNNNNNN-C
    kind        text NOT NULL CHECK (kind IN ('ministry', 'agency', 'municipality', 'region', 'association', 'company', 'other')),
    created_by  bigint REFERENCES accounts(id),
    created_at  timestamptz NOT NULL,
    verified_by bigint REFERENCES accounts(id), -- the official who checked it
    verified_at timestamptz
);
CREATE INDEX organisations_name_idx ON organisations(lower(name), id);
CREATE INDEX organisations_created_by_idx ON organisations(created_by);

CREATE TABLE organisation_members (
    organisation_id bigint NOT NULL REFERENCES organisations(id),
    account_id      bigint NOT NULL REFERENCES accounts(id),
    added_by        bigint REFERENCES accounts(id), -- null for the creator and an accepted invitation
    joined_at       timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, account_id)
);
CREATE INDEX organisation_members_account_idx ON organisation_members(account_id);

-- Addresses without an account that a member invited: the account
-- registered with the address becomes a member.
CREATE TABLE organisation_invitations (
    organisation_id bigint NOT NULL REFERENCES organisations(id),
    email           text NOT NULL,
    invited_by      bigint REFERENCES accounts(id),
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, email)
);
CREATE INDEX organisation_invitations_email_idx ON organisation_invitations(email);
CREATE INDEX organisation_invitations_invited_by_idx ON organisation_invitations(invited_by);

CREATE TABLE statement_requests (
    id             bigserial PRIMARY KEY,
    process_id     bigint NOT NULL REFERENCES processes(id),
    title          text NOT NULL,
    background     text NOT NULL DEFAULT '',
    contact_person text NOT NULL DEFAULT '',
    deadline       timestamptz NOT NULL,
    language       text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    translations   jsonb,
    published_at   timestamptz,             -- null while a draft
    reminded_at    timestamptz,             -- when the deadline reminder went
    created_by     bigint REFERENCES accounts(id),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX statement_requests_process_idx ON statement_requests(process_id, deadline, id);
CREATE INDEX statement_requests_deadline_idx ON statement_requests(deadline) WHERE published_at IS NOT NULL;
CREATE INDEX statement_requests_created_by_idx ON statement_requests(created_by);

CREATE TABLE statement_questions (
    id            bigserial PRIMARY KEY,
    request_id    bigint NOT NULL REFERENCES statement_requests(id),
    position      integer NOT NULL,
    prompt        text NOT NULL,
    commitment_id bigint REFERENCES commitments(id),
    language      text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    translations  jsonb,
    -- How the answers were taken into account, by an official.
    response      text,
    responded_by  bigint REFERENCES accounts(id),
    responded_at  timestamptz
);
CREATE INDEX statement_questions_request_idx ON statement_questions(request_id, position);
CREATE INDEX statement_questions_commitment_idx ON statement_questions(commitment_id) WHERE commitment_id IS NOT NULL;
CREATE INDEX statement_questions_responded_by_idx ON statement_questions(responded_by) WHERE responded_by IS NOT NULL;

-- The draft commitments a request concerns.
CREATE TABLE statement_request_commitments (
    request_id    bigint NOT NULL REFERENCES statement_requests(id),
    commitment_id bigint NOT NULL REFERENCES commitments(id),
    PRIMARY KEY (request_id, commitment_id)
);
CREATE INDEX statement_request_commitments_commitment_idx ON statement_request_commitments(commitment_id);

-- The distribution list: invited organisations, and addresses.
CREATE TABLE statement_request_organisations (
    request_id      bigint NOT NULL REFERENCES statement_requests(id),
    organisation_id bigint NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (request_id, organisation_id)
);
CREATE INDEX statement_request_organisations_organisation_idx ON statement_request_organisations(organisation_id);

CREATE TABLE statement_request_emails (
    request_id bigint NOT NULL REFERENCES statement_requests(id),
    email      text NOT NULL,
    PRIMARY KEY (request_id, email)
);

-- A request's documents, kept in the database with everything else.
CREATE TABLE attachments (
    id           bigserial PRIMARY KEY,
    request_id   bigint NOT NULL REFERENCES statement_requests(id),
    filename     text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL,
    data         bytea NOT NULL,
    created_by   bigint REFERENCES accounts(id),
    created_at   timestamptz NOT NULL
);
-- PDF, ODT and DOCX are compressed already: store them without trying again.
ALTER TABLE attachments ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX attachments_request_idx ON attachments(request_id, id);
CREATE INDEX attachments_created_by_idx ON attachments(created_by);

-- A statement speaks for an organisation (one per request) or for its
-- author (one per person per request). author_id is who saved it last,
-- and who submitted it; a submitted statement is final.
CREATE TABLE statements (
    id              bigserial PRIMARY KEY,
    request_id      bigint NOT NULL REFERENCES statement_requests(id),
    organisation_id bigint REFERENCES organisations(id),
    author_id       bigint NOT NULL REFERENCES accounts(id),
    summary         text NOT NULL DEFAULT '',
    submitted_at    timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX statements_organisation_idx ON statements(request_id, organisation_id) WHERE organisation_id IS NOT NULL;
CREATE UNIQUE INDEX statements_person_idx ON statements(request_id, author_id) WHERE organisation_id IS NULL;
CREATE INDEX statements_submitted_idx ON statements(request_id, submitted_at, id) WHERE submitted_at IS NOT NULL;
CREATE INDEX statements_author_idx ON statements(author_id);
CREATE INDEX statements_organisation_id_idx ON statements(organisation_id) WHERE organisation_id IS NOT NULL;

CREATE TABLE statement_answers (
    statement_id bigint NOT NULL REFERENCES statements(id),
    question_id  bigint NOT NULL REFERENCES statement_questions(id),
    position     text NOT NULL CHECK (position IN ('support', 'oppose', 'neutral', 'no_comment')),
    text         text NOT NULL DEFAULT '',
    PRIMARY KEY (statement_id, question_id)
);
CREATE INDEX statement_answers_question_idx ON statement_answers(question_id);

-- Page views and visits per year, counted in memory by each server
-- instance and added here every minute: a page view itself writes nothing.
CREATE TABLE page_views (
    year       integer PRIMARY KEY,
    page_views bigint NOT NULL DEFAULT 0,
    visits     bigint NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE page_views;
DROP TABLE statement_answers;
DROP TABLE statements;
DROP TABLE attachments;
DROP TABLE statement_request_emails;
DROP TABLE statement_request_organisations;
DROP TABLE statement_request_commitments;
DROP TABLE statement_questions;
DROP TABLE statement_requests;
DROP TABLE organisation_invitations;
DROP TABLE organisation_members;
DROP TABLE organisations;
