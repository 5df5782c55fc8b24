-- +goose Up
-- The channel (coal or noncoal) of an uploaded form: a file stands for one
-- region, one channel and one period, and its confirmed import must be of
-- the channel its preview was.
ALTER TABLE form_uploads ADD COLUMN sector TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE form_uploads DROP COLUMN sector;
