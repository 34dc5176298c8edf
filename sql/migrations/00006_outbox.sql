-- The outbox: every message the platform sends a person, in the app or by
-- email, to an account or to an address without one. Messages are written
-- in the transaction of the change they tell of; one sender delivers the
-- email ones, at least once, with retries. In-app messages are read here.

-- +goose Up
-- The language messages are written in for the account, and whether it
-- wants the messages of what it follows by email as well (opt-in).
ALTER TABLE accounts
    ADD COLUMN lang text NOT NULL DEFAULT 'fi' CHECK (lang IN ('fi', 'sv', 'en')),
    ADD COLUMN email_notifications boolean NOT NULL DEFAULT false;

CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    account_id      bigint REFERENCES accounts(id),     -- the recipient with an account,
    email           text,                               -- or the address of one without
    channel         text NOT NULL CHECK (channel IN ('in_app', 'email')),
    kind            text NOT NULL,                      -- what happened: commitment_approved, ...
    subject_kind    text NOT NULL,                      -- what it is about: commitment, ...
    subject_id      bigint NOT NULL,
    params          jsonb NOT NULL DEFAULT '{}',        -- what the text needs, as it was then (titles, status)
    lang            text NOT NULL CHECK (lang IN ('fi', 'sv', 'en')), -- the recipient's, when written
    created_at      timestamptz NOT NULL,
    read_at         timestamptz,                        -- in the app
    -- Email delivery: due at next_attempt_at (a claim moves it on by a
    -- lease, so that a sender that dies mid-way leaves it due again).
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    sent_at         timestamptz,                        -- the SMTP server accepted it
    last_error      text,
    failed_at       timestamptz,                        -- given up
    CHECK ((account_id IS NULL) <> (email IS NULL)),
    CHECK (channel = 'email' OR (account_id IS NOT NULL AND attempts = 0 AND next_attempt_at IS NULL
                                 AND sent_at IS NULL AND failed_at IS NULL)),
    CHECK (channel = 'in_app' OR read_at IS NULL)
);
CREATE INDEX outbox_account_idx ON outbox(account_id, id DESC);
CREATE INDEX outbox_unread_idx ON outbox(account_id) WHERE channel = 'in_app' AND read_at IS NULL;
CREATE INDEX outbox_due_idx ON outbox(next_attempt_at) WHERE channel = 'email' AND sent_at IS NULL AND failed_at IS NULL;

-- The notifications so far become in-app messages with the same ids, so
-- that ids the API has handed out stay good. Their links follow from the
-- commitment and the milestone.
INSERT INTO outbox (id, account_id, channel, kind, subject_kind, subject_id, params, lang, created_at, read_at)
SELECT n.id, n.account_id, 'in_app', n.kind, 'commitment', n.commitment_id,
       jsonb_strip_nulls(jsonb_build_object('title', n.commitment_title, 'milestone_id', n.milestone_id,
                                            'milestone_title', n.milestone_title, 'status', n.status)),
       a.lang, n.created_at, n.read_at
FROM notifications n JOIN accounts a ON a.id = n.account_id;
SELECT setval(pg_get_serial_sequence('outbox', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM outbox;

DROP TABLE notifications;

-- Until the commitment code writes and reads the outbox itself, the name
-- notifications is a view of its in-app messages, so that the statements of
-- today keep working: reading, marking read and erasing through the view
-- reach the outbox, and an insert becomes an in-app message in the
-- recipient's language. The migration that switches them drops the view.
CREATE VIEW notifications AS
SELECT id, account_id, kind, subject_id AS commitment_id, params->>'title' AS commitment_title,
       (params->>'milestone_id')::bigint AS milestone_id, params->>'milestone_title' AS milestone_title,
       params->>'status' AS status,
       '/commitments/' || subject_id || coalesce('#milestone-' || (params->>'milestone_id'), '') AS link,
       created_at, read_at
FROM outbox
WHERE channel = 'in_app' AND subject_kind = 'commitment';

-- +goose StatementBegin
CREATE FUNCTION notifications_insert() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- +goose Down
DROP VIEW notifications;
DROP FUNCTION notifications_insert();

CREATE TABLE notifications (
    id               bigserial PRIMARY KEY,
    account_id       bigint NOT NULL REFERENCES accounts(id),
    kind             text NOT NULL CHECK (kind IN ('commitment_approved', 'milestone_status')),
    commitment_id    bigint NOT NULL REFERENCES commitments(id),
    commitment_title text NOT NULL,
    milestone_id     bigint REFERENCES milestones(id),
    milestone_title  text,
    status           text,
    link             text NOT NULL,
    created_at       timestamptz NOT NULL,
    read_at          timestamptz
);
CREATE INDEX notifications_account_idx ON notifications(account_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications(account_id) WHERE read_at IS NULL;

-- The in-app messages of the kinds the old table knew go back into it;
-- emails and any later kinds have no place there.
INSERT INTO notifications (id, account_id, kind, commitment_id, commitment_title, milestone_id, milestone_title, status, link, created_at, read_at)
SELECT id, account_id, kind, subject_id, coalesce(params->>'title', ''), (params->>'milestone_id')::bigint,
       params->>'milestone_title', params->>'status',
       '/commitments/' || subject_id || coalesce('#milestone-' || (params->>'milestone_id'), ''),
       created_at, read_at
FROM outbox
WHERE channel = 'in_app' AND subject_kind = 'commitment' AND kind IN ('commitment_approved', 'milestone_status');
SELECT setval(pg_get_serial_sequence('notifications', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM notifications;

DROP TABLE outbox;
ALTER TABLE accounts DROP COLUMN email_notifications, DROP COLUMN lang;
