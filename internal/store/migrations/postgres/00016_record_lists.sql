-- +goose Up
-- The lists of records (/inspections, /hazards, /documents) show 共N条 for
-- every match, counted as 附件2 counts: inspections by their date, hazards
-- by the date of the inspection that found them, documents by the day
-- issued. A province-wide count at a million inspections reads the day
-- tables below (a few thousand rows per month) instead of every record;
-- the narrower lists (one enterprise, one industry, overdue hazards) count
-- on covering indexes.

-- A hazard keeps the day it was found, its inspection's date: whoever
-- inserts one gives it, and it follows a change of the inspection's date.
ALTER TABLE hazards ADD COLUMN found_on TEXT NOT NULL DEFAULT '';
UPDATE hazards h SET found_on = n.date FROM inspections n WHERE n.id = h.inspection_id;
ALTER TABLE hazards ADD CONSTRAINT hazards_found_on_given CHECK (found_on <> '');
-- +goose StatementBegin
CREATE FUNCTION inspections_date_follows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE hazards SET found_on = NEW.date WHERE inspection_id = NEW.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER inspections_date_follows AFTER UPDATE OF date ON inspections
    FOR EACH ROW WHEN (OLD.date IS DISTINCT FROM NEW.date) EXECUTE FUNCTION inspections_date_follows();

-- The day tables: per day and lane (and level and status, or kind), how
-- many records and their person-times or fines. Triggers keep them equal
-- to the records whatever changes them (LaneMismatches checks it after
-- every test): inserts once per statement (the bulk loader writes a
-- thousand rows at a time), changes and deletions per row. A row whose
-- records went elsewhere stays, at nought.
CREATE TABLE inspection_days (
    date        TEXT NOT NULL,
    region_path TEXT COLLATE "C" NOT NULL,
    sector      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    inspectors  BIGINT NOT NULL,
    experts     BIGINT NOT NULL,
    PRIMARY KEY (date, region_path, sector)
);
INSERT INTO inspection_days (date, region_path, sector, n, inspectors, experts)
    SELECT date, region_path, sector, COUNT(*), SUM(inspector_count), SUM(expert_count) FROM inspections GROUP BY date, region_path, sector;
-- +goose StatementBegin
CREATE FUNCTION inspection_days_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inspection_days AS x (date, region_path, sector, n, inspectors, experts)
        SELECT date, region_path, sector, COUNT(*), SUM(inspector_count), SUM(expert_count) FROM new_rows
        GROUP BY date, region_path, sector ORDER BY date, region_path, sector
        ON CONFLICT (date, region_path, sector) DO UPDATE SET n = x.n + excluded.n, inspectors = x.inspectors + excluded.inspectors,
            experts = x.experts + excluded.experts;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER inspection_days_insert AFTER INSERT ON inspections REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION inspection_days_insert();
-- +goose StatementBegin
CREATE FUNCTION inspection_days_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE inspection_days SET n = n - 1, inspectors = inspectors - OLD.inspector_count, experts = experts - OLD.expert_count
            WHERE date = OLD.date AND region_path = OLD.region_path AND sector = OLD.sector;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO inspection_days AS x (date, region_path, sector, n, inspectors, experts)
            VALUES (NEW.date, NEW.region_path, NEW.sector, 1, NEW.inspector_count, NEW.expert_count)
            ON CONFLICT (date, region_path, sector) DO UPDATE SET n = x.n + 1, inspectors = x.inspectors + excluded.inspectors,
                experts = x.experts + excluded.experts;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER inspection_days_delete AFTER DELETE ON inspections FOR EACH ROW EXECUTE FUNCTION inspection_days_change();
CREATE TRIGGER inspection_days_update AFTER UPDATE OF date, region_path, sector, inspector_count, expert_count ON inspections
    FOR EACH ROW WHEN ((OLD.date, OLD.region_path, OLD.sector, OLD.inspector_count, OLD.expert_count)
        IS DISTINCT FROM (NEW.date, NEW.region_path, NEW.sector, NEW.inspector_count, NEW.expert_count))
    EXECUTE FUNCTION inspection_days_change();

CREATE TABLE hazard_days (
    found_on    TEXT NOT NULL,
    region_path TEXT COLLATE "C" NOT NULL,
    sector      TEXT NOT NULL,
    level       TEXT NOT NULL,
    status      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (found_on, region_path, sector, level, status)
);
INSERT INTO hazard_days (found_on, region_path, sector, level, status, n)
    SELECT found_on, region_path, sector, level, status, COUNT(*) FROM hazards GROUP BY found_on, region_path, sector, level, status;
