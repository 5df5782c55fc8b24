-- +goose Up
-- The penalty procedure and stop-production orders (issue 11).
--
-- A 行政处罚告知书 (notice of a proposed penalty) comes before every
-- 行政处罚决定书: it tells the enterprise the facts, the proposed fine and
-- whether it will be ordered to stop production (停产停业整顿), and its
-- right to a statement (陈述、申辩) and, for large penalties, a hearing
-- (听证). Notices are numbered like documents (（鞍）应急罚告〔2020〕3号) but
-- kept apart: they are proposals, not decisions, and 附件2 does not count
-- them. Their lane is their enterprise's (no copy to keep equal).
CREATE TABLE penalty_notices (
    id              INTEGER PRIMARY KEY,
    inspection_id   INTEGER NOT NULL REFERENCES inspections(id),
    enterprise_id   INTEGER NOT NULL REFERENCES enterprises(id),
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    year            INTEGER NOT NULL,
    seq             INTEGER NOT NULL CHECK (seq > 0),
    number          TEXT NOT NULL,
    issued_on       TEXT NOT NULL,
    fine            INTEGER NOT NULL DEFAULT 0 CHECK (fine >= 0),
    stop_state      TEXT NOT NULL DEFAULT '' CHECK (stop_state IN ('', 'stopped', 'partial')),
    hearing         BOOLEAN NOT NULL DEFAULT FALSE,
    waived          BOOLEAN NOT NULL DEFAULT FALSE,
    statement_until TEXT NOT NULL,
    hearing_until   TEXT NOT NULL DEFAULT '',
    content         TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES users(id),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (agency_id, year, seq)
);
CREATE INDEX penalty_notices_enterprise ON penalty_notices(enterprise_id, issued_on);
CREATE INDEX penalty_notices_inspection ON penalty_notices(inspection_id);

-- A decision names the notice it follows (one decision per notice), and
-- a 现场处理措施决定书 or a decision may order the enterprise to stop
-- production (stopped) or part of it (partial).
ALTER TABLE documents ADD COLUMN notice_id INTEGER REFERENCES penalty_notices(id);
ALTER TABLE documents ADD COLUMN stop_state TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX documents_notice ON documents(notice_id) WHERE notice_id IS NOT NULL;

-- A stop-production order changes the enterprise from its date until it is
-- lifted, after a passing re-check, by a recorded act.
CREATE TABLE production_stops (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    document_id   INTEGER NOT NULL UNIQUE REFERENCES documents(id),
    state         TEXT NOT NULL CHECK (state IN ('stopped', 'partial')),
    prior_state   TEXT NOT NULL,
    from_date     TEXT NOT NULL,
    lifted_on     TEXT NOT NULL DEFAULT '',
    lift_reason   TEXT NOT NULL DEFAULT '',
    lifted_by     INTEGER REFERENCES users(id),
    lifted_name   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX production_stops_enterprise ON production_stops(enterprise_id, from_date);

-- +goose Down
DROP TABLE production_stops;
DROP INDEX documents_notice;
ALTER TABLE documents DROP COLUMN stop_state;
ALTER TABLE documents DROP COLUMN notice_id;
DROP TABLE penalty_notices;
