-- The language a statement is written in (fi, sv, en), so that pages mark
-- its text with lang (WCAG 3.1.2) as they do an idea's. Statements written
-- before it were Finnish.

-- +goose Up
ALTER TABLE statements
    ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en'));

-- +goose Down
ALTER TABLE statements DROP COLUMN language;
