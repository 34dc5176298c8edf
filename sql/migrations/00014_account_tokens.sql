-- Everyday accounts: confirmed email addresses, links that confirm an
-- address or a new one, reset a forgotten password, or accept an
-- organisation's invitation. Every link carries a token of which only a
-- hash is kept.

-- +goose Up
-- When the account's address was confirmed (null until it is). Accounts
-- made before confirmation existed keep getting the news they asked for:
-- they count as confirmed from their creation.
ALTER TABLE accounts ADD COLUMN email_confirmed_at timestamptz;
UPDATE accounts SET email_confirmed_at = created_at WHERE email IS NOT NULL;

-- The personal links sent to an account's owner: confirm the address
-- (email is the address it confirms), confirm a new address (email is the
-- new one), reset the password. Each works once, until expires_at.
CREATE TABLE account_tokens (
    id         bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts(id),
    purpose    text NOT NULL CHECK (purpose IN ('confirm_email', 'change_email', 'reset_password')),
    email      text NOT NULL,
    token_hash bytea NOT NULL UNIQUE,      -- sha-256 of the token; the token is only in the email
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX account_tokens_account_idx ON account_tokens(account_id, purpose, created_at);

-- An organisation's invitation is accepted through the personal link of
-- its email, by whoever holds it: registering with the address alone joins
-- nothing. Invitations written before links existed have none, and can
-- only be sent again.
ALTER TABLE organisation_invitations ADD COLUMN token_hash bytea UNIQUE;

-- +goose Down
ALTER TABLE organisation_invitations DROP COLUMN token_hash;
DROP TABLE account_tokens;
ALTER TABLE accounts DROP COLUMN email_confirmed_at;
