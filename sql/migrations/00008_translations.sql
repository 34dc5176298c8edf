-- Organisers' texts in Finnish, Swedish and English: every object whose
-- texts an official writes records the language of its own text fields and
-- their translations into the other languages, language → field → text
-- (API.md, "Conventions"). Citizens' texts stay as they were written.
-- Notifications keep the translations of the titles they quote, as they
-- were when written, so that each reader sees them in their language.

-- +goose Up
ALTER TABLE processes
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    ADD COLUMN translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(translations) = 'object');
ALTER TABLE idea_rounds
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    ADD COLUMN translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(translations) = 'object');
ALTER TABLE themes
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    ADD COLUMN translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(translations) = 'object');
ALTER TABLE workshops
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    ADD COLUMN translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(translations) = 'object');
ALTER TABLE polls
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    ADD COLUMN translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(translations) = 'object');
ALTER TABLE poll_options
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    ADD COLUMN translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(translations) = 'object');
ALTER TABLE commitments
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    ADD COLUMN translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(translations) = 'object');
ALTER TABLE milestones
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    ADD COLUMN translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(translations) = 'object');

-- The notifications view of 00006 gains the languages and translations of
-- the titles it quotes (kept in the message's params), at its end as
-- CREATE OR REPLACE VIEW asks; an insert keeps them.
CREATE OR REPLACE VIEW notifications AS
SELECT id, account_id, kind, subject_id AS commitment_id, params->>'title' AS commitment_title,
       (params->>'milestone_id')::bigint AS milestone_id, params->>'milestone_title' AS milestone_title,
       params->>'status' AS status,
       '/commitments/' || subject_id || coalesce('#milestone-' || (params->>'milestone_id'), '') AS link,
       created_at, read_at,
       coalesce(params->>'language', 'fi') AS commitment_language,
       coalesce(params->'translations', '{}') AS commitment_translations,
       coalesce(params->>'milestone_language', 'fi') AS milestone_language,
       coalesce(params->'milestone_translations', '{}') AS milestone_translations
FROM outbox
WHERE channel = 'in_app' AND subject_kind = 'commitment';

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notifications_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox (account_id, channel, kind, subject_kind, subject_id, params, lang, created_at)
    SELECT NEW.account_id, 'in_app', NEW.kind, 'commitment', NEW.commitment_id,
           jsonb_strip_nulls(jsonb_build_object('title', NEW.commitment_title, 'milestone_id', NEW.milestone_id,
                                                'milestone_title', NEW.milestone_title, 'status', NEW.status,
                                                'language', NEW.commitment_language,
                                                'translations', NEW.commitment_translations,
                                                'milestone_language', CASE WHEN NEW.milestone_id IS NOT NULL THEN NEW.milestone_language END,
                                                'milestone_translations', CASE WHEN NEW.milestone_id IS NOT NULL THEN NEW.milestone_translations END)),
           a.lang, NEW.created_at
    FROM accounts a WHERE a.id = NEW.account_id;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- A view's columns cannot be dropped by replacing it: it is made again as
-- 00006 made it (the trigger goes with it).
DROP VIEW notifications;
CREATE VIEW notifications AS
SELECT id, account_id, kind, subject_id AS commitment_id, params->>'title' AS commitment_title,
       (params->>'milestone_id')::bigint AS milestone_id, params->>'milestone_title' AS milestone_title,
       params->>'status' AS status,
       '/commitments/' || subject_id || coalesce('#milestone-' || (params->>'milestone_id'), '') AS link,
       created_at, read_at
FROM outbox
WHERE channel = 'in_app' AND subject_kind = 'commitment';

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION notifications_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox (account_id, channel, kind, subject_kind, subject_id, params, lang, created_at)
    SELECT NEW.account_id, 'in_app', NEW.kind, 'commitment', NEW.commitment_id,
           jsonb_strip_nulls(jsonb_build_object('title', NEW.commitment_title, 'milestone_id', NEW.milestone_id,
                                                'milestone_title', NEW.milestone_title, 'status', NEW.status)),
           a.lang, NEW.created_at
    FROM accounts a WHERE a.id = NEW.account_id;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER notifications_insert INSTEAD OF INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION notifications_insert();

ALTER TABLE milestones DROP COLUMN translations, DROP COLUMN language;
ALTER TABLE commitments DROP COLUMN translations, DROP COLUMN language;
ALTER TABLE poll_options DROP COLUMN translations, DROP COLUMN language;
ALTER TABLE polls DROP COLUMN translations, DROP COLUMN language;
ALTER TABLE workshops DROP COLUMN translations, DROP COLUMN language;
ALTER TABLE themes DROP COLUMN translations, DROP COLUMN language;
ALTER TABLE idea_rounds DROP COLUMN translations, DROP COLUMN language;
ALTER TABLE processes DROP COLUMN translations, DROP COLUMN language;
