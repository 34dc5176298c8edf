-- +goose Up
-- Idea rounds: citizens send ideas, officials group them into themes.
CREATE TABLE idea_rounds (
    id              bigserial PRIMARY KEY,
    process_id      bigint NOT NULL REFERENCES processes(id),
    title           text NOT NULL,
    description     text NOT NULL,
    opens_at        timestamptz NOT NULL,
    closes_at       timestamptz NOT NULL CHECK (closes_at > opens_at),
    allow_anonymous boolean NOT NULL,
    idea_count      integer NOT NULL DEFAULT 0,  -- visible ideas, kept with the ideas in one transaction
    created_by      bigint REFERENCES accounts(id),
    created_at      timestamptz NOT NULL
);
CREATE INDEX idea_rounds_process_idx ON idea_rounds(process_id);

CREATE TABLE themes (
    id          bigserial PRIMARY KEY,
    round_id    bigint NOT NULL REFERENCES idea_rounds(id),
    title       text NOT NULL,
    description text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX themes_round_idx ON themes(round_id);

-- The text search configuration of a content language: Finnish and Swedish
-- stemming, no stemming for anything else.
-- +goose StatementBegin
CREATE FUNCTION osallistu_tsconfig(lang text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lang WHEN 'fi' THEN 'finnish'::regconfig WHEN 'sv' THEN 'swedish'::regconfig
                     WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END
$$;
-- +goose StatementEnd

-- Concatenation of tsvectors as an aggregate, for an idea's discussion.
CREATE AGGREGATE osallistu_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

CREATE TABLE ideas (
    id            bigserial PRIMARY KEY,
    round_id      bigint NOT NULL REFERENCES idea_rounds(id),
    title         text NOT NULL,
    body          text NOT NULL,
    author_id     bigint REFERENCES accounts(id),   -- NULL when sent anonymously
    author_name   text,                             -- the name the author chose to show
    respondent    text,                             -- sha-256 of an anonymous author's respondent token
    municipality  text,
    language      text NOT NULL,                    -- fi, sv, en: the language it was written in
    theme_id      bigint REFERENCES themes(id),
    supports      integer NOT NULL DEFAULT 0,       -- kept with the supports table in one transaction
    comments      integer NOT NULL DEFAULT 0,       -- visible comments, likewise
    hidden_at     timestamptz,
    hidden_reason text,
    created_at    timestamptz NOT NULL,
    -- The visible comments' words, each comment stemmed in its own language;
    -- kept by the store in the transaction that adds, hides or restores one.
    discussion    tsvector NOT NULL DEFAULT '',
    -- One index finds an idea by its own text (weight A) or its discussion
    -- (weight D), so a match in the idea itself ranks above one in a comment.
    search        tsvector GENERATED ALWAYS AS
                  (setweight(to_tsvector(osallistu_tsconfig(language), title || E'\n' || body), 'A') ||
                   setweight(discussion, 'D')) STORED
);
CREATE INDEX ideas_round_new_idx ON ideas(round_id, created_at DESC, id DESC) WHERE hidden_at IS NULL;
CREATE INDEX ideas_round_supports_idx ON ideas(round_id, supports DESC, id DESC) WHERE hidden_at IS NULL;
CREATE INDEX ideas_theme_idx ON ideas(theme_id);
CREATE INDEX ideas_author_idx ON ideas(author_id);
CREATE INDEX ideas_search_idx ON ideas USING gin(search);

CREATE TABLE comments (
    id            bigserial PRIMARY KEY,
    idea_id       bigint NOT NULL REFERENCES ideas(id),
    parent_id     bigint REFERENCES comments(id),  -- one level of replies
    body          text NOT NULL,
    author_id     bigint REFERENCES accounts(id),
    author_name   text,
    respondent    text,
    language      text NOT NULL,
    hidden_at     timestamptz,
    hidden_reason text,
    created_at    timestamptz NOT NULL
);
CREATE INDEX comments_idea_idx ON comments(idea_id, id);
CREATE INDEX comments_author_idx ON comments(author_id);

-- One support per account or anonymous respondent: the primary key makes
-- repeating harmless, also under concurrent requests.
CREATE TABLE supports (
    idea_id    bigint NOT NULL REFERENCES ideas(id),
    supporter  text NOT NULL,                    -- 'a:<account id>' or 'r:<sha-256 of the respondent token>'
    account_id bigint REFERENCES accounts(id),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (idea_id, supporter)
);
CREATE INDEX supports_account_idx ON supports(account_id);

CREATE TABLE reports (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('idea', 'comment')),
    item_id     bigint NOT NULL,
    reason      text NOT NULL,
    reporter_id bigint REFERENCES accounts(id),
    created_at  timestamptz NOT NULL,
    resolved_at timestamptz             -- set when a moderator hides or restores the item
);
CREATE INDEX reports_item_idx ON reports(kind, item_id);
CREATE INDEX reports_reporter_idx ON reports(reporter_id);

-- Every moderation action, for the officials' audit log.
CREATE TABLE moderation_log (
    id         bigserial PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('idea', 'comment')),
    item_id    bigint NOT NULL,
    action     text NOT NULL CHECK (action IN ('hide', 'restore')),
    reason     text NOT NULL,
    actor_id   bigint REFERENCES accounts(id),
    created_at timestamptz NOT NULL
);
CREATE INDEX moderation_log_item_idx ON moderation_log(kind, item_id);

-- +goose Down
DROP TABLE moderation_log;
DROP TABLE reports;
DROP TABLE supports;
DROP TABLE comments;
DROP TABLE ideas;
DROP AGGREGATE osallistu_tsvector_agg(tsvector);
DROP FUNCTION osallistu_tsconfig(text);
DROP TABLE themes;
DROP TABLE idea_rounds;
