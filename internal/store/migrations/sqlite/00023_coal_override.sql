-- +goose Up
-- Coal only where coal is mined (issue 11): a 煤炭 enterprise outside the
-- coal-producing cities (产煤市) is refused, unless an administrator gives
-- a reason, kept here.
ALTER TABLE enterprises ADD COLUMN coal_override TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE enterprises DROP COLUMN coal_override;
