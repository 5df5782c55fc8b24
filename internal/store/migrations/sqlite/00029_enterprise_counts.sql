-- +goose Up
-- The registry's counts without a recount (issue 14): how many
-- enterprises, and how many of them lack a credit code, per lane (a
-- county's path and a sector), industry and production state. The
-- registry's total, the home page's and the worklist's figures read a few
-- hundred rows, not the registry. Triggers keep it in the same transaction
-- as every write to enterprises, whichever code writes.
CREATE TABLE enterprise_counts (
    region_path      TEXT NOT NULL,
    sector           TEXT NOT NULL,
    industry_id      INTEGER NOT NULL,
    production_state TEXT NOT NULL,
    n                INTEGER NOT NULL DEFAULT 0,
    missing_codes    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region_path, sector, industry_id, production_state)
);
INSERT INTO enterprise_counts (region_path, sector, industry_id, production_state, n, missing_codes)
    SELECT region_path, sector, industry_id, production_state, COUNT(*), SUM(CASE WHEN credit_code IS NULL THEN 1 ELSE 0 END)
    FROM enterprises GROUP BY region_path, sector, industry_id, production_state;

-- +goose StatementBegin
CREATE TRIGGER enterprise_counts_insert AFTER INSERT ON enterprises
BEGIN
    INSERT INTO enterprise_counts (region_path, sector, industry_id, production_state, n, missing_codes)
        VALUES (NEW.region_path, NEW.sector, NEW.industry_id, NEW.production_state, 1, CASE WHEN NEW.credit_code IS NULL THEN 1 ELSE 0 END)
        ON CONFLICT (region_path, sector, industry_id, production_state) DO UPDATE SET n = n + excluded.n, missing_codes = missing_codes + excluded.missing_codes;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enterprise_counts_delete AFTER DELETE ON enterprises
BEGIN
    UPDATE enterprise_counts SET n = n - 1, missing_codes = missing_codes - CASE WHEN OLD.credit_code IS NULL THEN 1 ELSE 0 END
        WHERE region_path = OLD.region_path AND sector = OLD.sector AND industry_id = OLD.industry_id AND production_state = OLD.production_state;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enterprise_counts_update AFTER UPDATE OF region_path, sector, industry_id, production_state, credit_code ON enterprises
BEGIN
    UPDATE enterprise_counts SET n = n - 1, missing_codes = missing_codes - CASE WHEN OLD.credit_code IS NULL THEN 1 ELSE 0 END
        WHERE region_path = OLD.region_path AND sector = OLD.sector AND industry_id = OLD.industry_id AND production_state = OLD.production_state;
    INSERT INTO enterprise_counts (region_path, sector, industry_id, production_state, n, missing_codes)
        VALUES (NEW.region_path, NEW.sector, NEW.industry_id, NEW.production_state, 1, CASE WHEN NEW.credit_code IS NULL THEN 1 ELSE 0 END)
        ON CONFLICT (region_path, sector, industry_id, production_state) DO UPDATE SET n = n + excluded.n, missing_codes = missing_codes + excluded.missing_codes;
END;
-- +goose StatementEnd

-- The key list in its order (region, enterprise), its lane checked in
-- passing: a deep page of the list walks this index, not a sort.
CREATE INDEX key_list_ordered ON key_list(year, region_path, enterprise_id, sector);

-- +goose Down
DROP INDEX key_list_ordered;
DROP TRIGGER enterprise_counts_update;
DROP TRIGGER enterprise_counts_delete;
DROP TRIGGER enterprise_counts_insert;
DROP TABLE enterprise_counts;
