-- +goose Up
CREATE TABLE regions (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    parent         TEXT REFERENCES regions(code),
    level          TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
    path           TEXT NOT NULL UNIQUE,
    internal       BOOLEAN NOT NULL DEFAULT FALSE,
    coal_producing BOOLEAN NOT NULL DEFAULT FALSE,
    sort           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE industries (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL UNIQUE,
    sector   TEXT NOT NULL CHECK (sector IN ('coal', 'noncoal')),
    gb_codes TEXT NOT NULL DEFAULT '',
    sort     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    short_name  TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL REFERENCES regions(code),
    sector      TEXT NOT NULL DEFAULT '' CHECK (sector IN ('', 'coal', 'noncoal'))
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL DEFAULT '',
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL,
    agency_id            INTEGER NOT NULL REFERENCES agencies(id),
    region_code          TEXT NOT NULL REFERENCES regions(code),
    sector               TEXT NOT NULL DEFAULT '' CHECK (sector IN ('', 'coal', 'noncoal')),
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMP NOT NULL
);

CREATE TABLE enterprises (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL,
    credit_code           TEXT UNIQUE,
    credit_code_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    address               TEXT NOT NULL,
    region_code           TEXT NOT NULL REFERENCES regions(code),
    -- The lane, copied from the region and the industry (which never move),
    -- so that every lane clause is a range on one table.
    region_path           TEXT NOT NULL,
    sector                TEXT NOT NULL CHECK (sector IN ('coal', 'noncoal')),
    industry_id           INTEGER NOT NULL REFERENCES industries(id),
    production_state      TEXT NOT NULL CHECK (production_state IN ('normal', 'partial', 'stopped')),
    legal_rep             TEXT NOT NULL DEFAULT '',
    contact_person        TEXT NOT NULL DEFAULT '',
    contact_phone         TEXT NOT NULL DEFAULT '',
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL
);
CREATE INDEX enterprises_region ON enterprises(region_code);
CREATE INDEX enterprises_lane ON enterprises(region_path, id);
CREATE INDEX enterprises_industry ON enterprises(industry_id);
CREATE INDEX enterprises_name ON enterprises(name);

CREATE TABLE campaign_years (
    year  INTEGER PRIMARY KEY,
    title TEXT NOT NULL
);

CREATE TABLE campaign_deadlines (
    year       INTEGER NOT NULL REFERENCES campaign_years(year),
    key        TEXT NOT NULL,
    label      TEXT NOT NULL,
    start_date TEXT NOT NULL DEFAULT '',
    due_date   TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    sort       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, key)
);

CREATE TABLE key_list (
    year          INTEGER NOT NULL REFERENCES campaign_years(year),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    note          TEXT NOT NULL DEFAULT '',
    added_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (year, enterprise_id)
);
CREATE INDEX key_list_enterprise ON key_list(enterprise_id);

CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry);

-- +goose Down
DROP TABLE sessions;
DROP TABLE key_list;
DROP TABLE campaign_deadlines;
DROP TABLE campaign_years;
DROP TABLE enterprises;
DROP TABLE users;
DROP TABLE agencies;
DROP TABLE industries;
DROP TABLE regions;
