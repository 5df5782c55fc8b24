-- +goose Up
-- PostgreSQL's 00006 adds audit_append_batch; SQLite appends from Go.
SELECT 1;

-- +goose Down
SELECT 1;
