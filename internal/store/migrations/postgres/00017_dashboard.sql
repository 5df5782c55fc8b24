-- +goose Up
-- The dashboard (issue 12 item 7) counts a year's records by child unit and
-- month, for the whole province at once: at --scale 100 about a million
-- inspections, 1.4 million hazards and 1.3 million documents. Each family
-- is one pass over an index that holds every column the count reads (an
-- index-only scan once the table is vacuumed). The hazards' day found
-- (found_on) is 00016's; the lane's covering indexes of inspections and
-- documents are 00019's (inspections_lane, documents_lane).
CREATE INDEX hazards_lane_found ON hazards(region_path, found_on, sector, level, status, deadline);
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
DROP INDEX hazards_lane_found;
