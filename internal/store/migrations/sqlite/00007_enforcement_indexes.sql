-- +goose Up
-- Indexes for the worklist at a million inspections (--scale 100).
--
-- Most hazards end passed; the worklist reads only the others, in deadline
-- order, in a lane. Without these, hazards_lane (region_path, status,
-- deadline) made each of the province's hazard lists read every hazard of
-- the province and sort the pending ones (the province's worklist took
-- 1.6 s on SQLite; PostgreSQL ran a parallel sequential scan of about
-- 100 ms per list). Partial indexes stay small: about one hazard in twelve
-- is not passed, one in a thousand a major one not passed.
--
-- Overdue and due soon: walked in deadline order, the lane checked in the
-- index itself.
CREATE INDEX hazards_pending ON hazards(deadline, region_path, sector) WHERE status <> 'passed';
-- Major hazards without 五落实 or without a stop-production order. The
-- lane columns matter on PostgreSQL: its generic plan for a prepared
-- statement otherwise combined this index with hazards_lane, reading the
-- whole lane of hazards_lane (64 ms instead of 7).
CREATE INDEX hazards_major_pending ON hazards(deadline, region_path, sector) WHERE level = 'major' AND status <> 'passed';

-- +goose Down
DROP INDEX hazards_major_pending;
DROP INDEX hazards_pending;
