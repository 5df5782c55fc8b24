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
-- hundred rows, not the key list. Triggers on key_list keep it (a row is
-- counted once its lane is known, region_path <> ''), and a change of the
-- deadline recounts its year.
ALTER TABLE key_list ADD COLUMN region_path TEXT NOT NULL DEFAULT '';
ALTER TABLE key_list ADD COLUMN sector TEXT NOT NULL DEFAULT '';
ALTER TABLE key_list ADD COLUMN first_inspected TEXT;

UPDATE key_list SET region_path = (SELECT e.region_path FROM enterprises e WHERE e.id = key_list.enterprise_id),
    sector = (SELECT e.sector FROM enterprises e WHERE e.id = key_list.enterprise_id),
    first_inspected = (SELECT MIN(n.date) FROM inspections n, campaign_years c WHERE c.year = key_list.year
        AND n.enterprise_id = key_list.enterprise_id
        AND n.date >= CASE WHEN c.start_date <> '' THEN c.start_date ELSE c.year || '-01-01' END
        AND n.date <= c.year || '-12-31');

CREATE INDEX key_list_coverage ON key_list(year, region_path, sector, first_inspected, enterprise_id);

-- +goose StatementBegin
CREATE TRIGGER key_list_placed AFTER INSERT ON key_list
BEGIN
    UPDATE key_list SET region_path = e.region_path, sector = e.sector,
        first_inspected = (SELECT MIN(n.date) FROM inspections n, campaign_years c WHERE c.year = key_list.year
            AND n.enterprise_id = key_list.enterprise_id
            AND n.date >= CASE WHEN c.start_date <> '' THEN c.start_date ELSE c.year || '-01-01' END
            AND n.date <= c.year || '-12-31')
    FROM enterprises e WHERE e.id = NEW.enterprise_id AND key_list.year = NEW.year AND key_list.enterprise_id = NEW.enterprise_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER key_list_lane_follows AFTER UPDATE OF region_path, sector ON enterprises
WHEN OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector
BEGIN
    UPDATE key_list SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER key_list_inspected AFTER INSERT ON inspections
BEGIN
    UPDATE key_list SET first_inspected = NEW.date
    WHERE enterprise_id = NEW.enterprise_id AND (first_inspected IS NULL OR first_inspected > NEW.date)
        AND NEW.date <= key_list.year || '-12-31'
        AND NEW.date >= (SELECT CASE WHEN c.start_date <> '' THEN c.start_date ELSE c.year || '-01-01' END
            FROM campaign_years c WHERE c.year = key_list.year);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER key_list_uninspected AFTER DELETE ON inspections
BEGIN
    UPDATE key_list SET first_inspected = (SELECT MIN(n.date) FROM inspections n, campaign_years c WHERE c.year = key_list.year
            AND n.enterprise_id = key_list.enterprise_id
            AND n.date >= CASE WHEN c.start_date <> '' THEN c.start_date ELSE c.year || '-01-01' END
            AND n.date <= c.year || '-12-31')
    WHERE enterprise_id = OLD.enterprise_id AND first_inspected = OLD.date;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER key_list_reinspected AFTER UPDATE OF date, enterprise_id ON inspections
WHEN OLD.date <> NEW.date OR OLD.enterprise_id <> NEW.enterprise_id
BEGIN
    UPDATE key_list SET first_inspected = (SELECT MIN(n.date) FROM inspections n, campaign_years c WHERE c.year = key_list.year
            AND n.enterprise_id = key_list.enterprise_id
            AND n.date >= CASE WHEN c.start_date <> '' THEN c.start_date ELSE c.year || '-01-01' END
            AND n.date <= c.year || '-12-31')
    WHERE enterprise_id IN (OLD.enterprise_id, NEW.enterprise_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER key_list_year_starts AFTER UPDATE OF start_date ON campaign_years
WHEN OLD.start_date <> NEW.start_date
BEGIN
    UPDATE key_list SET first_inspected = (SELECT MIN(n.date) FROM inspections n
            WHERE n.enterprise_id = key_list.enterprise_id
            AND n.date >= CASE WHEN NEW.start_date <> '' THEN NEW.start_date ELSE NEW.year || '-01-01' END
            AND n.date <= NEW.year || '-12-31')
    WHERE year = NEW.year;
END;
-- +goose StatementEnd

CREATE TABLE coverage_counts (
    year        INTEGER NOT NULL,
    region_path TEXT NOT NULL,
    sector      TEXT NOT NULL,
    listed      INTEGER NOT NULL DEFAULT 0,
    covered     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, region_path, sector)
);
INSERT INTO coverage_counts (year, region_path, sector, listed, covered)
    SELECT k.year, k.region_path, k.sector, COUNT(*), SUM(CASE WHEN k.first_inspected IS NOT NULL AND k.first_inspected <= COALESCE((SELECT NULLIF(d.due_date, '') FROM campaign_deadlines d WHERE d.year = k.year AND d.key = 'coverage'), k.year || '-09-30') THEN 1 ELSE 0 END)
    FROM key_list k WHERE k.region_path <> '' GROUP BY k.year, k.region_path, k.sector;

