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
    region_path TEXT COLLATE "C" NOT NULL, -- a city's path
    sector      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    inspectors  BIGINT NOT NULL,
    experts     BIGINT NOT NULL,
    PRIMARY KEY (month, region_path, sector)
);
INSERT INTO inspection_city_months (month, region_path, sector, n, inspectors, experts)
    SELECT month, substr(region_path, 1, 15), sector, SUM(n), SUM(inspectors), SUM(experts) FROM inspection_months
    GROUP BY month, substr(region_path, 1, 15), sector;
-- +goose StatementBegin
CREATE FUNCTION inspection_city_months_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE inspection_city_months SET n = n - OLD.n, inspectors = inspectors - OLD.inspectors, experts = experts - OLD.experts
            WHERE month = OLD.month AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO inspection_city_months AS t (month, region_path, sector, n, inspectors, experts)
            VALUES (NEW.month, substr(NEW.region_path, 1, 15), NEW.sector, NEW.n, NEW.inspectors, NEW.experts)
            ON CONFLICT (month, region_path, sector) DO UPDATE SET n = t.n + excluded.n, inspectors = t.inspectors + excluded.inspectors,
                experts = t.experts + excluded.experts;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER inspection_city_months_follow AFTER INSERT OR DELETE ON inspection_months FOR EACH ROW
    EXECUTE FUNCTION inspection_city_months_follow();
CREATE TRIGGER inspection_city_months_follow_update AFTER UPDATE ON inspection_months FOR EACH ROW
    WHEN (OLD.n <> NEW.n OR OLD.inspectors <> NEW.inspectors OR OLD.experts <> NEW.experts OR OLD.month <> NEW.month
        OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector)
    EXECUTE FUNCTION inspection_city_months_follow();

-- The hazards by city and month fold level and status into columns (what
-- the dashboard counts: found, passed, major, major passed): ~170 rows a
-- province's year and sector, where by level and status they were ~860.
CREATE TABLE hazard_city_months (
    month        TEXT NOT NULL,
    region_path  TEXT COLLATE "C" NOT NULL, -- a city's path
    sector       TEXT NOT NULL,
    n            BIGINT NOT NULL, -- found
    passed       BIGINT NOT NULL, -- of them, status 'passed'
    major        BIGINT NOT NULL, -- of them, level 'major'
    major_passed BIGINT NOT NULL, -- of them, both
    PRIMARY KEY (month, region_path, sector)
);
INSERT INTO hazard_city_months (month, region_path, sector, n, passed, major, major_passed)
    SELECT month, substr(region_path, 1, 15), sector, SUM(n), SUM(CASE WHEN status = 'passed' THEN n ELSE 0 END),
        SUM(CASE WHEN level = 'major' THEN n ELSE 0 END), SUM(CASE WHEN level = 'major' AND status = 'passed' THEN n ELSE 0 END)
    FROM hazard_months GROUP BY month, substr(region_path, 1, 15), sector;
-- +goose StatementBegin
CREATE FUNCTION hazard_city_months_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE hazard_city_months SET n = n - OLD.n, passed = passed - CASE WHEN OLD.status = 'passed' THEN OLD.n ELSE 0 END,
            major = major - CASE WHEN OLD.level = 'major' THEN OLD.n ELSE 0 END,
            major_passed = major_passed - CASE WHEN OLD.level = 'major' AND OLD.status = 'passed' THEN OLD.n ELSE 0 END
            WHERE month = OLD.month AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO hazard_city_months AS t (month, region_path, sector, n, passed, major, major_passed)
            VALUES (NEW.month, substr(NEW.region_path, 1, 15), NEW.sector, NEW.n, CASE WHEN NEW.status = 'passed' THEN NEW.n ELSE 0 END,
                CASE WHEN NEW.level = 'major' THEN NEW.n ELSE 0 END, CASE WHEN NEW.level = 'major' AND NEW.status = 'passed' THEN NEW.n ELSE 0 END)
            ON CONFLICT (month, region_path, sector) DO UPDATE SET n = t.n + excluded.n, passed = t.passed + excluded.passed,
                major = t.major + excluded.major, major_passed = t.major_passed + excluded.major_passed;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER hazard_city_months_follow AFTER INSERT OR DELETE ON hazard_months FOR EACH ROW EXECUTE FUNCTION hazard_city_months_follow();
