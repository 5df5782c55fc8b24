-- +goose Up
-- When each account last signed in (an instant as timeText writes it, ''
-- for never), for the administrators' list of accounts.
ALTER TABLE users ADD COLUMN last_sign_in TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN last_sign_in;