-- +goose StatementBegin
CREATE FUNCTION hazard_days_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO hazard_days AS x (found_on, region_path, sector, level, status, n)
        SELECT found_on, region_path, sector, level, status, COUNT(*) FROM new_rows
        GROUP BY found_on, region_path, sector, level, status ORDER BY found_on, region_path, sector, level, status
        ON CONFLICT (found_on, region_path, sector, level, status) DO UPDATE SET n = x.n + excluded.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER hazard_days_insert AFTER INSERT ON hazards REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hazard_days_insert();
-- +goose StatementBegin
CREATE FUNCTION hazard_days_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE hazard_days SET n = n - 1 WHERE found_on = OLD.found_on AND region_path = OLD.region_path AND sector = OLD.sector
            AND level = OLD.level AND status = OLD.status;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO hazard_days AS x (found_on, region_path, sector, level, status, n)
            VALUES (NEW.found_on, NEW.region_path, NEW.sector, NEW.level, NEW.status, 1)
            ON CONFLICT (found_on, region_path, sector, level, status) DO UPDATE SET n = x.n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER hazard_days_delete AFTER DELETE ON hazards FOR EACH ROW EXECUTE FUNCTION hazard_days_change();
CREATE TRIGGER hazard_days_update AFTER UPDATE OF found_on, region_path, sector, level, status ON hazards
    FOR EACH ROW WHEN ((OLD.found_on, OLD.region_path, OLD.sector, OLD.level, OLD.status)
        IS DISTINCT FROM (NEW.found_on, NEW.region_path, NEW.sector, NEW.level, NEW.status))
    EXECUTE FUNCTION hazard_days_change();

CREATE TABLE document_days (
    issued_on   TEXT NOT NULL,
    region_path TEXT COLLATE "C" NOT NULL,
    sector      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    n           BIGINT NOT NULL,
    fined       BIGINT NOT NULL, -- how many carry a fine
    fines       BIGINT NOT NULL, -- their sum, in yuan
    PRIMARY KEY (issued_on, region_path, sector, kind)
);
INSERT INTO document_days (issued_on, region_path, sector, kind, n, fined, fines)
    SELECT issued_on, region_path, sector, kind, COUNT(*), SUM(CASE WHEN fine > 0 THEN 1 ELSE 0 END), SUM(fine)
    FROM documents GROUP BY issued_on, region_path, sector, kind;
-- +goose StatementBegin
CREATE FUNCTION document_days_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO document_days AS x (issued_on, region_path, sector, kind, n, fined, fines)
        SELECT issued_on, region_path, sector, kind, COUNT(*), SUM(CASE WHEN fine > 0 THEN 1 ELSE 0 END), SUM(fine) FROM new_rows
        GROUP BY issued_on, region_path, sector, kind ORDER BY issued_on, region_path, sector, kind
        ON CONFLICT (issued_on, region_path, sector, kind) DO UPDATE SET n = x.n + excluded.n, fined = x.fined + excluded.fined,
            fines = x.fines + excluded.fines;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER document_days_insert AFTER INSERT ON documents REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION document_days_insert();
-- +goose StatementBegin
CREATE FUNCTION document_days_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE document_days SET n = n - 1, fined = fined - CASE WHEN OLD.fine > 0 THEN 1 ELSE 0 END, fines = fines - OLD.fine
            WHERE issued_on = OLD.issued_on AND region_path = OLD.region_path AND sector = OLD.sector AND kind = OLD.kind;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO document_days AS x (issued_on, region_path, sector, kind, n, fined, fines)
            VALUES (NEW.issued_on, NEW.region_path, NEW.sector, NEW.kind, 1, CASE WHEN NEW.fine > 0 THEN 1 ELSE 0 END, NEW.fine)
            ON CONFLICT (issued_on, region_path, sector, kind) DO UPDATE SET n = x.n + 1, fined = x.fined + excluded.fined,
                fines = x.fines + excluded.fines;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER document_days_delete AFTER DELETE ON documents FOR EACH ROW EXECUTE FUNCTION document_days_change();
