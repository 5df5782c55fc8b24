-- +goose Up
-- Acceptance (验收) of exited enterprises (issue 11 item 9): one row per
-- acceptance, passed or not, read through the enterprise, whose lane it
-- has. The team and the departments' sign-offs are JSON arrays; dates are
-- YYYY-MM-DD. An enterprise has at most one passed acceptance (the index).
CREATE TABLE acceptances (
    id              INTEGER PRIMARY KEY,
    enterprise_id   INTEGER NOT NULL REFERENCES enterprises(id),
    year            INTEGER NOT NULL,
    basis           TEXT NOT NULL CHECK (basis IN ('card', 'department')),
    card_id         INTEGER REFERENCES cards(id),
    exit_department TEXT NOT NULL DEFAULT '',
    exit_document   TEXT NOT NULL DEFAULT '',
    exited_on       TEXT NOT NULL,
    members         TEXT NOT NULL,
    signoffs        TEXT NOT NULL,
    findings        TEXT NOT NULL,
    accepted_on     TEXT NOT NULL,
    passed          BOOLEAN NOT NULL,
    reason          TEXT NOT NULL,
    by_user         INTEGER REFERENCES users(id),
    by_name         TEXT NOT NULL,
    at              TIMESTAMP NOT NULL,
    CHECK ((basis = 'card') = (card_id IS NOT NULL))
);
CREATE INDEX acceptances_enterprise ON acceptances(enterprise_id);
CREATE INDEX acceptances_year ON acceptances(year, accepted_on);
CREATE UNIQUE INDEX acceptances_passed ON acceptances(enterprise_id) WHERE passed;

-- An acceptance's evidence files are attachments (with the enterprise's
-- lane, which follows it) of the acceptance rather than of a card change.
ALTER TABLE attachments ADD COLUMN acceptance_id INTEGER REFERENCES acceptances(id);
CREATE INDEX attachments_acceptance ON attachments(acceptance_id);

-- Evidence files chosen on the acceptance form, kept for their owner
-- between the form and the confirmation of its check step (a day at most).
CREATE TABLE acceptance_uploads (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX acceptance_uploads_created ON acceptance_uploads(created_at);

-- An administrator's reason, given with a 附件1 upload, for registering
-- 煤炭 enterprises outside the coal-producing cities (the coal rule, 00023).
ALTER TABLE form_uploads ADD COLUMN coal_override TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE form_uploads DROP COLUMN coal_override;
DROP TABLE acceptance_uploads;
DROP INDEX attachments_acceptance;
ALTER TABLE attachments DROP COLUMN acceptance_id;
DROP TABLE acceptances;
