-- +goose Up
-- The lists of records (/inspections, /hazards, /documents) count every
-- match for their 共N条, as 附件2 counts: inspections by their date,
-- hazards by the date of the inspection that found them, documents by the
-- day issued. At a million inspections a count must read an index alone.
--
-- A hazard keeps the day it was found (its inspection's date), so that a
-- hazard list by date needs no join: the database sets it when a hazard is
-- inserted without one and follows a change of the inspection's date.
ALTER TABLE hazards ADD COLUMN found_on TEXT NOT NULL DEFAULT '';
UPDATE hazards h SET found_on = n.date FROM inspections n WHERE n.id = h.inspection_id;
-- +goose StatementBegin
CREATE FUNCTION hazards_found_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT n.date INTO NEW.found_on FROM inspections n WHERE n.id = NEW.inspection_id;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER hazards_found_on BEFORE INSERT ON hazards
    FOR EACH ROW WHEN (NEW.found_on = '') EXECUTE FUNCTION hazards_found_on();
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

-- Each list counts on one of two covering indexes: by date (a period's
-- records, across the lane), or by place (a region's records, any day).
-- They replace the narrower indexes on the same leading columns.
DROP INDEX inspections_date;
DROP INDEX inspections_lane;
CREATE INDEX inspections_dated ON inspections(date, region_path, sector, enterprise_id, inspector_count, expert_count);
CREATE INDEX inspections_placed ON inspections(region_path, sector, date, enterprise_id, inspector_count, expert_count);
DROP INDEX hazards_lane;
CREATE INDEX hazards_found ON hazards(found_on, region_path, sector, level, status, enterprise_id);
CREATE INDEX hazards_placed ON hazards(region_path, sector, level, status, found_on, enterprise_id);
DROP INDEX documents_issued;
CREATE INDEX documents_dated ON documents(issued_on, region_path, sector, kind, fine, enterprise_id);
CREATE INDEX documents_placed ON documents(region_path, sector, kind, issued_on, fine, enterprise_id);

-- +goose Down
DROP INDEX documents_placed;
DROP INDEX documents_dated;
CREATE INDEX documents_issued ON documents(issued_on);
DROP INDEX hazards_placed;
DROP INDEX hazards_found;
CREATE INDEX hazards_lane ON hazards(region_path, status, deadline);
DROP INDEX inspections_placed;
DROP INDEX inspections_dated;
CREATE INDEX inspections_lane ON inspections(region_path, date);
CREATE INDEX inspections_date ON inspections(date);
DROP TRIGGER inspections_date_follows ON inspections;
DROP FUNCTION inspections_date_follows();
DROP TRIGGER hazards_found_on ON hazards;
DROP FUNCTION hazards_found_on();
ALTER TABLE hazards DROP COLUMN found_on;
