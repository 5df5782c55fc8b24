-- +goose Up
-- Each removal of an enterprise from a year's key list (附件1), with the
-- reason its check-your-answers step required, who and when: the key_list
-- row is gone, the enterprise's history keeps why.
CREATE TABLE key_list_removals (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    note          TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL,
    by_user       INTEGER REFERENCES users(id),
    by_name       TEXT NOT NULL,
    at            TIMESTAMP NOT NULL
);
CREATE INDEX key_list_removals_enterprise ON key_list_removals(enterprise_id);

-- +goose Down
DROP TABLE key_list_removals;
