-- Events with registration: an event is a step of a process's timeline
-- (from its start to its end), with a place, an optional online link, a
-- capacity (NULL is unlimited), a registration deadline and questions to
-- the registrants. A registration is an account's, or a name and an email
-- confirmed by an emailed link; unconfirmed ones hold no seat. Answers are
-- deleted a set time after the event (answers_deleted_at says it was done).

-- +goose Up
CREATE TABLE events (
    id bigserial PRIMARY KEY,
    process_id bigint NOT NULL REFERENCES processes(id) ON DELETE CASCADE,
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    location text NOT NULL,
    online_url text,
    capacity integer CHECK (capacity > 0),
    registration_closes_at timestamptz,
    language text NOT NULL DEFAULT 'fi',
    translations jsonb NOT NULL DEFAULT '{}',
    reminded_at timestamptz,
    answers_deleted_at timestamptz,
    created_by bigint REFERENCES accounts(id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_process ON events (process_id);

CREATE TABLE event_questions (
    id bigserial PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position integer NOT NULL,
    prompt text NOT NULL,
    required boolean NOT NULL DEFAULT false
);
CREATE INDEX event_questions_event ON event_questions (event_id, position);

CREATE TABLE registrations (
    id bigserial PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    account_id bigint REFERENCES accounts(id) ON DELETE CASCADE,
    name text NOT NULL,
    email text NOT NULL,
    lang text NOT NULL DEFAULT 'fi',
    status text NOT NULL CHECK (status IN ('unconfirmed', 'registered', 'waitlisted', 'cancelled')),
    cancel_hash bytea NOT NULL,
    confirm_hash bytea,
    attended boolean,
    created_at timestamptz NOT NULL,
    confirmed_at timestamptz,
    cancelled_at timestamptz
);
-- One live registration per person and event: an account's carries its
-- email, so an account and an emailed registration of one address clash.
CREATE UNIQUE INDEX registrations_once_by_email ON registrations (event_id, email) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX registrations_once_by_account ON registrations (event_id, account_id) WHERE status <> 'cancelled';
CREATE INDEX registrations_account ON registrations (account_id);

CREATE TABLE registration_answers (
    registration_id bigint NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    question_id bigint NOT NULL REFERENCES event_questions(id) ON DELETE CASCADE,
    text text NOT NULL,
    PRIMARY KEY (registration_id, question_id)
);

-- +goose Down
DROP TABLE registration_answers;
DROP TABLE registrations;
DROP TABLE event_questions;
DROP TABLE events;
