-- +goose Up
-- What the province types for its letters to 省淘汰落后产能工作协调小组办公室
-- (the 文号, the date, a paragraph of its own, the contact) and its own
-- work summary of each channel's year. The letters' figures and lists are
-- never kept here: they are generated from the accepted reports and the
-- records each time. Times are UTC text (taotai.AuditTimeFormat).
CREATE TABLE province_letters (
    year       INTEGER NOT NULL REFERENCES campaign_years(year),
    kind       TEXT NOT NULL CHECK (kind IN ('yellow_list', 'annual_summary')),
    doc_number TEXT NOT NULL,
    dated      TEXT NOT NULL DEFAULT '',
    extra      TEXT NOT NULL DEFAULT '',
    contact    TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (year, kind)
);

CREATE TABLE province_summaries (
    year       INTEGER NOT NULL REFERENCES campaign_years(year),
    sector     TEXT NOT NULL CHECK (sector IN ('coal', 'noncoal')),
    text       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (year, sector)
);

-- +goose Down
DROP TABLE province_summaries;
DROP TABLE province_letters;
