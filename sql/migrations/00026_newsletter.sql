-- The newsletter: subscriptions by email (double opt-in) to a process or to
-- the whole platform, the officials' introductions to a period's digest, and
-- which digest went to which subscription, once per period.

-- +goose Up
CREATE TABLE subscriptions (
    id               bigserial PRIMARY KEY,
    email            text NOT NULL,
    process_id       bigint REFERENCES processes(id),          -- NULL: the whole platform
    lang             text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
    frequency        text NOT NULL CHECK (frequency IN ('monthly', 'weekly')),
    -- The links' tokens are HMACs of the id under this salt; only their
    -- hashes are kept, for finding the subscription.
    salt             bytea NOT NULL,
    confirm_hash     bytea NOT NULL UNIQUE,
    unsubscribe_hash bytea NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL,
    confirmed_at     timestamptz                                -- nothing but the confirmation goes before
);
CREATE UNIQUE INDEX subscriptions_once_idx ON subscriptions(email, coalesce(process_id, 0));
CREATE INDEX subscriptions_due_idx ON subscriptions(frequency) WHERE confirmed_at IS NOT NULL;

-- An introduction an official (an admin for the platform's) writes for one
-- period's digest before it goes out.
CREATE TABLE newsletter_intros (
    id           bigserial PRIMARY KEY,
    process_id   bigint REFERENCES processes(id),
    frequency    text NOT NULL CHECK (frequency IN ('monthly', 'weekly')),
    period_start date NOT NULL,
    intro        text NOT NULL,
    author_id    bigint REFERENCES accounts(id),
    updated_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX newsletter_intros_once_idx ON newsletter_intros(coalesce(process_id, 0), frequency, period_start);
CREATE INDEX newsletter_intros_author_idx ON newsletter_intros(author_id);

-- One digest per subscription and period: the key that makes the
-- periodic sweep idempotent, however many instances run it.
CREATE TABLE newsletter_deliveries (
    subscription_id bigint NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    period_start    date NOT NULL,
    items           integer NOT NULL,                        -- 0: nothing happened, nothing sent
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (subscription_id, period_start)
);

-- +goose Down
DROP TABLE newsletter_deliveries;
DROP TABLE newsletter_intros;
DROP TABLE subscriptions;