CREATE TRIGGER hazard_city_months_follow_update AFTER UPDATE ON hazard_months FOR EACH ROW
    WHEN (OLD.n <> NEW.n OR OLD.month <> NEW.month OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector
        OR OLD.level <> NEW.level OR OLD.status <> NEW.status)
    EXECUTE FUNCTION hazard_city_months_follow();

CREATE TABLE document_city_months (
    month       TEXT NOT NULL,
    region_path TEXT COLLATE "C" NOT NULL, -- a city's path
    sector      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    n           BIGINT NOT NULL,
    fined       BIGINT NOT NULL,
    fines       BIGINT NOT NULL,
    PRIMARY KEY (month, region_path, sector, kind)
);
INSERT INTO document_city_months (month, region_path, sector, kind, n, fined, fines)
    SELECT month, substr(region_path, 1, 15), sector, kind, SUM(n), SUM(fined), SUM(fines) FROM document_months
    GROUP BY month, substr(region_path, 1, 15), sector, kind;
-- +goose StatementBegin
CREATE FUNCTION document_city_months_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE document_city_months SET n = n - OLD.n, fined = fined - OLD.fined, fines = fines - OLD.fines
            WHERE month = OLD.month AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector AND kind = OLD.kind;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO document_city_months AS t (month, region_path, sector, kind, n, fined, fines)
            VALUES (NEW.month, substr(NEW.region_path, 1, 15), NEW.sector, NEW.kind, NEW.n, NEW.fined, NEW.fines)
            ON CONFLICT (month, region_path, sector, kind) DO UPDATE SET n = t.n + excluded.n, fined = t.fined + excluded.fined,
                fines = t.fines + excluded.fines;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER document_city_months_follow AFTER INSERT OR DELETE ON document_months FOR EACH ROW
    EXECUTE FUNCTION document_city_months_follow();
CREATE TRIGGER document_city_months_follow_update AFTER UPDATE ON document_months FOR EACH ROW
    WHEN (OLD.n <> NEW.n OR OLD.fined <> NEW.fined OR OLD.fines <> NEW.fines OR OLD.month <> NEW.month
        OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector OR OLD.kind <> NEW.kind)
    EXECUTE FUNCTION document_city_months_follow();

CREATE TABLE hazard_pending_city_months (
    region_path    TEXT COLLATE "C" NOT NULL, -- a city's path
    sector         TEXT NOT NULL,
    found_month    TEXT NOT NULL,
    deadline_month TEXT NOT NULL,
    level          TEXT NOT NULL,
    n              BIGINT NOT NULL,
    PRIMARY KEY (region_path, sector, found_month, deadline_month, level)
);
INSERT INTO hazard_pending_city_months (region_path, sector, found_month, deadline_month, level, n)
    SELECT substr(region_path, 1, 15), sector, found_month, deadline_month, level, SUM(n) FROM hazard_pending_months
    GROUP BY substr(region_path, 1, 15), sector, found_month, deadline_month, level;
-- +goose StatementBegin
CREATE FUNCTION hazard_pending_city_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE hazard_pending_city_months SET n = n - OLD.n WHERE region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector
            AND found_month = OLD.found_month AND deadline_month = OLD.deadline_month AND level = OLD.level;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO hazard_pending_city_months AS t (region_path, sector, found_month, deadline_month, level, n)
            VALUES (substr(NEW.region_path, 1, 15), NEW.sector, NEW.found_month, NEW.deadline_month, NEW.level, NEW.n)
            ON CONFLICT (region_path, sector, found_month, deadline_month, level) DO UPDATE SET n = t.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER hazard_pending_city_follow AFTER INSERT OR DELETE ON hazard_pending_months FOR EACH ROW
    EXECUTE FUNCTION hazard_pending_city_follow();
CREATE TRIGGER hazard_pending_city_follow_update AFTER UPDATE ON hazard_pending_months FOR EACH ROW
    WHEN (OLD.n <> NEW.n OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector OR OLD.found_month <> NEW.found_month
        OR OLD.deadline_month <> NEW.deadline_month OR OLD.level <> NEW.level)
    EXECUTE FUNCTION hazard_pending_city_follow();

