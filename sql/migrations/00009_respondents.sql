-- Anonymous respondents are issued their tokens by the server
-- (POST /api/v1/respondents, or the pages' cookie), so that a made-up token
-- counts for nothing. Only a hash of the token is kept. Contributions refer
-- to the respondent by id; the older ones keep the hash of the token their
-- client made ('r:<sha-256>' supporters, the ideas' and comments'
-- respondent column), which stay counted: they are history.
--
-- Ideas also keep their supports by signed-in people apart, so that the
-- officials can rank ideas by the supports nobody can multiply.

-- +goose Up
CREATE TABLE respondents (
    id         bigserial PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE,   -- sha-256 of the issued token
    created_at timestamptz NOT NULL
);

ALTER TABLE ideas ADD COLUMN respondent_id bigint REFERENCES respondents(id);
ALTER TABLE comments ADD COLUMN respondent_id bigint REFERENCES respondents(id);

-- Kept with the supports table in one transaction, as supports is.
ALTER TABLE ideas ADD COLUMN signed_in_supports integer NOT NULL DEFAULT 0;
UPDATE ideas i SET signed_in_supports = s.n
FROM (SELECT idea_id, count(*) AS n FROM supports WHERE account_id IS NOT NULL GROUP BY idea_id) s
WHERE s.idea_id = i.id;

-- +goose Down
ALTER TABLE ideas DROP COLUMN signed_in_supports;
ALTER TABLE comments DROP COLUMN respondent_id;
ALTER TABLE ideas DROP COLUMN respondent_id;
DROP TABLE respondents;
