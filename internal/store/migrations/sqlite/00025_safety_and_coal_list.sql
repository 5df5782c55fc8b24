-- +goose Up
-- Each enterprise's 安全生产标准化 grade and 双重预防机制 (issue 11 item
-- 10), one row per enterprise once recorded; read through the enterprise,
-- whose lane it has. Dates are YYYY-MM-DD, times UTC text (timeText).
CREATE TABLE enterprise_safety (
    enterprise_id   INTEGER PRIMARY KEY REFERENCES enterprises(id),
    grade           TEXT NOT NULL CHECK (grade IN ('', 'level1', 'level2', 'level3', 'below')),
    graded_on       TEXT NOT NULL DEFAULT '',
    dual_prevention BOOLEAN NOT NULL DEFAULT FALSE,
    dual_built_on   TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL
);

-- The coal-producing cities' lists of the coal mines that do not meet the
-- conditions for safe production (本地区不符合安全生产条件的煤矿企业清单,
-- issue 11 item 8), one entry per mine and campaign year; read through
-- the enterprise, whose lane it has.
CREATE TABLE coal_mine_entries (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    conditions    TEXT NOT NULL,
    measure       TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('rectifying', 'rectified', 'suspended', 'closed')),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    UNIQUE (year, enterprise_id)
);
CREATE INDEX coal_mine_entries_enterprise ON coal_mine_entries(enterprise_id);

-- +goose Down
DROP TABLE coal_mine_entries;
DROP TABLE enterprise_safety;
