-- +goose Up
-- The home page's worklist read from indexes that hold just what it lists
-- (issue 14):
--
-- * hazards_no_guarantees: the major hazards not passed whose 五落实 is
--   incomplete, by deadline (the list's order) with the lane and the day
--   found — ~140 of the province's hazards, where the list walked every
--   major hazard not passed (~800) and read each row.
-- * cards_due again, with the card's id after its deadline: the red-card
--   candidates (yellow cards past their deadline) come in the list's order
--   (deadline, id) and the first ten end the walk, where the province's
--   ~430 were gathered and sorted.
-- * enterprise_counts_sums: the lane's enterprises and those lacking a
--   credit code summed from the index alone.
CREATE INDEX hazards_no_guarantees ON hazards(deadline, id, region_path, sector, found_on)
    WHERE level = 'major' AND status <> 'passed'
        AND (g_responsible = '' OR g_measures = '' OR g_funds = 0 OR g_deadline = '' OR g_plan = '');
DROP INDEX cards_due;
CREATE INDEX cards_due ON cards(state, year, deadline, id, region_path, sector);
CREATE INDEX enterprise_counts_sums ON enterprise_counts(region_path, sector, n, missing_codes);

-- +goose Down
DROP INDEX enterprise_counts_sums;
DROP INDEX cards_due;
CREATE INDEX cards_due ON cards(state, year, deadline, region_path, sector);
DROP INDEX hazards_no_guarantees;
