-- +goose Up
-- The secret that the CSRF tokens are signed with, the same for every server
-- instance on the database, so that a form one instance served can be posted
-- to another: the first instance to start makes it (OSALLISTU_SECRET, when
-- set, is used instead). One row at most.
CREATE TABLE site_secret (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    secret     bytea NOT NULL CHECK (length(secret) >= 32),
    created_at timestamptz NOT NULL
);

-- Signed tokens need no table: a page view writes nothing.
DROP TABLE csrf_tokens;

-- +goose Down
CREATE TABLE csrf_tokens (
    key        text PRIMARY KEY,
    value      bytea NOT NULL,
    expires_at timestamptz NOT NULL
);
DROP TABLE site_secret;
