-- +goose Up
-- The enforcement loop: inspections, hazards to their end, documents,
-- cards. Lane-bound rows carry region_path and sector, copied from their
-- enterprise, so that every lane clause is a range on one table.

-- Major-hazard criteria (重大事故隐患判定标准), per industry, as data.
CREATE TABLE major_hazard_criteria (
    id           INTEGER PRIMARY KEY,
    industry_key TEXT NOT NULL,
    standard     TEXT NOT NULL,
    article      TEXT NOT NULL,
    text         TEXT NOT NULL,
    verified     BOOLEAN NOT NULL DEFAULT TRUE,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    sort         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (industry_key, standard, article)
);

CREATE TABLE inspections (
    id              INTEGER PRIMARY KEY,
    enterprise_id   INTEGER NOT NULL REFERENCES enterprises(id),
    region_path     TEXT NOT NULL,
    sector          TEXT NOT NULL,
    date            TEXT NOT NULL,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    kind            TEXT NOT NULL CHECK (kind IN ('routine', 'follow_up', 'tip_off', 'joint')),
    inspectors      TEXT NOT NULL,
    inspector_count INTEGER NOT NULL CHECK (inspector_count >= 0),
    expert_count    INTEGER NOT NULL CHECK (expert_count >= 0),
    findings        TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      INTEGER REFERENCES users(id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX inspections_enterprise ON inspections(enterprise_id, date);
CREATE INDEX inspections_lane ON inspections(region_path, date);
CREATE INDEX inspections_date ON inspections(date);

CREATE TABLE hazards (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    region_path   TEXT NOT NULL,
    sector        TEXT NOT NULL,
    description   TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    level         TEXT NOT NULL CHECK (level IN ('general', 'major')),
    criterion_id  INTEGER REFERENCES major_hazard_criteria(id),
    deadline      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'rectifying', 'passed', 'failed')),
    g_responsible TEXT NOT NULL DEFAULT '',
    g_measures    TEXT NOT NULL DEFAULT '',
    g_funds       INTEGER NOT NULL DEFAULT 0 CHECK (g_funds >= 0),
    g_deadline    TEXT NOT NULL DEFAULT '',
    g_plan        TEXT NOT NULL DEFAULT '',
    supervised    BOOLEAN NOT NULL DEFAULT FALSE,
    recheck_date  TEXT NOT NULL DEFAULT '',
    recheck_note  TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CHECK (level = 'general' OR criterion_id IS NOT NULL)
);
CREATE INDEX hazards_inspection ON hazards(inspection_id);
CREATE INDEX hazards_enterprise ON hazards(enterprise_id);
CREATE INDEX hazards_lane ON hazards(region_path, status, deadline);
CREATE INDEX hazards_status ON hazards(status, deadline);

CREATE TABLE hazard_extensions (
    id           INTEGER PRIMARY KEY,
    hazard_id    INTEGER NOT NULL REFERENCES hazards(id),
    old_deadline TEXT NOT NULL,
    new_deadline TEXT NOT NULL,
    reason       TEXT NOT NULL,
    by_user      INTEGER REFERENCES users(id),
    by_name      TEXT NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX hazard_extensions_hazard ON hazard_extensions(hazard_id);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    hazard_id     INTEGER REFERENCES hazards(id),
    region_path   TEXT NOT NULL,
    sector        TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('rect_order', 'recheck', 'penalty', 'stop_order', 'site_record')),
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL CHECK (seq > 0),
    number        TEXT NOT NULL,
    issued_on     TEXT NOT NULL,
    fine          INTEGER NOT NULL DEFAULT 0 CHECK (fine >= 0),
    content       TEXT NOT NULL DEFAULT '',
    created_by    INTEGER REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (agency_id, kind, year, seq),
    CHECK (fine = 0 OR kind = 'penalty')
);
CREATE INDEX documents_inspection ON documents(inspection_id);
CREATE INDEX documents_enterprise ON documents(enterprise_id);

CREATE TABLE cards (
    id                  INTEGER PRIMARY KEY,
    enterprise_id       INTEGER NOT NULL REFERENCES enterprises(id),
    year                INTEGER NOT NULL REFERENCES campaign_years(year),
    region_path         TEXT NOT NULL,
    sector              TEXT NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('none', 'yellow', 'cleared', 'red', 'proposed', 'closed', 'accepted')),
    reason              TEXT NOT NULL DEFAULT '',
    rectify             TEXT NOT NULL DEFAULT '',
    deadline            TEXT NOT NULL DEFAULT '',
    rectified_in_time   BOOLEAN NOT NULL DEFAULT FALSE,
    closure_basis       TEXT NOT NULL DEFAULT '',
    reported_on         TEXT NOT NULL DEFAULT '',
    closed_on           TEXT NOT NULL DEFAULT '',
    closure_evidence    TEXT NOT NULL DEFAULT '',
    verified_by         TEXT NOT NULL DEFAULT '',
    accepted_on         TEXT NOT NULL DEFAULT '',
    acceptance_members  TEXT NOT NULL DEFAULT '',
    acceptance_findings TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    UNIQUE (enterprise_id, year)
);
CREATE INDEX cards_lane ON cards(region_path, state);
CREATE INDEX cards_state ON cards(state, deadline);

-- Every change of card, kept: who, when, why, on what evidence.
CREATE TABLE card_events (
    id         INTEGER PRIMARY KEY,
    card_id    INTEGER NOT NULL REFERENCES cards(id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    why        TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL DEFAULT '',
    by_user    INTEGER REFERENCES users(id),
    by_name    TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX card_events_card ON card_events(card_id);

-- Evidence files (photos, scans), kept with their SHA-256.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    card_event_id INTEGER REFERENCES card_events(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    region_path   TEXT NOT NULL,
    sector        TEXT NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX attachments_event ON attachments(card_event_id);

-- +goose Down
DROP TABLE attachments;
DROP TABLE card_events;
DROP TABLE cards;
DROP TABLE documents;
DROP TABLE hazard_extensions;
DROP TABLE hazards;
DROP TABLE inspections;
DROP TABLE major_hazard_criteria;
