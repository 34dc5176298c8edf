-- Privacy: no network address is kept in the database, and anonymous
-- tokens do not outlive their process.
--
-- Failed sign-ins are counted per account in the database (each attempt on
-- the account is slowed down by them) and per account and address only in
-- the memory of the instance that saw them (participation.LoginLockout), so
-- the address column goes.
--
-- A purged respondent token or survey invitation link keeps its row (ideas,
-- comments, supports and responses refer to it and stay counted) but loses
-- the token's hash, so that the token is refused from then on. An erased
-- account's survey invitations lose their email likewise.

-- +goose Up
ALTER TABLE login_failures DROP COLUMN address;
ALTER TABLE respondents ALTER COLUMN token_hash DROP NOT NULL;
ALTER TABLE survey_invitations ALTER COLUMN token_hash DROP NOT NULL, ALTER COLUMN email DROP NOT NULL;

-- +goose Down
-- A purged token gets a 16-byte value in place of its hash: a token's hash
-- has 32, so no token matches it.
UPDATE survey_invitations SET token_hash = decode(md5('survey_invitation:' || id), 'hex') WHERE token_hash IS NULL;
UPDATE survey_invitations SET email = 'erased-' || id || '@invalid' WHERE email IS NULL;
ALTER TABLE survey_invitations ALTER COLUMN token_hash SET NOT NULL, ALTER COLUMN email SET NOT NULL;
UPDATE respondents SET token_hash = decode(md5('respondent:' || id), 'hex') WHERE token_hash IS NULL;
ALTER TABLE respondents ALTER COLUMN token_hash SET NOT NULL;
ALTER TABLE login_failures ADD COLUMN address text NOT NULL DEFAULT '';
