-- +goose Up
-- A record's lane follows its enterprise. Inspections, hazards, documents,
-- cards, evidence files and imported 附件2/附件3 rows keep a copy of their
-- enterprise's region_path and sector (so that every lane clause is a range
-- on one table); when the enterprise moves to another region or sector,
-- this trigger moves every copy in the same statement, whichever code
-- changed the enterprise.
-- +goose StatementBegin
CREATE TRIGGER enterprises_lane_follows AFTER UPDATE OF region_path, sector ON enterprises
WHEN OLD.region_path <> NEW.region_path OR OLD.sector <> NEW.sector
BEGIN
    UPDATE inspections    SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE hazards        SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE documents      SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE cards          SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE attachments    SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE reported_form2 SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
    UPDATE reported_form3 SET region_path = NEW.region_path, sector = NEW.sector WHERE enterprise_id = NEW.id;
END;
-- +goose StatementEnd

-- The audit trail is scoped like everything else: an entry's lane is its
-- region_path and sector ('' = both sectors; an entry with no region is
-- the province's). The sector takes part in the entry's hash when it is
-- not empty, so entries written before it hash as they did.
ALTER TABLE audit_log ADD COLUMN sector TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_lane ON audit_log(region_path, seq);

-- +goose Down
DROP INDEX audit_log_lane;
ALTER TABLE audit_log DROP COLUMN sector;
DROP TRIGGER enterprises_lane_follows;
