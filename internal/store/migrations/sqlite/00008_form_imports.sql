-- +goose Up
-- Filled forms a city uploads, kept between the preview of their errors
-- and the confirmed import (and removed a day later).
CREATE TABLE form_uploads (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    form        INTEGER NOT NULL CHECK (form IN (1, 2, 3)),
    region_code TEXT NOT NULL REFERENCES regions(code),
    year        INTEGER NOT NULL,
    period      TEXT NOT NULL DEFAULT '',
    filename    TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    data        BLOB NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX form_uploads_created ON form_uploads(created_at);

-- 附件2 rows of a city that worked offline (in Excel or WPS), per
-- enterprise and period ("2020-06", or "2020" for the annual table). The
-- forms add them to what the inspection records count.
CREATE TABLE reported_form2 (
    enterprise_id   INTEGER NOT NULL REFERENCES enterprises(id),
    period          TEXT NOT NULL,
    year            INTEGER NOT NULL,
    region_path     TEXT NOT NULL,
    sector          TEXT NOT NULL,
    inspections     INTEGER NOT NULL CHECK (inspections >= 0),
    inspector_times INTEGER NOT NULL CHECK (inspector_times >= 0),
    expert_times    INTEGER NOT NULL CHECK (expert_times >= 0),
    hazards         INTEGER NOT NULL CHECK (hazards >= 0),
    major_hazards   INTEGER NOT NULL CHECK (major_hazards >= 0 AND major_hazards <= hazards),
    orders          INTEGER NOT NULL CHECK (orders >= 0),
    penalties       INTEGER NOT NULL CHECK (penalties >= 0),
    fines           BIGINT NOT NULL CHECK (fines >= 0), -- yuan
    note            TEXT NOT NULL DEFAULT '',
    imported_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (enterprise_id, period)
);
CREATE INDEX reported_form2_lane ON reported_form2(year, region_path);

-- 附件3 rows of a city that worked offline, for enterprises whose cards
-- the system does not hold.
CREATE TABLE reported_form3 (
    enterprise_id     INTEGER NOT NULL REFERENCES enterprises(id),
    period            TEXT NOT NULL,
    year              INTEGER NOT NULL,
    region_path       TEXT NOT NULL,
    sector            TEXT NOT NULL,
    region_text       TEXT NOT NULL,
    industry_text     TEXT NOT NULL,
    rectify           TEXT NOT NULL,
    rectified_in_time TEXT NOT NULL,
    card              TEXT NOT NULL CHECK (card IN ('黄牌', '红牌')),
    basis             TEXT NOT NULL,
    closed            TEXT NOT NULL,
    imported_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (enterprise_id, period)
);
CREATE INDEX reported_form3_lane ON reported_form3(year, region_path);

-- +goose Down
DROP TABLE reported_form3;
DROP TABLE reported_form2;
DROP TABLE form_uploads;
