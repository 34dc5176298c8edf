-- A milestone's status note in Finnish, Swedish and English: every status
-- report (milestone_changes) records the language of its note and the
-- note's translations, language → {"note": text} (API.md, "Conventions"),
-- and the milestone keeps those of the report in force beside its note.

-- +goose Up
ALTER TABLE milestone_changes
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    ADD COLUMN translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(translations) = 'object');
ALTER TABLE milestones
    ADD COLUMN note_language text NOT NULL DEFAULT 'fi' CHECK (note_language IN ('fi', 'sv', 'en')),
    ADD COLUMN note_translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(note_translations) = 'object');

-- +goose Down
ALTER TABLE milestones DROP COLUMN note_translations, DROP COLUMN note_language;
ALTER TABLE milestone_changes DROP COLUMN translations, DROP COLUMN language;
