-- +goose Up
-- The forms count a unit's records of a period from indexes alone: a city's
-- annual 附件2 read every inspection, hazard and document of the province
-- through the date indexes and their table rows (SQLite chose them over the
-- lane's range). Covering indexes, lane first, hold every column the counts
-- read (docs/benchmarks.md, "Reporting").
DROP INDEX inspections_lane;
CREATE INDEX inspections_lane ON inspections(region_path, date, sector, enterprise_id, inspector_count, expert_count);
DROP INDEX hazards_inspection;
CREATE INDEX hazards_inspection ON hazards(inspection_id, level);
CREATE INDEX documents_lane ON documents(region_path, issued_on, sector, kind, enterprise_id, fine);

-- +goose Down
DROP INDEX documents_lane;
DROP INDEX hazards_inspection;
CREATE INDEX hazards_inspection ON hazards(inspection_id);
DROP INDEX inspections_lane;
CREATE INDEX inspections_lane ON inspections(region_path, date);
