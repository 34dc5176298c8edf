-- Surveys: ordinary questionnaires and the two-axis rating of draft goals
-- (ZEF). A survey is a draft while an official builds it, then open for
-- answers, then closed; its results are counted from the answers table.

-- +goose Up
CREATE TABLE surveys (
    id           bigserial PRIMARY KEY,
    process_id   bigint NOT NULL REFERENCES processes(id),
    title        text NOT NULL,
    description  text NOT NULL DEFAULT '',
    -- Anonymous surveys take respondent tokens and keep no account with a
    -- response; the others take accounts. Both take invitation links.
    anonymous    boolean NOT NULL,
    status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    language     text NOT NULL DEFAULT 'fi',
    translations jsonb NOT NULL DEFAULT '{}',
    -- Salts the keys of accounts that answer an anonymous survey, so that
    -- one account answers once without the response naming it.
    salt         bytea NOT NULL,
    created_by   bigint REFERENCES accounts(id),
    created_at   timestamptz NOT NULL,
    opened_at    timestamptz,
    closed_at    timestamptz,
    reminded_at  timestamptz -- the last reminder to invitations not yet answered
);
CREATE INDEX surveys_process_idx ON surveys(process_id);
CREATE INDEX surveys_created_by_idx ON surveys(created_by);

-- Questions, in order. Which columns a question uses depends on its kind:
-- scale_* and the labels for a scale, x_* and y_* for a two-axis rating.
CREATE TABLE survey_questions (
    id                     bigserial PRIMARY KEY,
    survey_id              bigint NOT NULL REFERENCES surveys(id),
    position               integer NOT NULL,
    kind                   text NOT NULL CHECK (kind IN ('single', 'multi', 'scale', 'text', 'grid2d')),
    prompt                 text NOT NULL,
    required               boolean NOT NULL DEFAULT false,
    language               text NOT NULL DEFAULT 'fi',
    translations           jsonb NOT NULL DEFAULT '{}',
    scale_min              integer,
    scale_max              integer,
    min_label              text,
    max_label              text,
    x_label                text,
    x_min                  double precision,
    x_max                  double precision,
    y_label                text,
    y_min                  double precision,
    y_max                  double precision,
    items_from_commitments boolean NOT NULL DEFAULT false,
    UNIQUE (survey_id, position),
    CHECK (kind <> 'scale' OR scale_min < scale_max),
    CHECK (kind <> 'grid2d' OR (x_min < x_max AND y_min < y_max))
);

-- The options of single and multi questions and the items of two-axis
-- ones. An item made from a draft commitment keeps its id.
CREATE TABLE survey_choices (
    id            bigserial PRIMARY KEY,
    question_id   bigint NOT NULL REFERENCES survey_questions(id),
    position      integer NOT NULL,
    label         text NOT NULL,
    commitment_id bigint REFERENCES commitments(id),
    language      text NOT NULL DEFAULT 'fi',
    translations  jsonb NOT NULL DEFAULT '{}',
    UNIQUE (question_id, position)
);
CREATE INDEX survey_choices_commitment_idx ON survey_choices(commitment_id) WHERE commitment_id IS NOT NULL;

-- Personal links sent by email: only a hash of each token is kept.
CREATE TABLE survey_invitations (
    id          bigserial PRIMARY KEY,
    survey_id   bigint NOT NULL REFERENCES surveys(id),
    email       text NOT NULL,
    token_hash  bytea NOT NULL UNIQUE,
    lang        text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
    created_at  timestamptz NOT NULL,
    reminded_at timestamptz,
    UNIQUE (survey_id, email)
);

-- One response per respondent and survey, by its key: 'a:<account id>'
-- where the survey takes accounts, 'h:<salted hash>' for an account in an
-- anonymous survey, 'r:<respondent id>' for a respondent token,
-- 'i:<invitation id>' for an invitation link. A response is a draft until
-- submitted_at is set.
CREATE TABLE survey_responses (
    id             bigserial PRIMARY KEY,
    survey_id      bigint NOT NULL REFERENCES surveys(id),
    respondent_key text NOT NULL,
    account_id     bigint REFERENCES accounts(id),
    respondent_id  bigint,
    invitation_id  bigint REFERENCES survey_invitations(id),
    municipality   text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    submitted_at   timestamptz,
    UNIQUE (survey_id, respondent_key)
);
CREATE INDEX survey_responses_submitted_idx ON survey_responses(survey_id, submitted_at) WHERE submitted_at IS NOT NULL;
CREATE INDEX survey_responses_account_idx ON survey_responses(account_id) WHERE account_id IS NOT NULL;
CREATE INDEX survey_responses_invitation_idx ON survey_responses(invitation_id) WHERE invitation_id IS NOT NULL;

-- One row per chosen option, rated item, scale value or text: the rows of
-- the results' CSV, and what the results are counted from. first_row marks
-- the first row of each answer, so that counting the responses that
-- answered a question takes no DISTINCT. A rating keeps its z-scores too
-- (zx, zy: among the respondent's own ratings in the question, per axis; 0
-- where they do not vary), worked out when it is written, so that the
-- relative view is counted in the same pass as the rest.
CREATE TABLE survey_answers (
    response_id bigint NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
    question_id bigint NOT NULL REFERENCES survey_questions(id),
    choice_id   bigint REFERENCES survey_choices(id),
    value       integer,
    x           double precision,
    y           double precision,
    zx          double precision,
    zy          double precision,
    text        text,
    first_row   boolean NOT NULL DEFAULT false
);
CREATE INDEX survey_answers_response_idx ON survey_answers(response_id);
CREATE INDEX survey_answers_question_idx ON survey_answers(question_id, choice_id);

-- +goose Down
DROP TABLE survey_answers;
DROP TABLE survey_responses;
DROP TABLE survey_invitations;
DROP TABLE survey_choices;
DROP TABLE survey_questions;
DROP TABLE surveys;
