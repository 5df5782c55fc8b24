-- +goose Up
-- The dashboard (issue 12 item 7) counts a year's records by child unit and
-- month, for the whole province at once: at --scale 100 about a million
-- inspections, 1.4 million hazards and 1.3 million documents. Each family
-- is one pass over an index that holds every column the count reads (an
-- index-only scan once the table is vacuumed).
--
-- A hazard is found on its inspection's date. The hazards keep a copy of it
-- (found_on), as they keep their enterprise's lane: the year's hazards are
-- then a range on one index instead of a join of 1.4 million hazards to
-- their inspections. The inspection's date is never changed by the
-- application; should it be, the trigger below moves the copies in the
-- same statement, and the storetest check after every test
-- (LaneMismatches) finds any copy that differs.
ALTER TABLE hazards ADD COLUMN found_on TEXT NOT NULL DEFAULT '';
UPDATE hazards h SET found_on = n.date FROM inspections n WHERE n.id = h.inspection_id;
-- +goose StatementBegin
CREATE FUNCTION inspections_date_follows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE hazards SET found_on = NEW.date WHERE inspection_id = NEW.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER inspections_date_follows AFTER UPDATE OF date ON inspections
    FOR EACH ROW WHEN (OLD.date IS DISTINCT FROM NEW.date)
    EXECUTE FUNCTION inspections_date_follows();
CREATE INDEX hazards_found ON hazards(region_path, found_on, sector, level, status, deadline);
-- The lane index of inspections gains the sector, so a lane with a sector
-- is counted from the index alone (it serves whatever used it before).
DROP INDEX inspections_lane;
CREATE INDEX inspections_lane ON inspections(region_path, date, sector);
CREATE INDEX documents_lane_issued ON documents(region_path, issued_on, sector, kind, fine);
-- The counts group by region path and month (and kind): without knowing
-- how few such groups there are, the planner guessed 125,000 instead of
-- 3,800 for the province's documents and sorted them instead of hashing
-- (2.7 times as long at --scale 100).
CREATE STATISTICS inspections_lane_month (ndistinct) ON region_path, (substr(date, 1, 7)) FROM inspections;
CREATE STATISTICS hazards_lane_month (ndistinct) ON region_path, (substr(found_on, 1, 7)) FROM hazards;
CREATE STATISTICS documents_lane_month (ndistinct) ON region_path, (substr(issued_on, 1, 7)), kind FROM documents;

-- +goose Down
DROP STATISTICS documents_lane_month;
DROP STATISTICS hazards_lane_month;
DROP STATISTICS inspections_lane_month;
DROP INDEX documents_lane_issued;
DROP INDEX inspections_lane;
CREATE INDEX inspections_lane ON inspections(region_path, date);
DROP INDEX hazards_found;
DROP TRIGGER inspections_date_follows ON inspections;
DROP FUNCTION inspections_date_follows();
ALTER TABLE hazards DROP COLUMN found_on;
