-- Failed sign-ins are counted per account and address: an address with too
-- many failures is locked out of the account, the owner's address is not
-- (it is only slowed down). Rows from before have no address ('').

-- +goose Up
ALTER TABLE login_failures ADD COLUMN address text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE login_failures DROP COLUMN address;
