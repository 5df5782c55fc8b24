-- +goose Up
-- The dashboard's figures by month and place, kept as the records change:
-- the month tables sum the day tables (00016) by month, region and sector,
-- and triggers on the day tables keep them so. A day row is only ever
-- inserted or changed in place (its key never changes, it is never
-- deleted), so each change adds its difference to its month. A province's
-- year is then a few thousand rows, whatever the number of records: the
-- dashboard no longer counts a million inspections per request.
-- LaneMismatches recounts them from the records after every test.

CREATE TABLE inspection_months (
    month       TEXT NOT NULL, -- 2020-06
    region_path TEXT NOT NULL,
    sector      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (month, region_path, sector)
) WITHOUT ROWID;
INSERT INTO inspection_months (month, region_path, sector, n)
    SELECT substr(date, 1, 7), region_path, sector, SUM(n) FROM inspection_days GROUP BY substr(date, 1, 7), region_path, sector;
-- +goose StatementBegin
CREATE TRIGGER inspection_months_insert AFTER INSERT ON inspection_days
BEGIN
    INSERT INTO inspection_months (month, region_path, sector, n) VALUES (substr(NEW.date, 1, 7), NEW.region_path, NEW.sector, NEW.n)
        ON CONFLICT (month, region_path, sector) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER inspection_months_update AFTER UPDATE OF n ON inspection_days WHEN OLD.n <> NEW.n
BEGIN
    UPDATE inspection_months SET n = n + NEW.n - OLD.n
        WHERE month = substr(NEW.date, 1, 7) AND region_path = NEW.region_path AND sector = NEW.sector;
END;
-- +goose StatementEnd

CREATE TABLE hazard_months (
    month       TEXT NOT NULL,
    region_path TEXT NOT NULL,
    sector      TEXT NOT NULL,
    level       TEXT NOT NULL,
    status      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (month, region_path, sector, level, status)
) WITHOUT ROWID;
INSERT INTO hazard_months (month, region_path, sector, level, status, n)
    SELECT substr(found_on, 1, 7), region_path, sector, level, status, SUM(n) FROM hazard_days
    GROUP BY substr(found_on, 1, 7), region_path, sector, level, status;
-- +goose StatementBegin
CREATE TRIGGER hazard_months_insert AFTER INSERT ON hazard_days
BEGIN
    INSERT INTO hazard_months (month, region_path, sector, level, status, n)
        VALUES (substr(NEW.found_on, 1, 7), NEW.region_path, NEW.sector, NEW.level, NEW.status, NEW.n)
        ON CONFLICT (month, region_path, sector, level, status) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hazard_months_update AFTER UPDATE OF n ON hazard_days WHEN OLD.n <> NEW.n
BEGIN
    UPDATE hazard_months SET n = n + NEW.n - OLD.n
        WHERE month = substr(NEW.found_on, 1, 7) AND region_path = NEW.region_path AND sector = NEW.sector
        AND level = NEW.level AND status = NEW.status;
END;
-- +goose StatementEnd

CREATE TABLE document_months (
    month       TEXT NOT NULL,
    region_path TEXT NOT NULL,
    sector      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    n           INTEGER NOT NULL,
    fined       INTEGER NOT NULL,
    fines       INTEGER NOT NULL,
    PRIMARY KEY (month, region_path, sector, kind)
) WITHOUT ROWID;
INSERT INTO document_months (month, region_path, sector, kind, n, fined, fines)
    SELECT substr(issued_on, 1, 7), region_path, sector, kind, SUM(n), SUM(fined), SUM(fines) FROM document_days
    GROUP BY substr(issued_on, 1, 7), region_path, sector, kind;
-- +goose StatementBegin
CREATE TRIGGER document_months_insert AFTER INSERT ON document_days
BEGIN
    INSERT INTO document_months (month, region_path, sector, kind, n, fined, fines)
        VALUES (substr(NEW.issued_on, 1, 7), NEW.region_path, NEW.sector, NEW.kind, NEW.n, NEW.fined, NEW.fines)
        ON CONFLICT (month, region_path, sector, kind) DO UPDATE SET n = n + excluded.n, fined = fined + excluded.fined, fines = fines + excluded.fines;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER document_months_update AFTER UPDATE OF n, fined, fines ON document_days
    WHEN OLD.n <> NEW.n OR OLD.fined <> NEW.fined OR OLD.fines <> NEW.fines
BEGIN
    UPDATE document_months SET n = n + NEW.n - OLD.n, fined = fined + NEW.fined - OLD.fined, fines = fines + NEW.fines - OLD.fines
        WHERE month = substr(NEW.issued_on, 1, 7) AND region_path = NEW.region_path AND sector = NEW.sector AND kind = NEW.kind;
END;
-- +goose StatementEnd

-- Overdue hazards depend on today, so they are counted, but on an index
-- that holds only the hazards not passed (a few in a hundred).
CREATE INDEX hazards_unpassed ON hazards(region_path, sector, found_on, deadline, level, status) WHERE status <> 'passed';

-- +goose Down
DROP INDEX hazards_unpassed;
DROP TRIGGER document_months_update;
DROP TRIGGER document_months_insert;
DROP TABLE document_months;
DROP TRIGGER hazard_months_update;
DROP TRIGGER hazard_months_insert;
DROP TABLE hazard_months;
DROP TRIGGER inspection_months_update;
DROP TRIGGER inspection_months_insert;
DROP TABLE inspection_months;
