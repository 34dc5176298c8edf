-- +goose Up
CREATE TABLE accounts (
    id            bigserial PRIMARY KEY,
    email         text UNIQUE,              -- stored lower-cased; NULL once erased
    password_hash text,                     -- argon2id, PHC string; NULL once erased
    name          text,                     -- NULL once erased
    municipality  text,
    roles         text[] NOT NULL DEFAULT '{citizen}',
    created_at    timestamptz NOT NULL,
    erased_at     timestamptz
);

CREATE TABLE sessions (
    token_hash  bytea PRIMARY KEY,          -- sha-256 of the token; the token itself is never stored
    account_id  bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_account_idx ON sessions(account_id);

-- Failed log-ins, for throttling per account.
CREATE TABLE login_failures (
    email     text NOT NULL,
    failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures(email, failed_at);

CREATE TABLE processes (
    id          bigserial PRIMARY KEY,
    slug        text NOT NULL UNIQUE,
    title       text NOT NULL,
    description text NOT NULL,
    created_by  bigint REFERENCES accounts(id),
    created_at  timestamptz NOT NULL
);

-- Short-lived tokens of the CSRF middleware, shared by every server instance.
CREATE TABLE csrf_tokens (
    key        text PRIMARY KEY,
    value      bytea NOT NULL,
    expires_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE csrf_tokens;
DROP TABLE processes;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE accounts;
