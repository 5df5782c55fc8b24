-- +goose Up
-- Coverage without a recount (issue 14): each key-list row keeps its
-- enterprise's lane (region_path, sector) and the date of the enterprise's
-- first inspection within the campaign year (from the campaign's start,
-- or 1 January, to 31 December). "Inspected by a deadline" is then
-- first_inspected <= deadline, read with the counts of a region's children
-- from one index (key_list_coverage) alone. Triggers keep the copies in the
-- same transaction as the write that changes them, whichever code writes:
-- an inspection added, moved to another day or enterprise, or deleted; an
-- enterprise moved to another lane; a year's start changed.
--
-- coverage_counts keeps, per year and lane (a county's path and a sector),
-- how many key-list enterprises there are and how many of them were
-- inspected by the year's full-coverage deadline (its "coverage" deadline,
-- else 30 September): the coverage page and the worklist read a few
-- hundred rows, not the key list. Triggers on key_list keep it, and a
-- change of the deadline recounts its year.
ALTER TABLE key_list ADD COLUMN region_path TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE key_list ADD COLUMN sector TEXT NOT NULL DEFAULT '';
ALTER TABLE key_list ADD COLUMN first_inspected TEXT;

-- +goose StatementBegin
-- key_list_first is an enterprise's first inspection within a campaign
-- year, or NULL.
CREATE FUNCTION key_list_first(p_year integer, p_enterprise bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT MIN(n.date) FROM inspections n, campaign_years c WHERE c.year = p_year AND n.enterprise_id = p_enterprise
        AND n.date >= CASE WHEN c.start_date <> '' THEN c.start_date ELSE c.year::text || '-01-01' END
        AND n.date <= c.year::text || '-12-31'
$$;
-- +goose StatementEnd

UPDATE key_list k SET region_path = e.region_path, sector = e.sector, first_inspected = key_list_first(k.year, k.enterprise_id)
    FROM enterprises e WHERE e.id = k.enterprise_id;

CREATE INDEX key_list_coverage ON key_list(year, region_path, sector, first_inspected, enterprise_id);

-- +goose StatementBegin
CREATE FUNCTION key_list_placed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT e.region_path, e.sector INTO NEW.region_path, NEW.sector FROM enterprises e WHERE e.id = NEW.enterprise_id;
    NEW.first_inspected := key_list_first(NEW.year, NEW.enterprise_id);
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER key_list_placed BEFORE INSERT ON key_list FOR EACH ROW EXECUTE FUNCTION key_list_placed();

-- +goose StatementBegin
CREATE FUNCTION key_list_lane_follows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE key_list SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER key_list_lane_follows AFTER UPDATE OF region_path, sector ON enterprises
    FOR EACH ROW WHEN (OLD.region_path IS DISTINCT FROM NEW.region_path OR OLD.sector IS DISTINCT FROM NEW.sector)
    EXECUTE FUNCTION key_list_lane_follows();

-- +goose StatementBegin
CREATE FUNCTION key_list_inspected() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE key_list SET first_inspected = key_list_first(year, enterprise_id)
            WHERE enterprise_id = OLD.enterprise_id AND first_inspected IS NOT DISTINCT FROM OLD.date;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        UPDATE key_list k SET first_inspected = NEW.date FROM campaign_years c
            WHERE k.enterprise_id = NEW.enterprise_id AND c.year = k.year
            AND (k.first_inspected IS NULL OR k.first_inspected > NEW.date)
            AND NEW.date >= CASE WHEN c.start_date <> '' THEN c.start_date ELSE c.year::text || '-01-01' END
            AND NEW.date <= c.year::text || '-12-31';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER key_list_inspected AFTER INSERT OR DELETE ON inspections FOR EACH ROW EXECUTE FUNCTION key_list_inspected();
CREATE TRIGGER key_list_reinspected AFTER UPDATE OF date, enterprise_id ON inspections
    FOR EACH ROW WHEN (OLD.date IS DISTINCT FROM NEW.date OR OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id)
    EXECUTE FUNCTION key_list_inspected();

-- +goose StatementBegin
CREATE FUNCTION key_list_year_starts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE key_list SET first_inspected = key_list_first(year, enterprise_id) WHERE year = NEW.year;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER key_list_year_starts AFTER UPDATE OF start_date ON campaign_years
    FOR EACH ROW WHEN (OLD.start_date IS DISTINCT FROM NEW.start_date) EXECUTE FUNCTION key_list_year_starts();

CREATE TABLE coverage_counts (
    year        INTEGER NOT NULL,
    region_path TEXT COLLATE "C" NOT NULL,
    sector      TEXT NOT NULL,
    listed      INTEGER NOT NULL DEFAULT 0,
    covered     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, region_path, sector)
);

