-- +goose Up
-- The reporting year: what each unit sent the province up each channel
-- for each period, as immutable versions (the rows as JSON and the .xlsx
-- bytes of every form), their review, the locks acceptance sets and the
-- province lifts, and the due times an administrator extended. Times are
-- UTC text (taotai.AuditTimeFormat), as the audit trail's.
CREATE TABLE report_extensions (
    period_key  TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    sector      TEXT NOT NULL CHECK (sector IN ('coal', 'noncoal')),
    region_path TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (period_key, region_code, sector)
);

CREATE TABLE report_submissions (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    period_key   TEXT NOT NULL,
    region_code  TEXT NOT NULL REFERENCES regions(code),
    region_path  TEXT NOT NULL,
    sector       TEXT NOT NULL CHECK (sector IN ('coal', 'noncoal')),
    version      INTEGER NOT NULL CHECK (version > 0),
    state        TEXT NOT NULL CHECK (state IN ('prepared', 'submitted', 'returned', 'accepted')),
    zero         BOOLEAN NOT NULL DEFAULT FALSE,
    person       TEXT NOT NULL,
    phone        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    prepared_by  TEXT NOT NULL,
    prepared_at  TEXT NOT NULL,
    submitted_by TEXT NOT NULL DEFAULT '',
    submitted_at TEXT NOT NULL DEFAULT '',
    reviewed_by  TEXT NOT NULL DEFAULT '',
    reviewed_at  TEXT NOT NULL DEFAULT '',
    review_note  TEXT NOT NULL DEFAULT '',
    UNIQUE (period_key, region_code, sector, version)
);
CREATE INDEX report_submissions_lane ON report_submissions(region_path, sector);
CREATE INDEX report_submissions_year ON report_submissions(year, sector);

CREATE TABLE report_submission_forms (
    submission_id INTEGER NOT NULL REFERENCES report_submissions(id),
    form          INTEGER NOT NULL CHECK (form IN (1, 2, 3)),
    row_count     INTEGER NOT NULL,
    rows_json     TEXT NOT NULL,
    xlsx          BLOB NOT NULL,
    sha256        TEXT NOT NULL,
    PRIMARY KEY (submission_id, form)
);

CREATE TABLE report_submission_files (
    submission_id INTEGER NOT NULL REFERENCES report_submissions(id),
    seq           INTEGER NOT NULL,
    name          TEXT NOT NULL,
    data          BLOB NOT NULL,
    sha256        TEXT NOT NULL,
    PRIMARY KEY (submission_id, seq)
);

CREATE TABLE report_locks (
    id            INTEGER PRIMARY KEY,
    period_key    TEXT NOT NULL,
    region_code   TEXT NOT NULL REFERENCES regions(code),
    region_path   TEXT NOT NULL,
    sector        TEXT NOT NULL,
    submission_id INTEGER NOT NULL REFERENCES report_submissions(id),
    locked_by     TEXT NOT NULL,
    locked_at     TEXT NOT NULL,
    unlocked_by   TEXT NOT NULL DEFAULT '',
    unlocked_at   TEXT NOT NULL DEFAULT '',
    unlock_reason TEXT NOT NULL DEFAULT ''
);
-- At most one lock held per unit, period and channel.
CREATE UNIQUE INDEX report_locks_held ON report_locks(period_key, region_code, sector) WHERE unlocked_at = '';

-- +goose Down
DROP TABLE report_locks;
DROP TABLE report_submission_files;
DROP TABLE report_submission_forms;
DROP TABLE report_submissions;
DROP TABLE report_extensions;
