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
UPDATE hazards SET found_on = (SELECT n.date FROM inspections n WHERE n.id = hazards.inspection_id);
-- +goose StatementBegin
CREATE TRIGGER hazards_found_on_given BEFORE INSERT ON hazards WHEN NEW.found_on = ''
BEGIN
    SELECT RAISE(ABORT, 'hazards.found_on: the day found (the inspection''s date) is required');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER inspections_date_follows AFTER UPDATE OF date ON inspections WHEN OLD.date <> NEW.date
BEGIN
    UPDATE hazards SET found_on = NEW.date WHERE inspection_id = NEW.id;
END;
-- +goose StatementEnd

-- The day tables: per day, lane and industry (and level and status, or
-- kind), how many records and their person-times or fines. Triggers keep
-- them equal to the records whatever changes them (LaneMismatches checks
-- it after every test): a record's own changes (per row, or on PostgreSQL
-- per statement for inserts, which the bulk loader makes a thousand at a
-- time), and an enterprise's move to another region, sector or industry,
-- which carries its records' counts (the records' own copies of the lane
-- move by enterprises_lane_follows, which these leave alone). A row whose
-- records went elsewhere stays, at nought.
CREATE TABLE inspection_days (
    date        TEXT NOT NULL,
    region_path TEXT NOT NULL,
    sector      TEXT NOT NULL,
    industry_id INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    inspectors  INTEGER NOT NULL,
    experts     INTEGER NOT NULL,
    PRIMARY KEY (date, region_path, sector, industry_id)
) WITHOUT ROWID;
INSERT INTO inspection_days (date, region_path, sector, industry_id, n, inspectors, experts)
    SELECT x.date, x.region_path, x.sector, e.industry_id, COUNT(*), SUM(x.inspector_count), SUM(x.expert_count)
    FROM inspections x JOIN enterprises e ON e.id = x.enterprise_id GROUP BY x.date, x.region_path, x.sector, e.industry_id;
-- +goose StatementBegin
CREATE TRIGGER inspection_days_insert AFTER INSERT ON inspections
BEGIN
    INSERT INTO inspection_days (date, region_path, sector, industry_id, n, inspectors, experts)
        SELECT NEW.date, NEW.region_path, NEW.sector, e.industry_id, 1, NEW.inspector_count, NEW.expert_count FROM enterprises e WHERE e.id = NEW.enterprise_id
        ON CONFLICT (date, region_path, sector, industry_id) DO UPDATE SET n = n + excluded.n, inspectors = inspectors + excluded.inspectors, experts = experts + excluded.experts;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER inspection_days_delete AFTER DELETE ON inspections
