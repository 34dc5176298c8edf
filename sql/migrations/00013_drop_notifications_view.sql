-- The commitment code writes and reads the outbox itself now: the
-- notifications view that 00006 left for it, and the trigger that turned
-- its inserts into in-app messages, go.

-- +goose Up
DROP VIEW notifications;
DROP FUNCTION notifications_insert();

-- +goose Down
-- As 00006 made them.
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
