-- +goose Up
-- The province's dashboard at city grain (issue 14). The province's view
-- folds counties into its cities: grouping the county month tables by
-- substr(region_path, 1, 15) read ~16,000 rows a request (inspections,
-- hazards, documents, pending hazards, and the year's cards themselves). These
-- tables keep the same sums by city path (the first 15 bytes of a path:
-- a county's city, or the city itself for a record placed at a city), so
-- the province's view reads a few hundred rows:
--
-- * inspection_city_months, hazard_city_months, document_city_months,
--   hazard_pending_city_months: the month tables (00017, 00030, 00032)
--   summed by city, kept by triggers on
--   those tables, which the triggers on the records already keep. A month
--   row's change adds its difference to its city's row; a row that
--   changes key or is deleted (no code does either today) moves its
--   counts. A row's n may reach 0 and stays, as in the month tables.
-- * card_counts: the cards by year, lane (a county's path and a sector)
--   and state, kept by triggers on cards (insert, delete, a change of
--   year, lane or state: an enterprise's move is an update of its cards);
--   a province's year is ~460 rows. card_city_counts sums it by city
--   (~80 rows), kept by triggers on card_counts as above: read as they
--   were, the county counts still took 0.5 ms of the province's request.
--
-- LaneMismatches recounts each of them from the records after every test.

CREATE TABLE inspection_city_months (
    month       TEXT NOT NULL,
    region_path TEXT NOT NULL, -- a city's path
    sector      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    inspectors  INTEGER NOT NULL,
    experts     INTEGER NOT NULL,
    PRIMARY KEY (month, region_path, sector)
) WITHOUT ROWID;
INSERT INTO inspection_city_months (month, region_path, sector, n, inspectors, experts)
    SELECT month, substr(region_path, 1, 15), sector, SUM(n), SUM(inspectors), SUM(experts) FROM inspection_months
    GROUP BY month, substr(region_path, 1, 15), sector;
-- +goose StatementBegin
CREATE TRIGGER inspection_city_months_insert AFTER INSERT ON inspection_months
BEGIN
    INSERT INTO inspection_city_months (month, region_path, sector, n, inspectors, experts)
        VALUES (NEW.month, substr(NEW.region_path, 1, 15), NEW.sector, NEW.n, NEW.inspectors, NEW.experts)
        ON CONFLICT (month, region_path, sector) DO UPDATE SET n = n + excluded.n, inspectors = inspectors + excluded.inspectors,
            experts = experts + excluded.experts;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER inspection_city_months_update AFTER UPDATE ON inspection_months
WHEN OLD.n <> NEW.n OR OLD.inspectors <> NEW.inspectors OR OLD.experts <> NEW.experts OR OLD.month <> NEW.month
    OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector
BEGIN
    UPDATE inspection_city_months SET n = n - OLD.n, inspectors = inspectors - OLD.inspectors, experts = experts - OLD.experts
        WHERE month = OLD.month AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector;
    INSERT INTO inspection_city_months (month, region_path, sector, n, inspectors, experts)
        VALUES (NEW.month, substr(NEW.region_path, 1, 15), NEW.sector, NEW.n, NEW.inspectors, NEW.experts)
        ON CONFLICT (month, region_path, sector) DO UPDATE SET n = n + excluded.n, inspectors = inspectors + excluded.inspectors,
            experts = experts + excluded.experts;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER inspection_city_months_delete AFTER DELETE ON inspection_months
BEGIN
    UPDATE inspection_city_months SET n = n - OLD.n, inspectors = inspectors - OLD.inspectors, experts = experts - OLD.experts
        WHERE month = OLD.month AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector;
END;
-- +goose StatementEnd

-- The hazards by city and month fold level and status into columns (what
-- the dashboard counts: found, passed, major, major passed): ~170 rows a
-- province's year and sector, where by level and status they were ~860.
CREATE TABLE hazard_city_months (
    month        TEXT NOT NULL,
    region_path  TEXT NOT NULL, -- a city's path
    sector       TEXT NOT NULL,
    n            INTEGER NOT NULL, -- found
    passed       INTEGER NOT NULL, -- of them, status 'passed'
    major        INTEGER NOT NULL, -- of them, level 'major'
    major_passed INTEGER NOT NULL, -- of them, both
    PRIMARY KEY (month, region_path, sector)
) WITHOUT ROWID;
INSERT INTO hazard_city_months (month, region_path, sector, n, passed, major, major_passed)
    SELECT month, substr(region_path, 1, 15), sector, SUM(n), SUM(CASE WHEN status = 'passed' THEN n ELSE 0 END),
        SUM(CASE WHEN level = 'major' THEN n ELSE 0 END), SUM(CASE WHEN level = 'major' AND status = 'passed' THEN n ELSE 0 END)
    FROM hazard_months GROUP BY month, substr(region_path, 1, 15), sector;
-- +goose StatementBegin
CREATE TRIGGER hazard_city_months_insert AFTER INSERT ON hazard_months
BEGIN
    INSERT INTO hazard_city_months (month, region_path, sector, n, passed, major, major_passed)
        VALUES (NEW.month, substr(NEW.region_path, 1, 15), NEW.sector, NEW.n, CASE WHEN NEW.status = 'passed' THEN NEW.n ELSE 0 END,
            CASE WHEN NEW.level = 'major' THEN NEW.n ELSE 0 END, CASE WHEN NEW.level = 'major' AND NEW.status = 'passed' THEN NEW.n ELSE 0 END)
        ON CONFLICT (month, region_path, sector) DO UPDATE SET n = n + excluded.n, passed = passed + excluded.passed,
            major = major + excluded.major, major_passed = major_passed + excluded.major_passed;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hazard_city_months_update AFTER UPDATE ON hazard_months
WHEN OLD.n <> NEW.n OR OLD.month <> NEW.month OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector
    OR OLD.level <> NEW.level OR OLD.status <> NEW.status
BEGIN
    UPDATE hazard_city_months SET n = n - OLD.n, passed = passed - CASE WHEN OLD.status = 'passed' THEN OLD.n ELSE 0 END,
        major = major - CASE WHEN OLD.level = 'major' THEN OLD.n ELSE 0 END,
        major_passed = major_passed - CASE WHEN OLD.level = 'major' AND OLD.status = 'passed' THEN OLD.n ELSE 0 END
        WHERE month = OLD.month AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector;
    INSERT INTO hazard_city_months (month, region_path, sector, n, passed, major, major_passed)
        VALUES (NEW.month, substr(NEW.region_path, 1, 15), NEW.sector, NEW.n, CASE WHEN NEW.status = 'passed' THEN NEW.n ELSE 0 END,
            CASE WHEN NEW.level = 'major' THEN NEW.n ELSE 0 END, CASE WHEN NEW.level = 'major' AND NEW.status = 'passed' THEN NEW.n ELSE 0 END)
        ON CONFLICT (month, region_path, sector) DO UPDATE SET n = n + excluded.n, passed = passed + excluded.passed,
            major = major + excluded.major, major_passed = major_passed + excluded.major_passed;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hazard_city_months_delete AFTER DELETE ON hazard_months
BEGIN
    UPDATE hazard_city_months SET n = n - OLD.n, passed = passed - CASE WHEN OLD.status = 'passed' THEN OLD.n ELSE 0 END,
        major = major - CASE WHEN OLD.level = 'major' THEN OLD.n ELSE 0 END,
        major_passed = major_passed - CASE WHEN OLD.level = 'major' AND OLD.status = 'passed' THEN OLD.n ELSE 0 END
        WHERE month = OLD.month AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector;
END;
-- +goose StatementEnd

CREATE TABLE document_city_months (
    month       TEXT NOT NULL,
    region_path TEXT NOT NULL, -- a city's path
    sector      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    n           INTEGER NOT NULL,
    fined       INTEGER NOT NULL,
    fines       INTEGER NOT NULL,
    PRIMARY KEY (month, region_path, sector, kind)
) WITHOUT ROWID;
INSERT INTO document_city_months (month, region_path, sector, kind, n, fined, fines)
    SELECT month, substr(region_path, 1, 15), sector, kind, SUM(n), SUM(fined), SUM(fines) FROM document_months
    GROUP BY month, substr(region_path, 1, 15), sector, kind;
-- +goose StatementBegin
CREATE TRIGGER document_city_months_insert AFTER INSERT ON document_months
BEGIN
    INSERT INTO document_city_months (month, region_path, sector, kind, n, fined, fines)
        VALUES (NEW.month, substr(NEW.region_path, 1, 15), NEW.sector, NEW.kind, NEW.n, NEW.fined, NEW.fines)
        ON CONFLICT (month, region_path, sector, kind) DO UPDATE SET n = n + excluded.n, fined = fined + excluded.fined,
            fines = fines + excluded.fines;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER document_city_months_update AFTER UPDATE ON document_months
WHEN OLD.n <> NEW.n OR OLD.fined <> NEW.fined OR OLD.fines <> NEW.fines OR OLD.month <> NEW.month
    OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector OR OLD.kind <> NEW.kind
BEGIN
    UPDATE document_city_months SET n = n - OLD.n, fined = fined - OLD.fined, fines = fines - OLD.fines
        WHERE month = OLD.month AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector AND kind = OLD.kind;
    INSERT INTO document_city_months (month, region_path, sector, kind, n, fined, fines)
        VALUES (NEW.month, substr(NEW.region_path, 1, 15), NEW.sector, NEW.kind, NEW.n, NEW.fined, NEW.fines)
        ON CONFLICT (month, region_path, sector, kind) DO UPDATE SET n = n + excluded.n, fined = fined + excluded.fined,
            fines = fines + excluded.fines;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER document_city_months_delete AFTER DELETE ON document_months
BEGIN
    UPDATE document_city_months SET n = n - OLD.n, fined = fined - OLD.fined, fines = fines - OLD.fines
        WHERE month = OLD.month AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector AND kind = OLD.kind;
END;
-- +goose StatementEnd

CREATE TABLE hazard_pending_city_months (
    region_path    TEXT NOT NULL, -- a city's path
    sector         TEXT NOT NULL,
    found_month    TEXT NOT NULL,
    deadline_month TEXT NOT NULL,
    level          TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (region_path, sector, found_month, deadline_month, level)
) WITHOUT ROWID;
INSERT INTO hazard_pending_city_months (region_path, sector, found_month, deadline_month, level, n)
    SELECT substr(region_path, 1, 15), sector, found_month, deadline_month, level, SUM(n) FROM hazard_pending_months
    GROUP BY substr(region_path, 1, 15), sector, found_month, deadline_month, level;
-- +goose StatementBegin
CREATE TRIGGER hazard_pending_city_insert AFTER INSERT ON hazard_pending_months
BEGIN
    INSERT INTO hazard_pending_city_months (region_path, sector, found_month, deadline_month, level, n)
        VALUES (substr(NEW.region_path, 1, 15), NEW.sector, NEW.found_month, NEW.deadline_month, NEW.level, NEW.n)
        ON CONFLICT (region_path, sector, found_month, deadline_month, level) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hazard_pending_city_update AFTER UPDATE ON hazard_pending_months
WHEN OLD.n <> NEW.n OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector OR OLD.found_month <> NEW.found_month
    OR OLD.deadline_month <> NEW.deadline_month OR OLD.level <> NEW.level
BEGIN
    UPDATE hazard_pending_city_months SET n = n - OLD.n WHERE region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector
        AND found_month = OLD.found_month AND deadline_month = OLD.deadline_month AND level = OLD.level;
    INSERT INTO hazard_pending_city_months (region_path, sector, found_month, deadline_month, level, n)
        VALUES (substr(NEW.region_path, 1, 15), NEW.sector, NEW.found_month, NEW.deadline_month, NEW.level, NEW.n)
        ON CONFLICT (region_path, sector, found_month, deadline_month, level) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hazard_pending_city_delete AFTER DELETE ON hazard_pending_months
BEGIN
    UPDATE hazard_pending_city_months SET n = n - OLD.n WHERE region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector
        AND found_month = OLD.found_month AND deadline_month = OLD.deadline_month AND level = OLD.level;
END;
-- +goose StatementEnd

CREATE TABLE card_counts (
    year        INTEGER NOT NULL,
    region_path TEXT NOT NULL,
    sector      TEXT NOT NULL,
    state       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (year, region_path, sector, state)
) WITHOUT ROWID;
INSERT INTO card_counts (year, region_path, sector, state, n)
    SELECT year, region_path, sector, state, COUNT(*) FROM cards GROUP BY year, region_path, sector, state;
-- +goose StatementBegin
CREATE TRIGGER card_counts_insert AFTER INSERT ON cards
BEGIN
    INSERT INTO card_counts (year, region_path, sector, state, n) VALUES (NEW.year, NEW.region_path, NEW.sector, NEW.state, 1)
        ON CONFLICT (year, region_path, sector, state) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER card_counts_update AFTER UPDATE OF year, region_path, sector, state ON cards
WHEN OLD.year <> NEW.year OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector OR OLD.state <> NEW.state
BEGIN
    UPDATE card_counts SET n = n - 1
        WHERE year = OLD.year AND region_path = OLD.region_path AND sector = OLD.sector AND state = OLD.state;
    INSERT INTO card_counts (year, region_path, sector, state, n) VALUES (NEW.year, NEW.region_path, NEW.sector, NEW.state, 1)
        ON CONFLICT (year, region_path, sector, state) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER card_counts_delete AFTER DELETE ON cards
BEGIN
    UPDATE card_counts SET n = n - 1
        WHERE year = OLD.year AND region_path = OLD.region_path AND sector = OLD.sector AND state = OLD.state;
END;
-- +goose StatementEnd

CREATE TABLE card_city_counts (
    year        INTEGER NOT NULL,
    region_path TEXT NOT NULL, -- a city's path
    sector      TEXT NOT NULL,
    state       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (year, region_path, sector, state)
) WITHOUT ROWID;
INSERT INTO card_city_counts (year, region_path, sector, state, n)
    SELECT year, substr(region_path, 1, 15), sector, state, SUM(n) FROM card_counts GROUP BY year, substr(region_path, 1, 15), sector, state;
-- +goose StatementBegin
CREATE TRIGGER card_city_counts_insert AFTER INSERT ON card_counts
BEGIN
    INSERT INTO card_city_counts (year, region_path, sector, state, n) VALUES (NEW.year, substr(NEW.region_path, 1, 15), NEW.sector, NEW.state, NEW.n)
        ON CONFLICT (year, region_path, sector, state) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER card_city_counts_update AFTER UPDATE ON card_counts
WHEN OLD.n <> NEW.n OR OLD.year <> NEW.year OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector OR OLD.state <> NEW.state
BEGIN
    UPDATE card_city_counts SET n = n - OLD.n
        WHERE year = OLD.year AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector AND state = OLD.state;
    INSERT INTO card_city_counts (year, region_path, sector, state, n) VALUES (NEW.year, substr(NEW.region_path, 1, 15), NEW.sector, NEW.state, NEW.n)
        ON CONFLICT (year, region_path, sector, state) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER card_city_counts_delete AFTER DELETE ON card_counts
BEGIN
    UPDATE card_city_counts SET n = n - OLD.n
        WHERE year = OLD.year AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector AND state = OLD.state;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER card_city_counts_delete;
DROP TRIGGER card_city_counts_update;
DROP TRIGGER card_city_counts_insert;
DROP TABLE card_city_counts;
DROP TRIGGER card_counts_delete;
DROP TRIGGER card_counts_update;
DROP TRIGGER card_counts_insert;
DROP TABLE card_counts;
DROP TRIGGER hazard_pending_city_delete;
DROP TRIGGER hazard_pending_city_update;
DROP TRIGGER hazard_pending_city_insert;
DROP TABLE hazard_pending_city_months;
DROP TRIGGER document_city_months_delete;
DROP TRIGGER document_city_months_update;
DROP TRIGGER document_city_months_insert;
DROP TABLE document_city_months;
DROP TRIGGER hazard_city_months_delete;
DROP TRIGGER hazard_city_months_update;
DROP TRIGGER hazard_city_months_insert;
DROP TABLE hazard_city_months;
DROP TRIGGER inspection_city_months_delete;
DROP TRIGGER inspection_city_months_update;
DROP TRIGGER inspection_city_months_insert;
DROP TABLE inspection_city_months;