CREATE TABLE card_counts (
    year        INTEGER NOT NULL,
    region_path TEXT COLLATE "C" NOT NULL,
    sector      TEXT NOT NULL,
    state       TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (year, region_path, sector, state)
);
INSERT INTO card_counts (year, region_path, sector, state, n)
    SELECT year, region_path, sector, state, COUNT(*) FROM cards GROUP BY year, region_path, sector, state;
-- +goose StatementBegin
CREATE FUNCTION card_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE card_counts SET n = n - 1
            WHERE year = OLD.year AND region_path = OLD.region_path AND sector = OLD.sector AND state = OLD.state;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO card_counts AS t (year, region_path, sector, state, n) VALUES (NEW.year, NEW.region_path, NEW.sector, NEW.state, 1)
            ON CONFLICT (year, region_path, sector, state) DO UPDATE SET n = t.n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER card_counts_follow AFTER INSERT OR DELETE ON cards FOR EACH ROW EXECUTE FUNCTION card_counts_follow();
CREATE TRIGGER card_counts_follow_update AFTER UPDATE OF year, region_path, sector, state ON cards FOR EACH ROW
    WHEN (OLD.year <> NEW.year OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector OR OLD.state <> NEW.state)
    EXECUTE FUNCTION card_counts_follow();

CREATE TABLE card_city_counts (
    year        INTEGER NOT NULL,
    region_path TEXT COLLATE "C" NOT NULL, -- a city's path
    sector      TEXT NOT NULL,
    state       TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (year, region_path, sector, state)
);
INSERT INTO card_city_counts (year, region_path, sector, state, n)
    SELECT year, substr(region_path, 1, 15), sector, state, SUM(n) FROM card_counts GROUP BY year, substr(region_path, 1, 15), sector, state;
-- +goose StatementBegin
CREATE FUNCTION card_city_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE card_city_counts SET n = n - OLD.n
            WHERE year = OLD.year AND region_path = substr(OLD.region_path, 1, 15) AND sector = OLD.sector AND state = OLD.state;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO card_city_counts AS t (year, region_path, sector, state, n)
            VALUES (NEW.year, substr(NEW.region_path, 1, 15), NEW.sector, NEW.state, NEW.n)
            ON CONFLICT (year, region_path, sector, state) DO UPDATE SET n = t.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER card_city_counts_follow AFTER INSERT OR DELETE ON card_counts FOR EACH ROW EXECUTE FUNCTION card_city_counts_follow();
CREATE TRIGGER card_city_counts_follow_update AFTER UPDATE ON card_counts FOR EACH ROW
    WHEN (OLD.n <> NEW.n OR OLD.year <> NEW.year OR OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector OR OLD.state <> NEW.state)
    EXECUTE FUNCTION card_city_counts_follow();

-- +goose Down
DROP TRIGGER card_city_counts_follow_update ON card_counts;
DROP TRIGGER card_city_counts_follow ON card_counts;
DROP FUNCTION card_city_counts_follow();
DROP TABLE card_city_counts;
DROP TRIGGER card_counts_follow_update ON cards;
DROP TRIGGER card_counts_follow ON cards;
DROP FUNCTION card_counts_follow();
DROP TABLE card_counts;
DROP TRIGGER hazard_pending_city_follow_update ON hazard_pending_months;
DROP TRIGGER hazard_pending_city_follow ON hazard_pending_months;
DROP FUNCTION hazard_pending_city_follow();
DROP TABLE hazard_pending_city_months;
DROP TRIGGER document_city_months_follow_update ON document_months;
DROP TRIGGER document_city_months_follow ON document_months;
DROP FUNCTION document_city_months_follow();
DROP TABLE document_city_months;
DROP TRIGGER hazard_city_months_follow_update ON hazard_months;
DROP TRIGGER hazard_city_months_follow ON hazard_months;
DROP FUNCTION hazard_city_months_follow();
DROP TABLE hazard_city_months;
DROP TRIGGER inspection_city_months_follow_update ON inspection_months;
DROP TRIGGER inspection_city_months_follow ON inspection_months;
DROP FUNCTION inspection_city_months_follow();
DROP TABLE inspection_city_months;