BEGIN
    UPDATE inspection_days SET n = n - 1, inspectors = inspectors - OLD.inspector_count, experts = experts - OLD.expert_count
        WHERE date = OLD.date AND region_path = OLD.region_path AND sector = OLD.sector AND industry_id = (SELECT e.industry_id FROM enterprises e WHERE e.id = OLD.enterprise_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER inspection_days_update AFTER UPDATE OF date, inspector_count, expert_count ON inspections
WHEN OLD.date <> NEW.date OR OLD.inspector_count <> NEW.inspector_count OR OLD.expert_count <> NEW.expert_count
BEGIN
    UPDATE inspection_days SET n = n - 1, inspectors = inspectors - OLD.inspector_count, experts = experts - OLD.expert_count
        WHERE date = OLD.date AND region_path = OLD.region_path AND sector = OLD.sector AND industry_id = (SELECT e.industry_id FROM enterprises e WHERE e.id = OLD.enterprise_id);
    INSERT INTO inspection_days (date, region_path, sector, industry_id, n, inspectors, experts)
        SELECT NEW.date, NEW.region_path, NEW.sector, e.industry_id, 1, NEW.inspector_count, NEW.expert_count FROM enterprises e WHERE e.id = NEW.enterprise_id
        ON CONFLICT (date, region_path, sector, industry_id) DO UPDATE SET n = n + excluded.n, inspectors = inspectors + excluded.inspectors, experts = experts + excluded.experts;
END;
-- +goose StatementEnd

CREATE TABLE hazard_days (
    found_on    TEXT NOT NULL,
    region_path TEXT NOT NULL,
    sector      TEXT NOT NULL,
    industry_id INTEGER NOT NULL,
    level       TEXT NOT NULL,
    status      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (found_on, region_path, sector, industry_id, level, status)
) WITHOUT ROWID;
INSERT INTO hazard_days (found_on, region_path, sector, industry_id, level, status, n)
    SELECT x.found_on, x.region_path, x.sector, e.industry_id, x.level, x.status, COUNT(*)
    FROM hazards x JOIN enterprises e ON e.id = x.enterprise_id GROUP BY x.found_on, x.region_path, x.sector, e.industry_id, x.level, x.status;
-- +goose StatementBegin
CREATE TRIGGER hazard_days_insert AFTER INSERT ON hazards
BEGIN
    INSERT INTO hazard_days (found_on, region_path, sector, industry_id, level, status, n)
        SELECT NEW.found_on, NEW.region_path, NEW.sector, e.industry_id, NEW.level, NEW.status, 1 FROM enterprises e WHERE e.id = NEW.enterprise_id
        ON CONFLICT (found_on, region_path, sector, industry_id, level, status) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hazard_days_delete AFTER DELETE ON hazards
BEGIN
    UPDATE hazard_days SET n = n - 1
        WHERE found_on = OLD.found_on AND region_path = OLD.region_path AND sector = OLD.sector AND industry_id = (SELECT e.industry_id FROM enterprises e WHERE e.id = OLD.enterprise_id) AND level = OLD.level AND status = OLD.status;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hazard_days_update AFTER UPDATE OF found_on, level, status ON hazards
WHEN OLD.found_on <> NEW.found_on OR OLD.level <> NEW.level OR OLD.status <> NEW.status
BEGIN
    UPDATE hazard_days SET n = n - 1
        WHERE found_on = OLD.found_on AND region_path = OLD.region_path AND sector = OLD.sector AND industry_id = (SELECT e.industry_id FROM enterprises e WHERE e.id = OLD.enterprise_id) AND level = OLD.level AND status = OLD.status;
    INSERT INTO hazard_days (found_on, region_path, sector, industry_id, level, status, n)
        SELECT NEW.found_on, NEW.region_path, NEW.sector, e.industry_id, NEW.level, NEW.status, 1 FROM enterprises e WHERE e.id = NEW.enterprise_id
        ON CONFLICT (found_on, region_path, sector, industry_id, level, status) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

CREATE TABLE document_days (
    issued_on   TEXT NOT NULL,
    region_path TEXT NOT NULL,
    sector      TEXT NOT NULL,
    industry_id INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    n           INTEGER NOT NULL,
    fined       INTEGER NOT NULL, -- how many carry a fine
    fines       INTEGER NOT NULL, -- their sum, in yuan
    PRIMARY KEY (issued_on, region_path, sector, industry_id, kind)
) WITHOUT ROWID;
INSERT INTO document_days (issued_on, region_path, sector, industry_id, kind, n, fined, fines)
    SELECT x.issued_on, x.region_path, x.sector, e.industry_id, x.kind, COUNT(*), SUM(CASE WHEN x.fine > 0 THEN 1 ELSE 0 END), SUM(x.fine)
    FROM documents x JOIN enterprises e ON e.id = x.enterprise_id GROUP BY x.issued_on, x.region_path, x.sector, e.industry_id, x.kind;
-- +goose StatementBegin
CREATE TRIGGER document_days_insert AFTER INSERT ON documents
BEGIN
    INSERT INTO document_days (issued_on, region_path, sector, industry_id, kind, n, fined, fines)
        SELECT NEW.issued_on, NEW.region_path, NEW.sector, e.industry_id, NEW.kind, 1, CASE WHEN NEW.fine > 0 THEN 1 ELSE 0 END, NEW.fine FROM enterprises e WHERE e.id = NEW.enterprise_id
        ON CONFLICT (issued_on, region_path, sector, industry_id, kind) DO UPDATE SET n = n + excluded.n, fined = fined + excluded.fined, fines = fines + excluded.fines;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER document_days_delete AFTER DELETE ON documents
BEGIN
    UPDATE document_days SET n = n - 1, fined = fined - CASE WHEN OLD.fine > 0 THEN 1 ELSE 0 END, fines = fines - OLD.fine
        WHERE issued_on = OLD.issued_on AND region_path = OLD.region_path AND sector = OLD.sector AND industry_id = (SELECT e.industry_id FROM enterprises e WHERE e.id = OLD.enterprise_id) AND kind = OLD.kind;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER document_days_update AFTER UPDATE OF issued_on, kind, fine ON documents
WHEN OLD.issued_on <> NEW.issued_on OR OLD.kind <> NEW.kind OR OLD.fine <> NEW.fine
BEGIN
    UPDATE document_days SET n = n - 1, fined = fined - CASE WHEN OLD.fine > 0 THEN 1 ELSE 0 END, fines = fines - OLD.fine
        WHERE issued_on = OLD.issued_on AND region_path = OLD.region_path AND sector = OLD.sector AND industry_id = (SELECT e.industry_id FROM enterprises e WHERE e.id = OLD.enterprise_id) AND kind = OLD.kind;
    INSERT INTO document_days (issued_on, region_path, sector, industry_id, kind, n, fined, fines)
        SELECT NEW.issued_on, NEW.region_path, NEW.sector, e.industry_id, NEW.kind, 1, CASE WHEN NEW.fine > 0 THEN 1 ELSE 0 END, NEW.fine FROM enterprises e WHERE e.id = NEW.enterprise_id
        ON CONFLICT (issued_on, region_path, sector, industry_id, kind) DO UPDATE SET n = n + excluded.n, fined = fined + excluded.fined, fines = fines + excluded.fines;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER enterprises_days_follow AFTER UPDATE OF region_path, sector, industry_id ON enterprises
WHEN OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector OR OLD.industry_id <> NEW.industry_id
BEGIN
    UPDATE inspection_days SET n = inspection_days.n - x.n, inspectors = inspection_days.inspectors - x.inspectors, experts = inspection_days.experts - x.experts
        FROM (SELECT date, COUNT(*) AS n, SUM(inspections.inspector_count) AS inspectors, SUM(inspections.expert_count) AS experts FROM inspections WHERE enterprise_id = NEW.id GROUP BY date) AS x
        WHERE inspection_days.date = x.date AND inspection_days.region_path = OLD.region_path AND inspection_days.sector = OLD.sector AND inspection_days.industry_id = OLD.industry_id;
    INSERT INTO inspection_days (date, region_path, sector, industry_id, n, inspectors, experts)
        SELECT date, NEW.region_path, NEW.sector, NEW.industry_id, COUNT(*), SUM(inspections.inspector_count), SUM(inspections.expert_count) FROM inspections WHERE enterprise_id = NEW.id GROUP BY date
        ON CONFLICT (date, region_path, sector, industry_id) DO UPDATE SET n = n + excluded.n, inspectors = inspectors + excluded.inspectors, experts = experts + excluded.experts;
    UPDATE hazard_days SET n = hazard_days.n - x.n
        FROM (SELECT found_on, level, status, COUNT(*) AS n FROM hazards WHERE enterprise_id = NEW.id GROUP BY found_on, level, status) AS x
        WHERE hazard_days.found_on = x.found_on AND hazard_days.level = x.level AND hazard_days.status = x.status AND hazard_days.region_path = OLD.region_path AND hazard_days.sector = OLD.sector AND hazard_days.industry_id = OLD.industry_id;
    INSERT INTO hazard_days (found_on, region_path, sector, industry_id, level, status, n)
        SELECT found_on, NEW.region_path, NEW.sector, NEW.industry_id, level, status, COUNT(*) FROM hazards WHERE enterprise_id = NEW.id GROUP BY found_on, level, status
        ON CONFLICT (found_on, region_path, sector, industry_id, level, status) DO UPDATE SET n = n + excluded.n;
    UPDATE document_days SET n = document_days.n - x.n, fined = document_days.fined - x.fined, fines = document_days.fines - x.fines
        FROM (SELECT issued_on, kind, COUNT(*) AS n, SUM(CASE WHEN documents.fine > 0 THEN 1 ELSE 0 END) AS fined, SUM(documents.fine) AS fines FROM documents WHERE enterprise_id = NEW.id GROUP BY issued_on, kind) AS x
        WHERE document_days.issued_on = x.issued_on AND document_days.kind = x.kind AND document_days.region_path = OLD.region_path AND document_days.sector = OLD.sector AND document_days.industry_id = OLD.industry_id;
    INSERT INTO document_days (issued_on, region_path, sector, industry_id, kind, n, fined, fines)
        SELECT issued_on, NEW.region_path, NEW.sector, NEW.industry_id, kind, COUNT(*), SUM(CASE WHEN documents.fine > 0 THEN 1 ELSE 0 END), SUM(documents.fine) FROM documents WHERE enterprise_id = NEW.id GROUP BY issued_on, kind
        ON CONFLICT (issued_on, region_path, sector, industry_id, kind) DO UPDATE SET n = n + excluded.n, fined = fined + excluded.fined, fines = fines + excluded.fines;
END;
-- +goose StatementEnd


-- The day tables are read by day (their keys), by place (a city's or a
-- county's rows, any day) and, for documents, by kind; each index holds
-- the counts, so that a count reads it alone.
CREATE INDEX inspection_days_placed ON inspection_days(region_path, sector, industry_id, date, n, inspectors, experts);
CREATE INDEX hazard_days_placed ON hazard_days(region_path, sector, industry_id, level, status, found_on, n);
CREATE INDEX document_days_placed ON document_days(region_path, sector, industry_id, kind, issued_on, n, fined, fines);
CREATE INDEX document_days_kind ON document_days(kind, issued_on, region_path, sector, industry_id, n, fined, fines);

-- The lists' pages, and the counts the day tables cannot give (one
-- enterprise, overdue hazards), read covering indexes. A page's index
-- holds its order whole — the day, then id — so that twenty rows are read
-- in order and no more (PostgreSQL otherwise sorts every match). They
-- replace the narrower indexes on the same leading columns.
DROP INDEX inspections_date;
CREATE INDEX inspections_date ON inspections(date, id, region_path, sector, enterprise_id, inspector_count, expert_count);
-- (region_path, date) let SQLite's planner gather a whole period by
-- skip-scanning the regions and sort it, for a page of twenty; the index
-- above serves what it served (附件2's counts) without lookups.
DROP INDEX inspections_lane;
DROP INDEX inspections_enterprise;
CREATE INDEX inspections_enterprise ON inspections(enterprise_id, date, region_path, sector, inspector_count, expert_count);
DROP INDEX hazards_enterprise;
CREATE INDEX hazards_enterprise ON hazards(enterprise_id, found_on, region_path, sector, level, status);
CREATE INDEX hazards_found ON hazards(found_on, id, region_path, sector, level, status);
-- (region_path, status, deadline), which nothing reads since migration
-- 00007, misled SQLite's planner away from hazards_pending.
DROP INDEX hazards_lane;
CREATE INDEX hazards_major_found ON hazards(found_on, id, region_path, sector, status) WHERE level = 'major';
DROP INDEX hazards_pending;
CREATE INDEX hazards_pending ON hazards(deadline, id, region_path, sector, found_on, level, enterprise_id) WHERE status <> 'passed';
DROP INDEX documents_enterprise;
CREATE INDEX documents_enterprise ON documents(enterprise_id, issued_on, region_path, sector, kind, fine);
CREATE INDEX documents_kinded ON documents(kind, issued_on, id, region_path, sector, fine);
DROP INDEX documents_issued;
CREATE INDEX documents_issued ON documents(issued_on, id, region_path, sector, kind);

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
DROP TRIGGER enterprises_days_follow;
DROP TRIGGER document_days_update;
DROP TRIGGER document_days_delete;
DROP TRIGGER document_days_insert;
DROP TABLE document_days;
DROP TRIGGER hazard_days_update;
DROP TRIGGER hazard_days_delete;
DROP TRIGGER hazard_days_insert;
DROP TABLE hazard_days;
DROP TRIGGER inspection_days_update;
DROP TRIGGER inspection_days_delete;
DROP TRIGGER inspection_days_insert;
DROP TABLE inspection_days;
DROP TRIGGER inspections_date_follows;
DROP TRIGGER hazards_found_on_given;
ALTER TABLE hazards DROP COLUMN found_on;
