-- +goose Up
-- The forms count a unit's records of a period from indexes alone. 00016
-- made the date indexes covering (a province's month reads its days); a
-- city's annual form would still read the whole province's year through
-- them, so the lane has a covering index of its own, lane first, holding
-- every column the counts read (docs/benchmarks.md, "Reporting").
CREATE INDEX inspections_lane ON inspections(region_path, date, sector, enterprise_id, inspector_count, expert_count);
DROP INDEX hazards_inspection;
CREATE INDEX hazards_inspection ON hazards(inspection_id, level);
CREATE INDEX documents_lane ON documents(region_path, issued_on, sector, kind, enterprise_id, fine);

-- +goose Down
DROP INDEX documents_lane;
DROP INDEX hazards_inspection;
CREATE INDEX hazards_inspection ON hazards(inspection_id);
DROP INDEX inspections_lane;
