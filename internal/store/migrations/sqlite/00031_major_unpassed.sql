-- +goose Up
-- The worklist's two groups of major hazards (五落实 incomplete, no
-- stop-production order) count the lane's major hazards not yet passed:
-- a few hundred in a province, read from this index alone (with each
-- one's inspection for its documents), not the year's major hazards.
CREATE INDEX hazards_major_unpassed ON hazards(region_path, sector, found_on, inspection_id, g_responsible, g_measures, g_funds,
    g_deadline, g_plan) WHERE level = 'major' AND status <> 'passed';

-- +goose Down
DROP INDEX hazards_major_unpassed;