-- +goose StatementBegin
CREATE TRIGGER coverage_counts_insert AFTER INSERT ON key_list WHEN NEW.region_path <> ''
BEGIN
    INSERT INTO coverage_counts (year, region_path, sector, listed, covered) VALUES (NEW.year, NEW.region_path, NEW.sector, 1, CASE WHEN NEW.first_inspected IS NOT NULL AND NEW.first_inspected <= COALESCE((SELECT NULLIF(d.due_date, '') FROM campaign_deadlines d WHERE d.year = NEW.year AND d.key = 'coverage'), NEW.year || '-09-30') THEN 1 ELSE 0 END)
        ON CONFLICT (year, region_path, sector) DO UPDATE SET listed = listed + excluded.listed, covered = covered + excluded.covered;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER coverage_counts_delete AFTER DELETE ON key_list WHEN OLD.region_path <> ''
BEGIN
    UPDATE coverage_counts SET listed = listed - 1, covered = covered - CASE WHEN OLD.first_inspected IS NOT NULL AND OLD.first_inspected <= COALESCE((SELECT NULLIF(d.due_date, '') FROM campaign_deadlines d WHERE d.year = OLD.year AND d.key = 'coverage'), OLD.year || '-09-30') THEN 1 ELSE 0 END
        WHERE year = OLD.year AND region_path = OLD.region_path AND sector = OLD.sector;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER coverage_counts_update AFTER UPDATE OF year, region_path, sector, first_inspected ON key_list
BEGIN
    UPDATE coverage_counts SET listed = listed - 1, covered = covered - CASE WHEN OLD.first_inspected IS NOT NULL AND OLD.first_inspected <= COALESCE((SELECT NULLIF(d.due_date, '') FROM campaign_deadlines d WHERE d.year = OLD.year AND d.key = 'coverage'), OLD.year || '-09-30') THEN 1 ELSE 0 END
        WHERE OLD.region_path <> '' AND year = OLD.year AND region_path = OLD.region_path AND sector = OLD.sector;
    INSERT INTO coverage_counts (year, region_path, sector, listed, covered)
        SELECT NEW.year, NEW.region_path, NEW.sector, 1, CASE WHEN NEW.first_inspected IS NOT NULL AND NEW.first_inspected <= COALESCE((SELECT NULLIF(d.due_date, '') FROM campaign_deadlines d WHERE d.year = NEW.year AND d.key = 'coverage'), NEW.year || '-09-30') THEN 1 ELSE 0 END WHERE NEW.region_path <> ''
        ON CONFLICT (year, region_path, sector) DO UPDATE SET listed = listed + excluded.listed, covered = covered + excluded.covered;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER coverage_counts_deadline_insert AFTER INSERT ON campaign_deadlines WHEN NEW.key = 'coverage'
BEGIN
    UPDATE coverage_counts SET covered = (SELECT COUNT(*) FROM key_list k WHERE k.year = coverage_counts.year
        AND k.region_path = coverage_counts.region_path AND k.sector = coverage_counts.sector AND CASE WHEN k.first_inspected IS NOT NULL AND k.first_inspected <= COALESCE((SELECT NULLIF(d.due_date, '') FROM campaign_deadlines d WHERE d.year = k.year AND d.key = 'coverage'), k.year || '-09-30') THEN 1 ELSE 0 END = 1)
        WHERE year = NEW.year;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER coverage_counts_deadline_update AFTER UPDATE ON campaign_deadlines WHEN NEW.key = 'coverage' OR OLD.key = 'coverage'
BEGIN
    UPDATE coverage_counts SET covered = (SELECT COUNT(*) FROM key_list k WHERE k.year = coverage_counts.year
        AND k.region_path = coverage_counts.region_path AND k.sector = coverage_counts.sector AND CASE WHEN k.first_inspected IS NOT NULL AND k.first_inspected <= COALESCE((SELECT NULLIF(d.due_date, '') FROM campaign_deadlines d WHERE d.year = k.year AND d.key = 'coverage'), k.year || '-09-30') THEN 1 ELSE 0 END = 1)
        WHERE year IN (OLD.year, NEW.year);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER coverage_counts_deadline_delete AFTER DELETE ON campaign_deadlines WHEN OLD.key = 'coverage'
BEGIN
    UPDATE coverage_counts SET covered = (SELECT COUNT(*) FROM key_list k WHERE k.year = coverage_counts.year
        AND k.region_path = coverage_counts.region_path AND k.sector = coverage_counts.sector AND CASE WHEN k.first_inspected IS NOT NULL AND k.first_inspected <= COALESCE((SELECT NULLIF(d.due_date, '') FROM campaign_deadlines d WHERE d.year = k.year AND d.key = 'coverage'), k.year || '-09-30') THEN 1 ELSE 0 END = 1)
        WHERE year = OLD.year;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER coverage_counts_deadline_delete;
DROP TRIGGER coverage_counts_deadline_update;
DROP TRIGGER coverage_counts_deadline_insert;
DROP TRIGGER coverage_counts_update;
DROP TRIGGER coverage_counts_delete;
DROP TRIGGER coverage_counts_insert;
DROP TABLE coverage_counts;
DROP TRIGGER key_list_year_starts;
DROP TRIGGER key_list_reinspected;
DROP TRIGGER key_list_uninspected;
DROP TRIGGER key_list_inspected;
DROP TRIGGER key_list_lane_follows;
DROP TRIGGER key_list_placed;
DROP INDEX key_list_coverage;
ALTER TABLE key_list DROP COLUMN first_inspected;
ALTER TABLE key_list DROP COLUMN sector;
ALTER TABLE key_list DROP COLUMN region_path;
