-- +goose Up
-- Inspection plans (执法检查计划): one per agency (a region and channel)
-- and campaign year, drafted by the agency and approved by its city; the
-- key-list enterprises it will inspect, each with a month; the files of
-- its 检查方案, kept exactly as uploaded. Times are UTC text (timeText).
CREATE TABLE inspection_plans (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    region_code   TEXT NOT NULL REFERENCES regions(code),
    region_path   TEXT NOT NULL,
    sector        TEXT NOT NULL CHECK (sector IN ('coal', 'noncoal')),
    state         TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'returned')),
    scheme        TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    submitted_by  TEXT NOT NULL DEFAULT '',
    submitted_at  TEXT NOT NULL DEFAULT '',
    reviewed_by   TEXT NOT NULL DEFAULT '',
    reviewed_at   TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (year, region_code, sector)
);
CREATE INDEX inspection_plans_lane ON inspection_plans(region_path, sector);

CREATE TABLE inspection_plan_items (
    plan_id       INTEGER NOT NULL REFERENCES inspection_plans(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    month         INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    PRIMARY KEY (plan_id, enterprise_id)
);
CREATE INDEX inspection_plan_items_enterprise ON inspection_plan_items(enterprise_id);

CREATE TABLE inspection_plan_files (
    plan_id INTEGER NOT NULL REFERENCES inspection_plans(id),
    seq     INTEGER NOT NULL,
    name    TEXT NOT NULL,
    data    BLOB NOT NULL,
    sha256  TEXT NOT NULL,
    PRIMARY KEY (plan_id, seq)
);

-- +goose Down
DROP TABLE inspection_plan_files;
DROP TABLE inspection_plan_items;
DROP TABLE inspection_plans;