CREATE TRIGGER document_days_update AFTER UPDATE OF issued_on, region_path, sector, kind, fine ON documents
    FOR EACH ROW WHEN ((OLD.issued_on, OLD.region_path, OLD.sector, OLD.kind, OLD.fine)
        IS DISTINCT FROM (NEW.issued_on, NEW.region_path, NEW.sector, NEW.kind, NEW.fine))
    EXECUTE FUNCTION document_days_change();

-- A kind of document, counted from its day table.
CREATE INDEX document_days_kind ON document_days(kind, issued_on, region_path, sector, n, fined, fines);

-- The lists' pages, and the counts the day tables cannot give (one
-- enterprise, an industry, overdue hazards), read covering indexes. They
-- replace the narrower indexes on the same leading columns.
DROP INDEX inspections_date;
CREATE INDEX inspections_date ON inspections(date, region_path, sector, enterprise_id, inspector_count, expert_count);
-- (region_path, date) let SQLite's planner gather a whole period by
-- skip-scanning the regions and sort it, for a page of twenty; the index
-- above serves what it served (附件2's counts) without lookups.
DROP INDEX inspections_lane;
DROP INDEX inspections_enterprise;
CREATE INDEX inspections_enterprise ON inspections(enterprise_id, date, region_path, sector, inspector_count, expert_count);
DROP INDEX hazards_enterprise;
CREATE INDEX hazards_enterprise ON hazards(enterprise_id, found_on, region_path, sector, level, status);
CREATE INDEX hazards_found ON hazards(found_on, region_path, sector, level, status);
-- (region_path, status, deadline), which nothing reads since migration
-- 00007, misled SQLite's planner away from hazards_pending.
DROP INDEX hazards_lane;
CREATE INDEX hazards_major_found ON hazards(found_on, region_path, sector, status) WHERE level = 'major';
DROP INDEX hazards_pending;
CREATE INDEX hazards_pending ON hazards(deadline, region_path, sector, found_on, level, enterprise_id) WHERE status <> 'passed';
DROP INDEX documents_enterprise;
CREATE INDEX documents_enterprise ON documents(enterprise_id, issued_on, region_path, sector, kind, fine);
CREATE INDEX documents_kinded ON documents(kind, issued_on, region_path, sector, fine);
DROP INDEX documents_issued;
CREATE INDEX documents_issued ON documents(issued_on, region_path, sector, kind);

-- +goose Down
CREATE INDEX inspections_lane ON inspections(region_path, date);
DROP INDEX documents_issued;
CREATE INDEX documents_issued ON documents(issued_on);
CREATE INDEX hazards_lane ON hazards(region_path, status, deadline);
DROP INDEX inspections_date;
CREATE INDEX inspections_date ON inspections(date);
DROP INDEX documents_kinded;
DROP INDEX documents_enterprise;
CREATE INDEX documents_enterprise ON documents(enterprise_id);
DROP INDEX hazards_pending;
CREATE INDEX hazards_pending ON hazards(deadline, region_path, sector) WHERE status <> 'passed';
DROP INDEX hazards_major_found;
DROP INDEX hazards_found;
DROP INDEX hazards_enterprise;
CREATE INDEX hazards_enterprise ON hazards(enterprise_id);
DROP INDEX inspections_enterprise;
CREATE INDEX inspections_enterprise ON inspections(enterprise_id, date);
DROP TABLE document_days;
DROP TABLE hazard_days;
DROP TABLE inspection_days;
DROP TRIGGER document_days_update ON documents;
DROP TRIGGER document_days_delete ON documents;
DROP TRIGGER document_days_insert ON documents;
DROP FUNCTION document_days_change();
DROP FUNCTION document_days_insert();
DROP TRIGGER hazard_days_update ON hazards;
DROP TRIGGER hazard_days_delete ON hazards;
DROP TRIGGER hazard_days_insert ON hazards;
DROP FUNCTION hazard_days_change();
DROP FUNCTION hazard_days_insert();
DROP TRIGGER inspection_days_update ON inspections;
DROP TRIGGER inspection_days_delete ON inspections;
DROP TRIGGER inspection_days_insert ON inspections;
DROP FUNCTION inspection_days_change();
DROP FUNCTION inspection_days_insert();
DROP TRIGGER inspections_date_follows ON inspections;
DROP FUNCTION inspections_date_follows();
ALTER TABLE hazards DROP CONSTRAINT hazards_found_on_given;
ALTER TABLE hazards DROP COLUMN found_on;
