-- Moderation beyond hiding: dismissing reports, restoring with a reason,
-- blocking an account from writing for a while, and pre-moderated idea
-- rounds whose new ideas and comments wait for a moderator's approval.

-- +goose Up
ALTER TABLE idea_rounds ADD COLUMN premoderated boolean NOT NULL DEFAULT false;

-- An idea or comment waiting for approval (pending) or refused (rejected)
-- is stored hidden (hidden_at set), so that every public list and count
-- leaves it out as it leaves out hidden items; approving it clears hidden_at.
ALTER TABLE ideas ADD COLUMN status text NOT NULL DEFAULT 'published'
    CHECK (status IN ('published', 'pending', 'rejected'));
ALTER TABLE comments ADD COLUMN status text NOT NULL DEFAULT 'published'
    CHECK (status IN ('published', 'pending', 'rejected'));
CREATE INDEX ideas_pending_idx ON ideas(id) WHERE status = 'pending';
CREATE INDEX comments_pending_idx ON comments(id) WHERE status = 'pending';

-- The log also keeps dismissed reports, approvals and rejections, and the
-- blocks of accounts (kind 'account', item_id the account).
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_kind_check;
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_action_check;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_kind_check
    CHECK (kind IN ('idea', 'comment', 'account'));
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_action_check
    CHECK (action IN ('hide', 'restore', 'dismiss', 'approve', 'reject', 'block', 'unblock'));

-- An account blocked from writing until a time, with a reason it is shown.
CREATE TABLE account_blocks (
    id         bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts(id),
    until      timestamptz NOT NULL,
    reason     text NOT NULL,
    created_by bigint REFERENCES accounts(id),
    created_at timestamptz NOT NULL,
    lifted_at  timestamptz,              -- set when a moderator ends it early
    lifted_by  bigint REFERENCES accounts(id)
);
CREATE INDEX account_blocks_account_idx ON account_blocks(account_id, until DESC) WHERE lifted_at IS NULL;
CREATE INDEX account_blocks_created_by_idx ON account_blocks(created_by);
CREATE INDEX account_blocks_lifted_by_idx ON account_blocks(lifted_by);

-- +goose Down
DROP TABLE account_blocks;
DELETE FROM moderation_log WHERE kind = 'account' OR action NOT IN ('hide', 'restore');
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_kind_check;
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_action_check;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_kind_check CHECK (kind IN ('idea', 'comment'));
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_action_check CHECK (action IN ('hide', 'restore'));
DROP INDEX comments_pending_idx;
DROP INDEX ideas_pending_idx;
ALTER TABLE comments DROP COLUMN status;
ALTER TABLE ideas DROP COLUMN status;
ALTER TABLE idea_rounds DROP COLUMN premoderated;
