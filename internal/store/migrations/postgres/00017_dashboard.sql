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
    region_path TEXT COLLATE "C" NOT NULL,
    sector      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (month, region_path, sector)
);
INSERT INTO inspection_months (month, region_path, sector, n)
    SELECT substr(date, 1, 7), region_path, sector, SUM(n) FROM inspection_days GROUP BY substr(date, 1, 7), region_path, sector;
-- +goose StatementBegin
CREATE FUNCTION inspection_months_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inspection_months AS t (month, region_path, sector, n)
        VALUES (substr(NEW.date, 1, 7), NEW.region_path, NEW.sector, NEW.n - CASE WHEN TG_OP = 'UPDATE' THEN OLD.n ELSE 0 END)
        ON CONFLICT (month, region_path, sector) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER inspection_months_insert AFTER INSERT ON inspection_days FOR EACH ROW EXECUTE FUNCTION inspection_months_change();
CREATE TRIGGER inspection_months_update AFTER UPDATE OF n ON inspection_days FOR EACH ROW WHEN (OLD.n <> NEW.n)
    EXECUTE FUNCTION inspection_months_change();

CREATE TABLE hazard_months (
    month       TEXT NOT NULL,
    region_path TEXT COLLATE "C" NOT NULL,
    sector      TEXT NOT NULL,
    level       TEXT NOT NULL,
    status      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (month, region_path, sector, level, status)
);
INSERT INTO hazard_months (month, region_path, sector, level, status, n)
    SELECT substr(found_on, 1, 7), region_path, sector, level, status, SUM(n) FROM hazard_days
    GROUP BY substr(found_on, 1, 7), region_path, sector, level, status;
-- +goose StatementBegin
CREATE FUNCTION hazard_months_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO hazard_months AS t (month, region_path, sector, level, status, n)
        VALUES (substr(NEW.found_on, 1, 7), NEW.region_path, NEW.sector, NEW.level, NEW.status,
            NEW.n - CASE WHEN TG_OP = 'UPDATE' THEN OLD.n ELSE 0 END)
        ON CONFLICT (month, region_path, sector, level, status) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER hazard_months_insert AFTER INSERT ON hazard_days FOR EACH ROW EXECUTE FUNCTION hazard_months_change();
CREATE TRIGGER hazard_months_update AFTER UPDATE OF n ON hazard_days FOR EACH ROW WHEN (OLD.n <> NEW.n)
    EXECUTE FUNCTION hazard_months_change();

CREATE TABLE document_months (
    month       TEXT NOT NULL,
    region_path TEXT COLLATE "C" NOT NULL,
    sector      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    n           BIGINT NOT NULL,
    fined       BIGINT NOT NULL,
    fines       BIGINT NOT NULL,
    PRIMARY KEY (month, region_path, sector, kind)
);
INSERT INTO document_months (month, region_path, sector, kind, n, fined, fines)
    SELECT substr(issued_on, 1, 7), region_path, sector, kind, SUM(n), SUM(fined), SUM(fines) FROM document_days
    GROUP BY substr(issued_on, 1, 7), region_path, sector, kind;
-- +goose StatementBegin
CREATE FUNCTION document_months_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO document_months AS t (month, region_path, sector, kind, n, fined, fines)
            VALUES (substr(NEW.issued_on, 1, 7), NEW.region_path, NEW.sector, NEW.kind, NEW.n - OLD.n, NEW.fined - OLD.fined, NEW.fines - OLD.fines)
            ON CONFLICT (month, region_path, sector, kind) DO UPDATE SET n = t.n + excluded.n, fined = t.fined + excluded.fined, fines = t.fines + excluded.fines;
    ELSE
        INSERT INTO document_months AS t (month, region_path, sector, kind, n, fined, fines)
            VALUES (substr(NEW.issued_on, 1, 7), NEW.region_path, NEW.sector, NEW.kind, NEW.n, NEW.fined, NEW.fines)
            ON CONFLICT (month, region_path, sector, kind) DO UPDATE SET n = t.n + excluded.n, fined = t.fined + excluded.fined, fines = t.fines + excluded.fines;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER document_months_insert AFTER INSERT ON document_days FOR EACH ROW EXECUTE FUNCTION document_months_change();
CREATE TRIGGER document_months_update AFTER UPDATE OF n, fined, fines ON document_days FOR EACH ROW
    WHEN (OLD.n <> NEW.n OR OLD.fined <> NEW.fined OR OLD.fines <> NEW.fines)
    EXECUTE FUNCTION document_months_change();

-- Overdue hazards depend on today, so they are counted, but on an index
-- that holds only the hazards not passed (a few in a hundred).
CREATE INDEX hazards_unpassed ON hazards(region_path, sector, found_on, deadline, level, status) WHERE status <> 'passed';

-- +goose Down
DROP INDEX hazards_unpassed;
DROP TRIGGER document_months_update ON document_days;
DROP TRIGGER document_months_insert ON document_days;
DROP FUNCTION document_months_change();
DROP TABLE document_months;
DROP TRIGGER hazard_months_update ON hazard_days;
DROP TRIGGER hazard_months_insert ON hazard_days;
DROP FUNCTION hazard_months_change();
DROP TABLE hazard_months;
DROP TRIGGER inspection_months_update ON inspection_days;
DROP TRIGGER inspection_months_insert ON inspection_days;
DROP FUNCTION inspection_months_change();
DROP TABLE inspection_months;
