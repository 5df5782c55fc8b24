-- +goose Up
-- PostgreSQL's 00004 adds the audit_append function; SQLite appends from
-- Go. This keeps the two sets numbered alike.
SELECT 1;

-- +goose Down
SELECT 1;