-- +goose StatementBegin
-- coverage_deadline is a year's full-coverage deadline.
CREATE FUNCTION coverage_deadline(p_year integer) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT NULLIF(d.due_date, '') FROM campaign_deadlines d WHERE d.year = p_year AND d.key = 'coverage'),
        p_year::text || '-09-30')
$$;
-- +goose StatementEnd

INSERT INTO coverage_counts (year, region_path, sector, listed, covered)
    SELECT k.year, k.region_path, k.sector, COUNT(*),
        COUNT(*) FILTER (WHERE k.first_inspected IS NOT NULL AND k.first_inspected <= coverage_deadline(k.year))
    FROM key_list k WHERE k.region_path <> '' GROUP BY k.year, k.region_path, k.sector;

-- +goose StatementBegin
CREATE FUNCTION coverage_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE coverage_counts SET listed = listed - 1,
            covered = covered - CASE WHEN OLD.first_inspected IS NOT NULL AND OLD.first_inspected <= coverage_deadline(OLD.year) THEN 1 ELSE 0 END
            WHERE year = OLD.year AND region_path = OLD.region_path AND sector = OLD.sector;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO coverage_counts (year, region_path, sector, listed, covered) VALUES (NEW.year, NEW.region_path, NEW.sector, 1,
            CASE WHEN NEW.first_inspected IS NOT NULL AND NEW.first_inspected <= coverage_deadline(NEW.year) THEN 1 ELSE 0 END)
            ON CONFLICT (year, region_path, sector) DO UPDATE SET listed = coverage_counts.listed + excluded.listed,
                covered = coverage_counts.covered + excluded.covered;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER coverage_counts_follow AFTER INSERT OR DELETE ON key_list FOR EACH ROW EXECUTE FUNCTION coverage_counts_follow();
CREATE TRIGGER coverage_counts_follow_update AFTER UPDATE OF year, region_path, sector, first_inspected ON key_list
    FOR EACH ROW WHEN (OLD.year IS DISTINCT FROM NEW.year OR OLD.region_path IS DISTINCT FROM NEW.region_path
        OR OLD.sector IS DISTINCT FROM NEW.sector OR OLD.first_inspected IS DISTINCT FROM NEW.first_inspected)
    EXECUTE FUNCTION coverage_counts_follow();

-- +goose StatementBegin
CREATE FUNCTION coverage_counts_recount() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_years integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.key <> 'coverage' THEN RETURN NULL; END IF;
        v_years := ARRAY[NEW.year];
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.key <> 'coverage' THEN RETURN NULL; END IF;
        v_years := ARRAY[OLD.year];
    ELSE
        IF NEW.key <> 'coverage' AND OLD.key <> 'coverage' THEN RETURN NULL; END IF;
        v_years := ARRAY[OLD.year, NEW.year];
    END IF;
    UPDATE coverage_counts c SET covered = (SELECT COUNT(*) FROM key_list k WHERE k.year = c.year
        AND k.region_path = c.region_path AND k.sector = c.sector
        AND k.first_inspected IS NOT NULL AND k.first_inspected <= coverage_deadline(c.year))
        WHERE c.year = ANY(v_years);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER coverage_counts_recount AFTER INSERT OR UPDATE OR DELETE ON campaign_deadlines
    FOR EACH ROW EXECUTE FUNCTION coverage_counts_recount();

-- +goose Down
DROP TRIGGER coverage_counts_recount ON campaign_deadlines;
DROP FUNCTION coverage_counts_recount();
DROP TRIGGER coverage_counts_follow_update ON key_list;
DROP TRIGGER coverage_counts_follow ON key_list;
DROP FUNCTION coverage_counts_follow();
DROP TABLE coverage_counts;
DROP FUNCTION coverage_deadline(integer);
DROP TRIGGER key_list_year_starts ON campaign_years;
DROP FUNCTION key_list_year_starts();
DROP TRIGGER key_list_reinspected ON inspections;
DROP TRIGGER key_list_inspected ON inspections;
DROP FUNCTION key_list_inspected();
DROP TRIGGER key_list_lane_follows ON enterprises;
DROP FUNCTION key_list_lane_follows();
DROP TRIGGER key_list_placed ON key_list;
DROP FUNCTION key_list_placed();
DROP INDEX key_list_coverage;
ALTER TABLE key_list DROP COLUMN first_inspected;
ALTER TABLE key_list DROP COLUMN sector;
ALTER TABLE key_list DROP COLUMN region_path;
DROP FUNCTION key_list_first(integer, bigint);
